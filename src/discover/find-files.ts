// Stage 1: find the files that can matter, without reading their contents.
// Skips build output and dependency folders, honours .gitignore files (nested ones, and those
// above the scan root up to the git root), survives unreadable folders and symlink loops, and
// rejects files too large to parse by their size, before anything reads them.

import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { fileKind, isBuildOutputDir, SKIPPED_DIRS, type FileKind } from './file-kinds.js';
import { isUnder } from './paths.js';
import { MAX_PARSE_BYTES, tooLargeMessage, type FileProblem } from '../parse/workspace.js';

export interface ProjectFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the scan root, with forward slashes. */
  rel: string;
  kind: FileKind;
  size: number;
  /** Modification time, when discovery read it (the fact cache's validity check). */
  mtimeMs?: number;
}

export interface FoundFiles {
  root: string;
  files: ProjectFile[];
  problems: FileProblem[];
  /** Every regular file seen during the walk, relevant or not (for the benchmark). */
  filesSeen: number;
}

interface IgnoreScope {
  dir: string;
  ig: Ignore;
}

export interface FindOptions {
  /** Extra glob patterns to skip (gitignore syntax), relative to `ignoreBase`. */
  ignorePatterns?: string[];
  /** The folder `ignorePatterns` are relative to (the config file's folder); defaults to the root. */
  ignoreBase?: string;
  /** Read .gitignore files in the folders above the root, up to the git root (default true). */
  parentGitignores?: boolean;
  /** Told of each file as the walk finds it (doctor starts its parsing workers during the walk). */
  onFile?: (file: ProjectFile) => void;
}

export function findFiles(root: string, options: FindOptions = {}): FoundFiles {
  const absRoot = path.resolve(root);
  const files: ProjectFile[] = [];
  const problems: FileProblem[] = [];
  const visited = new Set<string>();
  let filesSeen = 0;
  let realRoot = absRoot;
  try {
    realRoot = fs.realpathSync(absRoot);
  } catch {
    // Reported by the walk below.
  }

  const scopes: IgnoreScope[] = [];
  const deferred: Array<{ dir: string; scopes: IgnoreScope[] }> = [];
  if (options.parentGitignores !== false) scopes.push(...parentGitignoreScopes(absRoot));
  if (options.ignorePatterns?.length) {
    scopes.push({ dir: path.resolve(options.ignoreBase ?? absRoot), ig: ignore().add(options.ignorePatterns) });
  }

  const isIgnored = (abs: string, isDir: boolean): boolean => {
    for (const s of scopes) {
      const rel = path.relative(s.dir, abs).split(path.sep).join('/');
      if (!rel || rel.startsWith('..')) continue;
      if (s.ig.ignores(isDir ? `${rel}/` : rel)) return true;
    }
    return false;
  };

  /** `knownReal`: the folder's real path when its parent's is known and it is not a link itself. */
  const walkDir = (dir: string, knownReal?: string): void => {
    let real: string;
    try {
      real = knownReal ?? fs.realpathSync(dir);
    } catch (e) {
      problems.push(ioProblem(dir, e, 'cannot resolve folder'));
      return;
    }
    if (visited.has(real)) {
      // Reached again through a symbolic link. If the link points at one of its own ancestors it
      // is a loop, worth a note; a second name for a folder checked elsewhere is simply skipped.
      if (isLoop(dir, real)) {
        problems.push({
          file: dir,
          kind: 'symlink-loop',
          severity: 'info',
          message: `not followed: this symbolic link points back to ${describeTarget(realRoot, real)} (a symlink loop); the files in it are checked once`,
        });
      }
      return;
    }
    visited.add(real);

    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push(ioProblem(dir, e, 'cannot read folder'));
      return;
    }

    let pushedScope = false;
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      try {
        const content = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
        scopes.push({ dir, ig: ignore().add(content) });
        pushedScope = true;
      } catch {
        // An unreadable .gitignore only means we check more files than needed.
      }
    }

    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const entryNames = () => entries.map((e) => e.name);
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = fs.statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (e) {
          if (fileKind(entry.name, dir)) problems.push(ioProblem(abs, e, 'cannot follow symbolic link'));
          continue;
        }
      }
      if (isDir) {
        // `build` is output next to a build script or outside a source tree, but a package inside one.
        if (SKIPPED_DIRS.has(entry.name) && (entry.name !== 'build' || isBuildOutputDir(path.relative(absRoot, dir), entryNames()))) continue;
        if (isIgnored(abs, true)) continue;
        if (entry.isSymbolicLink()) {
          // Linked folders are walked after every real one, so that a folder reachable both
          // directly and through a link is reported under its real path.
          deferred.push({ dir: abs, scopes: scopes.slice() });
          continue;
        }
        // A plain sub-folder's real path is its parent's plus its name: no realpath() per folder.
        walkDir(abs, path.join(real, entry.name));
      } else if (isFile) {
        filesSeen++;
        const kind = fileKind(entry.name, dir);
        if (!kind) continue;
        if (isIgnored(abs, false)) continue;
        let size = 0;
        let mtimeMs = 0;
        try {
          ({ size, mtimeMs } = fs.statSync(abs));
        } catch (e) {
          problems.push(ioProblem(abs, e, 'cannot read file'));
          continue;
        }
        if (size > MAX_PARSE_BYTES) {
          // Rejected by its size alone: the contents are never read into memory.
          problems.push({ file: abs, kind: 'too-large', severity: 'warning', message: tooLargeMessage(size) });
          continue;
        }
        const file: ProjectFile = { path: abs, rel: toRel(absRoot, abs), kind, size, mtimeMs };
        files.push(file);
        options.onFile?.(file);
      }
    }
    if (pushedScope) scopes.pop();
  };

  walkDir(absRoot);
  for (let i = 0; i < deferred.length; i++) {
    const { dir, scopes: saved } = deferred[i]!;
    scopes.length = 0;
    scopes.push(...saved);
    walkDir(dir);
  }
  return { root: absRoot, files, problems, filesSeen };
}

