// Parsing workers (`doctor --concurrency`, src/parse/parallel.ts) may change how fast a run is,
// never what it reports. Every fixture project is checked on the main thread alone and with a
// worker that takes every source file, and the reports must agree. Then what must not go wrong:
// a worker that cannot start, --fix's in-memory edits (a worker would read the disk), the fact
// cache filled by workers, and the option's values.
// The workers run the built extractors (dist/audiobg-worker.cjs): `npm test` builds first.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor, type DoctorOptions, type DoctorResult } from '../../src/engine/run-doctor.js';
import { DEFAULT_CONFIG, UsageError } from '../../src/config/load-config.js';
import { buildStamp } from '../../src/parse/fact-cache.js';
import { isCloneableData } from '../../src/parse/parallel.js';
import { parseConcurrency } from '../../src/cli/main.js';
import { FIXTURES, fixtureProjects, unlessNothingToCheck, REPO_ROOT, runCli, tempDir, write } from './helpers.js';

const WORKERS: DoctorOptions['concurrency'] = { threads: 2, explicit: true, workersOnly: true };

function said(r: DoctorResult) {
  return { findings: r.findings, apps: r.apps, suppressed: r.suppressedCount, checked: r.filesChecked, grammars: [...r.grammarsLoaded].sort() };
}

async function check(dir: string, extra: Partial<DoctorOptions> = {}): Promise<DoctorResult> {
  return runDoctor({ paths: [dir], config: DEFAULT_CONFIG, cwd: dir, ...extra });
}

/** Does the folder hold source files a worker would parse? */
function hasSources(dir: string): boolean {
  return fs.readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? e.name !== 'node_modules' && hasSources(path.join(dir, e.name)) : /\.(swift|m|mm|kt|java|dart)$/.test(e.name)));
}

describe('a run with parsing workers reports what a run without them reports', () => {
  it('on every fixture project with sources, the workers doing every source file they are handed', async () => {
    const projects = fixtureProjects(hasSources);
    expect(projects.length).toBeGreaterThan(40);
    let byWorkers = 0;
    let compared = 0;
    for (const dir of projects) {
      const plain = await unlessNothingToCheck(() => check(dir));
      if (!plain) continue;
      const parallel = await check(dir, { concurrency: WORKERS });
      expect({ dir, ...said(parallel) }).toEqual({ dir, ...said(plain) });
      byWorkers += parallel.parallel?.workerFiles ?? 0;
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
    // Not a formality: the workers really made the facts of many files (Swift, Kotlin, Java, Dart).
    expect(byWorkers).toBeGreaterThan(100);
  }, 120_000);

  it('keeps the suppression comments and file problems a worker met', async () => {
    const root = path.join(tempDir('parallel-said'), 'ambient-radio');
    fs.cpSync(path.join(FIXTURES, 'ios', 'ambient-radio'), root, { recursive: true });
    const swift = fs.readdirSync(path.join(root, 'Radio')).find((n) => n.endsWith('.swift'))!;
    const file = path.join(root, 'Radio', swift);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^(\s*)(try session\.setCategory\(\.ambient)/m, '$1// audiobg-ignore-next-line ios/ambient-category -- a chime player\n$1$2'));
    // Not text: reported as a problem by whoever reads it.
    write(root, 'Radio/Broken.swift', Buffer.from([0x41, 0x56, 0x41, 0x75, 0x64, 0x69, 0x6f, 0, 0, 0, 0xff, 0xfe, 0]));
    const plain = await check(root);
    const parallel = await check(root, { concurrency: WORKERS });
    expect(plain.suppressedCount).toBe(1);
    expect(plain.findings.some((f) => f.ruleId === 'audiobg/parse-error')).toBe(true);
    expect(parallel.parallel?.workerFiles).toBe(2);
    expect(said(parallel)).toEqual(said(plain));
  });
});

