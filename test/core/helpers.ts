// Helpers for the core tests: throw-away folders, fixture copies and report parsing.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { FIXTURES, REPO_ROOT, runCli, type CliRun } from '../support/cli.js';
import { UsageError } from '../../src/config/load-config.js';

export { FIXTURES, REPO_ROOT, runCli };
export const CORE_FIXTURES = path.join(FIXTURES, 'core');

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A new empty folder, removed when the test file ends. */
export function tempDir(label = 'core'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `audiobg-${label}-`));
  made.push(d);
  return d;
}

/** Write a file (creating its folders) and return its absolute path. */
export function write(root: string, rel: string, content: string | Uint8Array): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

/**
 * Every folder directly under the platform fixture folders: each is a project of its own. `keep`
 * narrows them (for instance to projects with source files).
 */
export function fixtureProjects(keep: (dir: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const group of ['android', 'ios', 'ios-config', 'expo', 'flutter', 'examples', 'core']) {
    const dir = path.join(FIXTURES, group);
    if (!fs.existsSync(dir)) continue;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory() && keep(path.join(dir, e.name))) out.push(path.join(dir, e.name));
  }
  return out;
}

/** A run on a fixture folder, or null when the folder has nothing to check on its own (UsageError). */
export async function unlessNothingToCheck<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof UsageError) return null;
    throw e;
  }
}

/** Copy a fixture under fixtures/core into a new temp folder and return the copy's path. */
export function copyFixture(name: string): string {
  const dest = path.join(tempDir(name.replace(/\W+/g, '-')), name);
  fs.cpSync(path.join(CORE_FIXTURES, name), dest, { recursive: true });
  return dest;
}

export interface ReportFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number | null;
  endColumn: number | null;
  why: string;
  fix: string;
  docs: Array<{ title: string; url: string }>;
  related: Array<{ message: string; file: string; line: number; column: number }>;
  fingerprint: string;
}

export interface JsonRun extends CliRun {
  report: {
    schemaVersion: number;
    exitCode: number;
    summary: { errors: number; warnings: number; infos: number; suppressed: number; filesChecked: number };
    findings: ReportFinding[];
    [k: string]: unknown;
  };
}

/** `doctor <dir> --format json ...`; the report is parsed (and must parse: stdout is pure JSON). */
export async function doctorJson(dir: string, extra: string[] = [], options: Parameters<typeof runCli>[1] = {}): Promise<JsonRun> {
  const run = await runCli(['doctor', dir, '--format', 'json', ...extra], options);
  let report: JsonRun['report'];
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\n--- stderr ---\n${run.stderr}`);
  }
  return { ...run, report };
}

/** "file:line rule-id" strings, sorted: the shape most assertions compare against. */
export function where(findings: ReportFinding[], ruleId?: string): string[] {
  return findings
    .filter((f) => ruleId === undefined || f.ruleId === ruleId)
    .map((f) => `${f.file}:${f.line} ${f.ruleId}`)
    .sort();
}

/** A stack trace looks like "    at fn (file:line:col)". None may reach the user for bad input. */
export function hasStackTrace(s: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(s);
}

/** Running as root: file permissions do not stop reads, so unreadable files must be simulated. */
export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
