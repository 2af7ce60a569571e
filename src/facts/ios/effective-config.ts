// What the built app will really contain: the effective Info.plist and entitlements of a target,
// per build configuration, merged from its Info.plist files and (when Xcode generates the
// plist) the INFOPLIST_KEY_* settings the build engine actually reads.
//
// Merge order, as swift-build's InfoPlistProcessor does it: start from the INFOPLIST_FILE
// contents; with GENERATE_INFOPLIST_FILE = YES, overlay the generated keys (a scalar from a
// build setting replaces the file's scalar; arrays are appended). Build settings for keys the
// engine does not declare (INFOPLIST_KEY_UIBackgroundModes...) are never part of the result.

import type { Location } from '../../findings/finding.js';
import { dictGet, stringsOf, type PlistValue } from '../../parse/plist.js';
import type { BuildSettingRef, IosConfiguration, IosTarget, PlistRef } from './ios-model.js';
import { INFOPLIST_KEY_PREFIX, isGeneratedInfoPlistKey, plistKeyForSuffix } from './infoplist-keys.js';

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

// ---- per-configuration view ----

/** A key of the effective Info.plist and where its value comes from. */
export type EffectiveValue =
  | { source: 'plist'; value: PlistValue; location: Location; ref: PlistRef }
  | { source: 'build-setting'; value: string; values: string[]; location: Location; setting: BuildSettingRef };

export interface EffectiveConfiguration {
  /** Build configuration name; null for a folder recognised by its Info.plist (no Xcode project). */
  name: string | null;
  infoPlist: PlistRef | null;
  generatesInfoPlist: boolean;
  /**
   * Whether audiobg knows this configuration's Info.plist: false when INFOPLIST_FILE names a file
   * that is not in the checkout or does not parse. Unknown configurations are left out of
   * "does every configuration have X" questions rather than counted as lacking X.
   */
  known: boolean;
  /** The entitlements files that apply (one per configuration in a project; all found files in a folder). */
  entitlements: PlistRef[];
  /** Effective value of a top-level Info.plist key. */
  infoPlistValue(key: string): EffectiveValue | undefined;
  /** A top-level entitlement key. */
  entitlementValue(key: string): PlistHit | undefined;
}

/** The generated-plist build setting that sets `key` in this configuration, if Xcode honours it. */
export function generatedInfoPlistSetting(config: IosConfiguration, key: string): BuildSettingRef | undefined {
  if (!config.generatesInfoPlist) return undefined;
  return config.settings.find(
    (s) =>
      s.name.startsWith(INFOPLIST_KEY_PREFIX) &&
      isGeneratedInfoPlistKey(s.name.slice(INFOPLIST_KEY_PREFIX.length)) &&
      plistKeyForSuffix(s.name.slice(INFOPLIST_KEY_PREFIX.length)) === key,
  );
}

function view(
  name: string | null,
  infoPlist: PlistRef | null,
  entitlements: PlistRef[],
  config: IosConfiguration | null,
  known: boolean,
): EffectiveConfiguration {
  return {
    name,
    infoPlist,
    generatesInfoPlist: config?.generatesInfoPlist ?? false,
    known,
    entitlements,
    infoPlistValue(key) {
      const setting = config ? generatedInfoPlistSetting(config, key) : undefined;
      if (setting) {
        return { source: 'build-setting', value: setting.value, values: setting.values ?? [setting.value], location: setting.location, setting };
      }
      const entry = infoPlist ? dictGet(infoPlist.doc?.root, key) : undefined;
      if (entry && infoPlist) return { source: 'plist', value: entry.value, location: loc(infoPlist, entry.keyLoc), ref: infoPlist };
      return undefined;
    },
    entitlementValue(key) {
      return keyIn(entitlements, key)[0];
    },
  };
}

/**
 * The target's effective configurations: one per build configuration in an Xcode project,
 * or one per Info.plist for a folder without a project.
 */
