// The corpus runner (src/corpus/corpus.ts) on a tiny synthetic corpus built at test time: a git
// repository with two commits of a fixture app (the bug, then the fix), and a corpus file that
// pins them. No network, no fetched repositories.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import {
  checkout,
  CorpusError,
  failed,
  formatMarkdown,
  formatText,
  runCorpus,
  totals,
  validateCorpus,
  type Corpus,
  type CorpusEntry,
} from '../../src/corpus/corpus.js';
import { FIXTURES, REPO_ROOT } from '../support/cli.js';

const KNOWN = new Set(allRules.map((r) => r.meta.id));
const MANIFEST = 'app/src/main/AndroidManifest.xml';
const SERVICE = 'app/src/main/java/com/example/audiobook/LibraryPlaybackService.kt';

let tmp: string;
let corpusDir: string;
let bugSha: string;
let fixSha: string;

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-corpus-test-'));
  corpusDir = path.join(tmp, 'repos');
  // A work tree at <dir>/acme+player: first commit is the service without its type ...
  const work = path.join(corpusDir, 'acme+player');
  fs.mkdirSync(work, { recursive: true });
  git(work, 'init', '-q');
  fs.cpSync(path.join(FIXTURES, 'android/media3-no-type'), work, { recursive: true });
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'bug');
  bugSha = git(work, 'rev-parse', 'HEAD');
  // ... the second adds foregroundServiceType and both permissions.
  const manifest = path.join(work, MANIFEST);
  const text = fs.readFileSync(manifest, 'utf8');
  const fixed = text
    .replace('<service', '<service android:foregroundServiceType="mediaPlayback"')
    .replace(
      '<application',
      '<uses-permission android:name="android.permission.FOREGROUND_SERVICE" />\n  <uses-permission android:name="android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK" />\n  <uses-permission android:name="android.permission.WAKE_LOCK" />\n  <application',
    );
  expect(fixed).not.toBe(text);
  fs.writeFileSync(manifest, fixed);
  git(work, 'commit', '-q', '-am', 'fix');
  fixSha = git(work, 'rev-parse', 'HEAD');
  // The same history as a bare git dir at <dir>/acme+bare/repo, as the search tool's fetch leaves it.
  fs.mkdirSync(path.join(corpusDir, 'acme+bare'));
  git(corpusDir, 'clone', '-q', '--bare', work, path.join(corpusDir, 'acme+bare', 'repo'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function entry(over: Partial<CorpusEntry>): CorpusEntry {
  return {
    id: 'x',
    repo: 'acme/player',
    commit: bugSha,
    kind: 'android',
    size: 'small',
    apps: { android: 1 },
    expect: [],
    mustNotReport: [],
    triage: [],
    limits: [],
    ...over,
  };
}

function corpusOf(...repos: CorpusEntry[]): Corpus {
  return validateCorpus({ schema: 1, repos }, KNOWN);
}

describe('npm run corpus: scoring', () => {
  it('counts expected findings found and missed, triage verdicts, untriaged findings and app minimums', async () => {
    const cache = path.join(tmp, 'cache-score');
    const corpus = corpusOf(
      entry({
        id: 'player-bug',
        pair: { role: 'bug', other: 'player-fixed' },
        expect: [
          { rule: 'android/service-type-missing', file: MANIFEST, line: 9, why: 'no type', source: 'acme/player@fix' },
          // Doctor cannot report this one: the line is wrong on purpose, so it is a miss.
          { rule: 'android/foreground-service-permission-missing', file: MANIFEST, line: 99, why: 'wrong line', source: 'test' },
        ],
        triage: [{ rule: 'android/wake-lock-permission-missing', file: SERVICE, verdict: 'false', why: 'pretend the lock is never taken' }],
      }),
      entry({
        id: 'player-fixed',
        commit: fixSha,
        pair: { role: 'fixed', other: 'player-bug' },
        apps: { android: 2 },
        mustNotReport: [{ rule: 'android/service-type-missing', file: MANIFEST, why: 'fixed' }],
      }),
    );
    const scores = await runCorpus(corpus, { corpusDir, cacheDir: cache });
    const [bug, fixedScore] = scores;

    expect(bug!.status).toBe('ran');
    expect(bug!.found).toBe(1);
    expect(bug!.missed.map((m) => m.line)).toEqual([99]);
    // The permission finding at line 2 is neither expected (the line differs) nor triaged.
    expect(bug!.untriaged.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual([`android/foreground-service-permission-missing ${MANIFEST}:2`]);
    expect(bug!.falsePositives.map((f) => f.rule)).toEqual(['android/wake-lock-permission-missing']);
    expect(bug!.appsOk).toBe(true);
    expect(failed(bug!)).toBe(true);

    expect(fixedScore!.status).toBe('ran');
    expect(fixedScore!.mustNotViolations).toEqual([]);
    expect(fixedScore!.findings).toBe(0);
    // One Android app is recognised; the entry asks for two.
    expect(fixedScore!.apps).toEqual([{ platform: 'android', got: 1, min: 2 }]);
    expect(failed(fixedScore!)).toBe(true);

    const t = totals(scores);
    expect(t.recall).toBe(0.5);
    expect(t.falsePositives).toBe(1);
    expect(t.untriaged).toBe(1);
    expect(t.appsShort).toBe(1);

    const text = formatText(scores, true);
    expect(text).toContain('recall: 50.0% (1/2)');
    expect(text).toContain(`missed     android/foreground-service-permission-missing ${MANIFEST}:99`);
    expect(text).toContain(`untriaged  android/foreground-service-permission-missing ${MANIFEST}:2`);
    expect(text).toContain('apps: 1 android app(s) recognised, at least 2 expected');
    expect(formatMarkdown(scores, corpus)).toContain('| player-bug | [acme/player](https://github.com/acme/player/tree/');
  });

  it('reports a mustNot violation and passes an entry whose every finding is expected or triaged', async () => {
    const corpus = corpusOf(
      entry({
        id: 'violates',
        mustNotReport: [{ rule: 'android/service-type-missing', why: 'pretend it was fixed' }],
        triage: [
          { rule: 'android/service-type-missing', file: MANIFEST, verdict: 'true', why: 'no type' },
          { rule: 'android/foreground-service-permission-missing', file: MANIFEST, verdict: 'true', why: 'no permission' },
          { rule: 'android/wake-lock-permission-missing', file: SERVICE, verdict: 'true', why: 'no permission' },
        ],
      }),
      entry({
        id: 'clean-run',
        triage: [
          { rule: 'android/service-type-missing', file: MANIFEST, line: 9, verdict: 'true', why: 'no type' },
          { rule: 'android/foreground-service-permission-missing', file: MANIFEST, verdict: 'true', why: 'no permission' },
          { rule: 'android/wake-lock-permission-missing', file: SERVICE, verdict: 'true', why: 'no permission' },
          { rule: 'android/session-not-released', file: SERVICE, verdict: 'false', why: 'stale on purpose' },
        ],
      }),
    );
    const [violates, clean] = await runCorpus(corpus, { corpusDir, cacheDir: path.join(tmp, 'cache-mustnot') });
    expect(violates!.mustNotViolations).toHaveLength(1);
    expect(violates!.mustNotViolations[0]!.findings.map((f) => f.line)).toEqual([9]);
    expect(failed(violates!)).toBe(true);
    expect(clean!.untriaged).toEqual([]);
    expect(clean!.falsePositives).toEqual([]);
    expect(clean!.staleTriage.map((t) => t.rule)).toEqual(['android/session-not-released']);
    expect(failed(clean!)).toBe(false);
  });

  it('--fact-cache: each entry is run again with an empty and a filled fact cache; the reports agree and the filled run reuses facts', async () => {
    const corpus = corpusOf(entry({ id: 'with-cache', triage: [] }));
    const [s] = await runCorpus(corpus, { corpusDir, cacheDir: path.join(tmp, 'cache-facts'), factCache: { build: 'corpus-test' } });
    expect(s!.status).toBe('ran');
    expect(s!.factCache).toMatchObject({ differs: [] });
    expect(s!.factCache!.reused).toBeGreaterThan(0);
    expect(formatText([s!], true)).toMatch(/fact cache same report; empty \d+ ms, filled \d+ ms \(\d+ files reused\)/);
    expect(formatText([s!])).toMatch(/fact cache: 1 of 1 reports the same with it/);
    // A difference fails the entry, whatever else it scored.
    expect(failed({ ...s!, untriaged: [], factCache: { ...s!.factCache!, differs: ['warm'] } })).toBe(true);
    expect(failed({ ...s!, untriaged: [] })).toBe(false);
  });

  it('runs doctor on a sub-folder and still reports paths from the repository root', async () => {
    const corpus = corpusOf(
      entry({ id: 'sub', path: 'app', apps: {}, triage: [{ rule: 'android/service-type-missing', file: MANIFEST, verdict: 'true', why: 'no type' }] }),
    );
    const [s] = await runCorpus(corpus, { corpusDir, cacheDir: path.join(tmp, 'cache-sub') });
    expect(s!.status).toBe('ran');
    // The triage entry, written from the repository root, matched: the finding is not untriaged.
    expect(s!.untriaged.map((f) => f.rule)).not.toContain('android/service-type-missing');
    expect(s!.untriaged.length).toBeGreaterThan(0);
    for (const f of s!.untriaged) expect(f.file.startsWith('app/')).toBe(true);
  });

  it('lists absent repositories, missing commits and disabled entries without failing on them', async () => {
    const corpus = corpusOf(
      entry({ id: 'nowhere', repo: 'acme/elsewhere' }),
      entry({ id: 'old-commit', commit: 'a'.repeat(40) }),
      entry({ id: 'switched-off', disabled: 'the repository was taken down' }),
    );
    const scores = await runCorpus(corpus, { corpusDir, cacheDir: path.join(tmp, 'cache-absent') });
    expect(scores.map((s) => s.status)).toEqual(['absent', 'absent', 'disabled']);
    expect(scores[1]!.reason).toContain('is not in');
    expect(scores.some(failed)).toBe(false);
    const t = totals(scores);
    expect(t.absent).toEqual(['nowhere', 'old-commit']);
    expect(t.disabled).toEqual(['switched-off']);
    expect(t.recall).toBeNull();
    expect(formatText(scores)).toContain('absent (2): nowhere, old-commit');
  });

  it('runs only the entries named with --only, and rejects an unknown id', async () => {
    const corpus = corpusOf(entry({ id: 'one', repo: 'acme/none' }), entry({ id: 'two', repo: 'acme/none' }));
    const scores = await runCorpus(corpus, { corpusDir, cacheDir: path.join(tmp, 'cache-only'), only: ['two'] });
    expect(scores.map((s) => s.id)).toEqual(['two']);
    await expect(runCorpus(corpus, { corpusDir, cacheDir: tmp, only: ['three'] })).rejects.toThrow(/no corpus entry with id "three"/);
  });
});

describe('npm run corpus: checkouts', () => {
  it('extracts a pinned commit from a bare git dir once and reuses the cache', () => {
    const cache = path.join(tmp, 'cache-reuse');
    const first = checkout({ repo: 'acme/bare', commit: fixSha }, corpusDir, cache);
    expect(first).toMatchObject({ state: 'ready', cached: false });
    if (first.state !== 'ready') return;
    expect(fs.readFileSync(path.join(first.dir, MANIFEST), 'utf8')).toContain('mediaPlayback');
    // A marker left in the extracted folder survives: the second call does not extract again.
    fs.writeFileSync(path.join(first.dir, 'marker'), '');
    const second = checkout({ repo: 'acme/bare', commit: fixSha }, corpusDir, cache);
    expect(second).toEqual({ state: 'ready', dir: first.dir, cached: true });
    expect(fs.existsSync(path.join(first.dir, 'marker'))).toBe(true);
    // The bug commit of the same repository is a separate folder with the old manifest.
    const bug = checkout({ repo: 'acme/bare', commit: bugSha }, corpusDir, cache);
    expect(bug.state === 'ready' && fs.readFileSync(path.join(bug.dir, MANIFEST), 'utf8')).not.toContain('mediaPlayback');
  });

  it('leaves out files whose content the git dir lacks, and says which', async () => {
    // A snapshot without its largest blobs: delete one loose object from a local clone.
    const holes = path.join(corpusDir, 'acme+holes', 'repo');
    git(corpusDir, 'clone', '-q', '--bare', '--local', path.join(corpusDir, 'acme+player'), holes);
    const blob = git(holes, 'rev-parse', `${bugSha}:${SERVICE}`);
    fs.rmSync(path.join(holes, 'objects', blob.slice(0, 2), blob.slice(2)));
    const corpus = corpusOf(entry({ id: 'holes', repo: 'acme/holes', triage: [{ rule: 'android/service-type-missing', file: MANIFEST, verdict: 'true', why: 'no type' }, { rule: 'android/foreground-service-permission-missing', file: MANIFEST, verdict: 'true', why: 'no permission' }] }));
    const [s] = await runCorpus(corpus, { corpusDir, cacheDir: path.join(tmp, 'cache-holes') });
    expect(s!.status).toBe('ran');
    expect(s!.missingFiles).toEqual([SERVICE]);
    expect(s!.untriaged).toEqual([]);
    expect(formatText([s!], true)).toContain(`1 file(s) absent from the local git dir were left out (e.g. ${SERVICE})`);
  });

  it('extracts the pinned commit from a work tree, not what is checked out', () => {
    const co = checkout({ repo: 'acme/player', commit: bugSha }, corpusDir, path.join(tmp, 'cache-worktree'));
    expect(co.state).toBe('ready');
    if (co.state === 'ready') expect(fs.readFileSync(path.join(co.dir, MANIFEST), 'utf8')).not.toContain('mediaPlayback');
  });

  it('does not take an interrupted extraction for a finished one', () => {
    const cache = path.join(tmp, 'cache-partial');
    const target = path.join(cache, `acme+bare@${bugSha}`);
    fs.mkdirSync(target, { recursive: true }); // no completion marker: left by a killed run
    const co = checkout({ repo: 'acme/bare', commit: bugSha }, corpusDir, cache);
    expect(co).toMatchObject({ state: 'ready', cached: false });
    expect(fs.existsSync(path.join(target, MANIFEST))).toBe(true);
  });
});

describe('npm run corpus: schema', () => {
  const good = (over: Record<string, unknown> = {}) => ({
    id: 'a',
    repo: 'o/n',
    commit: 'b'.repeat(40),
    kind: 'android',
    size: 'small',
    apps: { android: 1 },
    expect: [],
    mustNotReport: [],
    triage: [],
    limits: [],
    ...over,
  });
  const problems = (repos: unknown[]) => {
    try {
      validateCorpus({ schema: 1, repos }, KNOWN);
      return '';
    } catch (e) {
      expect(e).toBeInstanceOf(CorpusError);
      return (e as Error).message;
    }
  };

  it('accepts a well-formed entry', () => {
    expect(problems([good()])).toBe('');
  });

  it('names a duplicate id, a bad sha, an unknown rule id and a pair partner that does not exist', () => {
    expect(problems([good(), good()])).toContain('duplicate id');
    expect(problems([good({ commit: 'abc123' })])).toContain('commit must be 40 lower-case hex digits');
    expect(problems([good({ expect: [{ rule: 'android/no-such-rule', file: 'a.xml', why: 'w', source: 's' }] })])).toContain(
      'unknown rule id "android/no-such-rule"',
    );
    expect(problems([good({ triage: [{ rule: 'android/service-type-missing', file: 'a.xml', verdict: 'maybe', why: 'w' }] })])).toContain('verdict must be');
    expect(problems([good({ pair: { role: 'bug', other: 'ghost' } })])).toContain('other "ghost" is not an id in the corpus');
  });

  it('requires pairs to point at each other with opposite roles on the same repository', () => {
    const a = good({ id: 'a', pair: { role: 'bug', other: 'b' } });
    expect(problems([a, good({ id: 'b', pair: { role: 'fixed', other: 'a' } })])).toBe('');
    expect(problems([a, good({ id: 'b', pair: { role: 'bug', other: 'a' } })])).toContain('both "a" and "b" have role "bug"');
    expect(problems([a, good({ id: 'b' })])).toContain('"b" does not point back at "a"');
    expect(problems([a, good({ id: 'b', repo: 'o/other', pair: { role: 'fixed', other: 'a' } })])).toContain('is a different repository');
  });

  it('rejects a missing why, a bad kind and a file outside the repository', () => {
    const msg = problems([good({ kind: 'windows', expect: [{ rule: 'android/service-type-missing', file: '/abs/a.xml', source: 's' }] })]);
    expect(msg).toContain('kind must be one of');
    expect(msg).toContain('file must be a path relative to the repository root');
    expect(msg).toContain('why must be a non-empty string');
  });
});

// The command itself (scripts/corpus.mjs) runs the compiled module, so it needs `npm run build`;
// `npm test` builds first. Without dist/ these are skipped, and say why.
const BUILT = fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'corpus', 'corpus.js'));

describe.skipIf(!BUILT)('npm run corpus: the command (needs dist/, built by npm test)', () => {
  const script = path.join(REPO_ROOT, 'scripts', 'corpus.mjs');
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, AUDIOBG_CORPUS_CACHE: path.join(tmp, 'cache-cli'), ...env } });
  const write = (name: string, repos: unknown[]) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, JSON.stringify({ schema: 1, repos }));
    return file;
  };

  it('exits 2 and names the problem for a bad corpus file', () => {
    const file = write('bad.json', [entry({ id: 'dup' }), entry({ id: 'dup', commit: 'xyz' })]);
    const r = run(['--corpus', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('duplicate id');
    expect(r.stderr).toContain('commit must be 40 lower-case hex digits');
  });

  it('exits 0 when every finding is accounted for, 1 on a miss, and lists absent repositories', () => {
    const triage = [
      { rule: 'android/service-type-missing', file: MANIFEST, verdict: 'true', why: 'no type' },
      { rule: 'android/foreground-service-permission-missing', file: MANIFEST, verdict: 'true', why: 'no permission' },
      { rule: 'android/wake-lock-permission-missing', file: SERVICE, verdict: 'true', why: 'no permission' },
    ];
    const good = write('good.json', [entry({ id: 'ok', triage }), entry({ id: 'gone', repo: 'acme/gone' })]);
    const ok = run(['--corpus', good], { AUDIOBG_CORPUS_DIR: corpusDir });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('absent (1): gone');
    expect(run(['--corpus', good, '--require-all'], { AUDIOBG_CORPUS_DIR: corpusDir }).status).toBe(1);

    const miss = write('miss.json', [entry({ id: 'miss', triage, expect: [{ rule: 'android/session-not-released', file: SERVICE, why: 'w', source: 's' }] })]);
    const out = path.join(tmp, 'out.json');
    const failedRun = run(['--corpus', miss, '--json', out, '--markdown'], { AUDIOBG_CORPUS_DIR: corpusDir });
    expect(failedRun.status).toBe(1);
    expect(failedRun.stdout).toContain('| miss |');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).totals).toMatchObject({ expected: 1, found: 0 });
  });
});