function describeTarget(absRoot: string, real: string): string {
  if (real === absRoot) return 'the scanned folder';
  const rel = path.relative(absRoot, real);
  // No absolute paths in messages: they end up in fingerprints, which must not depend on the checkout.
  return rel.startsWith('..') || path.isAbsolute(rel) ? 'a folder that contains it' : `its ancestor ${rel.split(path.sep).join('/')}`;
}

/** True when `dir` (reached through a link) resolves to itself or to one of its own ancestors. */
function isLoop(dir: string, real: string): boolean {
  let parentReal: string;
  try {
    parentReal = fs.realpathSync(path.dirname(dir));
  } catch {
    return true;
  }
  return parentReal === real || parentReal.startsWith(real.endsWith(path.sep) ? real : real + path.sep);
}

/**
 * .gitignore files in the folders above the root, up to and including the git root (the first
 * folder that holds `.git`). Without a git root above, none are read: outside a repository there
 * is no telling which .gitignore applies.
 */
function parentGitignoreScopes(absRoot: string): IgnoreScope[] {
  const chain: string[] = [];
  let dir = absRoot;
  let gitRoot: string | null = null;
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) {
      gitRoot = dir;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    chain.push(parent);
    dir = parent;
  }
  if (gitRoot === null || gitRoot === absRoot) return [];
  const scopes: IgnoreScope[] = [];
  // Outermost first, as git applies them; the root's own .gitignore is read by the walk.
  for (const d of chain.reverse()) {
    try {
      scopes.push({ dir: d, ig: ignore().add(fs.readFileSync(path.join(d, '.gitignore'), 'utf8')) });
    } catch {
      // No .gitignore in this folder (or unreadable): nothing to apply.
    }
  }
  return scopes;
}

export function toRel(root: string, abs: string): string {
  // Called once per file found: inside the root (the usual case) the answer is a slice.
  if (path.sep === '/' && isUnder(abs, root)) return abs.slice(root.endsWith('/') ? root.length : root.length + 1);
  const rel = path.relative(root, abs);
  return rel.split(path.sep).join('/') || path.basename(abs);
}

function ioProblem(file: string, e: unknown, what: string): FileProblem {
  const code = (e as NodeJS.ErrnoException)?.code;
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOENT'
        ? 'it does not exist (a broken link?)'
        : code === 'ELOOP'
          ? 'too many levels of symbolic links'
          : (e as Error)?.message ?? String(e);
  return { file, kind: 'unreadable', severity: 'error', message: `${what}: ${reason}` };
}
