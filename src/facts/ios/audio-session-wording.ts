// Shared wording for the iOS audio-session rules: how a category or option is spelled in the
// language of the call being reported.

import { objcCategory, objcOption, type CategoryName, type OptionName } from './audio-session-vocab.js';
import type { SetCategoryCall } from './source-facts.js';

export function categoryName(lang: 'swift' | 'objc', c: CategoryName): string {
  return lang === 'swift' ? `.${c}` : objcCategory(c);
}

export function optionName(lang: 'swift' | 'objc', o: OptionName): string {
  return lang === 'swift' ? `.${o}` : objcOption(o);
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
