// The real-world corpus (test/corpus/corpus.json): public repositories at pinned commits, each
// with the findings doctor must report there, the ones it must not, and a verdict on every other
// finding. This module validates the file, finds each repository in a local folder, extracts the
// pinned commit into a cache, runs doctor on it and scores the result. `npm run corpus`
// (scripts/corpus.mjs) prints the scores; nothing here touches the network.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDoctor, type DoctorOptions } from '../engine/run-doctor.js';
import { DEFAULT_CONFIG } from '../config/load-config.js';

// ---------------------------------------------------------------- the file

export type CorpusKind = 'android' | 'ios' | 'react-native' | 'expo' | 'flutter';
export type CorpusSize = 'small' | 'medium' | 'large';
export type Platform = 'android' | 'ios' | 'expo' | 'flutter';

export interface Expectation {
  rule: string;
  file: string;
  line?: number;
  why: string;
  source: string;
}

export interface Prohibition {
  rule: string;
  file?: string;
  line?: number;
  why: string;
}

export interface TriageEntry {
  rule: string;
  file: string;
  line?: number;
  verdict: 'true' | 'false';
  why: string;
}

export interface CorpusEntry {
  id: string;
  repo: string;
  commit: string;
  path?: string;
  kind: CorpusKind;
  size: CorpusSize;
  apps: Partial<Record<Platform, number>>;
  pair?: { role: 'bug' | 'fixed'; other: string };
  expect: Expectation[];
  mustNotReport: Prohibition[];
  triage: TriageEntry[];
  limits: { bug: string; why: string; source?: string }[];
  notes?: string;
  /** Set to a reason to skip the entry (listed, never run). */
  disabled?: string;
}

export interface Corpus {
  schema: 1;
  repos: CorpusEntry[];
}

/** A corpus file that cannot be used; the message names every problem, one per line. */
export class CorpusError extends Error {}

const KINDS: readonly string[] = ['android', 'ios', 'react-native', 'expo', 'flutter'];
const SIZES: readonly string[] = ['small', 'medium', 'large'];
const PLATFORMS: readonly string[] = ['android', 'ios', 'expo', 'flutter'];
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SHA = /^[0-9a-f]{40}$/;
const REPO = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9_.-]+$/;

/**
 * Check a parsed corpus file and return it typed, or throw a CorpusError listing every problem
 * (`<where>: <what>`). `knownRules` is the tool's own rule list: a rule id the tool does not
 * have is a typo that would make an expectation silently unmatchable.
 */
