import { infoPlistArrayFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import { cap, targetLabel } from '../../src/facts/ios/audio-session-wording.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { backgroundModes, infoPlistAnchor } from '../../src/facts/ios/effective-config.js';
import { appTargets, infoPlistUnreadable, pttEvidence } from '../../src/facts/ios/audio-session-queries.js';

// PTT-001: PushToTalk without the push-to-talk background mode.
export default defineRule({
  meta: {
    id: 'ios/ptt-background-mode-missing',
    platform: 'ios',
    severity: 'error',
    fixable: true,
    title: 'Push to Talk background mode missing',
    description: 'The app uses the PushToTalk framework but UIBackgroundModes does not contain `push-to-talk`.',
    why: 'Without the `push-to-talk` background mode the system cannot launch or wake the app for Push to Talk notifications, so incoming transmissions are not played while the app is in the background or not running, and the app cannot transmit from the lock screen.',
    fix: 'Add `push-to-talk` to UIBackgroundModes in the target\'s Info.plist (Xcode: Signing & Capabilities > Background Modes > "Push to Talk").',
    docs: [
      { title: 'Creating a Push to Talk app', url: 'https://developer.apple.com/documentation/pushtotalk/creating-a-push-to-talk-app' },
      { title: 'Configuring background execution modes', url: 'https://developer.apple.com/documentation/xcode/configuring-background-execution-modes' },
    ],
    affects: 'iOS 16+',
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const { target } of appTargets(project)) {
      const ptt = pttEvidence(target);
      if (!ptt || infoPlistUnreadable(target)) continue;
      if (backgroundModes(target).has('push-to-talk')) continue;
      out.push({
        message: `${cap(targetLabel(target))} uses PushToTalk but its Info.plist does not declare the \`push-to-talk\` background mode, so the system cannot wake it for transmissions.`,
        location: ptt,
        related: [{ location: infoPlistAnchor(target), message: 'UIBackgroundModes with `push-to-talk` belongs in this Info.plist' }],
        fixes: infoPlistArrayFix(target, 'UIBackgroundModes', 'push-to-talk', project),
      });
    }
    return out;
  },
});
