import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { getPropRecord } from '../../src/facts/expo/config-value.js';
import { expoApps, viaRelated } from '../../src/facts/expo/queries.js';

const SESSION_KEYS = ['iosCategory', 'iosCategoryMode', 'iosCategoryOptions', 'iosCategoryPolicy'];

// XP-RNTP-002: session options given to updateOptions are never applied.
export default defineRule({
  meta: {
    id: 'expo/track-player-ios-options-ignored',
    platform: 'expo',
    severity: 'warning',
    title: 'react-native-track-player audio-session options passed to updateOptions',
    description: 'iosCategory, iosCategoryMode, iosCategoryOptions or iosCategoryPolicy is passed to TrackPlayer.updateOptions(), which ignores them; only setupPlayer() configures the audio session.',
    why: 'react-native-track-player reads the audio-session options only in setupPlayer(). Given to updateOptions() they are silently dropped, so the session keeps the default category and options, not the ones the app asks for (e.g. a spokenAudio mode or a non-mixable configuration for the lock screen).',
    fix: 'Move the iosCategory* options to the TrackPlayer.setupPlayer() call.',
    docs: [{ title: 'react-native-track-player: setupPlayer options', url: 'https://github.com/doublesymmetry/react-native-track-player/blob/cad7f4b0cdea1ab20fd988debcfdbdced7907a39/docs/docs/api/functions/lifecycle.md' }],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of expoApps(project)) {
      // A patched library may apply these options after all; expo/config-unresolved says so instead.
      if (app.patchedPackages.some((p) => p.name === 'react-native-track-player')) continue;
      for (const call of app.js.calls) {
        if (call.kind !== 'update-options') continue;
        for (const key of SESSION_KEYS) {
          const rec = getPropRecord(call.options, key);
          if (!rec) continue;
          out.push({ message: `\`${key}\` is ignored by ${call.api}: react-native-track-player applies audio-session options only in setupPlayer().`, location: rec.keyLoc, fix: `Move \`${key}\` to the TrackPlayer.setupPlayer() options.`, related: viaRelated(call) });
        }
      }
    }
    return out;
  },
});
