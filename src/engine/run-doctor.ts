// The doctor pipeline: find files -> parse (lazily) -> facts -> rules -> findings.
// Reporters and exit codes live in the CLI; this module only decides findings.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findFiles, type ProjectFile } from '../discover/find-files.js';
import { Workspace, type FileProblem } from '../parse/workspace.js';
import { buildProjectModel } from '../facts/build-project-model.js';
import type { ProjectModel } from '../facts/project-model.js';
import { allRules } from '../../rules/index.js';
import type { Rule, RuleMeta } from './rule.js';
import { parseSuppressions, type Suppression } from './suppressions.js';
import type { AudiobgConfig } from '../config/load-config.js';
import { UsageError } from '../config/load-config.js';
import type { Finding, FindingDraft, Severity } from '../findings/finding.js';
import { SEVERITY_RANK } from '../findings/finding.js';
import { loadedLanguages } from '../parse/tree-sitter.js';

export interface DoctorOptions {
  /** Folders to check. The first is the root that reported paths are relative to, unless there are several. */
  paths: string[];
  config: AudiobgConfig;
  rules?: Rule[];
}

export interface AppSummary {
  platform: 'ios' | 'android';
  name: string;
  /** Relative to the root. */
  path: string;
}

export interface DoctorResult {
  root: string;
  findings: Finding[];
  suppressedCount: number;
  filesChecked: number;
  filesSeen: number;
  apps: AppSummary[];
  rules: RuleMeta[];
  /** Grammars that had to be loaded (the benchmark shows lazy loading at work). */
  grammarsLoaded: string[];
  /** Source line lookup for reporters' code frames. */
  sourceLine(file: string, line: number): string | undefined;
}

export const UNUSED_SUPPRESSION_ID = 'audiobg/unused-suppression';

export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
  const rules = options.rules ?? allRules;
  const roots = options.paths.map((p) => path.resolve(p));
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
  const root = roots.length === 1 ? roots[0]! : process.cwd();

  const files: ProjectFile[] = [];
  const problems: FileProblem[] = [];
  let filesSeen = 0;
  const ignoreBase = options.config.file ? path.dirname(options.config.file) : root;
  for (const r of roots) {
    const found = findFiles(r, { ignorePatterns: relativeIgnores(options.config.ignore, ignoreBase, r) });
    filesSeen += found.filesSeen;
    for (const f of found.files) files.push({ ...f, rel: toPosix(path.relative(root, f.path)) });
    problems.push(...found.problems);
  }

  const ws = new Workspace(root, files, problems);
  try {
    const model = await buildProjectModel(ws);
    const drafts = runRules(rules, model);
    const result = await finish(ws, model, drafts, rules, options.config);
    return { ...result, filesSeen };
  } finally {
    await ws.dispose();
  }
}

function relativeIgnores(patterns: string[], base: string, scanRoot: string): string[] {
  if (base === scanRoot) return patterns;
  // Re-anchor patterns written relative to the config file's folder onto the scan root.
  const prefix = toPosix(path.relative(scanRoot, base));
  return patterns.map((p) => {
    if (prefix.startsWith('..')) return p;
    const negated = p.startsWith('!');
    const body = negated ? p.slice(1) : p;
    const anchored = body.includes('/') && !body.startsWith('**/') ? `${prefix}/${body.replace(/^\//, '')}` : body;
    return (negated ? '!' : '') + (prefix ? anchored : body);
  });
}

interface RuleDraft {
  rule: Rule;
  draft: FindingDraft;
}

function runRules(rules: Rule[], model: ProjectModel): RuleDraft[] {
  const out: RuleDraft[] = [];
  for (const rule of rules) {
    let drafts: FindingDraft[];
    try {
      drafts = rule.check(model);
    } catch (e) {
      // A bug in one rule must not stop the others; say so loudly instead.
      const err = e as Error;
      model.problems.push({
        file: model.root,
        kind: 'parse-error',
        severity: 'error',
        message: `internal error in rule ${rule.meta.id}: ${err.message} (please report this)`,
      });
      continue;
    }
    for (const d of drafts) out.push({ rule, draft: d });
  }
  // Problems found while rules ran (the crash above) are reported through the parse-error rule.
  return out;
}

