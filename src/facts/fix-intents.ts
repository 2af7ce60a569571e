// Fix intents the rules attach to findings (`doctor --fix`), built from the facts they already
// hold. Each builder returns undefined when no deterministic fix exists, or a `manual` intent
// when the user should hear why audiobg leaves it alone.

import path from 'node:path';
import type { FixIntent } from '../findings/fix-intent.js';
import type { AndroidApp, ComponentDecl } from './android/android-model.js';
import type { IosTarget, PlistRef } from './ios/ios-model.js';
import type { OptionRef, SetCategoryCall } from './ios/source-facts.js';
import { effectiveConfigurations } from './ios/effective-config.js';
import { KNOWN_BACKGROUND_MODES, suggestBackgroundMode } from './ios/background-mode-values.js';
import { stringsOf } from '../parse/plist.js';
import type { ExpoApp } from './expo/expo-model.js';
import type { ProjectModel } from './project-model.js';
import type { Location } from '../findings/finding.js';

/** Declare a permission in the app module's main manifest. */
export function addPermissionFix(app: AndroidApp, permission: string): FixIntent[] | undefined {
  const manifest = app.manifest.appManifest;
  if (!manifest) return undefined;
  const removed = app.manifest.removedPermissions.get(permission);
  if (removed) {
    return [{ kind: 'manual', file: removed.file, reason: `a manifest removes ${permission} with tools:node="remove"; decide which declaration should win` }];
  }
  return [{ kind: 'manifest-add-permission', file: manifest.file, permission }];
}

/** One declaration we can edit: a component declared in several manifests is merged, and which one to edit is a choice. */
function single(decl: ComponentDecl, what: string): FixIntent[] | null {
  if (decl.declarations.length === 1) return null;
  return [{ kind: 'manual', file: decl.location.file, reason: `${decl.name} is declared in ${decl.declarations.length} manifests; set ${what} on the one that should win` }];
}

/** Add mediaPlayback to android:foregroundServiceType (keeping the types already there). */
export function serviceTypeFix(decl: ComponentDecl): FixIntent[] | undefined {
  const types = decl.foregroundServiceTypes ?? [];
  if (!types.every((t) => /^[A-Za-z]+$/.test(t))) return undefined; // a placeholder or resource: not ours to rewrite
  const value = [...types, 'mediaPlayback'].join('|');
  return single(decl, `android:foregroundServiceType="${value}"`) ?? [
    { kind: 'xml-set-attribute', file: decl.location.file, element: decl.location, name: 'android:foregroundServiceType', value },
  ];
}

export function exportedFix(decl: ComponentDecl): FixIntent[] | undefined {
  return single(decl, 'android:exported="true"') ?? [{ kind: 'xml-set-attribute', file: decl.location.file, element: decl.location, name: 'android:exported', value: 'true' }];
}

export function intentFilterFix(decl: ComponentDecl, action: string): FixIntent[] | undefined {
  return single(decl, `an intent filter for ${action}`) ?? [{ kind: 'manifest-add-intent-filter', file: decl.location.file, element: decl.location, action }];
}

// ---- iOS ----

/**
 * Add `value` to the array `key` of every Info.plist of the target whose build lacks it. When a
 * configuration has no Info.plist file (Xcode generates it, and ignores INFOPLIST_KEY_ settings for
 * this key) or a binary one, the change is left to the user.
 */
export function infoPlistArrayFix(target: IosTarget, key: string, value: string, project: ProjectModel): FixIntent[] | undefined {
  const pbxproj = project.ios.find((a) => a.targets.includes(target))?.pbxproj?.path;
  const out: FixIntent[] = [];
  const files = new Set<string>();
  const configs = target.configurations ?? [];
  // Xcode generates the whole Info.plist and no build setting carries this key: do what Xcode does
  // when the capability is ticked, a plist file beside the project named by INFOPLIST_FILE (outside
  // any synchronized folder, which would copy it as a resource too).
  if (pbxproj && configs.length && configs.every((c) => c.generatesInfoPlist && c.infoPlistPath === null && !c.settingsIncomplete)) {
    const plist = path.join(path.dirname(path.dirname(pbxproj)), `${target.name}-Info.plist`);
    return [{ kind: 'xcode-add-info-plist', file: pbxproj, target: target.name, plist, key, value }];
  }
  for (const c of effectiveConfigurations(target)) {
    if (!c.known) continue;
    const v = c.infoPlistValue(key);
    if (v?.source === 'plist' && stringsOf(v.value).some((s) => s.value === value)) continue;
    if (!c.infoPlist) {
      return [{ kind: 'manual', file: target.anchor.file, reason: `${c.name ? `the ${c.name} configuration of ` : ''}${target.name} has no Info.plist file (Xcode generates it and ignores INFOPLIST_KEY_${key}); add \`${value}\` under Signing & Capabilities` }];
    }
    if (c.infoPlist.doc?.format !== 'xml') return [{ kind: 'manual', file: c.infoPlist.file.path, reason: `${c.infoPlist.file.rel} is a binary property list, which audiobg does not rewrite` }];
    if (files.has(c.infoPlist.file.path)) continue;
    files.add(c.infoPlist.file.path);
    out.push({ kind: 'plist-add-array-string', file: c.infoPlist.file.path, key, value });
  }
  return out.length ? out : undefined;
}

