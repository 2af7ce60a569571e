// `doctor --fix` / `--fix-dry-run`: apply the fixes rules attach to findings, then let the
// doctor command report what remains. Every pass runs on an in-memory copy of the changed files
// (the Workspace overlay), so dependent fixes converge without touching the disk; only at the end
// is everything written at once, staged with rollback (applyPlan): a read-only file, a symbolic
// link out of the project or a file changed meanwhile stops the whole fix before a byte is written.

import fs from 'node:fs';
import path from 'node:path';
import { runDoctor, type DoctorResult } from '../engine/run-doctor.js';
import type { AudiobgConfig } from '../config/load-config.js';
import type { Finding } from '../findings/finding.js';
import { planFixPass, type AppliedFix } from '../edit/fixes.js';
import { applyPlan, type PlanEntry } from '../scaffold/apply-plan.js';
import { unifiedDiff } from '../edit/unified-diff.js';

/** Passes of fix-then-check: enough for a fix that only shows up once another one is made. */
export const MAX_FIX_PASSES = 4;

export interface FixOutcome {
  /** The doctor result after the fixes (on disk, or as they would be with --fix-dry-run). */
  result: DoctorResult;
  applied: AppliedFix[];
  fixedFindings: number;
  /** Changed files: absolute path → content before and after. */
  changes: Map<string, { before: Buffer | null; after: Buffer }>;
  /** Lines for the log: fixes that could not be made, findings in files audiobg does not rewrite. */
  notes: string[];
  diff: string;
}

export async function runFixes(options: {
  paths: string[];
  config: AudiobgConfig;
  cwd: string;
  first: DoctorResult;
  /** The findings the run reports (a baseline's accepted findings are not fixed). */
  reportable: (r: DoctorResult) => Finding[];
  dryRun: boolean;
}): Promise<FixOutcome> {
  const overlay = new Map<string, Buffer>();
  const before = new Map<string, Buffer | null>();
  const applied: AppliedFix[] = [];
  const notes = new Set<string>();
  let fixedFindings = 0;
  let result = options.first;
  const read = (file: string): Buffer | null => {
    const o = overlay.get(file);
    if (o) return o;
    try {
      return fs.readFileSync(file);
    } catch {
      return null;
    }
  };
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const findings = options.reportable(result);
    const plan = await planFixPass(findings, read);
    for (const s of plan.skipped) notes.add(`not fixed: ${toPosix(path.relative(result.root, s.file))}:${s.line} ${s.ruleId}: ${s.reason}`);
    if (!plan.files.length) break;
    for (const f of plan.files) {
      if (!before.has(f.file)) before.set(f.file, f.original);
      overlay.set(f.file, f.content);
    }
    applied.push(...plan.applied);
    fixedFindings += plan.fixedFindings;
    result = await runDoctor({ paths: options.paths, config: options.config, cwd: options.cwd, overlay });
  }
  for (const f of options.reportable(result)) {
    for (const i of f.fixes ?? []) if (i.kind === 'manual') notes.add(`not fixed automatically: ${toPosix(path.relative(result.root, f.location.file))}:${f.location.line} ${f.ruleId}: ${i.reason}`);
  }

  const changes = new Map<string, { before: Buffer | null; after: Buffer }>();
  for (const [file, after] of overlay) {
    const was = before.get(file) ?? null;
    if (!was || !after.equals(was)) changes.set(file, { before: was, after });
  }
  const rel = (file: string) => toPosix(path.relative(result.root, file));
  let diff = '';
  for (const [file, c] of [...changes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (c.before) diff += unifiedDiff(c.before.toString('utf8'), c.after.toString('utf8'), rel(file));
    else {
      const lines = c.after.toString('utf8').replace(/\n$/, '').split('\n');
      diff += `--- /dev/null\n+++ b/${rel(file)}\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}\n`).join('')}`;
    }
  }

  if (!options.dryRun && changes.size) {
    const entries: PlanEntry[] = [...changes].map(([file, c]) => c.before ? { path: rel(file), content: c.after, source: 'doctor --fix', mode: 'patch', original: c.before } : { path: rel(file), content: c.after, source: 'doctor --fix', mode: 'new' });
    applyPlan(result.root, entries, { force: false });
  }
  return { result, applied, fixedFindings, changes, notes: [...notes], diff };
}

/** "fixed 3 findings (4 changes in 2 files: AndroidManifest.xml, Info.plist)". */
export function fixSummary(outcome: FixOutcome, dryRun: boolean, root: string): string {
  const n = outcome.fixedFindings;
  const c = outcome.applied.length;
  if (!outcome.changes.size) return dryRun ? 'nothing to fix automatically; no change would be made' : 'nothing to fix automatically; no file was changed';
  const files = [...outcome.changes.keys()].map((f) => toPosix(path.relative(root, f))).sort();
  const shownFiles = files.length > 3 ? `${files.slice(0, 3).join(', ')}, ...` : files.join(', ');
  return `${dryRun ? 'would fix' : 'fixed'} ${n} finding${n === 1 ? '' : 's'} (${c} change${c === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}: ${shownFiles})${dryRun ? '; nothing was written (--fix-dry-run)' : ''}`;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
