// Run the real CLI in-process (same code path as bin/audiobg.js) and capture what it prints.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; isTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: options.env ?? {},
    cwd: options.cwd ?? REPO_ROOT,
    isTTY: options.isTTY ?? false,
    stdinIsTTY: false,
  });
  return { code, stdout, stderr };
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  fix: string;
  why: string;
}

/** Run `doctor --format json` on a fixture folder and return the parsed findings. */
export async function doctorJson(fixture: string, extra: string[] = []): Promise<{ code: number; findings: JsonFinding[]; raw: any; stderr: string }> {
  const dir = path.isAbsolute(fixture) ? fixture : path.join(FIXTURES, fixture);
  const run = await runCli(['doctor', dir, '--format', 'json', ...extra]);
  if (run.code === 2 || run.code === 3) throw new Error(`doctor failed (${run.code}): ${run.stderr}`);
  const raw = JSON.parse(run.stdout);
  return { code: run.code, findings: raw.findings, raw, stderr: run.stderr };
}

/** Findings of one rule, as "file:line" strings, sorted. */
export function locationsOf(findings: JsonFinding[], ruleId: string): string[] {
  return findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.file}:${f.line}`).sort();
}