async function finish(
  ws: Workspace,
  model: ProjectModel,
  drafts: RuleDraft[],
  rules: Rule[],
  config: AudiobgConfig,
): Promise<Omit<DoctorResult, 'filesSeen'>> {
  // Re-run the parse-error rule last so that it sees every problem, including late ones.
  const parseErrorRule = rules.find((r) => r.meta.id === 'audiobg/parse-error');
  const effective = parseErrorRule
    ? [...drafts.filter((d) => d.rule !== parseErrorRule), ...parseErrorRule.check(model).map((draft) => ({ rule: parseErrorRule, draft }))]
    : drafts;

  // Suppressions: make sure every file that mentions the directive has had its comments extracted.
  await collectSuppressionComments(ws);
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

  const unusedMeta = rules.find((r) => r.meta.id === UNUSED_SUPPRESSION_ID)?.meta;
  const unusedSetting = config.rules[UNUSED_SUPPRESSION_ID];
  if (unusedMeta && unusedSetting !== 'off') {
    const known = new Set(rules.map((r) => r.meta.id));
    for (const list of suppressionsByFile.values()) {
      for (const s of list) {
        const ids = s.ruleIds.length ? s.ruleIds : ['(all rules)'];
        for (const id of ids) {
          if (s.ruleIds.length === 0 ? s.used.size > 0 : s.used.has(id)) continue;
          const message = !known.has(id) && s.ruleIds.length
            ? `This suppression names "${id}", which is not an audiobg rule.`
            : `This suppression of ${id} matches no finding on the next line.`;
          findings.push(
            complete(unusedMeta, { message, location: { file: s.file, line: s.line, column: s.column } }, unusedSetting ?? unusedMeta.severity),
          );
        }
      }
    }
  }

  assignFingerprints(ws, findings);
  findings.sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.ruleId.localeCompare(b.ruleId),
  );

  const apps = [
    ...model.ios.map((a) => ({ platform: 'ios' as const, name: a.name, path: ws.relative(a.root) })),
    ...model.android.map((a) => ({ platform: 'android' as const, name: a.name, path: ws.relative(a.root) })),
  ];

  return {
    root: ws.root,
    findings,
    suppressedCount,
    filesChecked: ws.files.length,
    apps,
    rules: rules.map((r) => r.meta),
    grammarsLoaded: loadedLanguages(),
    sourceLine: (file, line) => ws.text(file)?.lines.lineText(line),
  };
}

const SUPPRESSION_PARSERS: Partial<Record<ProjectFile['kind'], 'tree' | 'xml'>> = {
  swift: 'tree',
  objc: 'tree',
  kotlin: 'tree',
  java: 'tree',
  'android-manifest': 'xml',
  plist: 'xml',
  entitlements: 'xml',
};

async function collectSuppressionComments(ws: Workspace): Promise<void> {
  for (const f of ws.files) {
    if (ws.comments(f.path) !== undefined) continue;
    const how = SUPPRESSION_PARSERS[f.kind];
    if (!how) continue;
    // Cheap text test first: only files that mention the directive are parsed for it.
    if (!ws.mentions(f, ['audiobg-ignore'])) continue;
    if (how === 'xml') ws.xml(f);
    else {
      const lang = f.kind === 'swift' ? 'swift' : f.kind === 'objc' ? 'objc' : f.kind === 'kotlin' ? 'kotlin' : 'java';
      await ws.tree(f, lang);
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
 * Fingerprints survive unrelated edits: they hash the rule, the file and the trimmed text of the
 * flagged line (not its number), plus an occurrence counter for identical lines.
 */
function assignFingerprints(ws: Workspace, findings: Finding[]): void {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const lineText = (ws.text(f.location.file)?.lines.lineText(f.location.line) ?? '').trim().replace(/\s+/g, ' ');
    const base = `${f.ruleId}\0${ws.relative(f.location.file)}\0${lineText}\0${f.message}`;
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    f.fingerprint = createHash('sha256').update(`${base}\0${n}`).digest('hex').slice(0, 32);
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
