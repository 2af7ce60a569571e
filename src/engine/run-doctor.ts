// The doctor pipeline: find files -> parse (lazily) -> facts -> rules -> findings.
// Reporters and exit codes live in the CLI; this module only decides findings.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findFiles, toRel, type ProjectFile } from '../discover/find-files.js';
import { MAX_PARSE_BYTES, Workspace, type FileProblem } from '../parse/workspace.js';
import { buildProjectModel } from '../facts/build-project-model.js';
import type { ProjectModel } from '../facts/project-model.js';
import { allRules } from '../../rules/index.js';
import type { Rule, RuleMeta } from './rule.js';
import { lexComments, parseSuppressions, type CommentSyntax, type Suppression } from './suppressions.js';
import type { AudiobgConfig } from '../config/load-config.js';
import { UsageError } from '../config/load-config.js';
import type { Finding, FindingDraft, Severity } from '../findings/finding.js';
import { SEVERITY_RANK } from '../findings/finding.js';
import { loadedLanguages, type TreeLanguage } from '../parse/tree-sitter.js';
import { plistOf } from '../parse/plist.js';
import { generatedOwner, relocateGenerated } from '../facts/expo/generated.js';
import { cacheFileFor, FactCache } from '../parse/fact-cache.js';
import { ExtractPool } from '../parse/parallel.js';
import { launch } from '../fs/launch.js';

/**
 * With `--concurrency auto`, parsing workers start only for at least this many source files adding
 * up to this many bytes. A worker needs tens of milliseconds to start and compiles its grammars
 * again, and it costs memory. Measured on 2 cores (`npm run bench`): on the 10,000-file tree (4 MiB
 * of Swift and Kotlin) one worker saved nothing and added 30 MB; on 50,000 files (20 MiB) it cut
 * the run by about 15 %.
 */
const AUTO_MIN_JOBS = 64;
const AUTO_MIN_BYTES = 8 * 1024 * 1024;

/** The grammar each kind of source file is parsed with (what a parsing worker loads ahead). */
const GRAMMAR_OF_KIND: Partial<Record<ProjectFile['kind'], TreeLanguage>> = { swift: 'swift', objc: 'objc', kotlin: 'kotlin', java: 'java', dart: 'dart' };

export interface DoctorOptions {
  /** Folders to check. The first is the root that reported paths are relative to, unless there are several. */
  paths: string[];
  config: AudiobgConfig;
  rules?: Rule[];
  /** The working directory (relative paths, and the root when several folders are checked); defaults to process.cwd(). */
  cwd?: string;
  /** File contents to use instead of the disk's (see Workspace). */
  overlay?: ReadonlyMap<string, Uint8Array>;
  /**
   * Keep per-file facts between runs (`doctor --cache`): `location` is the cache file or a folder
   * for one file per scanned root (default: the user's cache folder, see cacheFileFor); `build`
   * identifies this audiobg (see buildStamp).
   */
  cache?: { location?: string; build: string; env?: NodeJS.ProcessEnv };
  /**
   * Threads that parse (`doctor --concurrency`), the main thread included; 1 or absent: this
   * thread alone. `explicit`: the user chose the number, so workers start for any project; otherwise
   * only when there is enough to parse to pay for starting them.
   */
  concurrency?: {
    threads: number;
    explicit: boolean;
    /** For tests: another worker entry script, and workers that take every job (see PoolOptions). */
    entry?: string;
    workersOnly?: boolean;
  };
}

export interface AppSummary {
  /** `expo`: a React Native / Expo app (JS folder), listed beside its native ios/ and android/ apps. */
  platform: 'ios' | 'android' | 'expo' | 'flutter';
  name: string;
  /** Relative to the root. */
  path: string;
  /** Why the folder was taken for an app when no plugin or target said so (Android: no application plugin recognised). */
  kindInferred?: string;
}

export interface DoctorResult {
  root: string;
  findings: Finding[];
  suppressedCount: number;
  /** Findings accepted by the baseline and not reported (0 without a baseline). */
  baselinedCount?: number;
  filesChecked: number;
  filesSeen: number;
  apps: AppSummary[];
  rules: RuleMeta[];
  /** Grammars that had to be loaded (the benchmark shows lazy loading at work). */
  grammarsLoaded: string[];
  /**
   * Bugs in audiobg met during the run (a rule that threw). Each is also a finding; the CLI
   * ends with exit code 3 when there are any, because the run could not check everything.
   */
  internalErrors: string[];
  /** Source line lookup for reporters' code frames. */
  sourceLine(file: string, line: number): string | undefined;
  /** With a fact cache: where it is, how many files' facts came from it, and why it could not be written. */
  cache?: { file: string; reused: number; error: string | null };
  /** When parsing workers ran: how many threads parsed, and how many files' facts the workers made. */
  parallel?: { threads: number; workerFiles: number };
}

