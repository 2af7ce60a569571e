// Stage 1: find the files that can matter, without reading their contents.
// Skips build output and dependency folders, honours .gitignore files (nested ones too),
// survives unreadable folders and symlink loops, and reports each of those as a problem.

import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { fileKind, SKIPPED_DIRS, type FileKind } from './file-kinds.js';
import type { FileProblem } from '../parse/workspace.js';

export interface ProjectFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the scan root, with forward slashes. */
  rel: string;
  kind: FileKind;
  size: number;
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
  /** Extra glob patterns to skip (gitignore syntax), relative to the root. */
  ignorePatterns?: string[];
}

export function findFiles(root: string, options: FindOptions = {}): FoundFiles {
  const absRoot = path.resolve(root);
  const files: ProjectFile[] = [];
  const problems: FileProblem[] = [];
  const visited = new Set<string>();
  let filesSeen = 0;

  const scopes: IgnoreScope[] = [];
  if (options.ignorePatterns?.length) {
    scopes.push({ dir: absRoot, ig: ignore().add(options.ignorePatterns) });
  }

  const isIgnored = (abs: string, isDir: boolean): boolean => {
    for (const s of scopes) {
      const rel = path.relative(s.dir, abs).split(path.sep).join('/');
      if (!rel || rel.startsWith('..')) continue;
      if (s.ig.ignores(isDir ? `${rel}/` : rel)) return true;
    }
    return false;
  };

  const walkDir = (dir: string): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (e) {
      problems.push(ioProblem(dir, e, 'cannot resolve folder'));
      return;
    }
    if (visited.has(real)) {
      problems.push({
        file: dir,
        kind: 'symlink-loop',
        severity: 'warning',
        message: `skipped: this folder is a symbolic link back to ${path.relative(absRoot, real) || '.'}, already checked (a symlink loop)`,
      });
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
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (isIgnored(abs, true)) continue;
        walkDir(abs);
      } else if (isFile) {
        filesSeen++;
        const kind = fileKind(entry.name, dir);
        if (!kind) continue;
        if (isIgnored(abs, false)) continue;
        let size = 0;
        try {
          size = fs.statSync(abs).size;
        } catch (e) {
          problems.push(ioProblem(abs, e, 'cannot read file'));
          continue;
        }
        files.push({ path: abs, rel: toRel(absRoot, abs), kind, size });
      }
    }
    if (pushedScope) scopes.pop();
  };

  walkDir(absRoot);
  return { root: absRoot, files, problems, filesSeen };
}

export function toRel(root: string, abs: string): string {
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
