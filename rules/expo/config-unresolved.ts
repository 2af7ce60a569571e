import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { expoApps } from '../../src/facts/expo/queries.js';

// Reading stops where a value needs the config to run; audiobg says so instead of guessing.
export default defineRule({
  meta: {
    id: 'expo/config-unresolved',
    platform: 'expo',
    severity: 'info',
    title: 'App config value audiobg cannot read statically',
    description: 'A value that decides background audio (UIBackgroundModes, android.permissions, plugins, a plugin option, a library version) comes from code audiobg does not run, so the checks that depend on it were skipped.',
    why: 'audiobg reads app.config.ts/js without executing it. An environment variable, a function call or a condition can hide whether the built app gets the `audio` background mode or the media-playback service, and a package.json range without installed node_modules can allow library versions whose config plugins behave differently. audiobg reports nothing rather than a guess, so this app is not fully checked.',
    fix: 'Write the value literally (or as a constant) in the app config, or install dependencies (npm ci) so audiobg can read the exact library versions in node_modules. Suppress this note with an inline comment if the value must stay dynamic.',
    docs: [
      { title: 'Expo: app config (static and dynamic)', url: 'https://docs.expo.dev/workflow/configuration/' },
      { title: 'Expo: config plugins', url: 'https://docs.expo.dev/config-plugins/introduction/' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of expoApps(project)) {
      // Only apps that use an audio library: elsewhere an unreadable value is none of audiobg's business.
      if (!app.libraries.length && !app.js.calls.length) continue;
      const seen = new Set<string>();
      for (const note of app.unresolved) {
        const key = `${note.location.file}:${note.location.line}:${note.what}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ message: `audiobg cannot read ${note.what} statically (${note.reason}), so ${note.consequence}.`, location: note.location });
      }
    }
    return out;
  },
});
