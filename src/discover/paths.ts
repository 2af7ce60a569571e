// Path containment, asked once per (file, folder) pair when files are shared out among apps: with
// a hundred apps in a monorepo that is hundreds of thousands of questions, so it must be a string
// comparison, not a path.relative().

import path from 'node:path';

/** True when `file` lies strictly inside folder `dir` (both absolute, as discovery produces them). */
export function isUnder(file: string, dir: string): boolean {
  if (process.platform === 'win32') {
    // Drive letters and case differ in spelling but not in meaning there; let path.relative judge.
    const rel = path.relative(dir, file);
    return rel !== '' && !rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel);
  }
  const base = dir.endsWith('/') ? dir : dir + '/';
  return file.length > base.length && file.startsWith(base);
}

/**
 * Order of paths and names in what doctor reports: by UTF-16 code units, the same on every machine. (localeCompare
 * depends on the user's locale, so a report's order would too, and its first call loads the ICU
 * collator, about 7 ms of every run.)
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
