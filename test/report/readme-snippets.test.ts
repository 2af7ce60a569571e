// The copy-paste snippets of the README for pipelines and editors: the Xcode Run Script phase is run
// with bash the way Xcode runs it (SRCROOT, DERIVED_FILE_DIR; npx is a shim running this checkout),
// the GitHub workflow names only inputs action.yml has, and every pinned version is this package's.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FIXTURES, REPO_ROOT } from '../support/cli.js';
import { tempDir, write } from '../core/helpers.js';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const CI_DOC = fs.readFileSync(path.join(REPO_ROOT, 'docs/ci.md'), 'utf8');
const VERSION = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
const BUILT = fs.existsSync(path.join(REPO_ROOT, 'dist', 'audiobg.cjs')) || fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));

function blockAfter(text: string, heading: string, lang: string): string {
  const at = text.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  return new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(text.slice(at))![1]!;
}

describe('every pinned version is this package\'s', () => {
  it.each([
    ['README.md', README],
    ['docs/ci.md', CI_DOC],
  ])('%s', (_name, text) => {
    const pins = [...text.matchAll(/audiobg@v?(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
    expect(pins.length).toBeGreaterThan(0);
    expect(new Set(pins)).toEqual(new Set([VERSION]));
  });
});

describe('the README GitHub workflow', () => {
  it('uses this action with inputs it declares and the permissions the upload needs', () => {
    const workflow = parseYaml(blockAfter(README, '### GitHub Action', 'yaml'));
    const action = parseYaml(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8'));
    expect(workflow.permissions).toMatchObject({ 'security-events': 'write', contents: 'read' });
    const step = workflow.jobs.doctor.steps.find((s: { uses?: string }) => s.uses?.startsWith('audiobg/audiobg@'));
    expect(step.uses).toBe(`audiobg/audiobg@v${VERSION}`);
    for (const key of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
    // The commented-out inputs too.
    const commented = [...blockAfter(README, '### GitHub Action', 'yaml').matchAll(/^\s*# ([a-z-]+): /gm)].map((m) => m[1]!);
    expect(commented.length).toBeGreaterThan(2);
    for (const key of commented) expect(Object.keys(action.inputs)).toContain(key);
  });
});

describe.skipIf(!BUILT)('the README Xcode Run Script phase, run as Xcode runs it (needs dist/, built by npm test)', () => {
  const script = blockAfter(README, '### Xcode: a Run Script build phase', 'sh');

  function phase(srcroot: string, withNode = true) {
    const bin = tempDir('xcode-bin');
    if (withNode) {
      write(bin, 'npx', `#!/usr/bin/env bash\necho "$*" > "${bin}/args"\nshift 2\nexec "${process.execPath}" ${JSON.stringify(path.join(REPO_ROOT, 'bin/audiobg.js'))} "$@"\n`);
      fs.chmodSync(path.join(bin, 'npx'), 0o755);
    }
    const derived = tempDir('xcode-derived');
    const file = path.join(derived, 'script.sh');
    fs.writeFileSync(file, script);
    // Xcode runs the phase with /bin/sh -c and a bare PATH; the script adds the usual Node folders.
    const r = spawnSync('/bin/sh', [file], {
      cwd: srcroot,
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, SRCROOT: srcroot, DERIVED_FILE_DIR: derived, HOME: process.env.HOME },
    });
    const args = fs.existsSync(path.join(bin, 'args')) ? fs.readFileSync(path.join(bin, 'args'), 'utf8').trim() : '';
    return { code: r.status, stdout: r.stdout, stamp: fs.existsSync(path.join(derived, 'audiobg.stamp')), args };
  }

  it('an app with errors: issue lines for Xcode, the build fails, no stamp (so the phase runs again)', () => {
    const r = phase(path.join(FIXTURES, 'examples/podcast-player'));
    expect(r.args).toBe(`--yes audiobg@${VERSION} doctor ${path.join(FIXTURES, 'examples/podcast-player')} --format xcode`);
    expect(r.code).toBe(1);
    expect(r.stamp).toBe(false);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l).toMatch(/^\/.+:\d+:\d+: (error|warning|note): .+ \[[a-z]+\/[a-z0-9-]+\]$/);
  });

  it('near miss: a clean app passes and writes the stamp', () => {
    const clean = phase(path.join(FIXTURES, 'core/clean'));
    expect([clean.code, clean.stdout, clean.stamp]).toEqual([0, '', true]);
  });

  it('without Node the phase warns and does not fail the build', (ctx) => {
    const found = ['/usr/local/bin/npx', '/opt/homebrew/bin/npx', '/usr/bin/npx', '/bin/npx'].find((p) => fs.existsSync(p));
    if (found) return ctx.skip(`this machine has ${found}, on the PATH the script sets, so "no Node" cannot be simulated`);
    const noNode = phase(path.join(FIXTURES, 'core/clean'), false);
    expect(noNode.code).toBe(0);
    expect(noNode.stdout).toBe('warning: audiobg skipped: Node.js is not installed\n');
  });
});
