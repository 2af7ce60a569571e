// A persistent cache of per-file facts (`doctor --cache`): what the syntax-tree extractors found in
// a source file, kept between runs so that an unchanged file is neither read nor parsed again.
//
// A file's entry is valid while its size and modification time are those recorded (the strategy
// ESLint's cache calls "metadata"), and the whole cache is valid only for the audiobg build that
// wrote it. Each entry also carries what reading the file reported (problems) and its suppression
// comments, so a run from the cache reports exactly what a run without it would.
//
// The cache is an optimisation and nothing else: a missing, unreadable, corrupt or foreign cache
// file is ignored, and one that cannot be written is reported as a note, never as a failure.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { toRel } from '../discover/find-files.js';
import { launch } from '../fs/launch.js';
import type { FileProblem, SourceComment } from './workspace.js';

/** Bumped whenever the stored shape or the meaning of a stored fact changes. */
const CACHE_FORMAT = 1;

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

interface StoredEntry extends FileStamp {
  /** The content hash, when the file was read: a file with a new time but the same contents is still valid. */
  hash?: string;
  values: Record<string, unknown>;
  /** Problems reading the file reported, without their `file` (it is the entry's). */
  problems: Array<Omit<FileProblem, 'file'>>;
  /** Suppression comments, when the run that stored the entry had them. */
  comments?: SourceComment[];
}

interface StoredCache {
  format: number;
  build: string;
  root: string;
  files: Record<string, StoredEntry>;
}

/**
 * Identifies the audiobg build: its version and the size and time of the code that runs (the
 * bundle, or this module when run from sources), so a rebuilt or upgraded audiobg starts afresh.
 */
export function buildStamp(version: string): string {
  let code = '';
  try {
    const st = fs.statSync(fileURLToPath(import.meta.url));
    code = `${st.size}:${Math.trunc(st.mtimeMs)}`;
  } catch {
    code = 'unknown';
  }
  return `${version}|${CACHE_FORMAT}|${code}`;
}

/** The default cache folder (bin/launch.cjs): $XDG_CACHE_HOME/audiobg, ~/Library/Caches/audiobg, or %LOCALAPPDATA%\audiobg\Cache. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  return launch().defaultCacheDir(env, home);
}

/**
 * Where the cache of a scan root lives. `location` is a file, or a folder (existing, or written
 * with a trailing separator) that holds one cache file per scanned root.
 */
export function cacheFileFor(root: string, location: string | undefined, cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const name = `${createHash('sha1').update(root).digest('hex').slice(0, 16)}.json`;
  if (!location) return path.join(defaultCacheDir(env), name);
  const abs = path.resolve(cwd, location);
  const isFolder = /[\\/]$/.test(location) || (fs.existsSync(abs) && fs.statSync(abs).isDirectory());
  return isFolder ? path.join(abs, name) : abs;
}

export class FactCache {
  private readonly stored: Record<string, StoredEntry>;
  /** Entries of this run: reused ones and new ones. Files not met in this run are dropped on save. */
  private readonly next = new Map<string, StoredEntry>();
  private changed = false;
  /** Files whose stored facts this run used. */
  reused = 0;

  private constructor(
    readonly file: string,
    private readonly root: string,
    private readonly build: string,
    stored: StoredCache | null,
  ) {
    this.stored = stored?.files ?? {};
    this.changed = stored === null;
  }

