import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { LOW_LEVEL_ENGINES, apiLabel, firstApiUse, isPttTarget, oncePerLocation, playbackCategoryCalls, runningTargets, usesCallKit } from '../../src/facts/ios/audio-session-queries.js';
import { categoryText, targetLabel } from '../../src/facts/ios/audio-session-wording.js';

// QA1668: the session must be active before the app enters the background.
export default defineRule({
  meta: {
    id: 'ios/session-not-activated',
    platform: 'ios',
    severity: 'warning',
    title: 'Audio session configured but never activated',
    description: 'A playback category is set, audio is rendered with AVAudioEngine, an audio unit or an audio queue, and nothing calls setActive(true).',
    why: 'Setting a category does not activate the session. QA1668: "Your app must have an active audio session before entering the background. If your app\'s audio session is deactivated when the app enters the background your app will be suspended." AVFoundation\'s playback classes (AVPlayer, AVAudioPlayer) activate the session themselves, so apps that only use them are not reported, and neither are Push to Talk / CallKit apps, whose session the system activates. Low-level engines (AVAudioEngine, audio units, audio queues) start on whatever session state exists, so without an explicit, checked activation a failed or lost activation goes unnoticed and the app is suspended in the background.',
    fix: 'Call try AVAudioSession.sharedInstance().setActive(true) (handling the error) after setting the category and before starting the engine, and again after an interruption ends.',
    docs: [
      { title: 'QA1668: Playing media while in the background', url: 'https://developer.apple.com/library/archive/qa/qa1668/_index.html' },
      { title: 'setActive(_:options:)', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/setactive(_:options:)' },
      { title: 'Audio Session Programming Guide: Activating an Audio Session', url: 'https://developer.apple.com/library/archive/documentation/Audio/Conceptual/AudioSessionProgrammingGuide/ConfiguringanAudioSession/ConfiguringanAudioSession.html' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    // A framework shared by an app and its extensions is reported once.
    const once = oncePerLocation();
    for (const { target } of runningTargets(project)) {
      if (isPttTarget(target) || usesCallKit(target)) continue;
      const calls = playbackCategoryCalls(target);
      if (calls.length === 0) continue;
      const engine = firstApiUse(target, LOW_LEVEL_ENGINES);
      if (!engine) continue;
      // A setActive with a non-literal argument may activate: only a target with none at all is reported.
      if (target.code.setActive.some((c) => c.active !== false)) continue;
      const call = calls[0]!;
      if (!once(call.location)) continue;
      out.push({
        message: `${categoryText(call)} is configured here but ${targetLabel(target)} never activates the session with setActive(true) before ${apiLabel(engine)} renders audio.`,
        location: call.location,
        related: [{ location: engine.location, message: `${apiLabel(engine)} is used here` }],
      });
    }
    return out;
  },
});
