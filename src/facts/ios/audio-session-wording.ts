// Shared wording for the iOS audio-session rules: how a category or option is spelled in the
// language of the call being reported.

import { objcCategory, objcOption, type CategoryName, type OptionName } from './audio-session-vocab.js';
import type { SetCategoryCall } from './source-facts.js';

/** `.playback` (Swift), `AVAudioSessionCategoryPlayback` (Objective-C), `'playback'` (the string the JS libraries take). */
export function categoryName(lang: 'swift' | 'objc' | 'js' | 'dart', c: CategoryName): string {
  if (lang === 'dart') return `AVAudioSessionCategory.${c}`;
  return lang === 'swift' ? `.${c}` : lang === 'js' ? `'${c}'` : objcCategory(c);
}

export function optionName(lang: 'swift' | 'objc' | 'js' | 'dart', o: OptionName): string {
  if (lang === 'dart') return `AVAudioSessionCategoryOptions.${o === 'allowBluetoothA2DP' ? 'allowBluetoothA2dp' : o}`;
  return lang === 'swift' ? `.${o}` : lang === 'js' ? `'${o}'` : objcOption(o);
}

/** An option as a message should name it: for JS the option as the app writes it (e.g. `interruptionMode: 'mixWithOthers'`). */
export function optionLabel(call: SetCategoryCall, opt: { option: OptionName; text: string }): string {
  return call.lang === 'js' || call.lang === 'dart' ? opt.text : optionName(call.lang, opt.option);
}

/** "this setCategory call", or for JS "the setCategory call that TrackPlayer.setupPlayer makes". */
export function callText(call: SetCategoryCall): string {
  return call.lang === 'js' || call.lang === 'dart' ? `the setCategory call that ${call.api ?? 'the library'} makes` : 'this setCategory call';
}

/** "The .playback category" / "The AVAudioSessionCategoryPlayback category". */
export function categoryText(call: SetCategoryCall): string {
  return call.category ? `The ${categoryName(call.lang, call.category)} category` : 'An audio session category';
}

/** `target "Walkie"`, for messages about a whole target (a source file may be in several). */
export function targetLabel(target: { name: string }): string {
  return `target "${target.name}"`;
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
