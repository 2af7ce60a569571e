import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { OPTION_VALID_WITH, isOptionValid, type CategoryName, type OptionName } from '../../src/facts/ios/audio-session-vocab.js';
import { categoryName, optionName } from '../../src/facts/ios/audio-session-wording.js';
import { oncePerLocation } from '../../src/facts/ios/audio-session-queries.js';

/** What to do instead, for the usual mistakes. */
function specificFix(lang: 'swift' | 'objc', option: OptionName, category: CategoryName): string {
  const opt = optionName(lang, option);
  switch (option) {
    case 'allowAirPlay':
      return `Remove ${opt}: ${categoryName(lang, category)} already routes to AirPlay; the option can only be set explicitly with .playAndRecord.`;
    case 'allowBluetoothA2DP':
      return `Remove ${opt}: output-only categories route to Bluetooth A2DP headphones without it; it can only be set with .playAndRecord.`;
    case 'allowBluetooth':
    case 'allowBluetoothHFP':
      return `Remove ${opt}: Bluetooth hands-free (HFP) input only exists for .playAndRecord and .record; Bluetooth headphones still play ${categoryName(lang, category)} audio over A2DP.`;
    case 'defaultToSpeaker':
      return `Remove ${opt}: it only applies to .playAndRecord (where output would otherwise go to the receiver).`;
    case 'mixWithOthers':
    case 'interruptSpokenAudioAndMixWithOthers':
    case 'duckOthers':
      return category === 'ambient'
        ? `Remove ${opt}: .ambient always mixes with other audio.`
        : `Use .playback (or .playAndRecord) with ${opt} if the app must mix with other audio; ${categoryName(lang, category)} cannot mix.`;
    default:
      return `Remove ${opt} or switch to a category that accepts it.`;
  }
}

// CAT-001: an option the category does not accept makes setCategory fail as a whole.
export default defineRule({
  meta: {
    id: 'ios/category-option-invalid',
    platform: 'ios',
    severity: 'error',
    title: 'Category option not valid for the category',
    description: 'setCategory passes an option that the chosen category does not accept (e.g. .allowAirPlay or .allowBluetooth with .playback).',
    why: 'Each category option is valid only with certain categories. An invalid combination makes the whole setCategory call fail (error -50 or \'what\' 2003329396), so the session keeps its previous category, by default .soloAmbient, which is muted by the Silent switch and stops on screen lock; the error is usually swallowed, so the only symptom is silence in the background.',
    fix: 'Pass only options the category accepts (AVAudioSessionTypes.h): .allowAirPlay, .allowBluetoothA2DP and .defaultToSpeaker only with .playAndRecord; .allowBluetooth / .allowBluetoothHFP only with .playAndRecord or .record; .mixWithOthers / .interruptSpokenAudioAndMixWithOthers only with .playback, .playAndRecord or .multiRoute; .duckOthers not with .soloAmbient or .record.',
    docs: [
      { title: 'AVAudioSession.CategoryOptions', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/categoryoptions-swift.struct' },
      { title: 'allowAirPlay', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/categoryoptions-swift.struct/allowairplay' },
      { title: 'allowBluetoothA2DP', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/categoryoptions-swift.struct/allowbluetootha2dp' },
      { title: 'allowBluetoothHFP', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/categoryoptions-swift.struct/allowbluetoothhfp' },
      { title: 'defaultToSpeaker', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/categoryoptions-swift.struct/defaulttospeaker' },
      { title: 'mixWithOthers', url: 'https://developer.apple.com/documentation/avfaudio/avaudiosession/categoryoptions-swift.struct/mixwithothers' },
    ],
  },
  check(project) {
    const out: FindingDraft[] = [];
    const once = oncePerLocation();
    for (const app of project.ios) {
      for (const target of app.targets) {
        for (const call of target.code.setCategory) {
          const category = call.category;
          if (!category) continue;
          for (const opt of call.options) {
            if (isOptionValid(opt.option, category) || !once(opt.location, opt.option)) continue;
            const valid = (OPTION_VALID_WITH[opt.option] ?? []).map((c) => categoryName(call.lang, c)).join(', ');
            out.push({
              message: `${optionName(call.lang, opt.option)} is not valid with ${categoryName(call.lang, category)} (only with ${valid}), so this setCategory call fails and the session stays in its previous category.`,
              location: opt.location,
              fix: specificFix(call.lang, opt.option, category),
              related: call.categoryLocation ? [{ location: call.categoryLocation, message: `category ${categoryName(call.lang, category)} set here` }] : [],
            });
          }
        }
      }
    }
    return out;
  },
});
