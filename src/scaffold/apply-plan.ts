// Applying a file plan to disk all at once. Everything is written to temporary files first;
// only when every write succeeded are they moved into place, and a failure while moving rolls
// back what was already moved. Existing files are never overwritten unless the plan says they
// are patches of that very content, or the user passed --force.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../config/load-config.js';
import { assertSafeRelative, type PlannedFile } from './render.js';

export interface PlanEntry extends PlannedFile {
  /**
   * 'new': a file the generator creates (conflicts with different existing content);
   * 'patch': an edit of an existing file; `original` is the content it was computed from.
   */
  mode: 'new' | 'patch';
  original?: Buffer;
}

export type EntryStatus = 'create' | 'identical' | 'update' | 'conflict';

export interface PlannedStatus {
  entry: PlanEntry;
  status: EntryStatus;
}

export function statusOf(root: string, entries: PlanEntry[]): PlannedStatus[] {
  return entries.map((entry) => {
    const abs = path.join(root, entry.path);
    let existing: Buffer | null = null;
    try {
      existing = fs.readFileSync(abs);
    } catch {
      existing = null;
    }
    if (existing === null) return { entry, status: 'create' };
    if (existing.equals(entry.content)) return { entry, status: 'identical' };
    if (entry.mode === 'patch' && entry.original && existing.equals(entry.original)) return { entry, status: 'update' };
    return { entry, status: 'conflict' };
  });
}

/** Refuse paths that leave the root, including through a symbolic link inside it. */
function assertInside(root: string, rel: string): string {
  assertSafeRelative(rel);
  const abs = path.join(root, rel);
  let probe = path.dirname(abs);
  while (!fs.existsSync(probe) && probe !== path.dirname(probe)) probe = path.dirname(probe);
  const realRoot = fs.existsSync(root) ? fs.realpathSync(root) : null;
  if (realRoot && fs.existsSync(probe)) {
    const realProbe = fs.realpathSync(probe);
    const inside = realProbe === realRoot || realProbe.startsWith(realRoot + path.sep);
    const rootInsideProbe = realRoot.startsWith(realProbe + path.sep) || realRoot === realProbe;
    if (!inside && !rootInsideProbe) throw new UsageError(`refusing to write ${rel}: a symbolic link leads outside ${root}`);
  }
  return abs;
}

export interface ApplyResult {
  written: string[];
  identical: string[];
}

export function applyPlan(root: string, entries: PlanEntry[], options: { force: boolean }): ApplyResult {
  try {
    return applyPlanUnsafe(root, entries, options);
  } catch (e) {
    // Permission and file-system refusals are the user's situation, not a bug in audiobg: one line,
    // exit 2. By the time they surface, everything already moved has been rolled back.
    const code = (e as NodeJS.ErrnoException).code;
    const file = (e as NodeJS.ErrnoException).path;
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`permission denied writing ${file ?? root}; nothing was changed`);
    if (code === 'EROFS') throw new UsageError(`${file ?? root} is on a read-only file system; nothing was changed`);
    if (code === 'ENOSPC') throw new UsageError(`no space left on the device while writing ${file ?? root}; nothing was changed`);
    throw e;
  }
}

/**
 * The file an existing path finally names: a symbolic link is edited through to its target (and
 * stays a link), as long as that target is inside the project.
 */
function writeTarget(root: string, abs: string, rel: string): string {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch {
    return abs;
  }
  if (!st.isSymbolicLink()) return abs;
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    throw new UsageError(`refusing to write ${rel}: it is a symbolic link to a file that does not exist; nothing was changed`);
  }
  const realRoot = fs.realpathSync(root);
  if (!real.startsWith(realRoot + path.sep)) throw new UsageError(`refusing to write ${rel}: it is a symbolic link to ${real}, outside the project; nothing was changed`);
  return real;
}

