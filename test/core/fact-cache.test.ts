// `doctor --cache`: per-file facts kept between runs. The cache may change how fast a run is,
// never what it reports: every fixture app is checked without a cache, with a cold one and with a
// warm one, and the three reports must agree. Then the ways a cache goes wrong: an edited file,
// a corrupt or foreign cache file, a location that cannot be written, and --fix's in-memory edits.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor, type DoctorResult } from '../../src/engine/run-doctor.js';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { buildStamp, cacheFileFor, decodeShared, defaultCacheDir, encodeShared, isPlainData } from '../../src/parse/fact-cache.js';
import { CORE_FIXTURES, FIXTURES, fixtureProjects, unlessNothingToCheck, runCli, tempDir, write } from './helpers.js';

const BUILD = buildStamp('test');

/** What a report says, without the parts that differ between runs by design. */
function said(r: DoctorResult) {
  return {
    findings: r.findings.map((f) => ({ ...f })),
    apps: r.apps,
    suppressed: r.suppressedCount,
    checked: r.filesChecked,
  };
}

async function check(dir: string, cacheDir?: string, overlay?: ReadonlyMap<string, Uint8Array>) {
  return runDoctor({ paths: [dir], config: DEFAULT_CONFIG, cwd: dir, overlay, ...(cacheDir ? { cache: { location: cacheDir + path.sep, build: BUILD } } : {}) });
}

