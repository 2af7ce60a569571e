import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import type { CategoryName, ModeName } from '../../src/facts/ios/audio-session-vocab.js';
import { oncePerLocation } from '../../src/facts/ios/audio-session-queries.js';
import { categoryName } from '../../src/facts/ios/audio-session-wording.js';

/** Modes whose category is documented (legacy mode table, AVAudioSessionTypes.h, Mode reference). */
const MODE_VALID_WITH: Partial<Record<ModeName, readonly CategoryName[]>> = {
  voiceChat: ['playAndRecord'],
  videoChat: ['playAndRecord'],
  gameChat: ['playAndRecord'],
  videoRecording: ['playAndRecord', 'record'],
  measurement: ['playAndRecord', 'record', 'playback'],
  moviePlayback: ['playback'],
};

// CAT-003: a mode the category does not support silently falls back to the default mode.
export default defineRule({
  meta: {
    id: 'ios/category-mode-invalid',
    platform: 'ios',
    severity: 'warning',
    title: 'Mode not valid for the category',
    description: 'setCategory combines a mode with a category it is not meant for (e.g. .voiceChat with .playback, .moviePlayback with .playAndRecord).',
    why: 'Each mode only applies to certain categories; with any other category the session falls back to the default mode, so the voice processing, Bluetooth routing or movie signal processing the code asks for never happens. It usually means the category is not the one the author intended either, e.g. a voice app in .playback cannot record.',
    fix: 'Use the category the mode is made for (.voiceChat, .videoChat and .gameChat with .playAndRecord; .videoRecording with .playAndRecord or .record; .moviePlayback with .playback), or pick a mode that fits the category.',
    docs: [
      { title: 'AVAudioSession.Mode', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/mode-swift.struct' },
      { title: 'moviePlayback', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/mode-swift.struct/movieplayback' },
      { title: 'voiceChat', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/mode-swift.struct/voicechat' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    const once = oncePerLocation();
    for (const app of project.ios) {
      for (const target of app.targets) {
        for (const call of target.code.setCategory) {
          if (!call.category || !call.mode || call.category === 'audioProcessing') continue;
          const valid = MODE_VALID_WITH[call.mode];
          if (!valid || valid.includes(call.category)) continue;
          const at = call.modeLocation ?? call.location;
          if (!once(at)) continue;
          const modeText = call.lang === 'swift' ? `.${call.mode}` : call.lang === 'dart' ? `AVAudioSessionMode.${call.mode === 'default' ? 'defaultMode' : call.mode}` : `AVAudioSessionMode${call.mode.charAt(0).toUpperCase()}${call.mode.slice(1)}`;
          out.push({
            message: `The ${modeText} mode is not meant for ${categoryName(call.lang, call.category)} (only ${valid.map((c) => categoryName(call.lang, c)).join(', ')}), so the session falls back to the default mode.`,
            location: at,
          });
        }
      }
    }
    return out;
  },
});
