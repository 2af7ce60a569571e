// The composite GitHub Action (action.yml), run the way the runner runs it: each step's `if` and
// `${{ }}` expressions evaluated against inputs and earlier steps' outputs, `run:` scripts executed
// with `bash --noprofile --norc -eo pipefail` and a fresh GITHUB_OUTPUT file, the upload-sarif step
// stood in for by a stub that accepts or refuses the upload. `npx` is a shim on PATH that records
// the package spec it was asked for and runs this checkout's bin/audiobg.js (needs dist/, which
// `npm test` builds; without it these tests are skipped and say so).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FIXTURES, REPO_ROOT } from '../support/cli.js';
import { tempDir, write } from '../core/helpers.js';

const BUILT = fs.existsSync(path.join(REPO_ROOT, 'dist', 'audiobg.cjs')) || fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));
const VERSION = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;

interface Step {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean | string;
}

interface ActionRun {
  /** The job's exit status: 0 when every step succeeded (or was allowed to fail). */
  code: number;
  log: string;
  /** Step id (or name) → what it did. */
  steps: Record<string, { outcome: 'success' | 'failure' | 'skipped'; outputs: Record<string, string>; stdout: string }>;
  uploads: Array<Record<string, string>>;
  /** What each actions/cache step was given. */
  caches: Array<Record<string, string>>;
  npx: string[];
  runnerTemp: string;
}

function shimDir(): string {
  const dir = tempDir('action-bin');
  write(
    dir,
    'npx',
    `#!/usr/bin/env bash
echo "$*" >> "$NPX_LOG"
if [ "$1" != "--yes" ]; then echo "npx shim: expected --yes first" >&2; exit 97; fi
shift 2
exec node ${JSON.stringify(path.join(REPO_ROOT, 'bin', 'audiobg.js'))} "$@"
`,
  );
  fs.chmodSync(path.join(dir, 'npx'), 0o755);
  return dir;
}

function runAction(workspace: string, inputs: Record<string, string>, upload: 'success' | 'failure' = 'success'): ActionRun {
  const action = parseYaml(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8'));
  expect(action.runs.using).toBe('composite');
  for (const name of Object.keys(inputs)) expect(Object.keys(action.inputs), `input ${name}`).toContain(name);
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries<{ default?: string }>(action.inputs)) values[name] = inputs[name] ?? spec.default ?? '';

  const bin = shimDir();
  const npxLog = path.join(tempDir('action-npx'), 'npx.log');
  fs.writeFileSync(npxLog, '');
  const runnerTemp = tempDir('action-temp');
  const steps: ActionRun['steps'] = {};
  const uploads: ActionRun['uploads'] = [];
  const caches: ActionRun['caches'] = [];
  let failed = 0;
  let log = '';

  const lookup = (ref: string): unknown => {
    const [ctx, ...rest] = ref.split('.');
    if (ctx === 'inputs') return values[rest.join('.')] ?? '';
    if (ctx === 'github') return { action_path: REPO_ROOT, workspace, token: 'token', sha: 'c0ffee' }[rest.join('.')] ?? '';
    if (ctx === 'runner') return { os: 'Linux', temp: runnerTemp }[rest.join('.')] ?? '';
    if (ctx === 'steps') {
      const step = steps[rest[0]!];
      if (!step) return '';
      if (rest[1] === 'outcome') return step.outcome;
      if (rest[1] === 'outputs') return step.outputs[rest.slice(2).join('.')] ?? '';
    }
    throw new Error(`unknown context ${ref}`);
  };
  // The expression subset action.yml uses: context references, string literals, ==, !=, &&, ||, always().
  const evaluate = (expr: string): unknown => {
    const js = expr
      .replace(/\b(inputs|steps|github|runner)\.[A-Za-z0-9_.-]+/g, (ref) => JSON.stringify(lookup(ref)))
      .replace(/\balways\(\)/g, 'true')
      .replace(/!=/g, '!==')
      .replace(/(?<![!=])==(?!=)/g, '===');
    return Function(`"use strict"; return (${js});`)();
  };
  const substitute = (s: string): string => s.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, e: string) => String(evaluate(e.trim())));

  for (const step of action.runs.steps as Step[]) {
    const key = step.id ?? step.name!;
    const cond = step.if ?? '';
    const statusFn = /\b(always|failure|success|cancelled)\(\)/.test(cond);
    const run = (!statusFn ? failed === 0 : true) && (cond ? Boolean(evaluate(cond)) : true);
    if (!run) {
      steps[key] = { outcome: 'skipped', outputs: {}, stdout: '' };
      continue;
    }
    const allowFail = typeof step['continue-on-error'] === 'string' ? substitute(step['continue-on-error']) === 'true' : Boolean(step['continue-on-error']);
    let ok: boolean;
    let outputs: Record<string, string> = {};
    let stdout = '';
    let code = 0;
    if (step.uses) {
      const withs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v))]));
      if (step.uses === 'actions/cache@v4') {
        // Restores nothing (a first run); the runner would save the path after the job.
        caches.push(withs);
        ok = true;
      } else {
        expect(step.uses).toBe('github/codeql-action/upload-sarif@v3');
        uploads.push(withs);
        ok = upload === 'success';
      }
      code = ok ? 0 : 1;
    } else {
      expect(step.shell).toBe('bash');
      const script = path.join(runnerTemp, `${key}.sh`);
      fs.writeFileSync(script, substitute(step.run!));
      const outFile = path.join(runnerTemp, `${key}.out`);
      fs.writeFileSync(outFile, '');
      const env: NodeJS.ProcessEnv = {
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        HOME: process.env.HOME,
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: outFile,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: runnerTemp,
        NPX_LOG: npxLog,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v))])),
      };
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8' });
      stdout = r.stdout;
      log += r.stdout + r.stderr;
      code = r.status ?? 1;
      ok = code === 0;
      outputs = Object.fromEntries(
        fs.readFileSync(outFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
    }
    steps[key] = { outcome: ok ? 'success' : 'failure', outputs, stdout };
    if (!ok && !allowFail && !failed) failed = code;
  }
  return { code: failed, log, steps, uploads, caches, npx: fs.readFileSync(npxLog, 'utf8').split('\n').filter(Boolean), runnerTemp };
}