export const UNUSED_SUPPRESSION_ID = 'audiobg/unused-suppression';
export const SUPPRESSION_WITHOUT_REASON_ID = 'audiobg/suppression-without-reason';
const PARSE_ERROR_ID = 'audiobg/parse-error';

export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const rules = options.rules ?? allRules;
  const cwd = options.cwd ?? process.cwd();
  const roots = options.paths.map((p) => path.resolve(cwd, p));
  for (const r of roots) {
    let st: fs.Stats;
    try {
      st = fs.statSync(r);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `no such folder: ${r}` : `cannot read ${r}: ${(e as Error).message}`);
    }
    if (!st.isDirectory()) throw new UsageError(`not a folder: ${r} (audiobg doctor checks whole app folders)`);
    try {
      fs.readdirSync(r);
    } catch (e) {
      throw new UsageError(`cannot read folder ${r}: ${(e as Error).message}`);
    }
  }
  const root = roots.length === 1 ? roots[0]! : commonRoot(roots, cwd);

  const files: ProjectFile[] = [];
  const problems: FileProblem[] = [];
  let filesSeen = 0;
  const ignoreBase = options.config.file ? path.dirname(options.config.file) : root;
  const seenFiles = new Set<string>();
  const factCache = options.cache ? FactCache.open(cacheFileFor(root, options.cache.location, cwd, options.cache.env), root, options.cache.build) : undefined;
  const pool = parsingWorkers(options, factCache);
  const onFile = pool ? sourcesFor(pool, options, factCache) : undefined;
  for (const r of roots) {
    const found = findFiles(r, { ignorePatterns: options.config.ignore, ignoreBase, onFile });
    filesSeen += found.filesSeen;
    for (const f of found.files) {
      if (seenFiles.has(f.path)) continue; // overlapping paths ("doctor . ios")
      seenFiles.add(f.path);
      files.push(root === r ? f : { ...f, rel: toRel(root, f.path) });
    }
    problems.push(...found.problems);
  }
  if (files.length === 0 && problems.length === 0) {
    await pool?.close();
    // Exiting 0 here would let CI pass on a project that was never checked (a wrong path, an
    // "ignore" glob that matches everything).
    throw new UsageError(
      `nothing to check: no iOS, Android, Expo or Flutter project files under ${roots.join(', ')}${options.config.ignore.length ? ` (after the "ignore" globs in ${options.config.file})` : ''}`,
    );
  }

  const ws = new Workspace(root, files, problems, options.overlay, factCache, { pool });
  try {
    checkConfigFiles(ws);
    const model = await buildProjectModel(ws);
    const internalErrors: string[] = [];
    const drafts = runRules(rules, model, internalErrors);
    const result = await finish(ws, model, drafts, rules, options.config);
    let cache: DoctorResult['cache'];
    if (factCache) {
      ws.keepCommentsInCache();
      cache = { file: factCache.file, reused: factCache.reused, error: factCache.save() };
    }
    if (pool) result.grammarsLoaded = [...new Set([...result.grammarsLoaded, ...pool.workerLanguages])];
    return { ...result, filesSeen, internalErrors, ...(cache ? { cache } : {}), ...(pool?.started ? { parallel: { threads: pool.threads, workerFiles: pool.doneByWorkers } } : {}) };
  } finally {
    await pool?.close();
    await ws.dispose();
  }
}

/** The parsing workers of a run (`--concurrency`), or none; no thread starts before `consider` says so. */
function parsingWorkers(options: DoctorOptions, factCache: FactCache | undefined): ExtractPool | undefined {
  const c = options.concurrency;
  if (!c || c.threads < 2) return undefined;
  return new ExtractPool({
    threads: c.threads,
    entry: c.entry ?? launch().workerEntry,
    workersOnly: c.workersOnly,
    minJobs: c.explicit ? 2 : AUTO_MIN_JOBS,
    minBytes: c.explicit ? 0 : AUTO_MIN_BYTES,
    wantHash: !!factCache,
  });
}

