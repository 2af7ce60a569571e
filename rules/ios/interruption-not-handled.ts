import { defineRule } from '../../src/engine/rule.js';
import { cap, targetLabel } from '../../src/facts/ios/audio-session-wording.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { apiLabel, backgroundManualEngineTargets, isPttTarget, oncePerLocation } from '../../src/facts/ios/audio-session-queries.js';

// INT-001: engines that do not survive an interruption on their own.
export default defineRule({
  meta: {
    id: 'ios/interruption-not-handled',
    platform: 'ios',
    severity: 'warning',
    title: 'Audio interruption not handled',
    description: 'The app plays with AVAudioEngine, AVAudioPlayer, an audio unit or an audio queue but does not observe AVAudioSession.interruptionNotification, or resumes after an interruption without reactivating the session.',
    why: 'A phone call, Siri, an alarm or another app deactivates the session. Only AVPlayer pauses and follows the session on its own; AVAudioEngine stops, and other engines stay stopped or play into an inactive session until the app reacts. Without an interruption observer, playback never comes back after a call (in the background the app is then suspended); and an .ended branch that calls play()/start() without setActive(true) first restarts on an inactive session, which fails or stays silent. AVPlayer-only apps are not reported, and Push to Talk apps are only checked for the observer (the system reactivates their session).',
    fix: 'Observe AVAudioSession.interruptionNotification; on .began update state, on .ended call setActive(true) and resume only when the options contain .shouldResume.',
    docs: [
      { title: 'Handling audio interruptions', url: 'https://developer.apple.com/documentation/avfaudio/handling-audio-interruptions' },
      { title: 'AVAudioSession.interruptionNotification', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/interruptionnotification' },
      { title: 'Audio Session Programming Guide: Responding to Interruptions', url: 'https://developer.apple.com/library/ios/documentation/Audio/Conceptual/AudioSessionProgrammingGuide/HandlingAudioInterruptions/HandlingAudioInterruptions.html' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    const once = oncePerLocation();
    for (const { target, engine } of backgroundManualEngineTargets(project)) {
      const observers = target.code.observers.filter((o) => o.notification === 'interruption');
      if (observers.length === 0) {
        if (!once(engine.location)) continue;
        out.push({
          message: `${cap(targetLabel(target))} plays with ${apiLabel(engine)} but never observes AVAudioSession.interruptionNotification, so playback does not come back after a phone call or Siri.`,
          location: engine.location,
        });
        continue;
      }
      // Push to Talk apps must not reactivate the session themselves (ios/ptt-manual-activation).
      if (isPttTarget(target)) continue;
      const activating = new Set(target.code.activatingFunctions);
      for (const r of target.code.interruptionResumes) {
        if (r.reactivatedBefore) continue;
        if (r.callsBefore.some((name) => name !== r.handlerFunction && activating.has(name))) continue;
        if (!once(r.location)) continue;
        out.push({
          message: 'Playback restarts here when the interruption ends, but the session is not reactivated with setActive(true) first, so it resumes on an inactive session.',
          location: r.location,
          fix: 'Call try AVAudioSession.sharedInstance().setActive(true) (handling the error) before restarting playback in the .ended branch, and only resume when the options contain .shouldResume.',
        });
      }
    }
    return out;
  },
});
