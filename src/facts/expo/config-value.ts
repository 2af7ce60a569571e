// Values read statically from app configs (app.json, app.config.ts/js) and from the arguments of
// JS audio calls, each with the place it is written. Reading stops at anything that would need the
// code to run (a function call, an environment variable, a condition): the value is then an
// explicit `unresolved` marker with the reason, never a guess.

import type { Location } from '../../findings/finding.js';

export interface Unresolved {
  kind: 'unresolved';
  /** Why the value cannot be known without running the code, e.g. "the result of calling getPlugins()". */
  reason: string;
  /** Source text of the expression (shortened). */
  text: string;
  loc: Location;
  /**
   * When known, the only keys this value can have as an object (e.g. `cond ? { a: 1 } : {}` has at
   * most `a`): spread into an object, it leaves every other key known. Undefined: any key.
   */
  keys?: string[];
}

export type ConfigValue =
  | ConfigObject
  | ConfigArray
  | { kind: 'string'; value: string; loc: Location }
  | { kind: 'number'; value: number; loc: Location }
  | { kind: 'boolean'; value: boolean; loc: Location }
  | { kind: 'null'; loc: Location }
  | Unresolved;

export interface ConfigProp {
  key: string;
  /** Where the key is written (for a value copied by a spread: where it was first written). */
  keyLoc: Location;
  value: ConfigValue;
}

/** Entries in source order; an `unknown` entry is a spread or computed key that could not be read. */
export type ObjectEntry = { type: 'prop'; prop: ConfigProp } | { type: 'unknown'; value: Unresolved };

export interface ConfigObject {
  kind: 'object';
  entries: ObjectEntry[];
  loc: Location;
}

export interface ConfigArray {
  kind: 'array';
  items: ConfigValue[];
  /** Spread elements that could not be read: the array may hold more items. */
  unknown: Unresolved[];
  loc: Location;
}

export function unresolved(reason: string, text: string, loc: Location): Unresolved {
  return { kind: 'unresolved', reason, text: shorten(text), loc };
}

export function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

export function isUnresolved(v: ConfigValue | undefined | null): v is Unresolved {
  return !!v && v.kind === 'unresolved';
}

/**
 * The value of `key` in an object: the last definition wins. Undefined means the key is certainly
 * absent; an Unresolved value means it may be set by something audiobg cannot read.
 *
 * Spreads audiobg cannot read: a key written after the spread is known (it overrides whatever the
 * spread gives); a key written before it is known only when the spread's possible keys are bounded
 * (`Platform.OS === 'android' ? { maxBuffer } : {}` can only set maxBuffer) and exclude it;
 * otherwise it may be overridden and is unresolved.
 */
export function getProp(obj: ConfigValue | undefined | null, key: string): ConfigValue | undefined {
  if (!obj) return undefined;
  if (obj.kind === 'unresolved') return obj.keys && !obj.keys.includes(key) ? undefined : obj;
  if (obj.kind !== 'object') return undefined;
  for (let i = obj.entries.length - 1; i >= 0; i--) {
    const e = obj.entries[i]!;
    if (e.type === 'unknown' && e.value.keys && !e.value.keys.includes(key)) continue;
    if (e.type === 'unknown') return unresolved(`\`${key}\` may be set by ${e.value.reason}`, e.value.text, e.value.loc);
    if (e.prop.key === key) return e.prop.value;
  }
  return undefined;
}

/** The property record of `key` (for its key location), when it is certainly known. */
export function getPropRecord(obj: ConfigValue | undefined | null, key: string): ConfigProp | undefined {
  if (!obj || obj.kind !== 'object') return undefined;
  for (let i = obj.entries.length - 1; i >= 0; i--) {
    const e = obj.entries[i]!;
    if (e.type === 'unknown' && e.value.keys && !e.value.keys.includes(key)) continue;
    if (e.type === 'unknown') return undefined;
    if (e.prop.key === key) return e.prop;
  }
  return undefined;
}

export function getPath(obj: ConfigValue | undefined | null, path: readonly string[]): ConfigValue | undefined {
  let cur: ConfigValue | undefined = obj ?? undefined;
  for (const key of path) {
    if (!cur) return undefined;
    if (cur.kind === 'unresolved') return cur;
    cur = getProp(cur, key);
  }
  return cur;
}

/** Where the deepest existing part of `path` is written: the key of the last segment found, else the object. */
export function deepestLocation(obj: ConfigValue | undefined | null, path: readonly string[]): Location | null {
  let cur: ConfigValue | undefined = obj ?? undefined;
  let best: Location | null = cur && cur.kind !== 'unresolved' ? cur.loc : null;
  for (const key of path) {
    const rec = getPropRecord(cur, key);
    if (!rec) break;
    best = rec.keyLoc;
    cur = rec.value;
  }
  return best;
}

/** Keys of an object in order of their last definition (unknown entries are skipped). */
export function propsOf(obj: ConfigValue | undefined | null): ConfigProp[] {
  if (!obj || obj.kind !== 'object') return [];
  const byKey = new Map<string, ConfigProp>();
  for (const e of obj.entries) {
    if (e.type !== 'prop') continue;
    byKey.delete(e.prop.key);
    byKey.set(e.prop.key, e.prop);
  }
  return [...byKey.values()];
}

/** A boolean, with `undefined` for absent and the marker when unreadable. Non-booleans count as unreadable. */
export function boolOf(v: ConfigValue | undefined): boolean | undefined | Unresolved {
  if (v === undefined || v.kind === 'null') return undefined;
  if (v.kind === 'boolean') return v.value;
  if (v.kind === 'unresolved') return v;
  return unresolved('not a boolean', JSON.stringify(plain(v)) ?? '', v.loc);
}

/** Plain JS value (for messages and tests); unresolved parts become `{ $unresolved: reason }`. */
export function plain(v: ConfigValue | undefined): unknown {
  if (v === undefined) return undefined;
  switch (v.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const e of v.entries) {
        if (e.type === 'prop') out[e.prop.key] = plain(e.prop.value);
        else out['$unresolved'] = e.value.reason;
      }
      return out;
    }
    case 'array':
      return [...v.items.map(plain), ...v.unknown.map((u) => ({ $unresolved: u.reason }))];
    case 'null':
      return null;
    case 'unresolved':
      return { $unresolved: v.reason };
    default:
      return v.value;
  }
}