describe('what must not go wrong with workers', () => {
  it('a worker that cannot start leaves the work to the main thread, with the same report', async () => {
    const entry = write(tempDir('bad-worker'), 'worker.cjs', "throw new Error('this worker does not start');\n");
    const dir = path.join(FIXTURES, 'ios', 'ambient-radio');
    const plain = await check(dir);
    const broken = await check(dir, { concurrency: { ...WORKERS, entry } });
    expect(said(broken)).toEqual(said(plain));
    expect(broken.parallel).toEqual({ threads: 2, workerFiles: 0 });
  });

  it('a worker that never answers does not hang the run once it exits', async () => {
    const entry = write(tempDir('silent-worker'), 'worker.cjs', "setTimeout(() => process.exit(0), 50);\n");
    const dir = path.join(FIXTURES, 'ios', 'ambient-radio');
    const plain = await check(dir);
    const silent = await check(dir, { concurrency: { ...WORKERS, entry } });
    expect(said(silent)).toEqual(said(plain));
  });

  it('a worker that dies holding a job gives it back: the main thread does it', async () => {
    // Claims the last job of the first batch (as a real worker would before parsing it), then dies.
    const entry = write(
      tempDir('dying-worker'),
      'worker.cjs',
      "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (m) => {\n  if (m.type !== 'batch') return;\n  Atomics.compareExchange(m.claims, m.jobs.length - 1, 0, 2);\n  process.exit(1);\n});\n",
    );
    const root = path.join(tempDir('dying-worker-app'), 'ambient-radio');
    fs.cpSync(path.join(FIXTURES, 'ios', 'ambient-radio'), root, { recursive: true });
    write(root, 'Radio/Second.swift', 'import AVFoundation\nfunc second() { try? AVAudioSession.sharedInstance().setCategory(.ambient) }\n');
    const plain = await check(root);
    const dying = await check(root, { concurrency: { ...WORKERS, entry } });
    expect(said(dying)).toEqual(said(plain));
    expect(dying.parallel).toEqual({ threads: 2, workerFiles: 0 });
  });

  it("--fix's in-memory contents are read on the main thread, never from the disk by a worker", async () => {
    const dir = path.join(FIXTURES, 'ios', 'avplayer-only');
    const file = path.join(dir, 'Lectures', 'LecturePlayer.swift');
    const edited = fs.readFileSync(file, 'utf8').replace('setCategory(.playback)', 'setCategory(.ambient)');
    expect(edited).toContain('.ambient');
    const overlay = new Map([[file, new Uint8Array(Buffer.from(edited))]]);
    const serial = await check(dir, { overlay });
    const parallel = await check(dir, { overlay, concurrency: WORKERS });
    expect(serial.findings.some((f) => f.ruleId === 'ios/ambient-category-with-background-mode' || /ambient/i.test(f.message))).toBe(true);
    expect(said(parallel)).toEqual(said(serial));
  });

  it('facts made by workers go into the fact cache, with the content hash a fresh checkout needs', async () => {
    const src = path.join(FIXTURES, 'ios', 'ambient-radio');
    const dir = path.join(tempDir('parallel-cache'), 'ambient-radio');
    fs.cpSync(src, dir, { recursive: true });
    const cache = { location: path.join(tempDir('parallel-cache-dir'), 'facts.json'), build: buildStamp('parallel-test') };
    const cold = await check(dir, { cache, concurrency: WORKERS });
    expect(cold.parallel?.workerFiles).toBeGreaterThan(0);
    const warm = await check(dir, { cache });
    expect(warm.cache?.reused).toBeGreaterThan(0);
    expect(said(warm)).toEqual(said(cold));
    // With everything in the cache there is nothing to parse, so no worker is started.
    const warmWithWorkers = await check(dir, { cache, concurrency: WORKERS });
    expect(warmWithWorkers.parallel).toBeUndefined();
    expect(said(warmWithWorkers)).toEqual(said(cold));
    // New times, same contents (a fresh CI checkout): still reused, through the hashes the workers sent.
    const later = new Date(Date.now() + 60_000);
    const touch = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) touch(p);
        else fs.utimesSync(p, later, later);
      }
    };
    touch(dir);
    const checkout = await check(dir, { cache });
    expect(checkout.cache?.reused).toBe(warm.cache?.reused);
    expect(said(checkout)).toEqual(said(cold));
  });

  it('only plain data crosses to the main thread', () => {
    expect(isCloneableData({ a: [1, 'x', null, undefined, true], m: new Map([['k', { v: new Set([1]) }]]) })).toBe(true);
    const shared = { x: 1 };
    expect(isCloneableData({ one: shared, two: shared })).toBe(true);
    expect(isCloneableData({ f: () => 1 })).toBe(false);
    expect(isCloneableData({ d: new Date() })).toBe(false);
    class Fact {
      x = 1;
    }
    expect(isCloneableData([new Fact()])).toBe(false);
  });
});

describe('--concurrency', () => {
  it('takes a number of threads, auto or off, and refuses anything else', () => {
    expect(parseConcurrency('auto')).toBe('auto');
    expect(parseConcurrency('off')).toEqual({ threads: 1, explicit: true });
    expect(parseConcurrency('3')).toEqual({ threads: 3, explicit: true });
    expect(parseConcurrency('16')).toEqual({ threads: 16, explicit: true });
    for (const bad of ['0', '-1', 'two', '1.5', '17']) expect(() => parseConcurrency(bad)).toThrow(UsageError);
  });

  it('the CLI gives the same report with two threads as with one', async () => {
    const dir = path.join(FIXTURES, 'ios', 'ambient-radio');
    const one = await runCli(['doctor', dir, '--format', 'json', '--concurrency', 'off'], { cwd: REPO_ROOT });
    const two = await runCli(['doctor', dir, '--format', 'json', '--concurrency', '2'], { cwd: REPO_ROOT });
    expect(two.code).toBe(one.code);
    expect(JSON.parse(two.stdout).findings).toEqual(JSON.parse(one.stdout).findings);
    const bad = await runCli(['doctor', dir, '--concurrency', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--concurrency expects/);
  });
});