/** Replace a misspelled background mode, only when the intended value is unambiguous and not already listed. */
export function backgroundModeSpellingFix(ref: PlistRef, item: { value: string; loc: { line: number; column: number } }, siblings: string[]): FixIntent[] | undefined {
  if (ref.doc?.format !== 'xml') return undefined;
  const to = suggestBackgroundMode(item.value);
  if (!to || siblings.includes(to)) return undefined;
  // A spelling that normalises to the mode is certain; a near miss only when no other mode is as near.
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  if (squash(item.value) !== squash(to) && !squash(item.value).includes(squash(to))) {
    const d = (k: string) => distance(item.value.toLowerCase(), k);
    const best = d(to);
    if (best > 2 || KNOWN_BACKGROUND_MODES.some((k) => k !== to && d(k) <= best)) return undefined;
  }
  return [{ kind: 'plist-replace-string', file: ref.file.path, at: item.loc, from: item.value, to }];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Set an entitlement in the target's (XML) entitlements files; none at all is left to Xcode's capability editor. */
export function entitlementFix(target: IosTarget, key: string, value: { bool: boolean } | { string: string }): FixIntent[] | undefined {
  const refs = target.entitlements.filter((r) => r.doc);
  if (!refs.length) {
    return [{ kind: 'manual', file: target.anchor.file, reason: `${target.name} has no .entitlements file; add the capability in Xcode (Signing & Capabilities), which creates it and sets CODE_SIGN_ENTITLEMENTS` }];
  }
  const binary = refs.find((r) => r.doc!.format !== 'xml');
  if (binary) return [{ kind: 'manual', file: binary.file.path, reason: `${binary.file.rel} is a binary property list, which audiobg does not rewrite` }];
  return [...new Set(refs.map((r) => r.file.path))].map((file) =>
    'bool' in value ? { kind: 'plist-set-bool', file, key, value: value.bool } : { kind: 'plist-add-string', file, key, value: value.string },
  );
}

/** Remove an option from a Swift or Objective-C setCategory call (JS library calls are fixed by hand). */
export function removeOptionFix(call: SetCategoryCall, opt: OptionRef): FixIntent[] | undefined {
  if (opt.text.includes('(')) return undefined; // a raw value or initializer holding several options
  if (call.lang === 'swift') return [{ kind: 'swift-remove-option', file: opt.location.file, at: opt.location, text: opt.text }];
  if (call.lang === 'objc' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(opt.text)) return [{ kind: 'objc-remove-option', file: opt.location.file, at: opt.location, text: opt.text }];
  return undefined;
}

// ---- Expo app config (app.json only: a dynamic app.config.ts is code, and audiobg does not rewrite code it cannot follow) ----

function jsonConfig(app: ExpoApp): { file: string } | { manual: FixIntent[] } | null {
  const primary = app.config?.primary;
  if (!primary) return null;
  if (primary.endsWith('.json')) return { file: primary };
  const name = primary.split(/[\\/]/).pop();
  return { manual: [{ kind: 'manual', file: primary, reason: `${name} is a dynamic app config; --fix only edits app.json, so make this change in ${name} by hand` }] };
}

/** A plugin option written `false` that turns the feature off: flipped to true (the default it overrides). */
function turnOnFix(file: string, turnedOff: Location | null): FixIntent[] | undefined {
  if (!turnedOff || turnedOff.file !== file) return undefined;
  return [{ kind: 'json-set-true', file, at: turnedOff }];
}

export function expoBackgroundModeFix(app: ExpoApp, removedByPlugin: boolean, turnedOff: Location | null): FixIntent[] | undefined {
  if (app.ios.source !== 'app-config' || removedByPlugin) return undefined;
  const cfg = jsonConfig(app);
  if (!cfg) return undefined;
  if ('manual' in cfg) return cfg.manual;
  return turnOnFix(cfg.file, turnedOff) ?? [{ kind: 'json-add-array-string', file: cfg.file, underExpo: true, path: ['ios', 'infoPlist', 'UIBackgroundModes'], value: 'audio' }];
}

/** Missing permissions (when the library's service is there) go into android.permissions; a turned-off plugin option is turned on. */
export function expoAndroidPlaybackFix(app: ExpoApp, o: { turnedOff: Location | null; blocked: boolean; serviceOk: boolean; permissions: string[] }): FixIntent[] | undefined {
  if (app.android.source !== 'app-config' || o.blocked) return undefined;
  const cfg = jsonConfig(app);
  if (!cfg) return undefined;
  if ('manual' in cfg) return cfg.manual;
  const on = turnOnFix(cfg.file, o.turnedOff);
  if (on) return on;
  if (!o.serviceOk || !o.permissions.length) return undefined;
  return o.permissions.map((p) => ({ kind: 'json-add-array-string', file: cfg.file, underExpo: true, path: ['android', 'permissions'], value: p }));
}
