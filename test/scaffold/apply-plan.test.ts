// Writes are staged and applied all at once: a failure part-way leaves the target as it was,
// existing files are never overwritten without --force, and nothing lands outside the target.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyPlan, type PlanEntry } from '../../src/scaffold/apply-plan.js';
import { UsageError } from '../../src/config/usage-error.js';

const temps: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-apply-'));
  temps.push(d);
  return d;
};
const entry = (p: string, text: string, extra: Partial<PlanEntry> = {}): PlanEntry => ({ path: p, content: Buffer.from(text), source: 'test', mode: 'new', ...extra });
const listing = (dir: string): string[] =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();

describe('applyPlan', () => {
  it('builds a new folder beside its final place and leaves nothing behind when a write fails', () => {
    const parent = tmp();
    const target = path.join(parent, 'app');
    const real = fs.writeFileSync;
    let n = 0;
    vi.spyOn(fs, 'writeFileSync').mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
      if (++n === 2) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      return real(...args);
    });
    expect(() => applyPlan(target, [entry('a.txt', 'a'), entry('b/c.txt', 'c')], { force: false })).toThrow('no space left on the device');
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it('rolls back files already moved into an existing folder when a later move fails', () => {
    const target = tmp();
    fs.writeFileSync(path.join(target, 'Info.plist'), 'original');
    const realRename = fs.renameSync;
    let n = 0;
    vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (++n === 2) throw new Error('rename refused');
      return realRename(from, to);
    });
    const plan = [
      entry('Info.plist', 'patched', { mode: 'patch', original: Buffer.from('original') }),
      entry('New/Service.swift', 'service'),
    ];
    expect(() => applyPlan(target, plan, { force: false })).toThrow('rename refused');
    expect(fs.readFileSync(path.join(target, 'Info.plist'), 'utf8')).toBe('original');
    expect(listing(target)).toEqual(['Info.plist']);
  });

  it('edits a symlinked file through to its target, which stays a link, and keeps the file mode', () => {
    const target = tmp();
    fs.mkdirSync(path.join(target, 'shared'));
    fs.writeFileSync(path.join(target, 'shared', 'Info.plist'), 'original');
    fs.chmodSync(path.join(target, 'shared', 'Info.plist'), 0o640);
    fs.symlinkSync(path.join('shared', 'Info.plist'), path.join(target, 'Info.plist'));
    fs.writeFileSync(path.join(target, 'run.sh'), '#!/bin/sh\n');
    fs.chmodSync(path.join(target, 'run.sh'), 0o755);
    applyPlan(
      target,
      [
        entry('Info.plist', 'patched', { mode: 'patch', original: Buffer.from('original') }),
        entry('run.sh', '#!/bin/sh\necho hi\n', { mode: 'patch', original: Buffer.from('#!/bin/sh\n') }),
      ],
      { force: false },
    );
    expect(fs.lstatSync(path.join(target, 'Info.plist')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(target, 'shared', 'Info.plist'), 'utf8')).toBe('patched');
    expect(fs.statSync(path.join(target, 'shared', 'Info.plist')).mode & 0o777).toBe(0o640);
    expect(fs.statSync(path.join(target, 'run.sh')).mode & 0o777).toBe(0o755);
  });

  it('never overwrites a read-only file, even with --force, and writes nothing else then', () => {
    const target = tmp();
    fs.writeFileSync(path.join(target, 'locked.xml'), 'mine');
    fs.chmodSync(path.join(target, 'locked.xml'), 0o444);
    for (const force of [false, true]) {
      expect(() =>
        applyPlan(target, [entry('new.txt', 'x'), entry('locked.xml', 'theirs', { mode: 'patch', original: Buffer.from('mine') })], { force }),
      ).toThrow(/locked\.xml is read-only/);
      expect(listing(target)).toEqual(['locked.xml']);
      expect(fs.readFileSync(path.join(target, 'locked.xml'), 'utf8')).toBe('mine');
    }
  });

  it('refuses a symlinked file whose target is outside the project', () => {
    const target = tmp();
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'Info.plist'), 'elsewhere');
    fs.symlinkSync(path.join(outside, 'Info.plist'), path.join(target, 'Info.plist'));
    expect(() => applyPlan(target, [entry('Info.plist', 'x', { mode: 'patch', original: Buffer.from('elsewhere') })], { force: false })).toThrow(/outside the project/);
    expect(fs.readFileSync(path.join(outside, 'Info.plist'), 'utf8')).toBe('elsewhere');
  });

  it('turns a permission error met while writing into a one-line usage error, with nothing left behind', () => {
    const target = tmp();
    fs.writeFileSync(path.join(target, 'a.txt'), 'a');
    const real = fs.writeFileSync;
    vi.spyOn(fs, 'writeFileSync').mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
      if (String(args[0]).includes('b.txt')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', path: String(args[0]) });
      return real(...args);
    });
    let error: unknown;
    try {
      applyPlan(target, [entry('a.txt', 'A', { mode: 'patch', original: Buffer.from('a') }), entry('sub/b.txt', 'b')], { force: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^permission denied writing .*b\.txt.*; nothing was changed$/);
    expect(listing(target)).toEqual(['a.txt']);
    expect(fs.readFileSync(path.join(target, 'a.txt'), 'utf8')).toBe('a');
  });

  it('refuses to overwrite a file with other content unless forced, and writes nothing then', () => {
    const target = tmp();
    fs.writeFileSync(path.join(target, 'keep.txt'), 'user work');
    expect(() => applyPlan(target, [entry('keep.txt', 'generated'), entry('new.txt', 'x')], { force: false })).toThrow(/keep\.txt/);
    expect(listing(target)).toEqual(['keep.txt']);
    expect(fs.readFileSync(path.join(target, 'keep.txt'), 'utf8')).toBe('user work');
    applyPlan(target, [entry('keep.txt', 'generated')], { force: true });
    expect(fs.readFileSync(path.join(target, 'keep.txt'), 'utf8')).toBe('generated');
  });

  it('treats a patch whose file changed since it was planned as a conflict', () => {
    const target = tmp();
    fs.writeFileSync(path.join(target, 'f'), 'edited meanwhile');
    expect(() => applyPlan(target, [entry('f', 'patched', { mode: 'patch', original: Buffer.from('as planned') })], { force: false })).toThrow(/already exist/);
    expect(fs.readFileSync(path.join(target, 'f'), 'utf8')).toBe('edited meanwhile');
  });

  it('never writes outside the target, by name or through a symbolic link', () => {
    const target = tmp();
    const outside = tmp();
    expect(() => applyPlan(target, [entry('../escape.txt', 'x')], { force: true })).toThrow(/leave the output folder/);
    expect(() => applyPlan(target, [entry('/etc/x', 'x')], { force: true })).toThrow(/not a plain relative path/);
    fs.symlinkSync(outside, path.join(target, 'link'));
    expect(() => applyPlan(target, [entry('link/x.txt', 'x')], { force: true })).toThrow(/symbolic link leads outside/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });
});
