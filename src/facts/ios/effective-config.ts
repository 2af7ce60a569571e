// What the built app will really contain: the effective Info.plist and entitlements of a target,
// merged across its Info.plist files and (when Xcode generates the plist) INFOPLIST_KEY_* settings.

import type { Location } from '../../findings/finding.js';
import { dictGet, stringsOf, type PlistValue } from '../../parse/plist.js';
import type { IosTarget, PlistRef } from './ios-model.js';

export interface PlistHit {
  value: PlistValue;
  /** Where the key is written. */
  keyLocation: Location;
  ref: PlistRef;
}

function loc(ref: PlistRef, l: { line: number; column: number }): Location {
  return { file: ref.file.path, line: l.line, column: l.column };
}

/** Every occurrence of a top-level key across the target's Info.plist files. */
export function infoPlistKey(target: IosTarget, key: string): PlistHit[] {
  return keyIn(target.infoPlists, key);
}

export function entitlementKey(target: IosTarget, key: string): PlistHit[] {
  return keyIn(target.entitlements, key);
}

function keyIn(refs: PlistRef[], key: string): PlistHit[] {
  const hits: PlistHit[] = [];
  for (const ref of refs) {
    const entry = dictGet(ref.doc?.root, key);
    if (entry) hits.push({ value: entry.value, keyLocation: loc(ref, entry.keyLoc), ref });
  }
  return hits;
}

export interface BackgroundModes {
  /** Every declared value with its position. */
  values: { value: string; location: Location }[];
  /** Where UIBackgroundModes is declared, if anywhere. */
  keyLocation: Location | null;
  has(mode: string): boolean;
}

/**
 * UIBackgroundModes of the target. A mode counts only when every Info.plist of the target
 * declares it (a Debug-only declaration does not reach the App Store build).
 */
export function backgroundModes(target: IosTarget): BackgroundModes {
  const hits = infoPlistKey(target, 'UIBackgroundModes');
  const values = hits.flatMap((h) => stringsOf(h.value).map((s) => ({ value: s.value, location: loc(h.ref, s.loc) })));
  const parsed = target.infoPlists.filter((r) => r.doc);
  const has = (mode: string) =>
    parsed.length > 0 &&
    parsed.every((ref) => stringsOf(dictGet(ref.doc!.root, 'UIBackgroundModes')?.value).some((s) => s.value === mode));
  return { values, keyLocation: hits[0]?.keyLocation ?? null, has };
}

/** A string key of the effective Info.plist, from a plist file or a generated-plist build setting. */
export function hasInfoPlistString(target: IosTarget, key: string): boolean {
  if (infoPlistKey(target, key).some((h) => h.value.type === 'string' && h.value.value.trim() !== '')) return true;
  if (target.generatesInfoPlist) {
    return target.buildSettings.some((s) => s.name === `INFOPLIST_KEY_${key}` && s.value.trim() !== '');
  }
  return false;
}

/** Where a finding about a missing Info.plist key should point. */
export function infoPlistAnchor(target: IosTarget): Location {
  const ref = target.infoPlists.find((r) => r.doc);
  if (ref?.doc && ref.doc.root.type === 'dict') return loc(ref, ref.doc.root.loc);
  return target.anchor;
}
