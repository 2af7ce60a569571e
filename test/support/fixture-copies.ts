// Throw-away copies of fixtures for near misses that differ from a fixture by a few edits, and
// byte snapshots of a folder to show what a command changed. Copies are removed when the test
// file ends.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { FIXTURES } from './cli.js';

const copies: string[] = [];
afterAll(() => {
  for (const c of copies.splice(0)) fs.rmSync(c, { recursive: true, force: true });
});

/** Copy a fixture to a temp folder and rewrite some of its files: the near miss differs by exactly these edits. */
export function variant(fixture: string, edits: Record<string, (text: string) => string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-variant-'));
  copies.push(dir);
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  for (const [rel, edit] of Object.entries(edits)) {
    const p = path.join(dir, rel);
    const before = fs.readFileSync(p, 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`edit of ${rel} changed nothing`);
    fs.writeFileSync(p, after);
  }
  return dir;
}

/** Every file under a folder, relative path (forward slashes) → bytes; a symbolic link as `-> target`. */
export function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p).split(path.sep).join('/');
      if (e.isDirectory()) walk(p);
      else if (e.isSymbolicLink()) out.set(rel, Buffer.from(`-> ${fs.readlinkSync(p)}`));
      else out.set(rel, fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}
