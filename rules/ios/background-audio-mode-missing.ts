import { infoPlistArrayFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft, RelatedLocation } from '../../src/findings/finding.js';
import { backgroundModes, infoPlistAnchor } from '../../src/facts/ios/effective-config.js';
import { backgroundIntent, infoPlistUnreadable, isPttTarget, playbackCategoryCalls, usesCallKit } from '../../src/facts/ios/audio-session-queries.js';
import { categoryText, targetLabel } from '../../src/facts/ios/audio-session-wording.js';

// BG-001: a lock-proof category without the `audio` background mode.
export default defineRule({
  meta: {
    id: 'ios/background-audio-mode-missing',
    platform: 'ios',
    severity: 'error',
    fixable: true,
    title: 'Background audio mode missing',
    description: 'The app configures a .playback / .playAndRecord audio session but its Info.plist does not declare the `audio` background mode.',
    why: 'The category only keeps audio going through the Silent switch and screen lock while the app runs; without `audio` in UIBackgroundModes iOS suspends the app shortly after it leaves the foreground, so playback stops when the user locks the phone or switches apps (and starting playback from the background fails with \'!pla\').',
    fix: 'Add `audio` to the UIBackgroundModes array of the target\'s Info.plist (Xcode: Signing & Capabilities > Background Modes > "Audio, AirPlay, and Picture in Picture"). INFOPLIST_KEY_UIBackgroundModes in build settings is ignored by Xcode.',
    docs: [
      { title: 'AVAudioSession.Category.playback', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/category-swift.struct/playback' },
      { title: 'Configuring background execution modes', url: 'https://developer.apple.com/documentation/xcode/configuring-background-execution-modes' },
      { title: 'UIBackgroundModes', url: 'https://developer.apple.com/documentation/bundleresources/information-property-list/uibackgroundmodes' },
      { title: 'QA1668: Playing media while in the background', url: 'https://developer.apple.com/library/archive/qa/qa1668/_index.html' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const app of project.ios) {
      for (const target of app.targets) {
        // Push to Talk and CallKit apps run on their own background modes (push-to-talk, voip).
        if (isPttTarget(target) || usesCallKit(target)) continue;
        if (infoPlistUnreadable(target)) continue;
        const calls = playbackCategoryCalls(target);
        if (calls.length === 0) continue;
        const modes = backgroundModes(target);
        if (modes.has('audio')) continue;
        const call = calls[0]!;
        const intent = backgroundIntent(target);
        const partly = modes.values.some((v) => v.value === 'audio');
        const related: RelatedLocation[] = [
          {
            location: infoPlistAnchor(target),
            message: partly ? '`audio` is declared in only some of this target\'s Info.plist files' : 'UIBackgroundModes with `audio` belongs in this Info.plist',
          },
        ];
        if (intent[0]) related.push({ location: intent[0].location, message: `the app ${intent[0].what} here, so it is meant to keep playing in the background` });
        out.push({
          message: `${categoryText(call)} is set here but ${partly ? `not every Info.plist of ${targetLabel(target)} declares` : `the Info.plist of ${targetLabel(target)} does not declare`} the \`audio\` background mode, so playback stops when the app is backgrounded or the screen locks.`,
          location: call.location,
          severity: intent.length > 0 ? 'error' : 'warning',
          related,
          fixes: infoPlistArrayFix(target, 'UIBackgroundModes', 'audio', app.pbxproj?.path),
        });
      }
    }
    return out;
  },
});
