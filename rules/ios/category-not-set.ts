import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { backgroundModes } from '../../src/facts/ios/effective-config.js';
import { APPLE_MODULES } from '../../src/facts/ios/audio-session-vocab.js';
import { appTargets, firstApiUse, isPttTarget, linkedModules, usesCallKit } from '../../src/facts/ios/audio-session-queries.js';
import { targetLabel } from '../../src/facts/ios/audio-session-wording.js';

// CAT-002 (second half): background audio declared, but the default .soloAmbient category is kept.
export default defineRule({
  meta: {
    id: 'ios/category-not-set',
    platform: 'ios',
    severity: 'error',
    title: 'Audio session category never set',
    description: 'The app declares the `audio` background mode and plays audio, but never sets an audio session category, so it runs in the default .soloAmbient category.',
    why: 'QA1668: "You cannot rely on the default audio session, whose category is AVAudioSessionCategorySoloAmbient." In .soloAmbient the Ring/Silent switch mutes the app and locking the screen stops its audio, so the `audio` background mode has no effect. The rule only reports targets whose audio files import nothing but Apple frameworks, since a library may set the category on the app\'s behalf.',
    fix: 'Call AVAudioSession.sharedInstance().setCategory(.playback) (with a mode and options that suit the app) at launch or before playback starts, handling the error.',
    docs: [
      { title: 'QA1668: Playing media while in the background', url: 'https://developer.apple.com/library/archive/qa/qa1668/_index.html' },
      { title: 'AVAudioSession.Category.soloAmbient', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/category-swift.struct/soloambient' },
      { title: 'AVAudioSession.Category.playback', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/category-swift.struct/playback' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const { target } of appTargets(project)) {
      if (isPttTarget(target) || usesCallKit(target)) continue;
      const modes = backgroundModes(target);
      if (!modes.has('audio')) continue;
      if (target.code.categorySetters.length > 0) continue;
      const player = firstApiUse(target, ['AVPlayer', 'AVQueuePlayer', 'AVAudioPlayer', 'AVAudioEngine', 'AVAudioPlayerNode', 'AudioUnit', 'AudioQueue', 'MPNowPlayingInfoCenter', 'MPRemoteCommandCenter']);
      if (!player) continue;
      // The app's own frameworks and packages are part of its code (a setCategory there counts above).
      const own = linkedModules(target);
      if (target.code.imports.some((i) => !APPLE_MODULES.has(i.module) && !own.has(i.module))) continue;
      const audioMode = modes.values.find((v) => v.value === 'audio');
      out.push({
        message: `${player.name} is used here but ${targetLabel(target)} never sets an audio session category, so it plays in the default .soloAmbient category, which the Silent switch mutes and the screen lock stops.`,
        location: player.location,
        related: audioMode ? [{ location: audioMode.location, message: 'the `audio` background mode is declared here, but has no effect in .soloAmbient' }] : [],
      });
    }
    return out;
  },
});
