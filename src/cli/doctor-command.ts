// `audiobg doctor`: load config, run the pipeline, pick the reporter, decide the exit code.
// stdout carries the report and nothing else; notes for the person reading the log go to stderr.

import fs from 'node:fs';
import path from 'node:path';
import { runDoctor, type DoctorResult } from '../engine/run-doctor.js';
import { DEFAULT_CONFIG, findConfigFile, loadConfig, UsageError, type AudiobgConfig } from '../config/load-config.js';
import { allRules } from '../../rules/index.js';
import type { FormatName, Reporter } from '../report/reporter.js';
import { formatPretty } from '../report/pretty-reporter.js';
import { formatJson } from '../report/json-reporter.js';
import { formatSarif } from '../report/sarif-reporter.js';
import { formatGithub } from '../report/github-reporter.js';
import { formatXcode } from '../report/xcode-reporter.js';
import { formatGitlab } from '../report/gitlab-reporter.js';
import { formatJunit } from '../report/junit-reporter.js';
import { EXIT, toolVersion, type CliIO } from './main.js';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { buildStamp } from '../parse/fact-cache.js';
import { autoThreads } from '../parse/parallel.js';
import { createHash } from 'node:crypto';
import type { Finding } from '../findings/finding.js';

export interface DoctorFlags {
  format?: FormatName;
  output?: string;
  maxWarnings?: number;
  failOn: 'error' | 'warning';
  quiet?: boolean;
  config?: string;
  color: boolean;
  baseline?: string;
  updateBaseline?: boolean;
  fix?: boolean;
  fixDryRun?: boolean;
  /** The arguments are changed files (pre-commit): check the working directory, report the apps holding them. */
  changed?: boolean;
  /** Keep per-file facts between runs (see src/parse/fact-cache.ts); a location implies it. */
  cache?: boolean;
  cacheLocation?: string;
  /** Threads that parse (`--concurrency`); 'auto' by default. */
  concurrency?: { threads: number; explicit: boolean } | 'auto';
}

const REPORTERS: Record<FormatName, Reporter> = {
  pretty: formatPretty,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  xcode: formatXcode,
  gitlab: formatGitlab,
  junit: formatJunit,
};

const PARSE_ERROR_ID = 'audiobg/parse-error';