export function effectiveConfigurations(target: IosTarget): EffectiveConfiguration[] {
  if (target.configurations && target.configurations.length > 0) {
    return target.configurations.map((c) => {
      // No INFOPLIST_FILE: the plist is fully generated (or the target has none), unless an
      // unreadable .xcconfig may have set INFOPLIST_FILE.
      const known = c.infoPlistPath === null ? !c.settingsIncomplete : Boolean(c.infoPlist?.doc);
      return view(c.name, c.infoPlist, c.entitlements ? [c.entitlements] : [], c, known);
    });
  }
  return target.infoPlists.map((ref) => view(null, ref, target.entitlements, null, Boolean(ref.doc)));
}

/** The entitlements file(s) of one build configuration (all of the target's, for a folder). */
export function entitlementsFor(target: IosTarget, configuration: string | null): PlistRef[] {
  if (configuration === null || !target.configurations) return target.entitlements;
  const c = target.configurations.find((x) => x.name === configuration);
  return c?.entitlements ? [c.entitlements] : [];
}

// ---- background modes ----

export interface BackgroundModes {
  /** Every declared value with its position. */
  values: { value: string; location: Location }[];
  /** Where UIBackgroundModes is declared, if anywhere. */
  keyLocation: Location | null;
  has(mode: string): boolean;
}

/**
 * UIBackgroundModes of the target, across every configuration's Info.plist. A mode counts only
 * when every known configuration declares it (a Debug-only declaration does not reach the App
 * Store build). There is no build setting for this key: it must be in an Info.plist file.
 */
export function backgroundModes(target: IosTarget): BackgroundModes {
  const hits = infoPlistKey(target, 'UIBackgroundModes');
  const values = hits.flatMap((h) => stringsOf(h.value).map((s) => ({ value: s.value, location: loc(h.ref, s.loc) })));
  const known = effectiveConfigurations(target).filter((c) => c.known);
  const modesOf = (c: EffectiveConfiguration) => {
    const v = c.infoPlistValue('UIBackgroundModes');
    return v?.source === 'plist' ? stringsOf(v.value).map((s) => s.value) : [];
  };
  const has = (mode: string) => known.length > 0 && known.every((c) => modesOf(c).includes(mode));
  return { values, keyLocation: hits[0]?.keyLocation ?? null, has };
}

// ---- string keys ----

function nonEmptyString(v: EffectiveValue | undefined): boolean {
  if (!v) return false;
  if (v.source === 'build-setting') return v.value.trim() !== '';
  return v.value.type === 'string' && v.value.value.trim() !== '';
}

/** Names of the known configurations whose effective Info.plist lacks a non-empty string for `key` (null = a folder's Info.plist). */
export function configurationsMissingInfoPlistString(target: IosTarget, key: string): (string | null)[] {
  return effectiveConfigurations(target)
    .filter((c) => c.known && !nonEmptyString(c.infoPlistValue(key)))
    .map((c) => c.name);
}

/**
 * A non-empty string key of the effective Info.plist, from a plist file or a generated-plist
 * build setting Xcode honours. In an Xcode project every known configuration must have it
 * (a key only in the Debug plist still crashes the Release build); for a folder without a
 * project, one Info.plist having it is enough.
 */
export function hasInfoPlistString(target: IosTarget, key: string): boolean {
  const configs = effectiveConfigurations(target).filter((c) => c.known);
  if (configs.length === 0) return false;
  if (!target.configurations || target.configurations.length === 0) return configs.some((c) => nonEmptyString(c.infoPlistValue(key)));
  return configs.every((c) => nonEmptyString(c.infoPlistValue(key)));
}

/** Where a finding about a missing Info.plist key should point. */
export function infoPlistAnchor(target: IosTarget): Location {
  const ref = target.infoPlists.find((r) => r.doc);
  if (ref?.doc && ref.doc.root.type === 'dict') return loc(ref, ref.doc.root.loc);
  return target.anchor;
}
