import { removeOptionFix } from '../../src/facts/fix-intents.js';
import { defineRule } from '../../src/engine/rule.js';
import type { FindingDraft } from '../../src/findings/finding.js';
import { OPTION_VALID_WITH, isOptionValid, type CategoryName, type OptionName } from '../../src/facts/ios/audio-session-vocab.js';
import { callText, categoryName, optionLabel } from '../../src/facts/ios/audio-session-wording.js';
import { oncePerLocation } from '../../src/facts/ios/audio-session-queries.js';
import type { SetCategoryCall } from '../../src/facts/ios/source-facts.js';
import type { JsSession } from '../../src/facts/expo/expo-model.js';
import { jsSessions, viaRelated } from '../../src/facts/expo/queries.js';

/** What to do instead, for the usual mistakes. */
function specificFix(call: SetCategoryCall, opt: { option: OptionName; text: string }, category: CategoryName): string {
  const lang = call.lang;
  const o = optionLabel(call, opt);
  // Fixed category names are written the Swift way (as before) except for JS, which takes strings.
  const fixed = (c: CategoryName) => (lang === 'js' || lang === 'dart' ? categoryName(lang, c) : `.${c}`);
  const par = fixed('playAndRecord');
  const where = lang === 'js' || lang === 'dart' ? ` from the options of ${call.api ?? 'the call'}` : '';
  switch (opt.option) {
    case 'allowAirPlay':
      return `Remove ${o}${where}: ${categoryName(lang, category)} already routes to AirPlay; the option can only be set explicitly with ${par}.`;
    case 'allowBluetoothA2DP':
      return `Remove ${o}${where}: output-only categories route to Bluetooth A2DP headphones without it; it can only be set with ${par}.`;
    case 'allowBluetooth':
    case 'allowBluetoothHFP':
      return `Remove ${o}${where}: Bluetooth hands-free (HFP) input only exists for ${par} and ${fixed('record')}; Bluetooth headphones still play ${categoryName(lang, category)} audio over A2DP.`;
    case 'defaultToSpeaker':
      return `Remove ${o}${where}: it only applies to ${par} (where output would otherwise go to the receiver).`;
    case 'mixWithOthers':
    case 'interruptSpokenAudioAndMixWithOthers':
    case 'duckOthers':
      return category === 'ambient'
        ? `Remove ${o}${where}: ${fixed('ambient')} always mixes with other audio.`
        : `Use ${fixed('playback')} (or ${par}) with ${o} if the app must mix with other audio; ${categoryName(lang, category)} cannot mix.`;
    default:
      return `Remove ${o}${where} or switch to a category that accepts it.`;
  }
}

// CAT-001: an option the category does not accept makes setCategory fail as a whole.
export default defineRule({
  meta: {
    id: 'ios/category-option-invalid',
    platform: 'ios',
    severity: 'error',
    fixable: true,
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
    const calls: SetCategoryCall[] = [...project.ios.flatMap((app) => app.targets.flatMap((t) => t.code.setCategory)), ...jsSessions(project)];
    for (const call of calls) {
      const category = call.category;
      if (!category) continue;
      for (const opt of call.options) {
        if (isOptionValid(opt.option, category) || !once(opt.location, opt.option)) continue;
        const valid = (OPTION_VALID_WITH[opt.option] ?? []).map((c) => categoryName(call.lang, c)).join(', ');
        const categoryWhere = (call.lang === 'js' || call.lang === 'dart') && !call.categoryLocation ? `, the category ${call.api ?? 'the library'} uses when none is given` : '';
        out.push({
          message: `${optionLabel(call, opt)} is not valid with ${categoryName(call.lang, category)}${categoryWhere} (only with ${valid}), so ${callText(call)} fails and the session stays in its previous category.`,
          location: opt.location,
          fix: specificFix(call, opt, category),
          related: [
            ...(call.categoryLocation ? [{ location: call.categoryLocation, message: `category ${categoryName(call.lang, category)} set here` }] : []),
            ...(call.lang === 'js' ? viaRelated((call as JsSession).call) : []),
          ],
          fixes: removeOptionFix(call, opt),
        });
      }
    }
    return out;
  },
});
