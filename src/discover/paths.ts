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

/**
 * Files indexed by path, to list those inside a folder without testing every file: the files
 * under a folder are one run of the path-sorted list, found by binary search. Answers keep the
 * order the files were given in. (On Windows, where isUnder asks path.relative, every file is tested.)
 */
export class FolderIndex<T extends { path: string }> {
  private readonly sorted: { item: T; index: number }[];

  constructor(private readonly items: readonly T[]) {
    this.sorted = items.map((item, index) => ({ item, index })).sort((a, b) => compareText(a.item.path, b.item.path));
  }

  /** The items strictly inside `dir`, in their original order. */
  under(dir: string): T[] {
    if (process.platform === 'win32') return this.items.filter((f) => isUnder(f.path, dir));
    const base = dir.endsWith('/') ? dir : dir + '/';
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]!.item.path < base) lo = mid + 1;
      else hi = mid;
    }
    const found: { item: T; index: number }[] = [];
    for (let i = lo; i < this.sorted.length && this.sorted[i]!.item.path.startsWith(base); i++) {
      if (this.sorted[i]!.item.path.length > base.length) found.push(this.sorted[i]!);
    }
    return found.sort((a, b) => a.index - b.index).map((f) => f.item);
  }
}
