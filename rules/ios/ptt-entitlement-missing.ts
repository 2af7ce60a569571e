import { entitlementFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import { cap, targetLabel } from '../../src/facts/ios/audio-session-wording.js';
import type { FindingDraft, Location } from '../../src/findings/finding.js';
import { entitlementKey } from '../../src/facts/ios/effective-config.js';
import { appTargets, pttEvidence } from '../../src/facts/ios/audio-session-queries.js';
import type { IosTarget } from '../../src/facts/ios/ios-model.js';

function entitlementsAnchor(target: IosTarget): Location {
  const ref = target.entitlements.find((r) => r.doc);
  if (ref?.doc) return { file: ref.file.path, line: ref.doc.root.loc.line, column: ref.doc.root.loc.column };
  return target.anchor;
}

// PTT-002 / PTT-008: the Push to Talk and Push Notifications capabilities.
export default defineRule({
  meta: {
    id: 'ios/ptt-entitlement-missing',
    platform: 'ios',
    severity: 'error',
    fixable: true,
    title: 'Push to Talk entitlement missing',
    description: 'The app uses PushToTalk but its entitlements lack com.apple.developer.push-to-talk or aps-environment.',
    why: 'The PushToTalk framework only works for apps signed with the Push to Talk capability (com.apple.developer.push-to-talk = true) and Push Notifications (aps-environment): without them the channel manager cannot join channels or receive PTT pushes, and session activation fails with \'ent?\' (missing entitlement).',
    fix: 'In Xcode add the "Push to Talk" and "Push Notifications" capabilities to the target, which write com.apple.developer.push-to-talk = true and aps-environment to its .entitlements file (and make sure CODE_SIGN_ENTITLEMENTS points at that file).',
    docs: [
      { title: 'Creating a Push to Talk app', url: 'https://developer.apple.com/documentation/pushtotalk/creating-a-push-to-talk-app' },
      { title: 'Apple Developer Forums: PTT missing entitlement', url: 'https://developer.apple.com/forums/thread/781909' },
    ],
    affects: 'iOS 16+',
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const { target } of appTargets(project)) {
      const ptt = pttEvidence(target);
      if (!ptt) continue;
      // An entitlements file that failed to parse is already reported as a parse error.
      if (target.entitlements.length > 0 && target.entitlements.every((r) => !r.doc)) continue;
      const related = [{ location: entitlementsAnchor(target), message: target.entitlements.length > 0 ? 'the target\'s entitlements' : 'the target has no .entitlements file' }];
      const pttHits = entitlementKey(target, 'com.apple.developer.push-to-talk');
      if (!pttHits.some((h) => h.value.type === 'bool' && h.value.value)) {
        const isFalse = pttHits.length > 0;
        out.push({
          message: isFalse
            ? `${cap(targetLabel(target))} uses PushToTalk but com.apple.developer.push-to-talk is not true in its entitlements, so the framework refuses to work.`
            : `${cap(targetLabel(target))} uses PushToTalk but its entitlements lack com.apple.developer.push-to-talk, so the framework refuses to work.`,
          location: ptt,
          related: isFalse ? [{ location: pttHits[0]!.keyLocation, message: 'set to false here' }] : related,
          fixes: entitlementFix(target, 'com.apple.developer.push-to-talk', { bool: true }),
        });
      }
      const aps = entitlementKey(target, 'aps-environment');
      if (!aps.some((h) => h.value.type === 'string' && h.value.value.trim() !== '')) {
        out.push({
          message: `${cap(targetLabel(target))} uses PushToTalk but its entitlements lack aps-environment, so it cannot receive the Push to Talk notifications that wake it.`,
          location: ptt,
          related,
          fixes: entitlementFix(target, 'aps-environment', { string: 'development' }),
        });
      }
    }
    return out;
  },
});
