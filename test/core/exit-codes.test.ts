// The exit-code contract CI relies on:
// 0 nothing at or above the failing level, 1 findings fail the run,
// 2 bad arguments / config / unreadable root / report not written, 3 internal error.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CORE_FIXTURES, doctorJson, runCli, tempDir, where, write } from './helpers.js';
import { writeFileAtomic } from '../../src/fs/write-atomic.js';

const fixture = (name: string) => path.join(CORE_FIXTURES, name);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('exit codes', () => {
  it('exits 0 for a clean project, with an empty findings list', async () => {
    const run = await doctorJson(fixture('clean'));
    expect(run.report.findings).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.report.exitCode).toBe(0);
  });

  it('exits 1 when there are errors, and reports each at its file and line', async () => {
    const run = await doctorJson(fixture('errors'));
    expect(run.code).toBe(1);
    expect(run.report.exitCode).toBe(1);
    expect(where(run.report.findings)).toEqual([
      'android/app/src/main/AndroidManifest.xml:9 audiobg/parse-error',
      'ios/Player/Info.plist:6 audiobg/parse-error',
    ]);
  });

  it('exits 0 with only warnings, but 1 with --fail-on warning or --max-warnings 0', async () => {
    const dir = fixture('warnings');
    const plain = await doctorJson(dir);
    expect(where(plain.report.findings)).toEqual(['ios/Player/Formatting.swift:6 audiobg/unused-suppression']);
    expect(plain.report.findings[0]!.severity).toBe('warning');
    expect(plain.code).toBe(0);

    expect((await doctorJson(dir, ['--fail-on', 'warning'])).code).toBe(1);
    expect((await doctorJson(dir, ['--fail-on', 'error'])).code).toBe(0);

    const zero = await doctorJson(dir, ['--max-warnings', '0']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('1 warning is more than --max-warnings 0');
    expect((await doctorJson(dir, ['--max-warnings', '1'])).code).toBe(0);
  });

  it('--quiet hides warnings from the report but not errors', async () => {
    const warnings = await doctorJson(fixture('warnings'), ['--quiet']);
    expect(warnings.report.findings).toEqual([]);
    expect(warnings.code).toBe(0);

    const pretty = await runCli(['doctor', fixture('warnings'), '--quiet']);
    expect(pretty.stdout).not.toContain('unused-suppression');
    expect(pretty.stdout).toContain('warnings hidden by --quiet');

    const errors = await doctorJson(fixture('errors'), ['--quiet']);
    expect(errors.report.findings.map((f) => f.severity)).toEqual(['error', 'error']);
    expect(errors.code).toBe(1);
  });

  it('--quiet still fails on hidden warnings with --fail-on warning, and says so on stderr', async () => {
    const run = await doctorJson(fixture('warnings'), ['--quiet', '--fail-on', 'warning']);
    expect(run.report.findings).toEqual([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('fails on 1 warning hidden by --quiet');
  });

  it('exits 2 for a root that does not exist, is a file, or cannot be read', async () => {
    const missing = await runCli(['doctor', '/no/such/folder/anywhere']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/no/such/folder/anywhere');

    const file = write(tempDir(), 'Info.plist', '<plist/>');
    const notDir = await runCli(['doctor', file]);
    expect(notDir.code).toBe(2);
    expect(notDir.stderr).toContain('not a folder');

    // Unreadable root. chmod 000 does not stop root (tests may run as root), so the refusal
    // is simulated for this one path; the code under test sees the same EACCES either way.
    const locked = tempDir();
    write(locked, 'App.swift', 'let x = 1\n');
    const real = fs.readdirSync;
    vi.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
      if (path.resolve(String(p)) === locked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: 'EACCES' });
      return (real as (...a: unknown[]) => unknown)(p, ...rest);
    }) as typeof fs.readdirSync);
    const unreadable = await runCli(['doctor', locked]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain(locked);
    expect(unreadable.stderr).toContain('permission denied');
  });

  it('exits 2 when there is nothing to check, instead of passing a project it never saw', async () => {
    const empty = tempDir();
    write(empty, 'README.md', '# not an app\n');
    const run = await runCli(['doctor', empty]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nothing to check');
  });

  it('exits 2 for bad arguments', async () => {
    const notNumber = await runCli(['doctor', fixture('clean'), '--max-warnings', 'many']);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain('--max-warnings');

    const badLevel = await runCli(['doctor', fixture('clean'), '--fail-on', 'info']);
    expect(badLevel.code).toBe(2);

    const unknown = await runCli(['doctor', fixture('clean'), '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--frobnicate');
    expect(unknown.stdout).toBe('');
  });

  it('--help and --version exit 0', async () => {
    const help = await runCli(['doctor', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('--output', () => {
  it('writes the report to the file, not stdout, and leaves no temporary file behind', async () => {
    const out = tempDir();
    const target = path.join(out, 'report.json');
    fs.writeFileSync(target, 'an older report');
    const run = await runCli(['doctor', fixture('errors'), '--format', 'json', '--output', target]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('2 findings written to');
    const report = JSON.parse(fs.readFileSync(target, 'utf8'));
    expect(report.summary.errors).toBe(2);
    expect(fs.readdirSync(out)).toEqual(['report.json']);
  });

  it('exits 2 with a clear message when the report cannot be written', async () => {
    const target = path.join(tempDir(), 'no-such-folder', 'report.sarif');
    const run = await runCli(['doctor', fixture('clean'), '--format', 'sarif', '--output', target]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot write the report to ${target}`);
    expect(run.stderr).toContain('the folder does not exist');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('keeps the previous file intact when a write fails halfway', () => {
    const out = tempDir();
    const target = path.join(out, 'report.json');
    fs.writeFileSync(target, 'previous report');
    vi.spyOn(fs, 'writeFileSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    expect(() => writeFileAtomic(target, 'new report')).toThrow(/ENOSPC/);
    vi.restoreAllMocks();
    expect(fs.readFileSync(target, 'utf8')).toBe('previous report');
    expect(fs.readdirSync(out)).toEqual(['report.json']);
  });
});
