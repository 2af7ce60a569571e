// The pre-commit hook (.pre-commit-hooks.yaml), run by the real `pre-commit` from PyPI with
// `pre-commit try-repo <this checkout>` (the manifest as committed plus uncommitted changes) on a
// throw-away git repository holding two apps. pre-commit is taken from PATH, or installed into a venv
// under the temp folder; when neither works the tests are skipped with the reason, except under CI,
// where .ci/run installs it and its absence is a failure.
//
// The hook's entry is `npx --yes audiobg@<version> doctor --changed` on the system Node; `npx` here is
// a shim on PATH that records the package it was asked for and runs this checkout's bin/audiobg.js,
// so the test needs no registry. Everything else (the files filter, the file names passed,
// require_serial, the exit code) is the manifest's own.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, REPO_ROOT, runCli } from '../support/cli.js';
import { tempDir, write } from '../core/helpers.js';
import { fileKind } from '../../src/discover/file-kinds.js';

const MANIFEST = path.join(REPO_ROOT, '.pre-commit-hooks.yaml');
const BUILT = fs.existsSync(path.join(REPO_ROOT, 'dist', 'audiobg.cjs')) || fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));
const VERSION = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
const IN_GIT = spawnSync('git', ['rev-parse', '--git-dir'], { cwd: REPO_ROOT }).status === 0;
const hook = (parseYaml(fs.readFileSync(MANIFEST, 'utf8')) as Array<Record<string, unknown>>)[0]!;

let preCommit: string | null = null;
let whyNot = '';

function findPreCommit(): string | null {
  const onPath = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  if (onPath.status === 0) return 'pre-commit';
  const venv = path.join(os.tmpdir(), 'audiobg-pre-commit-venv');
  const exe = path.join(venv, 'bin', 'pre-commit');
  if (fs.existsSync(exe)) return exe;
  const mk = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8' });
  if (mk.status !== 0) {
    whyNot = `python3 -m venv failed (${(mk.stderr || mk.error?.message || '').trim().split('\n').at(-1)}); on Debian install python3-venv`;
    return null;
  }
  const pip = spawnSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', 'pre-commit'], { encoding: 'utf8' });
  if (pip.status !== 0) {
    whyNot = `pip install pre-commit failed: ${(pip.stderr || '').trim().split('\n').at(-1)}`;
    fs.rmSync(venv, { recursive: true, force: true });
    return null;
  }
  return exe;
}