  /** Opens the cache file, or starts an empty cache when it is absent, unreadable, corrupt or not this build's. */
  static open(file: string, root: string, build: string): FactCache {
    let stored: StoredCache | null = null;
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredCache;
      if (data && data.format === CACHE_FORMAT && data.build === build && data.root === root && data.files && typeof data.files === 'object') stored = data;
    } catch {
      // Absent or unreadable: start afresh.
    }
    return new FactCache(file, root, build, stored);
  }

  private rel(abs: string): string {
    return toRel(this.root, abs);
  }

  /** The stored value of `key` for an unchanged file (rebuilt with its shared parts), or undefined. */
  value(entry: StoredEntry, key: string): unknown {
    return decodeShared(entry.values[key]);
  }

  /**
   * The stored entry of an unchanged file, or null. Unchanged means the same size and time, or,
   * when only the time differs (a fresh checkout), the same content hash (`hash` reads the file).
   */
  entry(abs: string, stamp: FileStamp, hash: () => string | null): StoredEntry | null {
    const rel = this.rel(abs);
    const e = this.next.get(rel) ?? this.stored[rel];
    if (!e || e.size !== stamp.size || !e.values || typeof e.values !== 'object' || Array.isArray(e.values)) return null;
    if (e.mtimeMs !== stamp.mtimeMs) {
      if (!e.hash || hash() !== e.hash) return null;
      e.mtimeMs = stamp.mtimeMs;
      this.changed = true;
    }
    if (!this.next.has(rel)) {
      this.next.set(rel, e);
      this.reused++;
    }
    return e;
  }

  /**
   * Whether a stored entry of this size holds `key`: its facts will likely come from the cache (by
   * time, or by content after a fresh checkout), so the file is not worth a parsing worker's time.
   * Nothing is read and nothing is counted as reused.
   */
  mayHold(abs: string, stamp: FileStamp, key: string): boolean {
    const rel = this.rel(abs);
    const e = this.next.get(rel) ?? this.stored[rel];
    if (!e || e.size !== stamp.size || !e.values || typeof e.values !== 'object' || !(key in e.values)) return false;
    return e.mtimeMs === stamp.mtimeMs || !!e.hash;
  }

  /** Like mayHold, for any stored facts of the file. */
  mayHoldAny(abs: string, stamp: FileStamp): boolean {
    const rel = this.rel(abs);
    const e = this.next.get(rel) ?? this.stored[rel];
    if (!e || e.size !== stamp.size || !e.values || typeof e.values !== 'object' || Object.keys(e.values).length === 0) return false;
    return e.mtimeMs === stamp.mtimeMs || !!e.hash;
  }

  /**
   * Keep a file's stored entry without using it (its contents are replaced in memory this run,
   * by --fix's edits): what is known of the file on disk stays known.
   */
  carry(abs: string, stamp: FileStamp): void {
    const rel = this.rel(abs);
    const e = this.stored[rel];
    if (e && !this.next.has(rel) && e.size === stamp.size && e.mtimeMs === stamp.mtimeMs) this.next.set(rel, e);
  }

  /** One value found for the file in this run, with the problems reading it reported. */
  record(abs: string, stamp: FileStamp, hash: string | null, key: string, value: unknown, problems: FileProblem[]): void {
    const rel = this.rel(abs);
    let e = this.next.get(rel);
    if (!e || e.size !== stamp.size || e.mtimeMs !== stamp.mtimeMs) {
      e = { size: stamp.size, mtimeMs: stamp.mtimeMs, values: {}, problems: [] };
      this.next.set(rel, e);
    }
    if (hash) e.hash = hash;
    e.values[key] = encodeShared(value);
    for (const { file: _file, ...rest } of problems) {
      if (!e.problems.some((q) => JSON.stringify(q) === JSON.stringify(rest))) e.problems.push(rest);
    }
    this.changed = true;
  }

  /** Keep the file's suppression comments with its entry (they are set once the run has them). */
  keepComments(abs: string, stamp: FileStamp, hash: string | null, comments: SourceComment[]): void {
    const rel = this.rel(abs);
    let e = this.next.get(rel);
    if (!e || e.size !== stamp.size || e.mtimeMs !== stamp.mtimeMs) {
      // A file read only for its directives (no facts kept): its entry holds just those.
      if (!hash) return;
      e = { size: stamp.size, mtimeMs: stamp.mtimeMs, hash, values: {}, problems: [] };
      this.next.set(rel, e);
      this.changed = true;
    }
    if (JSON.stringify(e.comments) !== JSON.stringify(comments)) {
      e.comments = comments;
      this.changed = true;
    }
  }

  /** Writes the cache (atomically) when this run changed it. Returns an error message, or null. */
  save(): string | null {
    if (!this.changed && this.next.size === Object.keys(this.stored).length) return null;
    const out: StoredCache = { format: CACHE_FORMAT, build: this.build, root: this.root, files: Object.fromEntries(this.next) };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomic(this.file, JSON.stringify(out));
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }
}

