// The V8 code cache of the executable (bin/launch.cjs): the bundle's compiled code is kept in the
// user's cache folder after a run and used on the next. It must never change what a run prints,
// must survive a damaged file, and must never read a cache someone else could have written
// (compiled code is executable).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, REPO_ROOT, tempDir, write } from './helpers.js';

const BIN = path.join(REPO_ROOT, 'bin', 'audiobg.js');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'audiobg.cjs');
const EXAMPLE = path.join(FIXTURES, 'examples', 'podcast-player');
const launch = createRequire(import.meta.url)(path.join(REPO_ROOT, 'bin', 'launch.cjs')) as {
  codeCacheFile(bundle: string, env?: NodeJS.ProcessEnv): string;
};

function run(xdg: string, extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, 'doctor', EXAMPLE, '--format', 'json'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CACHE_HOME: xdg, AUDIOBG_DEBUG_CODE_CACHE: '1', ...extraEnv },
  });
  const state = /code cache (absent|refused|used) \((.+)\)/.exec(r.stderr);
  return { code: r.status, stdout: r.stdout, state: state?.[1] ?? null, file: state?.[2] ?? null };
}

const privateMode = (p: string) => fs.statSync(p).mode & 0o777;

describe.skipIf(!fs.existsSync(BUNDLE))('the code cache of the executable (needs dist/audiobg.cjs, built by npm test)', () => {
  it('is written after the first run (a private file in a private folder) and used by the next; the report is the same', () => {
    const xdg = tempDir('xdg');
    const first = run(xdg);
    expect(first.state).toBe('absent');
    expect(first.code).toBe(1);
    expect(fs.existsSync(first.file!)).toBe(true);
    if (process.platform !== 'win32') {
      expect(privateMode(first.file!)).toBe(0o600);
      expect(privateMode(path.dirname(first.file!))).toBe(0o700);
    }
    const second = run(xdg);
    expect(second.state).toBe('used');
    expect(second.stdout).toBe(first.stdout);
    expect(second.code).toBe(first.code);
  });

  it('a damaged cache file is refused by V8, the run is unchanged, and the file is written again', () => {
    const xdg = tempDir('xdg');
    const first = run(xdg);
    fs.writeFileSync(first.file!, Buffer.alloc(4096, 7), { mode: 0o600 });
    const damaged = run(xdg);
    expect(damaged.state).toBe('refused');
    expect(damaged.stdout).toBe(first.stdout);
    expect(run(xdg).state).toBe('used');
  });

  it.skipIf(process.platform === 'win32')('a cache file or folder others may write is never read, and nothing is written into such a folder', () => {
    const xdg = tempDir('xdg');
    const first = run(xdg);
    fs.chmodSync(first.file!, 0o666);
    expect(run(xdg).state).toBe('absent');
    // The run above replaced the file with a private one...
    expect(privateMode(first.file!)).toBe(0o600);
    expect(run(xdg).state).toBe('used');
    // ...but a folder others may write is left alone.
    fs.chmodSync(path.dirname(first.file!), 0o777);
    fs.rmSync(first.file!);
    expect(run(xdg).state).toBe('absent');
    expect(fs.existsSync(first.file!)).toBe(false);
  });

  it('AUDIOBG_CODE_CACHE=0 turns it off, and a cache folder that cannot be made leaves the run complete', () => {
    const xdg = tempDir('xdg');
    const off = run(xdg, { AUDIOBG_CODE_CACHE: '0' });
    expect(off.state).toBeNull();
    expect(fs.readdirSync(xdg)).toEqual([]);
    const blocker = write(tempDir('xdg-file'), 'cache', 'a file where the cache folder would go');
    const blocked = run(blocker);
    expect(blocked.state).toBe('absent');
    expect(blocked.stdout).toBe(off.stdout);
    expect(blocked.code).toBe(off.code);
  });

  it('a rebuilt bundle (another size or time) gets another cache file: V8 only checks the length of the source', () => {
    const copy = path.join(tempDir('bundle'), 'audiobg.cjs');
    fs.copyFileSync(BUNDLE, copy);
    const env = { XDG_CACHE_HOME: '/x' };
    const before = launch.codeCacheFile(copy, env);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(copy, later, later);
    expect(launch.codeCacheFile(copy, env)).not.toBe(before);
    expect(path.dirname(before)).toBe(path.join('/x', 'audiobg'));
  });
});
