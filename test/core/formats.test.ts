// The pretty, json and github reporters, and `audiobg rules` / `audiobg explain`.

import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CORE_FIXTURES, REPO_ROOT, doctorJson, runCli, tempDir, write } from './helpers.js';
import { escapeData, escapeProperty } from '../../src/report/github-reporter.js';
import { useColor } from '../../src/cli/doctor-command.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const fixture = (name: string) => path.join(CORE_FIXTURES, name);
const ANSI = /\u001b\[/;

describe('pretty', () => {
  it('groups findings by file, with a code frame and what / why / fix / docs', async () => {
    const run = await runCli(['doctor', fixture('errors')]);
    expect(run.code).toBe(1);
    const out = run.stdout;
    expect(out).not.toMatch(ANSI);
    const manifest = out.indexOf('android/app/src/main/AndroidManifest.xml\n');
    const plist = out.indexOf('ios/Player/Info.plist\n');
    expect(manifest).toBeGreaterThanOrEqual(0);
    expect(plist).toBeGreaterThan(manifest);
    const block = out.slice(manifest, plist);
    expect(block).toContain('  9:5     error  malformed XML: unexpected close tag: </application> does not close <service>  audiobg/parse-error\n');
    // Code frame: the line before, the flagged line, a caret under the column.
    expect(block).toContain('    8 |             <!-- the closing </service> tag was lost in a merge -->\n');
    expect(block).toContain('  > 9 |     </application>\n');
    expect(block).toContain('      |     ^^^^^^^^^^^^^^\n');
    expect(block).toMatch(/\n {4}why {2}audiobg cannot vouch/);
    expect(block).toMatch(/\n {4}fix {2}Fix the syntax error/);
    expect(block).toContain('    docs audiobg: configuration and ignore globs: https://github.com/audiobg/audiobg#configuration');
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^✖ 2 errors, 0 warnings in 2 files/);
  });

  it('a clean run ends with a single success line; notes go to stderr, never stdout', async () => {
    const run = await runCli(['doctor', fixture('clean')]);
    expect(run.stdout).toMatch(/^✔ 0 errors, 0 warnings in 4 files \(.*\)\n$/);
    const bare = await runCli(['doctor', fixture('warnings')]);
    expect(bare.stdout).not.toContain('no iOS or Android app was recognised');
    expect(bare.stderr).toContain('no iOS or Android app was recognised');
  });

  it('colours on a TTY, with FORCE_COLOR; never with --no-color, NO_COLOR or --output', async () => {
    const dir = fixture('errors');
    expect((await runCli(['doctor', dir], { isTTY: true })).stdout).toMatch(ANSI);
    expect((await runCli(['doctor', dir], { isTTY: false, env: { FORCE_COLOR: '1' } })).stdout).toMatch(ANSI);
    expect((await runCli(['doctor', dir], { isTTY: false })).stdout).not.toMatch(ANSI);
    expect((await runCli(['doctor', dir, '--no-color'], { isTTY: true })).stdout).not.toMatch(ANSI);
    expect((await runCli(['doctor', dir, '--no-color'], { isTTY: true, env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await runCli(['doctor', dir], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await runCli(['doctor', dir], { isTTY: true, env: { NO_COLOR: '1', FORCE_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await runCli(['doctor', dir], { isTTY: true, env: { TERM: 'dumb' } })).stdout).not.toMatch(ANSI);
    const out = path.join(tempDir(), 'report.txt');
    await runCli(['doctor', dir, '--output', out], { isTTY: true, env: { FORCE_COLOR: '1' } });
    expect(fs.readFileSync(out, 'utf8')).not.toMatch(ANSI);
  });

  it('useColor follows no-color.org: an empty NO_COLOR does not count, FORCE_COLOR=0 turns colour off', () => {
    expect(useColor({ env: { NO_COLOR: '' }, isTTY: true }, true)).toBe(true);
    expect(useColor({ env: { FORCE_COLOR: '0' }, isTTY: true }, true)).toBe(false);
    expect(useColor({ env: { FORCE_COLOR: 'false' }, isTTY: true }, true)).toBe(false);
  });

  it('control characters in source lines are shown as U+FFFD, never sent to the terminal', async () => {
    const dir = tempDir('pretty');
    write(dir, 'Evil.swift', '// audiobg-ignore-next-line audiobg/parse-error -- \u001b[2J\u001b]0;pwned\u0007\nlet x = 1\n');
    const run = await runCli(['doctor', dir]);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(run.stdout).toContain('-- \ufffd[2J\ufffd]0;pwned\ufffd');
  });
});

describe('json', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs/report.schema.json'), 'utf8'));
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  const validate = ajv.compile(schema);

  it.each(['clean', 'errors', 'warnings', 'suppressions'])('the %s report matches docs/report.schema.json', async (name) => {
    const run = await doctorJson(fixture(name));
    const ok = validate(run.report);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('has the documented shape and values', async () => {
    const run = await doctorJson(fixture('errors'));
    const r = run.report;
    expect(Object.keys(r)).toEqual(['schemaVersion', 'tool', 'root', 'exitCode', 'summary', 'quiet', 'internalErrors', 'apps', 'findings']);
    expect(r.schemaVersion).toBe(1);
    expect(r.tool).toEqual({ name: 'audiobg', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(r.root).toBe(fixture('errors'));
    expect(r.summary).toEqual({ errors: 2, warnings: 0, infos: 0, suppressed: 0, baselined: 0, filesChecked: 2 });
    const f = r.findings[0]!;
    expect(Object.keys(f)).toEqual(['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'why', 'fix', 'fixable', 'docs', 'related', 'fingerprint']);
    expect(f).toMatchObject({ ruleId: 'audiobg/parse-error', severity: 'error', file: 'android/app/src/main/AndroidManifest.xml', line: 9, column: 5 });
  });

  it('the example in docs/json-format.md matches the schema too', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/json-format.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    expect(validate(JSON.parse(example))).toBe(true);
  });

  it('several folders: paths are relative to the working directory holding them all; overlaps count once', async () => {
    const run = await runCli(['doctor', fixture('errors'), fixture('warnings'), fixture('errors/ios'), '--format', 'json'], { cwd: CORE_FIXTURES });
    const report = JSON.parse(run.stdout);
    expect(report.root).toBe(CORE_FIXTURES);
    expect(report.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([
      'errors/android/app/src/main/AndroidManifest.xml:9',
      'errors/ios/Player/Info.plist:6',
      'warnings/ios/Player/Formatting.swift:6',
    ]);
    // Outside the working directory: their closest common folder.
    const elsewhere = await runCli(['doctor', fixture('errors'), fixture('warnings'), '--format', 'json'], { cwd: tempDir() });
    expect(JSON.parse(elsewhere.stdout).root).toBe(CORE_FIXTURES);
  });

  it('the summary follows --quiet; the exit code does not', async () => {
    const run = await doctorJson(fixture('suppressions'), ['--quiet', '--fail-on', 'warning']);
    expect(run.report.quiet).toBe(true);
    expect(run.report.summary.warnings).toBe(0);
    expect(run.report.exitCode).toBe(1);
  });

  it('is byte-identical from one run to the next', async () => {
    const a = await runCli(['doctor', fixture('suppressions'), '--format', 'json']);
    const b = await runCli(['doctor', fixture('suppressions'), '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('github', () => {
  it('is chosen automatically under GitHub Actions when no format is given', async () => {
    const run = await runCli(['doctor', fixture('errors')], { env: { GITHUB_ACTIONS: 'true' } });
    expect(run.stdout.split('\n')[0]).toMatch(/^::error file=android\/app\/src\/main\/AndroidManifest\.xml,line=9,col=5,title=audiobg audiobg\/parse-error::/);
    const explicit = await runCli(['doctor', fixture('errors'), '--format', 'json'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(() => JSON.parse(explicit.stdout)).not.toThrow();
  });

  it('writes one command per finding: warnings as warning, notes as notice', async () => {
    const run = await runCli(['doctor', fixture('warnings'), '--format', 'github']);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::warning file=ios\/Player\/Formatting\.swift,line=6,col=9,title=audiobg audiobg\/unused-suppression::This suppression/);
    expect(lines[0]).toContain('%0AWhy: ');
    expect(lines[0]).toContain('%0AFix: ');
  });

  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext: a, b');
    expect(escapeProperty('dir,x/a:b%c\nd')).toBe('dir%2Cx/a%3Ab%25c%0Ad');
  });

  it('escapes a file name holding : , and %', async () => {
    const dir = tempDir('gh');
    write(dir, 'odd:name,50%.plist', '<plist>\n<dict>\n');
    const run = await runCli(['doctor', dir, '--format', 'github']);
    expect(run.stdout).toMatch(/^::error file=odd%3Aname%2C50%25\.plist,line=2,col=1,title=audiobg audiobg\/parse-error::malformed XML: unclosed tag: <dict> is never closed%0AWhy: /);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('rules and explain', () => {
  it('rules lists every rule with id, default severity and platform', async () => {
    const run = await runCli(['rules']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id +default +platform +fix +description$/);
    expect(run.stdout).toMatch(/^android\/wake-lock-permission-missing +warning +android +yes +/m);
    expect(run.stdout).toMatch(/^audiobg\/parse-error +error +audiobg +- +A file that matters/m);
    expect(run.stdout).toMatch(/^audiobg\/unused-suppression +warning +audiobg /m);
  });

  it('rules --json gives the metadata of every rule, with unique ids and doc links', async () => {
    const run = await runCli(['rules', '--json']);
    const rules = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['audiobg/parse-error', 'audiobg/unused-suppression', 'audiobg/suppression-without-reason']));
    for (const r of rules) {
      expect(r).toMatchObject({ id: expect.stringMatching(/^[a-z0-9-]+\/[a-z0-9-]+$/), title: expect.any(String), why: expect.any(String), fix: expect.any(String) });
      expect(['error', 'warning', 'info']).toContain(r.severity);
      expect((r.docs as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('explain prints the why, the fix, the docs and how to suppress, for XML too', async () => {
    const run = await runCli(['explain', 'audiobg/unused-suppression']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Why it breaks background audio');
    expect(run.stdout).toContain('// audiobg-ignore-next-line audiobg/unused-suppression -- <why this is intended>');
    expect(run.stdout).toContain('<!-- audiobg-ignore-next-line audiobg/unused-suppression: <why this is intended> -->');
  });
});
