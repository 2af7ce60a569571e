// A bug in a rule is an internal error: the other rules still run and the report is still
// printed (with the crash as a finding), but the run ends with exit code 3, never 0 or 1.

import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CORE_FIXTURES, doctorJson, runCli } from './helpers.js';

vi.mock('../../rules/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../rules/index.js')>();
  const { defineRule } = await import('../../src/engine/rule.js');
  const broken = defineRule({
    meta: {
      id: 'test/throws',
      platform: 'ios',
      severity: 'error',
      title: 'Always throws',
      description: 'A rule with a bug (test only).',
      why: 'n/a',
      fix: 'n/a',
      docs: [{ title: 'test', url: 'https://example.com/' }],
    },
    check() {
      throw new TypeError("Cannot read properties of undefined (reading 'plist')");
    },
  });
  const allRules = [...original.allRules, broken];
  return { ...original, allRules, findRule: (id: string) => allRules.find((r) => r.meta.id === id) };
});

describe('a rule that throws', () => {
  it('exits 3, keeps the other findings, and names the rule on stderr and in the report', async () => {
    const run = await doctorJson(path.join(CORE_FIXTURES, 'warnings'));
    expect(run.code).toBe(3);
    expect(run.report.exitCode).toBe(3);
    expect(run.report.internalErrors).toEqual(["internal error in rule test/throws: Cannot read properties of undefined (reading 'plist') (please report this)"]);
    // The other rules still ran.
    expect(run.report.findings.map((f) => f.ruleId).sort()).toEqual(['audiobg/parse-error', 'audiobg/unused-suppression']);
    expect(run.stderr).toContain('internal error in rule test/throws');
  });

  it('marks the SARIF run as unsuccessful, with a tool notification', async () => {
    const run = await runCli(['doctor', path.join(CORE_FIXTURES, 'clean'), '--format', 'sarif']);
    expect(run.code).toBe(3);
    const inv = JSON.parse(run.stdout).runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications[0].message.text).toContain('test/throws');
  });

  it('exits 3 even with --quiet and even when the rule is the only problem', async () => {
    const run = await runCli(['doctor', path.join(CORE_FIXTURES, 'clean'), '--quiet']);
    expect(run.code).toBe(3);
  });
});