/** Permission bits of an existing file; a file nobody may write is refused, even with --force. */
function existingMode(abs: string, rel: string): number | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    return null;
  }
  const mode = st.mode & 0o7777;
  if ((mode & 0o222) === 0) throw new UsageError(`${rel} is read-only; audiobg never overwrites a read-only file (--force does not change that). Make it writable if the change is wanted; nothing was changed`);
  return mode;
}

function applyPlanUnsafe(root: string, entries: PlanEntry[], options: { force: boolean }): ApplyResult {
  const statuses = statusOf(root, entries);
  const conflicts = statuses.filter((s) => s.status === 'conflict');
  if (conflicts.length && !options.force) {
    const list = conflicts.map((c) => `  ${c.entry.path}`).join('\n');
    throw new UsageError(`these files already exist with other content (nothing was written; pass --force to overwrite them):\n${list}`);
  }
  const toWrite = statuses.filter((s) => s.status !== 'identical');
  for (const s of toWrite) assertInside(root, s.entry.path);
  // Every refusal before the first byte is written.
  const targets = new Map<PlanEntry, { abs: string; mode: number | null }>();
  if (fs.existsSync(root)) {
    for (const s of toWrite) {
      const abs = writeTarget(root, path.join(root, s.entry.path), s.entry.path);
      targets.set(s.entry, { abs, mode: existingMode(abs, s.entry.path) });
    }
  }

  const result: ApplyResult = { written: [], identical: statuses.filter((s) => s.status === 'identical').map((s) => s.entry.path) };
  if (!toWrite.length) return result;

  const token = crypto.randomBytes(4).toString('hex');
  if (!fs.existsSync(root)) {
    // A new folder: build it completely beside its final place, then rename it in one step.
    const parent = path.dirname(root);
    fs.mkdirSync(parent, { recursive: true });
    const staging = path.join(parent, `.${path.basename(root)}.audiobg-${token}`);
    try {
      for (const s of toWrite) {
        const abs = path.join(staging, s.entry.path);
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, s.entry.content);
      }
      fs.renameSync(staging, root);
    } catch (e) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw e;
    }
    result.written = toWrite.map((s) => s.entry.path);
    return result;
  }

  // An existing folder: stage every file as a temporary sibling, then move them into place.
  const staged: { abs: string; tmp: string; backup: Buffer | null; rel: string }[] = [];
  const createdDirs: string[] = [];
  try {
    for (const s of toWrite) {
      const { abs, mode } = targets.get(s.entry)!;
      let dir = path.dirname(abs);
      const missing: string[] = [];
      while (!fs.existsSync(dir)) {
        missing.unshift(dir);
        dir = path.dirname(dir);
      }
      for (const d of missing) {
        fs.mkdirSync(d);
        createdDirs.push(d);
      }
      const tmp = `${abs}.audiobg-${token}.tmp`;
      fs.writeFileSync(tmp, s.entry.content, { flag: 'wx' });
      if (mode !== null) fs.chmodSync(tmp, mode);
      staged.push({ abs, tmp, backup: fs.existsSync(abs) ? fs.readFileSync(abs) : null, rel: s.entry.path });
    }
  } catch (e) {
    for (const s of staged) fs.rmSync(s.tmp, { force: true });
    for (const d of createdDirs.reverse()) fs.rmSync(d, { recursive: true, force: true });
    throw e;
  }
  const moved: typeof staged = [];
  try {
    for (const s of staged) {
      fs.renameSync(s.tmp, s.abs);
      moved.push(s);
    }
  } catch (e) {
    for (const s of moved.reverse()) {
      if (s.backup) fs.writeFileSync(s.abs, s.backup);
      else fs.rmSync(s.abs, { force: true });
    }
    for (const s of staged) fs.rmSync(s.tmp, { force: true });
    for (const d of createdDirs.reverse()) fs.rmSync(d, { recursive: true, force: true });
    throw e;
  }
  result.written = staged.map((s) => s.rel);
  return result;
}
