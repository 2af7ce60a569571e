// Baselines: written when absent, then only new findings are reported; matching survives unrelated
// edits; entries that match nothing are pointed at; the file is stable, sorted JSON; writing it
// keeps symlinks and permissions and never overwrites a read-only file.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tempDir } from './helpers.js';

function copyExample(): string {
  const dest = path.join(tempDir('baseline'), 'app');
  fs.cpSync(path.join(FIXTURES, 'examples/podcast-player'), dest, { recursive: true });
  return dest;
}

async function doctor(dir: string, args: string[], cwd = dir) {
  const run = await runCli(['doctor', dir, '--format', 'json', ...args], { cwd });
  const report = run.stdout ? JSON.parse(run.stdout) : null;
  return { ...run, report, where: report ? report.findings.map((f: any) => `${f.file}:${f.line} ${f.ruleId}`) : [] };
}

const SWIFT = 'ios/Podcast/EpisodePlayer.swift';

function edit(dir: string, rel: string, change: (s: string) => string): void {
  const p = path.join(dir, rel);
  const before = fs.readFileSync(p, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`edit of ${rel} changed nothing`);
  fs.writeFileSync(p, after);
}

describe('doctor --baseline', () => {
  it('writes the baseline when it does not exist, passes, and then reports nothing for the same code', async () => {
    const dir = copyExample();
    const base = path.join(dir, 'audiobg-baseline.json');
    const plain = await doctor(dir, []);
    expect(plain.code).toBe(1);
    const total = plain.report.findings.length;
    expect(total).toBeGreaterThan(5);

    const first = await doctor(dir, ['--baseline', 'audiobg-baseline.json']);
    expect(first.code).toBe(0);
    expect(first.report.findings).toEqual([]);
    expect(first.report.summary.baselined).toBe(total);
    expect(first.stderr).toContain(`wrote baseline audiobg-baseline.json with ${total} findings`);
    const written = JSON.parse(fs.readFileSync(base, 'utf8'));
    expect(written.version).toBe(1);
    expect(written.findings).toHaveLength(total);
    expect(Object.keys(written.findings[0])).toEqual(['rule', 'file', 'fingerprint', 'message']);

    const second = await doctor(dir, ['--baseline', base]);
    expect(second.code).toBe(0);
    expect(second.report.findings).toEqual([]);
    expect(second.report.summary.baselined).toBe(total);
    expect(second.stderr).toBe('');
  });

  it('writes stable, sorted JSON: the same findings give the same bytes, one entry per line', async () => {
    const dir = copyExample();
    const base = path.join(dir, 'b.json');
    await doctor(dir, ['--baseline', base]);
    const once = fs.readFileSync(base, 'utf8');
    await doctor(dir, ['--baseline', base, '--update-baseline']);
    expect(fs.readFileSync(base, 'utf8')).toBe(once);
    const entries = JSON.parse(once).findings as { file: string; rule: string }[];
    const keys = entries.map((e) => `${e.file}\0${e.rule}`);
    expect(keys).toEqual([...keys].sort());
    // Every entry is on its own line, so a review diff shows one line per accepted finding.
    expect(once.split('\n').filter((l) => l.trim().startsWith('{"rule"'))).toHaveLength(entries.length);
  });

  it('survives unrelated edits: lines inserted above and a flagged line re-indented', async () => {
    const dir = copyExample();
    await doctor(dir, ['--baseline', 'b.json']);
    edit(dir, SWIFT, (s) => `// A header comment added later.\n// Another one.\n\n${s.replace('            options: [', '              options: [')}`);
    edit(dir, 'android/app/src/main/AndroidManifest.xml', (s) => s.replace('<application', '<!-- reviewed -->\n    <application'));
    const after = await doctor(dir, ['--baseline', 'b.json']);
    expect(after.where).toEqual([]);
    expect(after.code).toBe(0);
  });

  it('reports a new finding, and only it, and fails the run', async () => {
    const dir = copyExample();
    await doctor(dir, ['--baseline', 'b.json']);
    // A second, new mistake in a file that already had baselined ones.
    edit(dir, SWIFT, (s) => s.replace('    func play(', '    func duck() {\n        try? AVAudioSession.sharedInstance().setCategory(.ambient)\n    }\n\n    func play('));
    const after = await doctor(dir, ['--baseline', 'b.json', '--fail-on', 'warning']);
    // The ignored error of the new setCategory call is new; the same rule's older findings in
    // this file stay accepted.
    expect(after.where).toEqual([`${SWIFT}:20 ios/session-error-ignored`]);
    expect(after.code).toBe(1);
  });

  it('points at entries that match nothing any more, without failing, and --update-baseline drops them', async () => {
    const dir = copyExample();
    const base = path.join(dir, 'b.json');
    await doctor(dir, ['--baseline', base]);
    const before = JSON.parse(fs.readFileSync(base, 'utf8')).findings.length;
    // Fix one finding: declare a valid background mode instead of the misspelled one.
    const plist = 'ios/Podcast/Info.plist';
    const plistText = fs.readFileSync(path.join(dir, plist), 'utf8');
    const plain = await doctor(dir, []);
    const unknown = plain.report.findings.find((f: any) => f.ruleId === 'ios/background-mode-unknown');
    const badLine = plistText.split('\n')[unknown.line - 1]!;
    edit(dir, plist, (s) => s.replace(badLine, badLine.replace(/<string>[^<]*<\/string>/, '<string>fetch</string>')));

    const after = await doctor(dir, ['--baseline', base]);
    expect(after.code).toBe(0);
    const stale = after.report.findings.filter((f: any) => f.ruleId === 'audiobg/unused-baseline-entry');
    expect(stale).toHaveLength(1);
    expect(stale[0].severity).toBe('info');
    expect(stale[0].message).toContain('ios/background-mode-unknown');
    // It points at the entry's own line in the baseline file.
    const entryLine = fs.readFileSync(base, 'utf8').split('\n')[stale[0].line - 1]!;
    expect(entryLine).toContain('"rule":"ios/background-mode-unknown"');
    expect(after.stderr).toContain('1 baseline entry matches no finding; run with --update-baseline');

    await doctor(dir, ['--baseline', base, '--update-baseline']);
    expect(JSON.parse(fs.readFileSync(base, 'utf8')).findings.length).toBe(before - 1);
    const clean = await doctor(dir, ['--baseline', base]);
    expect(clean.where).toEqual([]);
  });

  it('matches when the run starts from another folder (paths are relative to the baseline file)', async () => {
    const dir = copyExample();
    const base = path.join(dir, 'b.json');
    await doctor(dir, ['--baseline', base]);
    // Only the iOS app this time, started from its folder: different root, same findings.
    const ios = await doctor(path.join(dir, 'ios'), ['--baseline', base]);
    expect(ios.report.findings.filter((f: any) => f.ruleId !== 'audiobg/unused-baseline-entry')).toEqual([]);
  });

  it('reads "baseline" from audiobg.config.json, relative to the config file', async () => {
    const dir = copyExample();
    fs.mkdirSync(path.join(dir, 'ci'));
    fs.writeFileSync(path.join(dir, 'audiobg.config.json'), JSON.stringify({ baseline: 'ci/audiobg-baseline.json' }));
    const first = await doctor(dir, []);
    expect(first.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'ci/audiobg-baseline.json'))).toBe(true);
    const again = await doctor(dir, []);
    expect(again.report.findings).toEqual([]);
    expect(again.report.summary.baselined).toBeGreaterThan(5);
  });

  it('is a usage error (exit 2, file:line:column) when the baseline is not one', async () => {
    const dir = copyExample();
    fs.writeFileSync(path.join(dir, 'b.json'), '{\n  "version": 1,\n  "findings": [ { "rule": 3 } ]\n}\n');
    const bad = await runCli(['doctor', dir, '--baseline', path.join(dir, 'b.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/b\.json:3:\d+: baseline entry without a string "rule"/);

    fs.writeFileSync(path.join(dir, 'c.json'), '{ "version": 7, "findings": [] }');
    const version = await runCli(['doctor', dir, '--baseline', path.join(dir, 'c.json')]);
    expect(version.code).toBe(2);
    expect(version.stderr).toContain('unsupported baseline version 7');

    fs.writeFileSync(path.join(dir, 'd.json'), '{ "version": 1, "findings": [ ');
    expect((await runCli(['doctor', dir, '--baseline', path.join(dir, 'd.json')])).code).toBe(2);

    fs.writeFileSync(path.join(dir, 'audiobg.config.json'), '{ "baseline": 5 }');
    const cfg = await runCli(['doctor', dir]);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toContain('"baseline" must be the path of the baseline file');
  });

  it('--update-baseline without a baseline file is a usage error', async () => {
    const dir = copyExample();
    const run = await runCli(['doctor', dir, '--update-baseline']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--update-baseline needs a baseline file');
  });

  it('writes through a symlinked baseline, keeps its mode, and refuses a read-only one', async () => {
    const dir = copyExample();
    const real = path.join(dir, 'shared', 'baseline.json');
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, '{ "version": 1, "findings": [] }\n');
    fs.chmodSync(real, 0o640);
    const link = path.join(dir, 'b.json');
    fs.symlinkSync(path.join('shared', 'baseline.json'), link);

    await doctor(dir, ['--baseline', link, '--update-baseline']);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(fs.readFileSync(real, 'utf8')).findings.length).toBeGreaterThan(5);
    expect(fs.statSync(real).mode & 0o777).toBe(0o640);

    fs.chmodSync(real, 0o444);
    const kept = fs.readFileSync(real, 'utf8');
    edit(dir, SWIFT, (s) => `// changed\n${s}`);
    const refused = await runCli(['doctor', dir, '--baseline', link, '--update-baseline']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the file is read-only');
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.readFileSync(real, 'utf8')).toBe(kept);
    expect(fs.readdirSync(path.dirname(real))).toEqual(['baseline.json']); // no temporary file left
  });

  it('is listed by `audiobg rules` and explained', async () => {
    const run = await runCli(['explain', 'audiobg/unused-baseline-entry']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--update-baseline');
  });
});
