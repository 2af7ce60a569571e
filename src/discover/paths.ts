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