function copy(fixture: string, name = path.basename(fixture)): string {
  const dir = path.join(tempDir('action-ws'), name);
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

/** `file,line,col,title` of each annotation line, sorted. */
function annotations(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => /^::(error|warning|notice) /.test(l))
    .map((l) => /^::(\w+) (file=[^,]+,line=\d+,col=\d+).*?(title=[^:]+)::/.exec(l)!)
    .map((m) => `${m[1]} ${m[2]} ${m[3]}`)
    .sort();
}

describe.skipIf(!BUILT)('action.yml, run step by step as the runner would (needs dist/, built by npm test)', () => {
  it('default (auto): SARIF of the whole workspace uploaded to code scanning; the job fails on errors; the tool is the action\'s own version', () => {
    const ws = copy('examples/podcast-player');
    const run = runAction(ws, {});
    expect(run.npx).toEqual([`--yes audiobg@${VERSION} doctor . --fail-on error --format sarif --output audiobg.sarif`]);
    expect(run.uploads).toEqual([{ sarif_file: 'audiobg.sarif', category: 'audiobg' }]);
    const sarif = JSON.parse(fs.readFileSync(path.join(ws, 'audiobg.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(5);
    expect(results.some((r: any) => r.locations[0].physicalLocation.artifactLocation.uri === 'ios/Podcast/EpisodePlayer.swift')).toBe(true);
    expect(run.steps.annotate!.outcome).toBe('skipped');
    expect(run.steps.doctor!.outputs).toMatchObject({ 'exit-code': '1', report: 'audiobg.sarif' });
    expect(run.code).toBe(1);
    expect(run.log).toContain('audiobg: findings fail the run');
  });

  it('auto with the upload refused (no permission, a fork): the same findings as annotations, the job still fails on errors', () => {
    const ws = copy('examples/podcast-player');
    const run = runAction(ws, {}, 'failure');
    expect(run.steps.upload!.outcome).toBe('failure');
    expect(run.steps.annotate!.outcome).toBe('success');
    // The annotations match what `doctor --format github` prints for the same tree.
    const direct = spawnSync('node', [path.join(REPO_ROOT, 'bin/audiobg.js'), 'doctor', '.', '--format', 'github'], { cwd: ws, encoding: 'utf8' }).stdout;
    expect(annotations(run.steps.annotate!.stdout)).toEqual(annotations(direct));
    expect(annotations(run.steps.annotate!.stdout)).toContain('error file=ios/Podcast/EpisodePlayer.swift,line=10,col=9 title=audiobg ios/background-audio-mode-missing');
    expect(run.code).toBe(1);
  });

  it('format sarif: a refused upload fails the job even when doctor passed', () => {
    const ws = copy('core/clean');
    const ok = runAction(ws, { format: 'sarif' });
    expect(ok.code).toBe(0);
    expect(ok.log).toContain('audiobg: passed');
    const refused = runAction(ws, { format: 'sarif' }, 'failure');
    expect(refused.steps.annotate!.outcome).toBe('skipped');
    expect(refused.code).not.toBe(0);
  });

  it('format github with fail-on: warnings annotate; they fail the job only with fail-on warning', () => {
    const ws = copy('core/warnings');
    const lenient = runAction(ws, { format: 'github' });
    expect(lenient.uploads).toEqual([]);
    expect(annotations(lenient.steps.doctor!.stdout)).toEqual(['warning file=ios/Player/Formatting.swift,line=6,col=9 title=audiobg audiobg/unused-suppression']);
    expect(lenient.code).toBe(0);
    const strict = runAction(ws, { format: 'github', 'fail-on': 'warning' });
    expect(strict.npx[0]).toContain('--fail-on warning');
    expect(strict.code).toBe(1);
  });

  it('paths one per line (with a space in a name), a config, a baseline written on the first run, a pinned version', () => {
    const root = tempDir('action-multi');
    fs.cpSync(path.join(FIXTURES, 'examples/podcast-player/ios'), path.join(root, 'apps/My Player/ios'), { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'core/warnings'), path.join(root, 'tools'), { recursive: true });
    write(root, 'ci/audiobg.json', JSON.stringify({ rules: { 'audiobg/unused-suppression': 'off' } }));
    const inputs = { paths: 'apps/My Player\n  tools  \n', config: 'ci/audiobg.json', baseline: 'ci/baseline.json', format: 'json', output: 'report.json', version: '9.9.9' };
    const first = runAction(root, inputs);
    expect(first.npx).toEqual(['--yes audiobg@9.9.9 doctor apps/My Player tools --fail-on error --config ci/audiobg.json --baseline ci/baseline.json --format json --output report.json']);
    expect(fs.existsSync(path.join(root, 'ci/baseline.json'))).toBe(true);
    expect(first.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(root, 'report.json'), 'utf8'));
    expect(report.findings).toEqual([]);
    // Later runs report only what is new: break a plist that was fine.
    write(root, 'tools/ios/Player/Broken.plist', '<plist><dict><key>a</key></dict>');
    const second = runAction(root, inputs);
    const again = JSON.parse(fs.readFileSync(path.join(root, 'report.json'), 'utf8'));
    expect(again.findings.map((f: any) => `${f.ruleId} ${f.file}`)).toEqual(['audiobg/parse-error tools/ios/Player/Broken.plist']);
    expect(second.code).toBe(1);
  });

  it('one subfolder checked: SARIF paths are made repository-relative for code scanning, and so are the fallback annotations', () => {
    const root = tempDir('action-sub');
    fs.cpSync(path.join(FIXTURES, 'examples/podcast-player'), path.join(root, 'apps/My Player'), { recursive: true });
    const direct = spawnSync('node', [path.join(REPO_ROOT, 'bin/audiobg.js'), 'doctor', 'apps/My Player', '--format', 'sarif'], { cwd: root, encoding: 'utf8' });
    const plain = JSON.parse(direct.stdout).runs[0];
    const run = runAction(root, { paths: 'apps/My Player\n' }, 'failure');
    const sarif = JSON.parse(fs.readFileSync(path.join(root, 'audiobg.sarif'), 'utf8')).runs[0];
    expect(sarif.originalUriBaseIds['%SRCROOT%'].uri).toBe(pathToFileURL(root).href + '/');
    const uris = (r: any) => [r.locations[0].physicalLocation.artifactLocation.uri, ...(r.relatedLocations ?? []).map((l: any) => l.physicalLocation.artifactLocation.uri)];
    expect(sarif.results.flatMap(uris)).toEqual(plain.results.flatMap(uris).map((u: string) => `apps/My%20Player/${u}`));
    expect(sarif.results.length).toBeGreaterThan(5);
    expect(annotations(run.steps.annotate!.stdout)).toContain('error file=apps/My Player/ios/Podcast/EpisodePlayer.swift,line=10,col=9 title=audiobg ios/background-audio-mode-missing');
    expect(run.code).toBe(1);
  });

  it('cache: true restores the fact cache with actions/cache, keyed by OS and commit, and doctor keeps its facts there', () => {
    const ws = copy('examples/podcast-player');
    const plain = runAction(ws, { format: 'json', output: 'plain.json' });
    expect(plain.caches).toEqual([]);
    expect(plain.steps.restore!.outcome).toBe('skipped');
    const run = runAction(ws, { format: 'json', output: 'cached.json', cache: 'true' });
    const dir = path.join(run.runnerTemp, 'audiobg-cache');
    expect(run.caches).toEqual([{ path: dir, key: 'audiobg-facts-Linux-c0ffee', 'restore-keys': 'audiobg-facts-Linux-' }]);
    expect(run.npx).toEqual([`--yes audiobg@${VERSION} doctor . --fail-on error --cache-location ${dir}/ --format json --output cached.json`]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const findings = (f: string) => JSON.parse(fs.readFileSync(path.join(ws, f), 'utf8')).findings;
    expect(findings('cached.json')).toEqual(findings('plain.json'));
    expect(run.code).toBe(plain.code);
  });

  it('bad input stops the job with exit code 2: an unknown format, a folder that does not exist', () => {
    const ws = copy('core/clean');
    const unknown = runAction(ws, { format: 'xml' });
    expect(unknown.npx).toEqual([]);
    expect(unknown.log).toContain('::error title=audiobg::unknown format "xml"');
    expect(unknown.code).toBe(2);
    const missing = runAction(ws, { paths: 'nope' });
    expect(missing.steps.upload!.outcome).toBe('skipped');
    expect(missing.code).toBe(2);
  });
});