describe('a run with the fact cache reports what a run without it reports', () => {
  it('on every fixture project: no cache, a cold cache and a warm cache agree, and the warm run reuses facts', async () => {
    const projects = fixtureProjects();
    expect(projects.length).toBeGreaterThan(50);
    let reusedSomewhere = 0;
    let compared = 0;
    for (const dir of projects) {
      const plain = await unlessNothingToCheck(() => check(dir));
      if (!plain) continue;
      const cacheDir = tempDir('cache');
      const cold = await check(dir, cacheDir);
      const warm = await check(dir, cacheDir);
      expect({ dir, ...said(cold) }).toEqual({ dir, ...said(plain) });
      expect({ dir, ...said(warm) }).toEqual({ dir, ...said(plain) });
      expect(cold.cache?.reused).toBe(0);
      expect(cold.cache?.error).toBeNull();
      if (warm.cache!.reused > 0) reusedSomewhere++;
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
    // Most fixture projects have Swift, Kotlin, Java or Dart sources whose facts are reused.
    expect(reusedSomewhere).toBeGreaterThan(compared / 2);
  }, 120_000);

  it('an unchanged file is not read again: its facts come from the cache even when it becomes unreadable', async () => {
    const dir = tempDir('cache-unread');
    fs.cpSync(path.join(FIXTURES, 'examples', 'podcast-player'), dir, { recursive: true });
    // Whole seconds, so that the time set again below is exactly the time the cache recorded.
    const sources = listFiles(dir).filter((p) => p.endsWith('.swift') || p.endsWith('.kt'));
    expect(sources.length).toBeGreaterThan(0);
    const victim = sources.find((p) => p.endsWith('.swift'))!;
    const when = new Date('2026-01-02T03:04:05Z');
    fs.utimesSync(victim, when, when);
    const cacheDir = tempDir('cache');
    const cold = await check(dir, cacheDir);
    const swift = cold.findings.find((f) => f.location.file.endsWith('.swift'))?.location.file ?? null;
    // Replace the source's contents with bytes that would be a problem, keeping its size and time.
    fs.writeFileSync(victim, Buffer.alloc(fs.statSync(victim).size, 0));
    fs.utimesSync(victim, when, when);
    const warm = await check(dir, cacheDir);
    expect(warm.cache!.reused).toBeGreaterThan(0);
    expect(warm.findings.filter((f) => f.ruleId !== 'audiobg/parse-error').map((f) => f.ruleId)).toEqual(
      cold.findings.filter((f) => f.ruleId !== 'audiobg/parse-error').map((f) => f.ruleId),
    );
    expect(swift === null || warm.findings.some((f) => f.location.file === swift)).toBe(true);
  });
});

describe('a changed file is read again', () => {
  it('an edit (a new modification time) replaces the stored facts: a finding fixed in the source disappears', async () => {
    const dir = tempDir('cache-edit');
    write(dir, 'Player/Info.plist', plist(['audio']));
    const src = write(dir, 'Player/Audio.swift', swift('.ambient'));
    const cacheDir = tempDir('cache');
    const before = await check(dir, cacheDir);
    expect(before.findings.map((f) => f.ruleId)).toContain('ios/ambient-category');
    // Same length, other category: only the modification time and the contents tell them apart.
    fs.writeFileSync(src, swift('.playback'.padEnd('.ambient'.length)));
    const later = new Date(fs.statSync(src).mtimeMs + 5000);
    fs.utimesSync(src, later, later);
    const after = await check(dir, cacheDir);
    expect(after.findings.map((f) => f.ruleId)).not.toContain('ios/ambient-category');
    expect(after.cache!.reused).toBe(0);
    // And a third run takes the new facts from the cache.
    const third = await check(dir, cacheDir);
    expect(third.cache!.reused).toBe(1);
    expect(said(third)).toEqual(said(after));
  });

  it('a new time with the same contents (a fresh CI checkout) still reuses the facts, by content hash, without parsing', async () => {
    const dir = tempDir('cache-touch');
    write(dir, 'Player/Info.plist', plist(['audio']));
    const src = write(dir, 'Player/Audio.swift', swift('.ambient'));
    const cacheDir = tempDir('cache');
    const first = await check(dir, cacheDir);
    const later = new Date(fs.statSync(src).mtimeMs + 60_000);
    fs.utimesSync(src, later, later);
    const second = await check(dir, cacheDir);
    expect(second.cache!.reused).toBe(1);
    expect(said(second)).toEqual(said(first));
    // The new time is stored, so the run after that needs no hashing either.
    expect(readCache(second).files['Player/Audio.swift']).toMatchObject({ mtimeMs: fs.statSync(src).mtimeMs });
  });

  it('a file deleted since the last run is dropped from the cache', async () => {
    const dir = tempDir('cache-delete');
    write(dir, 'Player/Info.plist', plist(['audio']));
    write(dir, 'Player/Audio.swift', swift('.ambient'));
    const gone = write(dir, 'Player/Other.swift', swift('.playback'));
    const cacheDir = tempDir('cache');
    const first = await check(dir, cacheDir);
    expect(Object.keys(readCache(first).files).sort()).toEqual(['Player/Audio.swift', 'Player/Other.swift']);
    fs.rmSync(gone);
    const second = await check(dir, cacheDir);
    expect(Object.keys(readCache(second).files)).toEqual(['Player/Audio.swift']);
  });
});

describe('problems and suppressions survive the cache', () => {
  it('a binary .swift file is reported on the warm run too, once', async () => {
    const dir = tempDir('cache-binary');
    write(dir, 'Player/Info.plist', plist(['audio']));
    write(dir, 'Player/Audio.swift', swift('.ambient'));
    write(dir, 'Player/Blob.swift', Buffer.from([0, 1, 2, 3, 0, 0xff, 0xfe, 0, 7]));
    const cacheDir = tempDir('cache');
    const cold = await check(dir, cacheDir);
    const warm = await check(dir, cacheDir);
    const blob = (r: DoctorResult) => r.findings.filter((f) => f.location.file.endsWith('Blob.swift')).map((f) => `${f.ruleId} ${f.message}`);
    expect(blob(cold)).toHaveLength(1);
    expect(blob(warm)).toEqual(blob(cold));
    expect(warm.cache!.reused).toBe(2);
  });

  it('a suppression in a cached file still suppresses, and a stale one is still reported', async () => {
    const dir = tempDir('cache-suppress');
    write(dir, 'Player/Info.plist', plist(['audio']));
    write(
      dir,
      'Player/Audio.swift',
      `import AVFoundation

func start() throws {
    // audiobg-ignore-next-line ios/ambient-category -- sound effects only
    try AVAudioSession.sharedInstance().setCategory(.ambient)
    // audiobg-ignore-next-line ios/no-such-rule -- stale
    let x = 1
}
`,
    );
    const cacheDir = tempDir('cache');
    const cold = await check(dir, cacheDir);
    const warm = await check(dir, cacheDir);
    expect(cold.suppressedCount).toBe(1);
    expect(cold.findings.map((f) => `${f.location.line} ${f.ruleId}`)).toEqual(['6 audiobg/unused-suppression']);
    expect(said(warm)).toEqual(said(cold));
    expect(readCache(warm).files['Player/Audio.swift']!.comments).toHaveLength(2);
  });
});

describe('the suppression scan on a filled cache', () => {
  it('files read only to look for directives (scripts outside any app, sources the prefilter turned away) are not read again', async () => {
    const dir = tempDir('cache-directives');
    write(dir, 'Player/Info.plist', plist(['audio']));
    write(dir, 'Player/Audio.swift', swift('.playback'));
    const directive = '// audiobg-ignore-next-line ios/ambient-category -- x\nexport const a = 1;\n';
    const plain = '// a plain comment, nothing to see in this file\n'.padEnd(directive.length - 1, '-') + '\n';
    expect(plain.length).toBe(directive.length);
    const when = new Date('2026-01-02T03:04:05Z');
    for (const rel of ['web/util.ts', 'Player/Model.swift']) {
      const p = write(dir, rel, plain);
      fs.utimesSync(p, when, when);
    }
    const cacheDir = tempDir('cache');
    const cold = await check(dir, cacheDir);
    expect(cold.findings.filter((f) => f.ruleId === 'audiobg/unused-suppression')).toEqual([]);
    // Same size, same time, other contents: a run that read them would report two unused directives.
    for (const rel of ['web/util.ts', 'Player/Model.swift']) {
      fs.writeFileSync(path.join(dir, rel), directive);
      fs.utimesSync(path.join(dir, rel), when, when);
    }
    const warm = await check(dir, cacheDir);
    expect(warm.findings.filter((f) => f.ruleId === 'audiobg/unused-suppression')).toEqual([]);
    // Near miss: a new time makes them read, and the directives are found.
    const later = new Date('2026-01-02T03:05:05Z');
    for (const rel of ['web/util.ts', 'Player/Model.swift']) fs.utimesSync(path.join(dir, rel), later, later);
    const touched = await check(dir, cacheDir);
    expect(touched.findings.filter((f) => f.ruleId === 'audiobg/unused-suppression').map((f) => path.basename(f.location.file)).sort()).toEqual(['Model.swift', 'util.ts']);
  });
});

describe('a cache that cannot be trusted or written is ignored', () => {
  it('a corrupt cache file is ignored and rewritten', async () => {
    const dir = tempDir('cache-corrupt');
    write(dir, 'Player/Info.plist', plist(['audio']));
    write(dir, 'Player/Audio.swift', swift('.ambient'));
    const cacheFile = path.join(tempDir('cache'), 'facts.json');
    fs.writeFileSync(cacheFile, '{"format": 1, "files": {"Player/Audio.swift": ');
    const r = await runDoctor({ paths: [dir], config: DEFAULT_CONFIG, cwd: dir, cache: { location: cacheFile, build: BUILD } });
    expect(r.findings.map((f) => f.ruleId)).toContain('ios/ambient-category');
    expect(r.cache).toMatchObject({ file: cacheFile, reused: 0, error: null });
    expect(Object.keys(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).files)).toEqual(['Player/Audio.swift']);
  });

  it('a cache written by another audiobg build, or for another folder, is not used', async () => {
    const dir = tempDir('cache-build');
    write(dir, 'Player/Info.plist', plist(['audio']));
    write(dir, 'Player/Audio.swift', swift('.ambient'));
    const cacheFile = path.join(tempDir('cache'), 'facts.json');
    await runDoctor({ paths: [dir], config: DEFAULT_CONFIG, cwd: dir, cache: { location: cacheFile, build: 'other-build' } });
    const r = await runDoctor({ paths: [dir], config: DEFAULT_CONFIG, cwd: dir, cache: { location: cacheFile, build: BUILD } });
    expect(r.cache!.reused).toBe(0);
    const copy = tempDir('cache-other-root');
    fs.cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
    const elsewhere = await runDoctor({ paths: [copy], config: DEFAULT_CONFIG, cwd: copy, cache: { location: cacheFile, build: BUILD } });
    expect(elsewhere.cache!.reused).toBe(0);
  });

  it('a stored value with the wrong shape is recomputed, not trusted', async () => {
    const dir = tempDir('cache-shape');
    write(dir, 'Player/Info.plist', plist(['audio']));
    write(dir, 'Player/Audio.swift', swift('.ambient'));
    const cacheFile = path.join(tempDir('cache'), 'facts.json');
    const first = await runDoctor({ paths: [dir], config: DEFAULT_CONFIG, cwd: dir, cache: { location: cacheFile, build: BUILD } });
    const stored = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    stored.files['Player/Audio.swift'].values = 'not an object';
    fs.writeFileSync(cacheFile, JSON.stringify(stored));
    const r = await runDoctor({ paths: [dir], config: DEFAULT_CONFIG, cwd: dir, cache: { location: cacheFile, build: BUILD } });
    expect(r.cache!.reused).toBe(0);
    expect(said(r)).toEqual(said(first));
  });

  it('a location that cannot be written leaves the run complete, with a note (CLI exit code unchanged)', async () => {
    const dir = tempDir('cache-ro');
    write(dir, 'Player/Info.plist', plist(['audio']));
    write(dir, 'Player/Audio.swift', swift('.playback'));
    const blocker = write(tempDir('cache'), 'not-a-folder', 'x');
    const location = path.join(blocker, 'cache.json'); // a file where a folder would have to be
    const r = await runDoctor({ paths: [dir], config: DEFAULT_CONFIG, cwd: dir, cache: { location, build: BUILD } });
    expect(r.cache!.error).toMatch(/ENOTDIR|EEXIST|not a directory/i);
    expect(r.findings).toEqual((await check(dir)).findings);
    const cli = await runCli(['doctor', dir, '--cache-location', location], { cwd: dir });
    const plain = await runCli(['doctor', dir], { cwd: dir });
    expect(cli.code).toBe(plain.code);
    expect(cli.stderr).toMatch(/the cache was not written \(.+\); this run is complete without it/);
  });

  it('in-memory edits (--fix-dry-run) are checked as edited, never answered from the cache', async () => {
    const dir = tempDir('cache-overlay');
    write(dir, 'Player/Info.plist', plist(['audio']));
    const src = write(dir, 'Player/Audio.swift', swift('.ambient'));
    const cacheDir = tempDir('cache');
    await check(dir, cacheDir);
    const overlay = new Map([[src, Buffer.from(swift('.playback'))]]);
    const r = await check(dir, cacheDir, overlay);
    expect(r.findings.map((f) => f.ruleId)).not.toContain('ios/ambient-category');
    // ...and the edit in memory did not replace what the cache knows of the file on disk.
    const again = await check(dir, cacheDir);
    expect(again.findings.map((f) => f.ruleId)).toContain('ios/ambient-category');
    expect(again.cache!.reused).toBe(1);
  });
});

