import path from 'node:path';
import { expoBackgroundModeFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft, RelatedLocation } from '../../src/findings/finding.js';
import { backgroundIntents, configFileName, expoApps, prebuildNote } from '../../src/facts/expo/queries.js';
import type { ExpoApp } from '../../src/facts/expo/expo-model.js';

function fixFor(app: ExpoApp, libs: string[]): string {
  if (app.ios.source === 'native') {
    return 'Add `audio` to UIBackgroundModes in the app target\'s Info.plist (Xcode: Signing & Capabilities > Background Modes > "Audio, AirPlay, and Picture in Picture").';
  }
  const file = configFileName(app);
  const why = [...app.ios.whyNoAudio.entries()].filter(([lib]) => libs.includes(lib));
  const pluginFix = why.find(([, r]) => r.text.includes('is not listed in `plugins`'));
  const off = why.find(([, r]) => r.text.includes(': false` turns it off'));
  const option = off ? /`([^`]+: false)`/.exec(off[1].text)?.[1] : undefined;
  if (off) return `Remove \`${option ?? 'the option set to false'}\` from the ${off[0]} plugin options, or add "UIBackgroundModes": ["audio"] under expo.ios.infoPlist in ${file}.`;
  if (pluginFix) return `List "${pluginFix[0]}" in \`plugins\` in ${file} (its plugin adds the mode), or add "UIBackgroundModes": ["audio"] under expo.ios.infoPlist.`;
  return `Add "UIBackgroundModes": ["audio"] under expo.ios.infoPlist in ${file} (or upgrade to a library version whose config plugin adds it).`;
}

// XP-EXPO-002 / BG-001 for React Native and Expo apps.
export default defineRule({
  meta: {
    id: 'expo/background-audio-mode-missing',
    platform: 'expo',
    severity: 'error',
    fixable: true,
    title: 'Background playback requested in JS without the iOS `audio` background mode',
    description:
      'JS code asks for background playback (expo-audio shouldPlayInBackground, expo-av staysActiveInBackground, react-native-track-player, expo-video staysActiveInBackground...) but the resolved app config (Info.plist values and the config plugins of the installed versions) does not give the iOS app the `audio` background mode.',
    why: "The library can configure a playback audio session, but iOS only keeps an app running in the background with `audio` in UIBackgroundModes. Without it the app is suspended seconds after the user locks the phone or switches apps, and playback stops. In Expo apps the mode comes from `ios.infoPlist` or from a config plugin, and whether a plugin adds it depends on its version and options (expo-audio's plugin adds it only from 55.0.6, react-native-track-player has no plugin at all).",
    fix: 'Add "UIBackgroundModes": ["audio"] under expo.ios.infoPlist (or enable the option of the library\'s config plugin that adds it); in a bare React Native app add `audio` to UIBackgroundModes in ios/<App>/Info.plist.',
    docs: [
      { title: 'UIBackgroundModes', url: 'https://developer.apple.com/documentation/bundleresources/information-property-list/uibackgroundmodes' },
      { title: 'Expo Audio: configuration in app config', url: 'https://docs.expo.dev/versions/v56.0.0/sdk/audio/' },
      { title: 'React Native Track Player: background mode', url: 'https://rntp.dev/docs/basics/background-mode' },
      { title: 'Configuring background execution modes', url: 'https://developer.apple.com/documentation/xcode/configuring-background-execution-modes' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of expoApps(project)) {
      const intents = backgroundIntents(app, 'ios');
      if (!intents.length) continue;
      const view = app.ios;
      // Nothing to judge (no app config and no ios/ folder), or a value audiobg cannot read: never guess.
      if (view.source === 'none' || view.unknown) continue;
      if (view.backgroundModes.has('audio')) continue;
      const libs = [...new Set(intents.map((i) => i.library))];
      const reasons = libs.map((l) => view.whyNoAudio.get(l)).filter((r) => !!r);
      const removed = view.removedModes.get('audio');
      // Report at the line that decides it: an option that removes or turns off the mode, else the Info.plist values.
      const decisive = removed?.location ?? reasons.find((r) => r.text.includes(': false` turns it off'))?.location ?? null;
      const location = decisive ?? view.control;
      const where = view.source === 'native' ? 'the Info.plist' : `the app config (${view.controlLabel} in ${path.basename(view.control.file)})`;
      const because = removed ? ` (${removed.text})` : reasons.length ? ` (${reasons.map((r) => r.text).join('; ')})` : '';
      const nativeHas = app.workflow === 'prebuild' && app.native.ios.some((a) => a.targets.some((t) => t.infoPlists.some((r) => JSON.stringify(r.doc?.root ?? '').includes('"audio"'))));
      const related: RelatedLocation[] = intents.map((i) => ({ location: i.location, message: `${i.what}: the app means to keep playing in the background` }));
      if (decisive && decisive !== view.control) related.push({ location: view.control, message: `${view.controlLabel}: where UIBackgroundModes can be set` });
      out.push({
        message: `${intents[0]!.what} asks for background playback, but ${where} does not give the iOS app the \`audio\` background mode${because}, so playback stops when the app is backgrounded or the screen locks.${nativeHas ? ' The generated ios/ folder declares it today, but the next `expo prebuild` drops it.' : ''}${prebuildNote(app, 'ios')}`,
        location,
        fix: fixFor(app, libs),
        related,
        fixes: expoBackgroundModeFix(app, Boolean(removed), reasons.find((r) => r.text.includes(': false` turns it off'))?.location ?? null),
      });
    }
    return out;
  },
});
