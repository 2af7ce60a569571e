import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('audiobg CLI contract', () => {
  it('exits 2 for a path that does not exist and names it', async () => {
    const run = await runCli(['doctor', '/definitely/not/here']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/definitely/not/here');
  });

  it('exits 2 for an unknown format', async () => {
    const run = await runCli(['doctor', '.', '--format', 'xml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('xml');
  });

  it('explains a rule and rejects an unknown one with exit 2', async () => {
    const ok = await runCli(['explain', 'audiobg/parse-error']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Why it breaks background audio');
    const bad = await runCli(['explain', 'ios/nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown rule');
  });
});
