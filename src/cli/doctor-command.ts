// `audiobg doctor`: load config, run the pipeline, pick the reporter, decide the exit code.

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

export async function runDoctorCommand(paths: string[], flags: DoctorFlags, io: CliIO): Promise<number> {
  const targets = (paths.length ? paths : ['.']).map((p) => path.resolve(io.cwd, p));
  const config = resolveConfig(flags, targets[0]!, io.cwd);

  const format: FormatName = flags.format ?? (io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'pretty');
  const result = await runDoctor({ paths: targets, config });

  const visible: DoctorResult = flags.quiet ? { ...result, findings: result.findings.filter((f) => f.severity === 'error') } : result;
  const exitCode = decideExit(result, flags);

  const color =
    format === 'pretty' && flags.color !== false && !flags.output && io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb'
      ? true
      : format === 'pretty' && flags.color !== false && !flags.output && Boolean(io.env.FORCE_COLOR) && io.env.FORCE_COLOR !== '0';

  const text = REPORTERS[format]({ result: visible, exitCode, color, toolVersion: toolVersion(), quiet: Boolean(flags.quiet) });
  if (flags.output) {
    const out = path.resolve(io.cwd, flags.output);
    try {
      writeFileAtomic(out, text);
    } catch (e) {
      throw new UsageError(`cannot write ${out}: ${(e as Error).message}`);
    }
    // Keep a short human summary on stderr so a CI log still says what happened.
    const n = visible.findings.length;
    io.stderr(`audiobg: ${n} finding${n === 1 ? '' : 's'} written to ${path.relative(io.cwd, out) || out}\n`);
  } else {
    io.stdout(text);
  }
  if (flags.maxWarnings !== undefined && exitCode === EXIT.findings) {
    const warnings = result.findings.filter((f) => f.severity === 'warning').length;
    if (warnings > flags.maxWarnings) io.stderr(`audiobg: ${warnings} warnings is more than --max-warnings ${flags.maxWarnings}\n`);
  }
  return exitCode;
}

function resolveConfig(flags: DoctorFlags, firstTarget: string, cwd: string): AudiobgConfig {
  const known = new Set(allRules.map((r) => r.meta.id));
  if (flags.config) {
    const file = path.resolve(cwd, flags.config);
    if (!fs.existsSync(file)) throw new UsageError(`config file not found: ${file}`);
    return loadConfig(file, known);
  }
  const found = findConfigFile(firstTarget);
  return found ? loadConfig(found, known) : DEFAULT_CONFIG;
}

export function decideExit(result: DoctorResult, flags: Pick<DoctorFlags, 'failOn' | 'maxWarnings'>): number {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  if (errors > 0) return EXIT.findings;
  if (flags.failOn === 'warning' && warnings > 0) return EXIT.findings;
  if (flags.maxWarnings !== undefined && warnings > flags.maxWarnings) return EXIT.findings;
  return EXIT.ok;
}