export function validateCorpus(data: unknown, knownRules: ReadonlySet<string>, source = 'corpus'): Corpus {
  const problems: string[] = [];
  const bad = (where: string, what: string) => problems.push(`${source}: ${where}: ${what}`);
  if (!isObject(data)) throw new CorpusError(`${source}: the file must hold a JSON object`);
  if (data.schema !== 1) bad('schema', `expected 1, found ${JSON.stringify(data.schema)}`);
  if (!Array.isArray(data.repos)) {
    bad('repos', 'must be an array');
    throw new CorpusError(problems.join('\n'));
  }
  const ids = new Map<string, number>();
  data.repos.forEach((raw: unknown, i: number) => {
    const at = isObject(raw) && typeof raw.id === 'string' ? `repos[${i}] (${raw.id})` : `repos[${i}]`;
    if (!isObject(raw)) return bad(at, 'must be an object');
    const e = raw;
    if (typeof e.id !== 'string' || !ID.test(e.id)) bad(at, `id must be kebab-case, found ${JSON.stringify(e.id)}`);
    else if (ids.has(e.id)) bad(at, `duplicate id (also repos[${ids.get(e.id)}])`);
    else ids.set(e.id, i);
    if (typeof e.repo !== 'string' || !REPO.test(e.repo)) bad(at, `repo must be "owner/name", found ${JSON.stringify(e.repo)}`);
    if (typeof e.commit !== 'string' || !SHA.test(e.commit)) bad(at, `commit must be 40 lower-case hex digits, found ${JSON.stringify(e.commit)}`);
    if (e.path !== undefined && (typeof e.path !== 'string' || path.isAbsolute(e.path) || e.path.split('/').includes('..'))) {
      bad(at, `path must be a folder inside the repository, found ${JSON.stringify(e.path)}`);
    }
    if (!KINDS.includes(e.kind as string)) bad(at, `kind must be one of ${KINDS.join(', ')}, found ${JSON.stringify(e.kind)}`);
    if (!SIZES.includes(e.size as string)) bad(at, `size must be one of ${SIZES.join(', ')}, found ${JSON.stringify(e.size)}`);
    if (!isObject(e.apps)) bad(at, 'apps must be an object such as {"android": 1}');
    else {
      for (const [k, v] of Object.entries(e.apps)) {
        if (!PLATFORMS.includes(k)) bad(`${at}.apps`, `unknown platform "${k}" (expected ${PLATFORMS.join(', ')})`);
        if (!Number.isInteger(v) || (v as number) < 0) bad(`${at}.apps.${k}`, `must be a whole number >= 0, found ${JSON.stringify(v)}`);
      }
    }
    if (e.disabled !== undefined && (typeof e.disabled !== 'string' || !e.disabled.trim())) bad(at, 'disabled must be a reason (a non-empty string)');
    if (e.pair !== undefined) {
      if (!isObject(e.pair) || (e.pair.role !== 'bug' && e.pair.role !== 'fixed') || typeof e.pair.other !== 'string') {
        bad(`${at}.pair`, 'must be {"role": "bug" | "fixed", "other": "<id>"}');
      }
    }
    const rule = (where: string, r: unknown) => {
      if (typeof r !== 'string') bad(where, 'rule must be a string');
      else if (!knownRules.has(r)) bad(where, `unknown rule id "${r}" (see \`audiobg rules\`)`);
    };
    const file = (where: string, f: unknown, required: boolean) => {
      if (f === undefined && !required) return;
      if (typeof f !== 'string' || !f || path.isAbsolute(f) || f.includes('\\')) bad(where, `file must be a path relative to the repository root with forward slashes, found ${JSON.stringify(f)}`);
    };
    const line = (where: string, l: unknown) => {
      if (l !== undefined && (!Number.isInteger(l) || (l as number) < 1)) bad(where, `line must be a positive whole number, found ${JSON.stringify(l)}`);
    };
    const text = (where: string, name: string, v: unknown) => {
      if (typeof v !== 'string' || !v.trim()) bad(where, `${name} must be a non-empty string`);
    };
    const list = (name: string, check: (where: string, item: Record<string, unknown>) => void) => {
      const v = e[name];
      if (!Array.isArray(v)) return bad(at, `${name} must be an array (may be empty)`);
      v.forEach((item: unknown, j: number) => {
        const where = `${at}.${name}[${j}]`;
        if (!isObject(item)) return bad(where, 'must be an object');
        check(where, item);
      });
    };
    list('expect', (w, x) => {
      rule(w, x.rule);
      file(w, x.file, true);
      line(w, x.line);
      text(w, 'why', x.why);
      text(w, 'source', x.source);
    });
    list('mustNotReport', (w, x) => {
      rule(w, x.rule);
      file(w, x.file, false);
      line(w, x.line);
      text(w, 'why', x.why);
    });
    list('triage', (w, x) => {
      rule(w, x.rule);
      file(w, x.file, true);
      line(w, x.line);
      if (x.verdict !== 'true' && x.verdict !== 'false') bad(w, `verdict must be "true" or "false", found ${JSON.stringify(x.verdict)}`);
      text(w, 'why', x.why);
    });
    list('limits', (w, x) => {
      text(w, 'bug', x.bug);
      text(w, 'why', x.why);
    });
  });
  // Pairs point at each other, with opposite roles, on the same repository.
  const byId = new Map<string, Record<string, unknown>>();
  for (const r of data.repos) if (isObject(r) && typeof r.id === 'string') byId.set(r.id, r);
  for (const [id, e] of byId) {
    const pair = e.pair as { role: string; other: string } | undefined;
    if (!isObject(pair) || typeof pair.other !== 'string') continue;
    const other = byId.get(pair.other);
    if (!other) {
      bad(`${id}.pair`, `other "${pair.other}" is not an id in the corpus`);
      continue;
    }
    const back = other.pair as { role: string; other: string } | undefined;
    if (!isObject(back) || back.other !== id) bad(`${id}.pair`, `"${pair.other}" does not point back at "${id}"`);
    else if (back.role === pair.role) bad(`${id}.pair`, `both "${id}" and "${pair.other}" have role "${pair.role}"`);
    if (other.repo !== e.repo) bad(`${id}.pair`, `"${pair.other}" is a different repository (${String(other.repo)})`);
  }
  if (problems.length) throw new CorpusError(problems.join('\n'));
  return data as unknown as Corpus;
}

