import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { oncePerLocation, pttEvidence } from '../../src/facts/ios/audio-session-queries.js';

// PTT-003: the app activates the session that the system should activate.
export default defineRule({
  meta: {
    id: 'ios/ptt-manual-activation',
    platform: 'ios',
    severity: 'error',
    title: 'Push to Talk app activates its audio session itself',
    description: 'A Push to Talk app calls setActive(true) on AVAudioSession.',
    why: 'Apple: "Let the system activate and deactivate the audio session to ensure it has the proper priority." The system gives a Push to Talk channel its own higher-priority session; an activation requested by the app has ordinary priority, fails in the background (a non-mixable session cannot interrupt others from the background: \'!int\'), and competes with the session the system activates, so received transmissions can stay silent and recording cannot start.',
    fix: 'Remove the setActive(true) call. Configure the category (non-mixable .playAndRecord) ahead of time, and start playback or recording in channelManager(_:didActivate:), stopping it in channelManager(_:didDeactivate:).',
    docs: [
      { title: 'Creating a Push to Talk app', url: 'https://developer.apple.com/documentation/pushtotalk/creating-a-push-to-talk-app' },
      { title: 'PTChannelManagerDelegate channelManager(_:didActivate:)', url: 'https://developer.apple.com/documentation/pushtotalk/ptchannelmanagerdelegate/channelmanager(_:didactivate:)' },
    ],
    affects: 'iOS 16+',
  },
  check(project) {
    const out: FindingDraft[] = [];
    const once = oncePerLocation();
    for (const app of project.ios) {
      for (const target of app.targets) {
        const ptt = pttEvidence(target);
        if (!ptt) continue;
        for (const call of target.code.setActive) {
          if (call.active !== true || !once(call.location)) continue;
          out.push({
            message: `This Push to Talk app activates the audio session itself${call.enclosingFunction ? ` in ${call.enclosingFunction}` : ''}; the system activates it with the right priority and hands it over in channelManager(_:didActivate:).`,
            location: call.location,
            related: [{ location: ptt, message: 'the target uses PushToTalk here' }],
          });
        }
      }
    }
    return out;
  },
});
