import path from 'node:path';

/** A path relative to the scan root, with forward slashes (as SARIF and GitHub expect). */
export function relativeTo(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}
