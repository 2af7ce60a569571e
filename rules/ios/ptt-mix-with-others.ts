import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { isPttTarget, mixableOptions, oncePerLocation, pttEvidence } from '../../src/facts/ios/audio-session-queries.js';
import { optionName } from '../../src/facts/ios/audio-session-wording.js';
import { expoApps, mixableJsOptions, pttEvidence as jsPttEvidence, viaRelated } from '../../src/facts/expo/queries.js';

// PTT-004: a mixable session in a Push to Talk app.
export default defineRule({
  meta: {
    id: 'ios/ptt-mix-with-others',
    platform: 'ios',
    severity: 'error',
    title: 'Mixable audio session in a Push to Talk app',
    description: 'A Push to Talk app configures its session with .mixWithOthers, .duckOthers or .interruptSpokenAudioAndMixWithOthers.',
    why: 'The PushToTalk framework activates the app\'s audio session with a high, call-like priority when a transmission or an incoming push arrives. A mixable session is not activated that way in the background: channelManager(_:didActivate:) is never called, so the app cannot play the received audio or record, and activation attempts fail with \'ent?\' or \'!int\'.',
    fix: 'Configure a non-mixable .playAndRecord session (no .mixWithOthers, .duckOthers or .interruptSpokenAudioAndMixWithOthers) at launch and keep it while the user is joined to a channel; let the system activate it.',
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
        if (!isPttTarget(target)) continue;
        const ptt = pttEvidence(target)!;
        for (const call of target.code.setCategory) {
          for (const opt of mixableOptions(call)) {
            if (!once(opt.location, opt.option)) continue;
            out.push({
              message: `${optionName(call.lang, opt.option)} makes the session mixable, and the system does not activate a mixable session for Push to Talk in the background, so channelManager(_:didActivate:) never comes.`,
              location: opt.location,
              related: [{ location: ptt, message: 'the target uses PushToTalk here' }],
            });
          }
        }
      }
    }
    // React Native / Expo: a mixable session configured from JS in an app with the Push to Talk entitlement or mode.
    for (const app of expoApps(project)) {
      const ptt = jsPttEvidence(app);
      if (!ptt) continue;
      for (const session of app.sessions) {
        for (const opt of mixableJsOptions(session)) {
          if (!once(opt.location, opt.option)) continue;
          out.push({
            message: `${opt.text} makes the session mixable (${optionName('swift', opt.option)}), and the system does not activate a mixable session for Push to Talk in the background, so channelManager(_:didActivate:) never comes.`,
            location: opt.location,
            fix: session.library === 'expo-audio' || session.library === 'expo-av'
              ? `Pass \`${session.library === 'expo-av' ? 'interruptionModeIOS: InterruptionModeIOS.DoNotMix' : "interruptionMode: 'doNotMix'"}\` to ${session.api} so the session is not mixable, and let the PushToTalk framework activate it.`
              : `Remove the mixing option from the options of ${session.api}, and let the PushToTalk framework activate the session.`,
            related: [{ location: ptt, message: 'the app is a Push to Talk app (entitlement or background mode)' }, ...viaRelated(session.call)],
          });
        }
      }
    }
    return out;
  },
});