beforeAll(() => {
  preCommit = findPreCommit();
  if (!preCommit && process.env.CI) throw new Error(`pre-commit is required under CI (.ci/run installs it): ${whyNot}`);
}, 240_000);

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A git repository with the podcast example (errors in both apps) and a clean app, committed. */
function repository(): string {
  const repo = path.join(tempDir('pre-commit-repo'), 'repo');
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  fs.cpSync(path.join(FIXTURES, 'examples/podcast-player'), path.join(repo, 'player'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'core/clean'), path.join(repo, 'quiet'), { recursive: true });
  write(repo, 'README.md', '# apps\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'start', '--no-verify');
  return repo;
}

function npxShim(): { dir: string; log: string } {
  const dir = tempDir('pre-commit-bin');
  const log = path.join(dir, 'npx.log');
  write(dir, 'npx', `#!/usr/bin/env bash\necho "$*" >> ${JSON.stringify(log)}\nshift 2\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(REPO_ROOT, 'bin', 'audiobg.js'))} "$@"\n`);
  fs.chmodSync(path.join(dir, 'npx'), 0o755);
  return { dir, log };
}

function run(repo: string) {
  const shim = npxShim();
  const r = spawnSync(preCommit!, ['try-repo', REPO_ROOT, String(hook.id), '--color', 'never'], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${shim.dir}${path.delimiter}${process.env.PATH}`, PRE_COMMIT_HOME: path.join(repo, '..', 'pre-commit-home'), NO_COLOR: '1' },
  });
  const npx = fs.existsSync(shim.log) ? fs.readFileSync(shim.log, 'utf8').trim().split('\n') : [];
  return { code: r.status, out: r.stdout + r.stderr, npx };
}

function touch(repo: string, rel: string) {
  fs.appendFileSync(path.join(repo, rel), '\n');
  git(repo, 'add', rel);
}

describe('pre-commit hook', () => {
  it('the manifest is valid for pre-commit; its entry runs the pinned audiobg on the system Node', (ctx) => {
    if (!preCommit) return ctx.skip(`pre-commit unavailable: ${whyNot}`);
    const r = spawnSync(preCommit, ['validate-manifest', MANIFEST], { encoding: 'utf8' });
    expect(r.stderr + r.stdout).toBe('');
    expect(r.status).toBe(0);
    expect(hook).toMatchObject({ id: 'audiobg-doctor', language: 'system', entry: `npx --yes audiobg@${VERSION} doctor --changed`, require_serial: true });
  });

  it('the files filter matches exactly the files audiobg reads', () => {
    const re = new RegExp(String(hook.files));
    const samples = [
      'ios/App/Player.swift', 'ios/App/Bridge.m', 'ios/App/Bridge.mm', 'ios/App/Bridge.h', 'ios/App/Info.plist', 'ios/App/App.entitlements',
      'ios/App.xcodeproj/project.pbxproj', 'android/app/src/main/AndroidManifest.xml', 'android/app/build.gradle', 'android/app/build.gradle.kts',
      'android/settings.gradle.kts', 'android/gradle.properties', 'gradle/libs.versions.toml', 'android/app/src/main/java/a/B.kt',
      'android/app/src/main/java/a/B.java', 'package.json', 'app.json', 'app.config.ts', 'audiobg.config.json', 'pubspec.yaml', 'pubspec.lock',
      'lib/main.dart', 'src/App.tsx', 'index.js', 'patches/react-native-track-player+4.1.1.patch',
      // near misses
      'README.md', 'android/app/src/main/res/layout/main.xml', 'ios/App/Assets.xcassets/Contents.json', 'tsconfig.json', 'docs/build.gradle.md',
      'ios/App.xcodeproj/project.pbxproj.orig', 'notes.swift.txt', 'src/types.d.ts',
    ];
    for (const file of samples) {
      const kind = fileKind(path.posix.basename(file), path.posix.dirname(file));
      // A .d.ts file is read by no rule but pre-commit may still pass it: harmless, nothing reported.
      if (file.endsWith('.d.ts')) continue;
      expect(re.test(file), file).toBe(kind !== null);
    }
  });

  it('doctor --changed (what the hook runs): the whole tree is read, only the apps holding the files are reported', async () => {
    const root = tempDir('changed');
    fs.cpSync(path.join(FIXTURES, 'examples/podcast-player'), path.join(root, 'player'), { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'core/clean'), path.join(root, 'quiet'), { recursive: true });
    write(root, 'loose/Broken.plist', '<plist><dict><key>a</key></dict>');
    const changed = async (...files: string[]) => {
      const r = await runCli(['doctor', '--changed', '--format', 'json', ...files], { cwd: root });
      const report = JSON.parse(r.stdout);
      return { code: r.code, files: [...new Set(report.findings.map((f: { file: string }) => f.file.split('/').slice(0, 2).join('/')))].sort() };
    };
    expect(await changed('player/android/app/src/main/AndroidManifest.xml')).toEqual({ code: 1, files: ['player/android'] });
    expect(await changed('player/ios/Podcast/EpisodePlayer.swift', 'quiet/ios/Notes/NotesApp.swift')).toEqual({ code: 1, files: ['player/ios'] });
    // Near misses: a clean app passes, and the broken file outside every app counts only when it changed.
    expect(await changed('quiet/android/app/src/main/AndroidManifest.xml')).toMatchObject({ code: 0, files: [] });
    expect(await changed('loose/Broken.plist')).toMatchObject({ code: 1, files: ['loose/Broken.plist'] });
    expect((await runCli(['doctor', '--changed', '--fix', 'a.swift'], { cwd: root })).code).toBe(2);
  });

  describe.skipIf(!BUILT || !IN_GIT)('run by pre-commit try-repo on a repository (needs dist/, built by npm test, and this checkout in git)', () => {
    it('a staged change in one app reports that app only, and blocks the commit on its errors', (ctx) => {
      if (!preCommit) return ctx.skip(`pre-commit unavailable: ${whyNot}`);
      const repo = repository();
      touch(repo, 'player/android/app/src/main/AndroidManifest.xml');
      const r = run(repo);
      expect(r.npx).toEqual([`--yes audiobg@${VERSION} doctor --changed player/android/app/src/main/AndroidManifest.xml`]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/audiobg doctor\.+Failed/);
      expect(r.out).toContain('android/media-playback-permission-missing');
      expect(r.out).toContain('player/android/app/src/main/AndroidManifest.xml');
      // The iOS app beside it was not changed: its errors are not this commit's business.
      expect(r.out).not.toContain('ios/');
    }, 120_000);

    it('near misses: a change in the clean app passes; a change no rule reads skips the hook', (ctx) => {
      if (!preCommit) return ctx.skip(`pre-commit unavailable: ${whyNot}`);
      const repo = repository();
      touch(repo, 'quiet/ios/Notes/Info.plist');
      const clean = run(repo);
      expect(clean.out).toMatch(/audiobg doctor\.+Passed/);
      expect(clean.code).toBe(0);
      git(repo, 'commit', '-q', '-m', 'quiet', '--no-verify');
      touch(repo, 'README.md');
      const skipped = run(repo);
      expect(skipped.out).toMatch(/audiobg doctor\.+\(no files to check\)Skipped/);
      expect(skipped.code).toBe(0);
      expect(skipped.npx).toEqual([]);
    }, 120_000);
  });
});
