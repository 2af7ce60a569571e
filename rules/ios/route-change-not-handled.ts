import { defineRule } from '../../src/engine/rule.js';
import { cap, targetLabel } from '../../src/facts/ios/audio-session-wording.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { apiLabel, backgroundManualEngineTargets, linkedOrigin, oncePerLocation } from '../../src/facts/ios/audio-session-queries.js';

// ROUTE-001: headphones unplugged while an engine keeps playing.
export default defineRule({
  meta: {
    id: 'ios/route-change-not-handled',
    platform: 'ios',
    severity: 'warning',
    title: 'Headphone disconnection not handled',
    description: 'The app plays with AVAudioEngine, AVAudioPlayer, an audio unit or an audio queue but never handles AVAudioSession.routeChangeNotification with reason .oldDeviceUnavailable.',
    why: 'When headphones or a Bluetooth device disconnect, audio moves to the built-in speaker. AVPlayer pauses by itself; other engines keep playing out loud (or, for AVAudioEngine, stop on a configuration change and stay stopped). Apple asks apps to treat the disconnection as a request to pause. AVPlayer-only apps are not reported.',
    fix: 'Observe AVAudioSession.routeChangeNotification; when the reason is .oldDeviceUnavailable and the previous route had headphones, pause playback and update the UI and Now Playing state.',
    docs: [
      { title: 'Responding to audio route changes', url: 'https://developer.apple.com/documentation/avfaudio/responding-to-audio-route-changes' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    const once = oncePerLocation();
    for (const { target, engine } of backgroundManualEngineTargets(project)) {
      const observers = target.code.observers.filter((o) => o.notification === 'routeChange');
      if (observers.length === 0) {
        if (!once(engine.location)) continue;
        out.push({
          message: `${cap(targetLabel(target))} plays with ${apiLabel(engine)} but never observes AVAudioSession.routeChangeNotification, so unplugging headphones moves playback to the speaker instead of pausing it.`,
          location: engine.location,
        });
        continue;
      }
      if (target.code.oldDeviceUnavailable.length > 0) continue;
      // The observer nearest the engine: its file, then the same code (the app's own, or the same
      // framework / package), so an unrelated observer in a linked library is not the one blamed.
      const home = (file: string) => linkedOrigin(target, file)?.name ?? '';
      const obs = observers.find((o) => o.location.file === engine.location.file) ?? observers.find((o) => home(o.location.file) === home(engine.location.file)) ?? observers[0]!;
      if (!once(obs.location)) continue;
      out.push({
        message: 'This route-change observer never checks for .oldDeviceUnavailable, so unplugging headphones moves playback to the speaker instead of pausing it.',
        location: obs.location,
        related: [{ location: engine.location, message: `${apiLabel(engine)} is used here` }],
      });
    }
    return out;
  },
});