/** Read and validate a corpus file. */
export function loadCorpus(file: string, knownRules: ReadonlySet<string>): Corpus {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CorpusError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CorpusError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  return validateCorpus(data, knownRules, file);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------- finding the code

export type Checkout =
  | { state: 'ready'; dir: string; cached: boolean }
  | { state: 'absent'; reason: string };

/** `<corpusDir>/<owner>+<name>`: where a repository is looked for. */
export function repoFolder(corpusDir: string, repo: string): string {
  return path.join(corpusDir, repo.replace('/', '+'));
}

/**
 * The pinned commit of an entry's repository as a plain folder: found in `corpusDir` (a work tree,
 * or a bare git dir `repo/` beside it as the search tool's fetch leaves it) and extracted once
 * with `git archive` into `cacheDir/<owner>+<name>@<commit>`, which later runs reuse.
 */
export function checkout(entry: Pick<CorpusEntry, 'repo' | 'commit'>, corpusDir: string, cacheDir: string): Checkout {
  const target = path.join(cacheDir, `${entry.repo.replace('/', '+')}@${entry.commit}`);
  if (fs.existsSync(path.join(target, '.audiobg-corpus-complete'))) return { state: 'ready', dir: target, cached: true };
  const folder = repoFolder(corpusDir, entry.repo);
  const gitDir = [path.join(folder, 'repo'), path.join(folder, '.git'), folder].find(isGitDir);
  if (!gitDir) {
    return { state: 'absent', reason: fs.existsSync(folder) ? `${folder} holds no git repository` : `not in ${corpusDir}` };
  }
  const has = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${entry.commit}^{commit}`], { encoding: 'utf8' });
  if (has.status !== 0) return { state: 'absent', reason: `commit ${entry.commit.slice(0, 12)} is not in ${gitDir} (fetch it again?)` };
  // Extract into a temporary sibling and rename it, so an interrupted run never leaves a
  // half-written folder that a later run would take for the whole commit.
  fs.mkdirSync(cacheDir, { recursive: true });
  const part = fs.mkdtempSync(`${target}.part-`);
  try {
    const tar = path.join(part, '.archive.tar');
    let missing: string[] = [];
    let archive = gitArchive(gitDir, entry.commit, tar, []);
    if (archive.status !== 0) {
      // A snapshot may lack its largest blobs (fonts, audio samples, screenshots). Leave those
      // files out rather than give up on the commit; the count is kept beside the extraction.
      missing = missingBlobs(gitDir, entry.commit);
      if (!missing.length) throw new Error(`git archive failed: ${archive.stderr.trim()}`);
      archive = gitArchive(gitDir, entry.commit, tar, missing);
      if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr.trim()}`);
    }
    const untar = spawnSync('tar', ['-xf', tar, '-C', part], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr.trim()}`);
    fs.rmSync(tar);
    fs.writeFileSync(path.join(part, MISSING_FILE), missing.map((m) => `${m}\n`).join(''));
    fs.writeFileSync(path.join(part, '.audiobg-corpus-complete'), `${entry.repo}@${entry.commit}\n`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(part, target);
  } catch (e) {
    fs.rmSync(part, { recursive: true, force: true });
    throw e;
  }
  return { state: 'ready', dir: target, cached: false };
}

/** Files of the commit that the git dir has no content for, listed in the extraction. */
const MISSING_FILE = '.audiobg-corpus-missing';

function gitArchive(gitDir: string, commit: string, out: string, exclude: string[]) {
  const pathspecs = exclude.length ? ['--', '.', ...exclude.map((p) => `:(exclude,literal)${p}`)] : [];
  return spawnSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', '-o', out, commit, ...pathspecs], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Paths of the commit's blobs whose objects are not in the git dir. */
function missingBlobs(gitDir: string, commit: string): string[] {
  const tree = spawnSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (tree.status !== 0) return [];
  const blobs = new Map<string, string[]>();
  for (const rec of tree.stdout.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(rec);
    if (!m) continue;
    const paths = blobs.get(m[1]!) ?? [];
    paths.push(m[2]!);
    blobs.set(m[1]!, paths);
  }
  const check = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '--batch-check'], { input: [...blobs.keys()].join('\n') + '\n', encoding: 'utf8', maxBuffer: 256 << 20 });
  const missing: string[] = [];
  for (const line of check.stdout.split('\n')) {
    const m = /^([0-9a-f]+) missing$/.exec(line);
    if (m) missing.push(...(blobs.get(m[1]!) ?? []));
  }
  return missing.sort();
}

/** The files an extraction had to leave out (see missingBlobs). */
export function missingFilesOf(dir: string): string[] {
  try {
    return fs.readFileSync(path.join(dir, MISSING_FILE), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function isGitDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects'));
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AUDIOBG_CORPUS_CACHE || path.join(os.tmpdir(), 'audiobg-corpus-cache');
}

// ---------------------------------------------------------------- scoring

/** A finding as the corpus sees it: path relative to the repository root. */
export interface SeenFinding {
  rule: string;
  file: string;
  line: number;
  message: string;
}

export interface RepoScore {
  id: string;
  repo: string;
  commit: string;
  status: 'ran' | 'absent' | 'disabled' | 'crashed';
  /** Why the repository was absent or disabled, or what went wrong. */
  reason?: string;
  apps: { platform: Platform; got: number; min: number }[];
  appsOk: boolean;
  expected: number;
  found: number;
  missed: Expectation[];
  mustNotViolations: { rule: Prohibition; findings: SeenFinding[] }[];
  untriaged: SeenFinding[];
  falsePositives: (SeenFinding & { why: string })[];
  /** Triage entries that no finding matched any more (doctor changed; the entry can go). */
  staleTriage: TriageEntry[];
  findings: number;
  internalErrors: string[];
  ms: number;
  cached?: boolean;
  /** Files of the commit the local git dir had no content for (left out of the extraction). */
  missingFiles?: string[];
  /**
   * With --fact-cache: doctor run again with an empty fact cache, then with the cache it filled.
   * `differs` names the runs whose findings were not exactly those of the run without a cache.
   */
  factCache?: { coldMs: number; warmMs: number; reused: number; differs: string[] };
  /**
   * With --parallel: doctor run again with a parsing worker that takes every source file it is
   * handed (`doctor --concurrency`); `differs` is true when its report is not exactly the plain one.
   */
  parallel?: { ms: number; workerFiles: number; differs: boolean };
}

function matches(f: SeenFinding, want: { rule: string; file?: string; line?: number }): boolean {
  return f.rule === want.rule && (want.file === undefined || f.file === want.file) && (want.line === undefined || f.line === want.line);
}

/** Compare what doctor reported at an entry's commit with what the entry says. Pure. */
export function scoreEntry(
  entry: CorpusEntry,
  run: { findings: SeenFinding[]; apps: { platform: Platform }[]; internalErrors?: string[]; ms: number },
): RepoScore {
  const apps = (Object.entries(entry.apps) as [Platform, number][]).map(([platform, min]) => ({
    platform,
    min,
    got: run.apps.filter((a) => a.platform === platform).length,
  }));
  const missed = entry.expect.filter((x) => !run.findings.some((f) => matches(f, x)));
  const mustNotViolations = entry.mustNotReport
    .map((rule) => ({ rule, findings: run.findings.filter((f) => matches(f, rule)) }))
    .filter((v) => v.findings.length > 0);
  const untriaged: SeenFinding[] = [];
  const falsePositives: (SeenFinding & { why: string })[] = [];
  for (const f of run.findings) {
    if (entry.expect.some((x) => matches(f, x))) continue;
    // A line-precise verdict wins over a whole-file one.
    const verdicts = entry.triage.filter((t) => matches(f, t)).sort((a, b) => (b.line === undefined ? 0 : 1) - (a.line === undefined ? 0 : 1));
    const t = verdicts[0];
    if (!t) untriaged.push(f);
    else if (t.verdict === 'false') falsePositives.push({ ...f, why: t.why });
  }
  const staleTriage = entry.triage.filter((t) => !run.findings.some((f) => matches(f, t)));
  return {
    id: entry.id,
    repo: entry.repo,
    commit: entry.commit,
    status: 'ran',
    apps,
    appsOk: apps.every((a) => a.got >= a.min),
    expected: entry.expect.length,
    found: entry.expect.length - missed.length,
    missed,
    mustNotViolations,
    untriaged,
    falsePositives,
    staleTriage,
    findings: run.findings.length,
    internalErrors: run.internalErrors ?? [],
    ms: run.ms,
  };
}

function emptyScore(entry: CorpusEntry, status: RepoScore['status'], reason: string): RepoScore {
  return {
    id: entry.id,
    repo: entry.repo,
    commit: entry.commit,
    status,
    reason,
    apps: [],
    appsOk: true,
    expected: entry.expect.length,
    found: 0,
    missed: [],
    mustNotViolations: [],
    untriaged: [],
    falsePositives: [],
    staleTriage: [],
    findings: 0,
    internalErrors: [],
    ms: 0,
  };
}

/** Does this repository's score make the corpus run fail? */
export function failed(s: RepoScore): boolean {
  if (s.status === 'crashed') return true;
  if (s.status !== 'ran') return false;
  return s.missed.length > 0 || s.mustNotViolations.length > 0 || !s.appsOk || s.untriaged.length > 0 || s.internalErrors.length > 0 || Boolean(s.factCache?.differs.length) || Boolean(s.parallel?.differs);
}

// ---------------------------------------------------------------- running

export interface CorpusRunOptions {
  corpusDir: string;
  cacheDir: string;
  only?: string[];
  /** Called before each entry starts (progress on stderr). */
  onStart?: (entry: CorpusEntry) => void;
  /** Also run each entry with an empty fact cache and then with the filled one, and compare (`doctor --cache`). */
  factCache?: { build: string };
  /** Also run each entry with parsing workers doing every source file, and compare. */
  parallel?: boolean;
}

/** Run doctor on one folder, every rule at its default severity, and keep what the corpus needs. */
export async function doctorOn(
  dir: string,
  repoRoot: string,
  cache?: { location: string; build: string },
  concurrency?: DoctorOptions['concurrency'],
): Promise<{ findings: SeenFinding[]; apps: { platform: Platform }[]; internalErrors: string[]; ms: number; full: string; reused: number; workerFiles: number }> {
  const start = performance.now();
  const result = await runDoctor({ paths: [dir], config: DEFAULT_CONFIG, cwd: dir, ...(cache ? { cache } : {}), ...(concurrency ? { concurrency } : {}) });
  const ms = Math.round(performance.now() - start);
  const findings = result.findings.map((f) => ({
    rule: f.ruleId,
    file: path.relative(repoRoot, f.location.file).split(path.sep).join('/'),
    line: f.location.line,
    message: f.message,
  }));
  // Everything a report carries about the findings and apps, for the fact-cache comparison.
  const full = JSON.stringify({ findings: result.findings, apps: result.apps, suppressed: result.suppressedCount, checked: result.filesChecked });
  return { findings, apps: result.apps, internalErrors: result.internalErrors, ms, full, reused: result.cache?.reused ?? 0, workerFiles: result.parallel?.workerFiles ?? 0 };
}

/** The same entry with an empty fact cache and then with the cache that run filled. */
async function factCacheCheck(dir: string, repoRoot: string, plain: string, build: string): Promise<NonNullable<RepoScore['factCache']>> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-corpus-facts-'));
  try {
    const cache = { location: path.join(folder, 'facts.json'), build };
    const cold = await doctorOn(dir, repoRoot, cache);
    const warm = await doctorOn(dir, repoRoot, cache);
    const differs = [cold.full !== plain ? 'cold' : '', warm.full !== plain ? 'warm' : ''].filter(Boolean);
    return { coldMs: cold.ms, warmMs: warm.ms, reused: warm.reused, differs };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

export async function runCorpus(corpus: Corpus, options: CorpusRunOptions): Promise<RepoScore[]> {
  const only = options.only?.length ? new Set(options.only) : null;
  if (only) {
    const unknown = [...only].filter((id) => !corpus.repos.some((e) => e.id === id));
    if (unknown.length) throw new CorpusError(`--only: no corpus entry with id ${unknown.map((u) => `"${u}"`).join(', ')}`);
  }
  const scores: RepoScore[] = [];
  for (const entry of corpus.repos) {
    if (only && !only.has(entry.id)) continue;
    if (entry.disabled) {
      scores.push(emptyScore(entry, 'disabled', entry.disabled));
      continue;
    }
    options.onStart?.(entry);
    let co: Checkout;
    try {
      co = checkout(entry, options.corpusDir, options.cacheDir);
    } catch (e) {
      scores.push(emptyScore(entry, 'crashed', (e as Error).message));
      continue;
    }
    if (co.state === 'absent') {
      scores.push(emptyScore(entry, 'absent', co.reason));
      continue;
    }
    const dir = entry.path ? path.join(co.dir, entry.path) : co.dir;
    try {
      const run = await doctorOn(dir, co.dir);
      const factCache = options.factCache ? await factCacheCheck(dir, co.dir, run.full, options.factCache.build) : undefined;
      let parallel: RepoScore['parallel'];
      if (options.parallel) {
        const p = await doctorOn(dir, co.dir, undefined, { threads: 2, explicit: true, workersOnly: true });
        parallel = { ms: p.ms, workerFiles: p.workerFiles, differs: p.full !== run.full };
      }
      scores.push({ ...scoreEntry(entry, run), cached: co.cached, missingFiles: missingFilesOf(co.dir), ...(factCache ? { factCache } : {}), ...(parallel ? { parallel } : {}) });
    } catch (e) {
      scores.push(emptyScore(entry, 'crashed', `doctor failed: ${(e as Error).message}`));
    }
  }
  return scores;
}

// ---------------------------------------------------------------- totals and tables

export interface CorpusTotals {
  repos: number;
  ran: number;
  expected: number;
  found: number;
  /** found / expected, or null when nothing was expected. */
  recall: number | null;
  falsePositives: number;
  mustNotViolations: number;
  untriaged: number;
  findings: number;
  appsShort: number;
  absent: string[];
  disabled: string[];
  crashed: string[];
  ms: number;
}

export function totals(scores: RepoScore[]): CorpusTotals {
  const ran = scores.filter((s) => s.status === 'ran');
  const expected = ran.reduce((n, s) => n + s.expected, 0);
  const found = ran.reduce((n, s) => n + s.found, 0);
  return {
    repos: scores.length,
    ran: ran.length,
    expected,
    found,
    recall: expected ? found / expected : null,
    falsePositives: ran.reduce((n, s) => n + s.falsePositives.length, 0),
    mustNotViolations: ran.reduce((n, s) => n + s.mustNotViolations.reduce((m, v) => m + v.findings.length, 0), 0),
    untriaged: ran.reduce((n, s) => n + s.untriaged.length, 0),
    findings: ran.reduce((n, s) => n + s.findings, 0),
    appsShort: ran.filter((s) => !s.appsOk).length,
    absent: scores.filter((s) => s.status === 'absent').map((s) => s.id),
    disabled: scores.filter((s) => s.status === 'disabled').map((s) => s.id),
    crashed: scores.filter((s) => s.status === 'crashed').map((s) => s.id),
    ms: scores.reduce((n, s) => n + s.ms, 0),
  };
}

const HEAD = ['id', 'apps', 'expected', 'mustNot', 'untriaged', 'FP', 'findings', 'ms'];

function row(s: RepoScore): string[] {
  if (s.status !== 'ran') return [s.id, s.status, '', '', '', '', '', ''];
  const apps = s.apps.map((a) => `${a.platform} ${a.got}/${a.min}${a.got < a.min ? '!' : ''}`).join(' ') || '-';
  return [
    s.id,
    apps,
    `${s.found}/${s.expected}`,
    String(s.mustNotViolations.length),
    String(s.untriaged.length),
    String(s.falsePositives.length),
    String(s.findings),
    String(s.ms),
  ];
}

function pct(t: CorpusTotals): string {
  return t.recall === null ? 'n/a' : `${(t.recall * 100).toFixed(1)}% (${t.found}/${t.expected})`;
}

/** The plain-text report: one aligned row per repository, then the totals. */
export function formatText(scores: RepoScore[], verbose = false): string {
  const rows = [HEAD, ...scores.map(row)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
  if (verbose) {
    const detail: string[] = [];
    for (const s of scores) {
      const d: string[] = [];
      if (s.reason) d.push(`  ${s.status}: ${s.reason}`);
      if (s.missingFiles?.length) d.push(`  note: ${s.missingFiles.length} file(s) absent from the local git dir were left out (e.g. ${s.missingFiles[0]})`);
      for (const a of s.apps) if (a.got < a.min) d.push(`  apps: ${a.got} ${a.platform} app(s) recognised, at least ${a.min} expected`);
      for (const m of s.missed) d.push(`  missed     ${m.rule} ${m.file}${m.line ? `:${m.line}` : ''} — ${m.why}`);
      for (const v of s.mustNotViolations) for (const f of v.findings) d.push(`  mustNot    ${f.rule} ${f.file}:${f.line} — ${f.message} (${v.rule.why})`);
      for (const f of s.untriaged) d.push(`  untriaged  ${f.rule} ${f.file}:${f.line} — ${f.message}`);
      for (const f of s.falsePositives) d.push(`  false      ${f.rule} ${f.file}:${f.line} — ${f.message} (triage: ${f.why})`);
      for (const t of s.staleTriage) d.push(`  stale      triage entry ${t.rule} ${t.file}${t.line ? `:${t.line}` : ''} matches no finding`);
      for (const e of s.internalErrors) d.push(`  internal   ${e.split('\n')[0]}`);
      if (s.factCache) d.push(`  fact cache ${s.factCache.differs.length ? `DIFFERS (${s.factCache.differs.join(', ')})` : 'same report'}; empty ${s.factCache.coldMs} ms, filled ${s.factCache.warmMs} ms (${s.factCache.reused} files reused)`);
      if (s.parallel) d.push(`  workers    ${s.parallel.differs ? 'DIFFER' : 'same report'}; ${s.parallel.ms} ms, ${s.parallel.workerFiles} files by the worker`);
      if (d.length) detail.push(`${s.id} (${s.repo}@${s.commit.slice(0, 12)})`, ...d);
    }
    if (detail.length) lines.push('', ...detail);
  }
  const t = totals(scores);
  lines.push('', ...summaryLines(t));
  const checked = scores.filter((s) => s.factCache);
  if (checked.length) {
    const differ = checked.filter((s) => s.factCache!.differs.length);
    const sum = (k: 'coldMs' | 'warmMs') => checked.reduce((n, s) => n + s.factCache![k], 0);
    lines.push(`fact cache: ${checked.length - differ.length} of ${checked.length} reports the same with it${differ.length ? `; DIFFERENT: ${differ.map((s) => s.id).join(', ')}` : ''}; total ${t.ms} ms without, ${sum('coldMs')} ms filling it, ${sum('warmMs')} ms from it`);
  }
  const withWorkers = scores.filter((s) => s.parallel);
  if (withWorkers.length) {
    const differ = withWorkers.filter((s) => s.parallel!.differs);
    const files = withWorkers.reduce((n, s) => n + s.parallel!.workerFiles, 0);
    lines.push(`parsing workers: ${withWorkers.length - differ.length} of ${withWorkers.length} report the same with them${differ.length ? `; DIFFERENT: ${differ.map((s) => s.id).join(', ')}` : ''}; ${files} files' facts made by workers`);
  }
  return `${lines.join('\n')}\n`;
}

