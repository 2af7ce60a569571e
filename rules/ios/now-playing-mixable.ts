import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { isPttTarget, mixableOptions, nowPlayingUses, oncePerLocation } from '../../src/facts/ios/audio-session-queries.js';
import { optionName } from '../../src/facts/ios/audio-session-wording.js';
import { expoApps, mixableJsOptions, nowPlayingUses as jsNowPlayingUses, pttEvidence as jsPttEvidence, viaRelated } from '../../src/facts/expo/queries.js';

// NP-001: Now Playing info with a session that can never become the Now Playing app.
export default defineRule({
  meta: {
    id: 'ios/now-playing-mixable',
    platform: 'ios',
    severity: 'warning',
    title: 'Now Playing with a mixable session',
    description: 'The app publishes Now Playing information or remote commands but configures its session with .mixWithOthers, .duckOthers or .interruptSpokenAudioAndMixWithOthers.',
    why: 'Only an app with a non-mixable session can become the system\'s Now Playing app. With a mixable option the nowPlayingInfo and the remote-command handlers are ignored: the Lock Screen and Control Center keep showing (and controlling) another app, and headphone buttons do nothing for this one.',
    fix: 'Drop the mixing option from the session used for long-form playback (switch to it when playback starts), or drop the Now Playing / remote-command code if the app really must mix with other audio.',
    docs: [
      { title: 'Becoming a now playable app', url: 'https://developer.apple.com/documentation/mediaplayer/becoming-a-now-playable-app' },
      { title: 'Apple Developer Forums: lock screen controls with mixWithOthers', url: 'https://developer.apple.com/forums/thread/44842' },
      { title: 'mixWithOthers', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/categoryoptions-swift.struct/mixwithothers' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    const once = oncePerLocation();
    for (const app of project.ios) {
      for (const target of app.targets) {
        if (isPttTarget(target)) continue;
        const np = nowPlayingUses(target)[0];
        if (!np) continue;
        for (const call of target.code.setCategory) {
          if (call.category !== 'playback' && call.category !== 'playAndRecord') continue;
          for (const opt of mixableOptions(call)) {
            if (!once(opt.location, opt.option)) continue;
            out.push({
              message: `${optionName(call.lang, opt.option)} makes this session mixable, so the app never becomes the Now Playing app and its ${np.name} setup has no effect.`,
              location: opt.location,
              related: [{ location: np.location, message: `${np.name} is used here` }],
            });
          }
        }
      }
    }
    // React Native / Expo: lock-screen controls (or react-native-track-player) with a mixable session from JS.
    for (const app of expoApps(project)) {
      if (jsPttEvidence(app)) continue;
      const np = jsNowPlayingUses(app)[0];
      if (!np) continue;
      for (const session of app.sessions) {
        if (session.category !== 'playback' && session.category !== 'playAndRecord') continue;
        // react-native-track-player publishes Now Playing itself: its own call is the use to point at.
        const own = session.call.kind === 'setup-player' ? { what: 'react-native-track-player', location: session.call.location } : np;
        for (const opt of mixableJsOptions(session)) {
          if (!once(opt.location, opt.option)) continue;
          out.push({
            message: `${opt.text} makes the session mixable (${optionName('swift', opt.option)}), so the app never becomes the Now Playing app and the lock-screen controls of ${own.what} have no effect.`,
            location: opt.location,
            fix: session.library === 'expo-audio' || session.library === 'expo-av'
              ? `Pass \`${session.library === 'expo-av' ? 'interruptionModeIOS: InterruptionModeIOS.DoNotMix' : "interruptionMode: 'doNotMix'"}\` to ${session.api} for long-form playback with lock-screen controls.`
              : `Remove the mixing option from the options of ${session.api}, or drop the lock-screen controls if the app must mix with other audio.`,
            related: [{ location: own.location, message: `lock-screen controls: ${own.what}` }, ...viaRelated(session.call)],
          });
        }
      }
    }
    return out;
  },
});