export async function runDoctorCommand(paths: string[], flags: DoctorFlags, io: CliIO): Promise<number> {
  if (flags.changed && (flags.fix || flags.fixDryRun || flags.updateBaseline)) {
    throw new UsageError('--changed reports on the apps that hold the given files; it does not combine with --fix, --fix-dry-run or --update-baseline');
  }
  const changedFiles = flags.changed ? paths : null;
  const targets = changedFiles ? [path.resolve(io.cwd)] : (paths.length ? paths : ['.']).map((p) => path.resolve(io.cwd, p));
  const config = resolveConfig(flags, targets[0]!, io.cwd);

  const format: FormatName = flags.format ?? (io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'pretty');
  const baselineFile = flags.baseline ? path.resolve(io.cwd, flags.baseline) : config.baseline;
  if (flags.updateBaseline && !baselineFile) {
    throw new UsageError('--update-baseline needs a baseline file: give --baseline <file>, or set "baseline" in audiobg.config.json');
  }
  const baselineNotes: string[] = [];
  const cache = flags.cache || flags.cacheLocation ? { location: flags.cacheLocation, build: buildStamp(toolVersion()), env: io.env } : undefined;
  const concurrency = !flags.concurrency || flags.concurrency === 'auto' ? { threads: autoThreads(), explicit: false } : flags.concurrency;
  let result = await runDoctor({ paths: targets, config, cwd: io.cwd, cache, concurrency });
  if (result.cache?.error) baselineNotes.push(`the cache was not written (${result.cache.error}); this run is complete without it`);
  const machine = format !== 'pretty' || Boolean(flags.output);
  if (flags.fix || flags.fixDryRun) {
    const fixed = await fixFirst(result, targets, config, io, baselineFile, flags);
    if (flags.fixDryRun) {
      // The diff is the output; the exit code says whether findings would remain.
      io.stdout(fixed.diff);
      for (const note of fixed.notes) io.stderr(`audiobg: ${note}\n`);
      io.stderr(`audiobg: ${fixed.summary}\n`);
      const remaining = baselineFile ? await applyBaselineFile(fixed.result, baselineFile, false, config, io, [], false) : fixed.result;
      return remaining.internalErrors.length ? EXIT.internal : decideExit(remaining, flags);
    }
    result = fixed.result;
    if (machine) io.stderr(`audiobg: ${fixed.summary}\n`);
    else io.stdout(`audiobg: ${fixed.summary}\n`);
    for (const note of fixed.notes) io.stderr(`audiobg: ${note}\n`);
  }
  if (baselineFile) result = await applyBaselineFile(result, baselineFile, Boolean(flags.updateBaseline), config, io, baselineNotes);
  if (changedFiles) {
    const { onlyChangedApps } = await import('./changed-apps.js');
    result = onlyChangedApps(result, changedFiles, io.cwd);
  }

  const visible: DoctorResult = flags.quiet ? { ...result, findings: result.findings.filter((f) => f.severity === 'error') } : result;
  const failing = decideExit(result, flags);
  const exitCode = result.internalErrors.length ? EXIT.internal : failing;

  const color = format === 'pretty' && !flags.output && useColor(io, flags.color);
  const fixEdits = format === 'sarif' ? await sarifFixEdits(visible) : undefined;
  const text = REPORTERS[format]({ result: visible, exitCode, color, toolVersion: toolVersion(), quiet: Boolean(flags.quiet), fixEdits });
  if (flags.output) {
    const out = path.resolve(io.cwd, flags.output);
    try {
      writeFileAtomic(out, text);
    } catch (e) {
      throw new UsageError(`cannot write the report to ${out}: ${describeIoError(e)}`);
    }
    // Keep a short human summary on stderr so a CI log still says what happened.
    const n = visible.findings.length;
    io.stderr(`audiobg: ${n} finding${n === 1 ? '' : 's'} written to ${shownPath(io.cwd, out)}\n`);
  } else {
    io.stdout(text);
  }

  const fixable = flags.fix ? 0 : visible.findings.filter((f) => f.fixes?.some((i) => i.kind !== 'manual')).length;
  if (fixable) baselineNotes.push(`${fixable} finding${fixable === 1 ? ' has' : 's have'} an automatic fix: run with --fix (or --fix-dry-run to see the diff first)`);
  for (const note of [...baselineNotes, ...notes(result, visible, flags, failing)]) io.stderr(`audiobg: ${note}\n`);
  for (const err of result.internalErrors) io.stderr(`audiobg: ${err}\n`);
  return exitCode;
}

/** What --fix would change for each reported finding, for SARIF `fixes[]`. */
async function sarifFixEdits(result: DoctorResult) {
  if (!result.findings.some((f) => f.fixes?.length)) return undefined;
  const { fixEditsByFinding } = await import('../edit/fixes.js');
  return fixEditsByFinding(result.findings, (file) => {
    try {
      return fs.readFileSync(file);
    } catch {
      return null;
    }
  });
}

/** Run the fix passes on the findings this run reports (not those a baseline accepts). */
async function fixFirst(result: DoctorResult, targets: string[], config: AudiobgConfig, io: CliIO, baselineFile: string | undefined, flags: DoctorFlags) {
  const { runFixes, fixSummary } = await import('./doctor-fix.js');
  const { readBaseline, matchBaseline } = await import('../engine/baseline.js');
  const baseline = baselineFile && !flags.updateBaseline ? readBaseline(baselineFile) : null;
  const outcome = await runFixes({
    paths: targets,
    config,
    cwd: io.cwd,
    first: result,
    reportable: (r) => (baseline ? matchBaseline(r.findings, baseline).fresh : r.findings),
    dryRun: Boolean(flags.fixDryRun),
  });
  return { ...outcome, summary: fixSummary(outcome, Boolean(flags.fixDryRun), result.root) };
}

/**
 * With a baseline: write it when it does not exist (or --update-baseline), and then the run passes;
 * otherwise drop the findings it accepts and add one note per entry that matches nothing.
 */