describe('where the cache lives', () => {
  it('defaults to $XDG_CACHE_HOME/audiobg, else ~/.cache/audiobg (on Linux), one file per checked folder', () => {
    if (process.platform !== 'linux') return;
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/u')).toBe('/x/cache/audiobg');
    expect(defaultCacheDir({}, '/home/u')).toBe('/home/u/.cache/audiobg');
    const a = cacheFileFor('/repo/a', undefined, '/', { XDG_CACHE_HOME: '/x' });
    const b = cacheFileFor('/repo/b', undefined, '/', { XDG_CACHE_HOME: '/x' });
    expect(path.dirname(a)).toBe('/x/audiobg');
    expect(a).not.toBe(b);
  });

  it('a location with a trailing separator, or an existing folder, holds one file per root; otherwise it is the file', () => {
    const folder = tempDir('cache-loc');
    expect(path.dirname(cacheFileFor('/repo/a', folder, '/'))).toBe(folder);
    expect(path.dirname(cacheFileFor('/repo/a', 'ci-cache/', folder))).toBe(path.join(folder, 'ci-cache'));
    expect(cacheFileFor('/repo/a', 'facts.json', folder)).toBe(path.join(folder, 'facts.json'));
  });

  it('only plain data is stored: a Set, a class instance or a non-finite number would not survive JSON', () => {
    expect(isPlainData({ a: [1, 'x', null, { b: true }], c: undefined })).toBe(true);
    expect(isPlainData({ a: new Map([['k', { v: 1 }]]) })).toBe(true);
    expect(isPlainData({ a: new Map([['k', undefined]]) })).toBe(false);
    expect(isPlainData({ a: new Map([['k', new Set()]]) })).toBe(false);
    expect(isPlainData([new Set()])).toBe(false);
    expect(isPlainData({ d: new Date() })).toBe(false);
    expect(isPlainData({ n: Infinity })).toBe(false);
    expect(isPlainData([undefined])).toBe(false);
    expect(isPlainData({ '\u0000id': 1 })).toBe(false);
  });

  it('shared parts stay shared: an object listed twice comes back as one object, cycles included', () => {
    const call = { name: 'stopForeground', args: [1] };
    const fn: Record<string, unknown> = { name: 'pause', calls: [call] };
    const cls = { functions: [fn], calls: [call], again: fn.calls };
    fn.owner = cls; // a cycle
    expect(isPlainData(cls)).toBe(true);
    const back = decodeShared(JSON.parse(JSON.stringify(encodeShared(cls)))) as typeof cls & { functions: Array<Record<string, any>> };
    expect(back.calls[0]).toBe(back.functions[0]!.calls[0]);
    expect(back.again).toBe(back.functions[0]!.calls);
    expect(back.functions[0]!.owner).toBe(back);
    expect(back.calls[0]).toEqual(call);
    // Unshared data is written as it is.
    expect(encodeShared({ a: [1, { b: 2 }] })).toEqual({ a: [1, { b: 2 }] });
    expect(() => decodeShared({ x: { '\u0000ref': 3 } })).toThrow();
  });

  it('Maps come back as Maps, shared ones as one Map (the Dart facts keep named arguments in them)', () => {
    const named = new Map<string, unknown>([['config', { kind: 'object', type: 'AudioServiceConfig' }], ['n', 2]]);
    const facts = { calls: [{ callee: 'AudioService.init', args: { named } }], again: named, nested: new Map([['inner', new Map([['x', [1]]])]]) };
    expect(isPlainData(facts)).toBe(true);
    const back = decodeShared(JSON.parse(JSON.stringify(encodeShared(facts)))) as typeof facts;
    expect(back.calls[0]!.args.named).toBeInstanceOf(Map);
    expect(back.calls[0]!.args.named.get('config')).toEqual({ kind: 'object', type: 'AudioServiceConfig' });
    expect(back.again).toBe(back.calls[0]!.args.named);
    expect((back.nested.get('inner') as Map<string, unknown>).get('x')).toEqual([1]);
    expect(back).toEqual(facts);
  });

  it("a Flutter app's Dart facts are kept, so a warm run does not parse its Dart files", async () => {
    const dir = path.join(tempDir('dart-cache'), 'jab-late');
    fs.cpSync(path.join(FIXTURES, 'flutter', 'jab-late'), dir, { recursive: true });
    const dart = path.join(dir, 'lib', 'main.dart');
    // Whole seconds, so that the time set again below is exactly the time the cache recorded.
    const when = new Date('2026-01-02T03:04:05Z');
    fs.utimesSync(dart, when, when);
    const cacheDir = tempDir('dart-cache-dir');
    const cold = await check(dir, cacheDir);
    expect(cold.findings.some((f) => f.location.file === dart)).toBe(true);
    const stored = readCache(cold) as unknown as { files: Record<string, { values: Record<string, unknown> }> };
    expect(Object.keys(stored.files['lib/main.dart']!.values)).toEqual(['flutter-dart-facts']);
    // Same size and time, other bytes: had the file been read again, its facts would be gone.
    fs.writeFileSync(dart, Buffer.alloc(fs.statSync(dart).size, 0x20));
    fs.utimesSync(dart, when, when);
    const warm = await check(dir, cacheDir);
    // The same findings (the fingerprint hashes the flagged line's text, which is blanked now).
    const strip = (r: DoctorResult) => r.findings.map(({ fingerprint: _f, ...rest }) => rest);
    expect(strip(warm)).toEqual(strip(cold));
    expect(warm.cache!.reused).toBeGreaterThan(0);
  });
});