/** The content hash stored with an entry. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64');
}

// ---- plain data, with its shape kept

/** Marks an object that is met again later (its id), a later meeting (a reference), and an array's items. */
const ID = '\u0000id';
const REF = '\u0000ref';
const ITEMS = '\u0000items';
const MAP = '\u0000map';

/**
 * True when `value` is plain data the cache can carry: plain objects, arrays, Maps (the Dart facts
 * keep named arguments in one), strings, finite numbers, booleans and null (undefined properties
 * are dropped, as optional ones should be). A Set or a class instance would come back as `{}`, so
 * such a value is never stored.
 */
export function isPlainData(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object') return false;
  if (seen.has(value)) return true; // met before: checked (or being checked) already
  seen.add(value);
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, seen));
  // A Map entry's undefined would come back as null, so such a Map is not stored.
  if (value instanceof Map) return [...value].every(([k, v]) => v !== undefined && isPlainData(k, seen) && isPlainData(v, seen));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.entries(value as Record<string, unknown>).every(([k, v]) => !k.startsWith('\u0000') && (v === undefined || isPlainData(v, seen)));
}

/**
 * Plain data as JSON-ready data that keeps its shape: an object or array reached twice (a call
 * listed both in its function and in its class; the extractors' facts rely on that identity) is
 * written once, with an id, and then referred to; decodeShared rebuilds the same sharing.
 */
export function encodeShared(value: unknown): unknown {
  const count = new Map<object, number>();
  const tally = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    const n = count.get(v) ?? 0;
    count.set(v, n + 1);
    if (n > 0) return;
    for (const x of Array.isArray(v) ? v : v instanceof Map ? [...v.keys(), ...v.values()] : Object.values(v)) tally(x);
  };
  tally(value);
  const ids = new Map<object, number>();
  const out = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const id = ids.get(v);
    if (id !== undefined) return { [REF]: id };
    const shared = count.get(v)! > 1;
    if (shared) ids.set(v, ids.size);
    if (Array.isArray(v)) {
      const items = v.map(out);
      return shared ? { [ID]: ids.get(v), [ITEMS]: items } : items;
    }
    if (v instanceof Map) {
      const id = ids.get(v);
      const entries = [...v].map(([k, x]) => [out(k), out(x)]);
      return id !== undefined ? { [ID]: id, [MAP]: entries } : { [MAP]: entries };
    }
    const o: Record<string, unknown> = shared ? { [ID]: ids.get(v) } : {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = out(x);
    return o;
  };
  return out(value);
}

/** The inverse of encodeShared. Throws on a reference to an id not yet defined (a damaged cache). */
export function decodeShared(data: unknown): unknown {
  const byId = new Map<number, unknown>();
  const back = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(back);
    const o = v as Record<string, unknown>;
    if (REF in o) {
      if (!byId.has(o[REF] as number)) throw new Error('fact cache: reference before definition');
      return byId.get(o[REF] as number);
    }
    if (MAP in o) {
      const map = new Map<unknown, unknown>();
      if (ID in o) byId.set(o[ID] as number, map);
      for (const [k, x] of o[MAP] as [unknown, unknown][]) map.set(back(k), back(x));
      return map;
    }
    if (ITEMS in o) {
      const arr: unknown[] = [];
      byId.set(o[ID] as number, arr);
      for (const x of o[ITEMS] as unknown[]) arr.push(back(x));
      return arr;
    }
    const res: Record<string, unknown> = {};
    if (ID in o) byId.set(o[ID] as number, res);
    for (const [k, x] of Object.entries(o)) if (k !== ID) res[k] = back(x);
    return res;
  };
  return back(data);
}