/**
 * What the walk tells the pool: each source file that will need parsing. Sources the fact cache
 * will likely give, and files replaced in memory (--fix), do not count.
 */
function sourcesFor(pool: ExtractPool, options: DoctorOptions, factCache: FactCache | undefined): (f: ProjectFile) => void {
  return (f) => {
    const language = GRAMMAR_OF_KIND[f.kind];
    if (!language || options.overlay?.has(f.path)) return;
    if (factCache && f.mtimeMs !== undefined && factCache.mayHoldAny(f.path, { size: f.size, mtimeMs: f.mtimeMs })) return;
    pool.consider(f, language);
  };
}

/**
 * Parse every XML config file that was found, whether or not an app claims it: a malformed
 * AndroidManifest.xml or Info.plist must always be reported, never skipped silently because
 * the facts builder did not recognise the app around it. Parsing is cached, so the builders
 * get the same documents for free.
 */
function checkConfigFiles(ws: Workspace): void {
  for (const f of ws.filesOfKind('android-manifest')) ws.xml(f);
  // Through the shared plist reader, which also reads binary plists and checks plist structure.
  for (const f of ws.filesOfKind('plist', 'entitlements')) plistOf(ws, f);
}

/** The folder reported paths are relative to when several are checked: cwd if it holds them all. */
function commonRoot(roots: string[], cwd: string): string {
  const inside = (dir: string, p: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
  if (roots.every((r) => inside(cwd, r))) return cwd;
  let common = roots[0]!;
  while (!roots.every((r) => inside(common, r))) {
    const parent = path.dirname(common);
    if (parent === common) break;
    common = parent;
  }
  return common;
}

interface RuleDraft {
  rule: Rule;
  draft: FindingDraft;
}

function runRules(rules: Rule[], model: ProjectModel, internalErrors: string[]): RuleDraft[] {
  const out: RuleDraft[] = [];
  for (const rule of rules) {
    let drafts: FindingDraft[];
    try {
      drafts = rule.check(model);
      if (!Array.isArray(drafts)) throw new Error('check() did not return an array');
    } catch (e) {
      // A bug in one rule must not stop the others; say so loudly instead.
      const err = e as Error;
      const message = `internal error in rule ${rule.meta.id}: ${err?.message ?? String(e)} (please report this)`;
      internalErrors.push(`${message}\n${err?.stack ?? ''}`.trim());
      model.problems.push({ file: model.root, kind: 'parse-error', severity: 'error', message });
      continue;
    }
    // Native rules also check the ios/ and android/ folders of Expo apps; where `expo prebuild`
    // generates them, a finding in a generated configuration file is reported at the app-config
    // line that produces it (src/facts/expo/generated.ts).
    const relocate = (rule.meta.platform === 'ios' || rule.meta.platform === 'android') && model.expo?.some((a) => a.workflow === 'prebuild');
    for (const d of drafts) {
      if (isDraft(d)) out.push({ rule, draft: relocate ? withoutGeneratedFixes(model, relocateGenerated(model, d)) : d });
      else internalErrors.push(`internal error in rule ${rule.meta.id}: it returned a finding without a message and a file/line location (please report this)`);
    }
  }
  // Problems found while rules ran (the crash above) are reported through the parse-error rule.
  return out;
}

/** `expo prebuild` rewrites the generated ios/ and android/ folders: --fix never edits them. */
function withoutGeneratedFixes(model: ProjectModel, d: FindingDraft): FindingDraft {
  if (!d.fixes?.some((i) => generatedOwner(model, i.file))) return d;
  const file = d.fixes.find((i) => generatedOwner(model, i.file))!.file;
  const reason = `${toPosix(path.relative(model.root, file))} is generated by \`expo prebuild\`, so the fix belongs in the app config (see the finding)`;
  return { ...d, fixes: [{ kind: 'manual', file, reason }] };
}

function isDraft(d: unknown): d is FindingDraft {
  const x = d as FindingDraft | null;
  return (
    !!x &&
    typeof x.message === 'string' &&
    !!x.location &&
    typeof x.location.file === 'string' &&
    Number.isInteger(x.location.line) &&
    Number.isInteger(x.location.column)
  );
}

async function finish(
  ws: Workspace,
  model: ProjectModel,
  drafts: RuleDraft[],
  rules: Rule[],
  config: AudiobgConfig,
): Promise<Omit<DoctorResult, 'filesSeen' | 'internalErrors'>> {
  // Suppressions: make sure every file that mentions the directive has had its comments extracted.
  // (Before the parse-error rule runs, so that a problem met while doing so is reported too.)
  await collectSuppressionComments(ws);

  // Problems recorded after the model was built (suppression scan, rules reading files) must reach
  // the report even if a builder handed the model a copy of the workspace's list.
  if (model.problems !== ws.problems) {
    for (const p of ws.problems) if (!model.problems.includes(p)) model.problems.push(p);
  }

  // Re-run the parse-error rule last so that it sees every problem, including late ones.
  const parseErrorRule = rules.find((r) => r.meta.id === PARSE_ERROR_ID);
  const effective = parseErrorRule
    ? [...drafts.filter((d) => d.rule !== parseErrorRule), ...parseErrorRule.check(model).map((draft) => ({ rule: parseErrorRule, draft }))]
    : drafts;

  const suppressionsByFile = new Map<string, Suppression[]>();
  for (const f of ws.files) {
    const comments = ws.comments(f.path);
    if (comments?.length) {
      const s = parseSuppressions(f.path, comments);
      if (s.length) suppressionsByFile.set(f.path, s);
    }
  }

  const findings: Finding[] = [];
  let suppressedCount = 0;
  const seen = new Set<string>();
  for (const { rule, draft } of effective) {
    const setting = config.rules[rule.meta.id];
    if (setting === 'off') continue;
    const key = `${rule.meta.id}|${draft.location.file}|${draft.location.line}|${draft.location.column}|${draft.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const sup = suppressionsByFile
      .get(draft.location.file)
      ?.find((s) => s.targetLine === draft.location.line && (s.ruleIds.length === 0 || s.ruleIds.includes(rule.meta.id)));
    if (sup) {
      sup.used.add(rule.meta.id);
      suppressedCount++;
      continue;
    }
    findings.push(complete(rule.meta, draft, setting ?? draft.severity ?? rule.meta.severity));
  }

  const known = new Set(rules.map((r) => r.meta.id));
  const unusedMeta = rules.find((r) => r.meta.id === UNUSED_SUPPRESSION_ID)?.meta;
  const unusedSetting = config.rules[UNUSED_SUPPRESSION_ID];
  const noReasonMeta = rules.find((r) => r.meta.id === SUPPRESSION_WITHOUT_REASON_ID)?.meta;
  const noReasonSetting = config.rules[SUPPRESSION_WITHOUT_REASON_ID];
  for (const list of suppressionsByFile.values()) {
    for (const s of list) {
      const location = { file: s.file, line: s.line, column: s.column };
      let unusedIds = 0;
      if (unusedMeta && unusedSetting !== 'off') {
        if (s.ruleIds.length === 0) {
          if (s.used.size === 0) {
            unusedIds++;
            findings.push(complete(unusedMeta, { message: 'This suppression of all rules matches no finding on the next line.', location }, unusedSetting ?? unusedMeta.severity));
          }
        }
        for (const id of s.ruleIds) {
          if (s.used.has(id)) continue;
          // A rule switched off in the config reports nothing anywhere: its suppressions are moot, not stale.
          if (known.has(id) && config.rules[id] === 'off') continue;
          unusedIds++;
          const message = known.has(id)
            ? `This suppression of ${id} matches no finding on the next line.`
            : `This suppression names "${id}", which is not an audiobg rule.`;
          findings.push(complete(unusedMeta, { message, location }, unusedSetting ?? unusedMeta.severity));
        }
      }
      const entirelyUnused = unusedIds > 0 && unusedIds >= Math.max(1, s.ruleIds.length);
      if (noReasonMeta && noReasonSetting !== 'off' && s.reason === null && !entirelyUnused) {
        findings.push(
          complete(
            noReasonMeta,
            { message: `This suppression does not say why ${s.ruleIds.length ? s.ruleIds.join(', ') : 'every rule'} can be ignored here.`, location },
            noReasonSetting ?? noReasonMeta.severity,
          ),
        );
      }
    }
  }

  findings.sort(
    (a, b) =>
      compareStrings(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      compareStrings(a.ruleId, b.ruleId) ||
      compareStrings(a.message, b.message),
  );
  // After sorting, so that the counter for identical lines follows their order in the file.
  assignFingerprints(ws, findings);

  const apps = [
    ...model.ios.map((a) => ({ platform: 'ios' as const, name: a.name, path: toPosix(path.relative(ws.root, a.root)) || '.' })),
    ...model.android.map((a) => ({
      platform: 'android' as const,
      name: a.name,
      path: toPosix(path.relative(ws.root, a.root)) || '.',
      ...(a.kindInferred ? { kindInferred: a.kindInferred } : {}),
    })),
    ...(model.expo ?? []).map((a) => ({ platform: 'expo' as const, name: a.name, path: toPosix(path.relative(ws.root, a.root)) || '.' })),
    ...(model.flutter ?? []).map((a) => ({ platform: 'flutter' as const, name: a.name, path: toPosix(path.relative(ws.root, a.root)) || '.' })),
  ];

  return {
    root: ws.root,
    findings,
    suppressedCount,
    filesChecked: ws.files.length,
    apps,
    rules: rules.map((r) => r.meta),
    grammarsLoaded: loadedLanguages(),
    sourceLine: (file, line) => readableText(ws, file)?.lines.lineText(line),
  };
}

/** Text of a file a finding points at, without ever trying to read a folder as a file. */
function readableText(ws: Workspace, file: string) {
  if (!ws.file(file)) {
    // Not a discovered file: a folder, or a file rejected for its size. Never open those here.
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_PARSE_BYTES) return null;
    } catch {
      return null;
    }
  }
  return ws.text(file);
}

/** Locale-independent ordering, so reports are byte-identical on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type CommentSource = { tree: 'swift' | 'objc' | 'kotlin' | 'java' | 'dart' } | { xml: true } | { lexer: CommentSyntax };

function commentSource(f: ProjectFile): CommentSource | null {
  switch (f.kind) {
    case 'swift':
    case 'objc':
    case 'kotlin':
    case 'java':
      return { tree: f.kind };
    case 'android-manifest':
    case 'plist':
    case 'entitlements':
      return { xml: true };
    case 'gradle':
    case 'gradle-settings':
      return f.path.endsWith('.kts') ? { tree: 'kotlin' } : { lexer: 'c-like' };
    case 'dart':
      return { tree: 'dart' };
    case 'script':
    case 'expo-config':
      return f.path.endsWith('.json') ? null : { lexer: 'c-like' };
    case 'version-catalog':
      return { lexer: 'toml' };
    case 'gradle-properties':
      return { lexer: 'properties' };
    default:
      return null; // JSON (no comments) and pbxproj (generated by Xcode)
  }
}

async function collectSuppressionComments(ws: Workspace): Promise<void> {
  for (const f of ws.files) {
    if (ws.comments(f.path) !== undefined) continue;
    const how = commentSource(f);
    if (!how) continue;
    if (ws.commentsFromCache(f)) continue;
    // Cheap text test first: only files that mention the directive are parsed for it.
    if (!ws.mayHoldDirective(f)) {
      ws.setComments(f.path, []); // none: known, so a cached run need not read the file again
      continue;
    }
    if ('xml' in how) ws.xml(f);
    else if ('tree' in how) await ws.withTree(f, how.tree, () => undefined);
    else {
      const t = ws.text(f);
      if (t) ws.setComments(f.path, lexComments(t.text, how.lexer));
    }
  }
}

function complete(meta: RuleMeta, draft: FindingDraft, severity: Severity): Finding {
  return {
    ...draft,
    ruleId: meta.id,
    severity,
    why: meta.why,
    fix: draft.fix ?? meta.fix,
    docs: meta.docs,
    fingerprint: '',
  };
}

/**
 * Fingerprints survive unrelated edits: they hash the rule, the file (relative to the root, so
 * not the checkout's location), the whitespace-normalised text of the flagged line (not its
 * number) and the message, plus an occurrence counter for identical lines.
 */
function assignFingerprints(ws: Workspace, findings: Finding[]): void {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const lineText = (readableText(ws, f.location.file)?.lines.lineText(f.location.line) ?? '').trim().replace(/\s+/g, ' ');
    // Digits in the message are blanked: a message that mentions a line number ("declared on
    // line 12") must not change the fingerprint when lines move.
    const message = f.message.replace(/\d+/g, '#');
    const base = `${f.ruleId}\0${toPosix(path.relative(ws.root, f.location.file))}\0${lineText}\0${message}`;
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    f.fingerprint = createHash('sha256').update(`${base}\0${n}`).digest('hex').slice(0, 32);
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
