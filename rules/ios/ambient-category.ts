import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft, RelatedLocation } from '../../src/findings/finding.js';
import { backgroundModes } from '../../src/facts/ios/effective-config.js';
import { appTargets, backgroundIntent, categoryCalls, isPttTarget } from '../../src/facts/ios/audio-session-queries.js';
import { categoryName } from '../../src/facts/ios/audio-session-wording.js';

// CAT-002: a category that lock and the Silent switch mute, in an app meant to play in the background.
export default defineRule({
  meta: {
    id: 'ios/ambient-category',
    platform: 'ios',
    severity: 'error',
    title: 'Ambient category in a background audio app',
    description: 'The app sets .ambient or .soloAmbient although it declares background audio or shows it wants to keep playing.',
    why: 'Audio in the .ambient and .soloAmbient categories (soloAmbient is also the default when no category is set) is silenced by the Ring/Silent switch and when the screen locks, whatever UIBackgroundModes says, so the user hears nothing on the lock screen. A Push to Talk app resting in a mixable category such as .ambient is not activated by the system in the background either.',
    fix: 'Use .playback for playback (add .mixWithOthers if the app must mix with other apps\' audio), or .playAndRecord for voice apps. Reports are skipped when the same target also switches to .playback / .playAndRecord elsewhere, since resting in .ambient while idle is a legitimate pattern (not for Push to Talk).',
    docs: [
      { title: 'AVAudioSession.Category.ambient', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/category-swift.struct/ambient' },
      { title: 'AVAudioSession.Category.soloAmbient', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/category-swift.struct/soloambient' },
      { title: 'QA1668: Playing media while in the background', url: 'https://developer.apple.com/library/archive/qa/qa1668/_index.html' },
      { title: 'Creating a Push to Talk app', url: 'https://developer.apple.com/documentation/pushtotalk/creating-a-push-to-talk-app' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    for (const { target } of appTargets(project)) {
      const ambient = categoryCalls(target, ['ambient', 'soloAmbient']);
      if (ambient.length === 0) continue;
      const ptt = isPttTarget(target);
      if (!ptt && categoryCalls(target, ['playback', 'playAndRecord', 'record', 'multiRoute']).length > 0) continue;
      const modes = backgroundModes(target);
      const declaresAudio = modes.has('audio');
      const intent = backgroundIntent(target);
      if (!declaresAudio && intent.length === 0) continue;
      for (const call of ambient) {
        const name = categoryName(call.lang, call.category!);
        const reason = ptt
          ? 'this Push to Talk app needs a non-mixable .playAndRecord session'
          : declaresAudio
            ? 'this app declares the `audio` background mode'
            : `this app ${intent[0]!.what}`;
        const related: RelatedLocation[] = [];
        if (declaresAudio && modes.values[0]) related.push({ location: modes.values.find((v) => v.value === 'audio')?.location ?? modes.values[0].location, message: '`audio` background mode declared here' });
        if (intent[0]) related.push({ location: intent[0].location, message: `the app ${intent[0].what} here` });
        out.push({
          message: `${name} is silenced by the Silent switch and the screen lock, but ${reason}.`,
          location: call.categoryLocation ?? call.location,
          fix: ptt ? 'Configure .playAndRecord without mixing options at launch and keep it while joined to a channel.' : `Replace ${name} with ${call.lang === 'swift' ? '.playback' : call.lang === 'dart' ? 'AVAudioSessionCategory.playback' : 'AVAudioSessionCategoryPlayback'}.`,
          related,
        });
      }
    }
    return out;
  },
});