function summaryLines(t: CorpusTotals): string[] {
  const out = [
    `recall: ${pct(t)}`,
    `false positives (triaged false): ${t.falsePositives}`,
    `mustNot violations: ${t.mustNotViolations}`,
    `untriaged findings: ${t.untriaged}`,
    `app minimums not met: ${t.appsShort}`,
    `repos run: ${t.ran} of ${t.repos}; total doctor time ${t.ms} ms`,
  ];
  if (t.absent.length) out.push(`absent (${t.absent.length}): ${t.absent.join(', ')}`);
  if (t.disabled.length) out.push(`disabled (${t.disabled.length}): ${t.disabled.join(', ')}`);
  if (t.crashed.length) out.push(`crashed (${t.crashed.length}): ${t.crashed.join(', ')}`);
  return out;
}

/** A Markdown table for the README. */
export function formatMarkdown(scores: RepoScore[], corpus?: Corpus): string {
  const byId = new Map(corpus?.repos.map((e) => [e.id, e]) ?? []);
  const head = ['id', 'repository', 'apps', 'expected found', 'mustNot', 'untriaged', 'false positives', 'ms'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i >= 3 ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const s of scores) {
    const e = byId.get(s.id);
    const link = `[${s.repo}](https://github.com/${s.repo}/tree/${s.commit})${e?.pair ? ` (${e.pair.role})` : ''}`;
    const r = row(s);
    lines.push(`| ${[s.id, link, ...r.slice(1, 6), r[7]].map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  const t = totals(scores);
  lines.push('', ...summaryLines(t).map((l) => `- ${l}`));
  return `${lines.join('\n')}\n`;
}
