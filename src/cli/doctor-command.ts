// `audiobg doctor`: load config, run the pipeline, pick the reporter, decide the exit code.
// stdout carries the report and nothing else; notes for the person reading the log go to stderr.

import path from 'node:path';
import { runDoctor, type DoctorResult } from '../engine/run-doctor.js';
import { DEFAULT_CONFIG, findConfigFile, loadConfig, UsageError, type AudiobgConfig } from '../config/load-config.js';
import { allRules } from '../../rules/index.js';
import type { FormatName, Reporter } from '../report/reporter.js';
import { formatPretty } from '../report/pretty-reporter.js';
import { formatJson } from '../report/json-reporter.js';
import { formatSarif } from '../report/sarif-reporter.js';
import { formatGithub } from '../report/github-reporter.js';
import { EXIT, toolVersion, type CliIO } from './main.js';
import { writeFileAtomic } from '../fs/write-atomic.js';

export interface DoctorFlags {
  format?: FormatName;
  output?: string;
  maxWarnings?: number;
  failOn: 'error' | 'warning';
  quiet?: boolean;
  config?: string;
  color: boolean;
}

const REPORTERS: Record<FormatName, Reporter> = {
  pretty: formatPretty,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
};

const PARSE_ERROR_ID = 'audiobg/parse-error';

export async function runDoctorCommand(paths: string[], flags: DoctorFlags, io: CliIO): Promise<number> {
  const targets = (paths.length ? paths : ['.']).map((p) => path.resolve(io.cwd, p));
  const config = resolveConfig(flags, targets[0]!, io.cwd);

  const format: FormatName = flags.format ?? (io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'pretty');
  const result = await runDoctor({ paths: targets, config, cwd: io.cwd });

  const visible: DoctorResult = flags.quiet ? { ...result, findings: result.findings.filter((f) => f.severity === 'error') } : result;
  const failing = decideExit(result, flags);
  const exitCode = result.internalErrors.length ? EXIT.internal : failing;

  const color = format === 'pretty' && !flags.output && useColor(io, flags.color);
  const text = REPORTERS[format]({ result: visible, exitCode, color, toolVersion: toolVersion(), quiet: Boolean(flags.quiet) });
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

  for (const note of notes(result, visible, flags, failing)) io.stderr(`audiobg: ${note}\n`);
  for (const err of result.internalErrors) io.stderr(`audiobg: ${err}\n`);
  return exitCode;
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
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
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