describe('the CLI', () => {
  it('--cache-location writes the cache and a second run gives the same report', async () => {
    const dir = path.join(CORE_FIXTURES, 'suppressions');
    const cacheDir = tempDir('cache-cli');
    const first = await runCli(['doctor', dir, '--format', 'json', '--cache-location', cacheDir], { cwd: dir });
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
    const second = await runCli(['doctor', dir, '--format', 'json', '--cache-location', cacheDir], { cwd: dir });
    expect(second.code).toBe(first.code);
    expect(second.stdout).toBe(first.stdout);
  });

  it('--cache uses the default folder under $XDG_CACHE_HOME', async () => {
    const dir = path.join(CORE_FIXTURES, 'suppressions');
    const xdg = tempDir('xdg');
    await runCli(['doctor', dir, '--cache'], { cwd: dir, env: { XDG_CACHE_HOME: xdg } });
    expect(fs.readdirSync(path.join(xdg, 'audiobg'))).toHaveLength(1);
  });
});

function readCache(r: DoctorResult): { files: Record<string, { comments?: unknown[] }> } {
  return JSON.parse(fs.readFileSync(r.cache!.file, 'utf8'));
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

function plist(modes: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleIdentifier</key>
	<string>com.example.player</string>
	<key>UIBackgroundModes</key>
	<array>
${modes.map((m) => `		<string>${m}</string>`).join('\n')}
	</array>
</dict>
</plist>
`;
}

function swift(category: string): string {
  return `import AVFoundation

final class Audio {
    func start() throws {
        try AVAudioSession.sharedInstance().setCategory(${category})
        try AVAudioSession.sharedInstance().setActive(true)
    }
}
`;
}