async function applyBaselineFile(
  result: DoctorResult,
  file: string,
  update: boolean,
  config: AudiobgConfig,
  io: CliIO,
  notesOut: string[],
  mayWrite = true,
): Promise<DoctorResult> {
  const { readBaseline, matchBaseline, serializeBaseline, UNUSED_BASELINE_ENTRY_ID } = await import('../engine/baseline.js');
  const existing = update ? null : readBaseline(file);
  const shown = shownPath(io.cwd, file);
  if (!existing && !mayWrite) return result;
  if (!existing) {
    // Nothing is written when the run could not check everything: a baseline must not accept
    // findings that were never looked for.
    if (result.internalErrors.length) {
      notesOut.push(`baseline ${shown} not written: the run met internal errors`);
      return result;
    }
    const text = serializeBaseline(result.findings, path.dirname(file));
    try {
      writeFileAtomic(file, text);
    } catch (e) {
      throw new UsageError(`cannot write the baseline ${file}: ${describeIoError(e)}`);
    }
    const n = result.findings.filter((f) => f.ruleId !== UNUSED_BASELINE_ENTRY_ID).length;
    notesOut.push(`${update ? 'rewrote' : 'wrote'} baseline ${shown} with ${n} finding${n === 1 ? '' : 's'}; later runs report only findings that are not in it`);
    return { ...result, findings: [], baselinedCount: n };
  }

  const match = matchBaseline(result.findings, existing);
  const meta = result.rules.find((r) => r.id === UNUSED_BASELINE_ENTRY_ID);
  const setting = config.rules[UNUSED_BASELINE_ENTRY_ID];
  const stale: Finding[] =
    meta && setting !== 'off'
      ? match.stale.map((e) => ({
          ruleId: meta.id,
          severity: setting ?? meta.severity,
          message: `This baseline entry (${e.rule} in ${e.file}) matches no finding any more.`,
          location: e.location,
          why: meta.why,
          fix: meta.fix,
          docs: meta.docs,
          fingerprint: createHash('sha256').update(`${meta.id}\0${e.rule}\0${e.file}\0${e.fingerprint}`).digest('hex').slice(0, 32),
        }))
      : [];
  if (match.stale.length) {
    const n = match.stale.length;
    notesOut.push(`${n} baseline entr${n === 1 ? 'y matches' : 'ies match'} no finding; run with --update-baseline to drop ${n === 1 ? 'it' : 'them'}`);
  }
  return { ...result, findings: [...match.fresh, ...stale], baselinedCount: match.baselined };
}

/** Things the reader of a log must not miss, that the chosen format may not show. */
function notes(result: DoctorResult, visible: DoctorResult, flags: DoctorFlags, exitCode: number): string[] {
  const out: string[] = [];
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  if (result.apps.length === 0 && result.filesChecked > 0) {
    out.push(`no iOS or Android app was recognised under ${result.root}; only file-level checks ran`);
  }
  if (flags.quiet) {
    const hidden = result.findings.length - visible.findings.length;
    const unchecked = result.findings.filter((f) => f.ruleId === PARSE_ERROR_ID && f.severity !== 'error').length;
    if (unchecked) out.push(`${unchecked} file${unchecked === 1 ? ' was' : 's were'} not checked (warnings hidden by --quiet; run without it to see which)`);
    if (exitCode === EXIT.findings && visible.findings.length === 0 && hidden > 0) {
      out.push(`the run fails on ${warnings} warning${warnings === 1 ? '' : 's'} hidden by --quiet`);
    }
  }
  if (flags.maxWarnings !== undefined && warnings > flags.maxWarnings) {
    out.push(`${warnings} warning${warnings === 1 ? '' : 's'} is more than --max-warnings ${flags.maxWarnings}`);
  }
  return out;
}

/**
 * Colour only when it can be seen and is wanted: never with --no-color or NO_COLOR (any
 * non-empty value, https://no-color.org), always with FORCE_COLOR (other than 0/false),
 * otherwise only on a terminal that is not "dumb".
 */
export function useColor(io: Pick<CliIO, 'env' | 'isTTY'>, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.isTTY && io.env.TERM !== 'dumb';
}

function resolveConfig(flags: DoctorFlags, firstTarget: string, cwd: string): AudiobgConfig {
  const known = new Set(allRules.map((r) => r.meta.id));
  if (flags.config) {
    const file = path.resolve(cwd, flags.config);
    return loadConfig(file, known);
  }
  const found = findConfigFile(firstTarget);
  return found ? loadConfig(found, known) : DEFAULT_CONFIG;
}

function describeIoError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'the folder does not exist';
  if (code === 'EACCES' && /read-only/.test((e as Error).message)) return 'the file is read-only';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOSPC') return 'no space left on the device';
  return (e as Error)?.message ?? String(e);
}

export function decideExit(result: DoctorResult, flags: Pick<DoctorFlags, 'failOn' | 'maxWarnings'>): number {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  if (errors > 0) return EXIT.findings;
  if (flags.failOn === 'warning' && warnings > 0) return EXIT.findings;
  if (flags.maxWarnings !== undefined && warnings > flags.maxWarnings) return EXIT.findings;
  return EXIT.ok;
}

/** A path as the user would type it: relative when it is under the working directory. */
function shownPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}
