import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft, Location } from '../../src/findings/finding.js';
import { hasInfoPlistString, infoPlistAnchor } from '../../src/facts/ios/effective-config.js';
import { apiUses, byPosition, categoryCalls, infoPlistUnreadable, pttEvidence, runningTargets } from '../../src/facts/ios/audio-session-queries.js';
import type { IosTarget } from '../../src/facts/ios/ios-model.js';
import { categoryName, cap, targetLabel } from '../../src/facts/ios/audio-session-wording.js';

/** The strongest sign that the target records, with a phrase for the message. */
function recordingEvidence(target: IosTarget): { what: string; location: Location } | null {
  const rec = apiUses(target, ['AVAudioRecorder'])[0];
  if (rec) return { what: 'records with AVAudioRecorder', location: rec.location };
  const input = apiUses(target, ['inputNode', 'AudioQueueInput'])[0];
  if (input) return { what: input.api === 'inputNode' ? 'reads the AVAudioEngine input node' : 'records with an audio queue', location: input.location };
  const perm = apiUses(target, ['recordPermission'])[0];
  if (perm) return { what: 'requests record permission', location: perm.location };
  const cat = categoryCalls(target, ['playAndRecord', 'record']).sort((a, b) => byPosition(a.location, b.location))[0];
  if (cat) return { what: `uses the ${categoryName(cat.lang, cat.category!)} category`, location: cat.location };
  const ptt = pttEvidence(target);
  if (ptt) return { what: 'uses Push to Talk, which records the user\'s voice', location: ptt };
  return null;
}

// MIC-001: recording without the microphone purpose string.
export default defineRule({
  meta: {
    id: 'ios/microphone-usage-missing',
    platform: 'ios',
    severity: 'error',
    title: 'Microphone usage description missing',
    description: 'The app records audio (AVAudioRecorder, the AVAudioEngine input node, .record / .playAndRecord, Push to Talk) but its Info.plist has no NSMicrophoneUsageDescription.',
    why: 'iOS terminates an app that accesses the microphone without an NSMicrophoneUsageDescription string ("This app has crashed because it attempted to access privacy-sensitive data without a usage description"), so recording, voice chat or Push to Talk transmission crashes the app, including when it happens in the background.',
    fix: 'Add NSMicrophoneUsageDescription with a sentence explaining why the app uses the microphone to the target\'s Info.plist (or INFOPLIST_KEY_NSMicrophoneUsageDescription when Xcode generates the Info.plist).',
    docs: [
      { title: 'NSMicrophoneUsageDescription', url: 'https://developer.apple.com/documentation/bundleresources/information-property-list/nsmicrophoneusagedescription' },
      { title: 'Creating a Push to Talk app', url: 'https://developer.apple.com/documentation/pushtotalk/creating-a-push-to-talk-app' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const { target } of runningTargets(project)) {
      if (infoPlistUnreadable(target)) continue;
      if (hasInfoPlistString(target, 'NSMicrophoneUsageDescription')) continue;
      const ev = recordingEvidence(target);
      if (!ev) continue;
      out.push({
        message: `${cap(targetLabel(target))} ${ev.what} but its Info.plist has no NSMicrophoneUsageDescription, so iOS terminates the app when it first uses the microphone.`,
        location: ev.location,
        related: [{ location: infoPlistAnchor(target), message: 'NSMicrophoneUsageDescription belongs in this Info.plist' }],
      });
    }
    return out;
  },
});
