// audiobg.config.json: discovery by walking up, --config, per-rule severity and "off",
// ignore globs, and precise errors (exit 2 with file:line:column) for every mistake in it.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, doctorJson, runCli, tempDir, where, write } from './helpers.js';

const STALE = 'ios/Player/Formatting.swift:6 audiobg/unused-suppression';

/** A repo folder holding a copy of the warnings fixture under app/. */
function repoWithWarnings(): { repo: string; app: string } {
  const repo = tempDir('config');
  const app = path.join(repo, 'app');
  fs.cpSync(copyFixture('warnings'), app, { recursive: true });
  return { repo, app };
}

describe('config discovery', () => {
  it('finds audiobg.config.json by walking up from the scanned folder', async () => {
    const { repo, app } = repoWithWarnings();
    write(repo, 'audiobg.config.json', JSON.stringify({ rules: { 'audiobg/unused-suppression': 'error' } }));
    const run = await doctorJson(app);
    expect(where(run.report.findings)).toEqual([STALE]);
    expect(run.report.findings[0]!.severity).toBe('error');
    expect(run.code).toBe(1);
  });

  it('prefers the nearest config file', async () => {
    const { repo, app } = repoWithWarnings();
    write(repo, 'audiobg.config.json', JSON.stringify({ rules: { 'audiobg/unused-suppression': 'error' } }));
    write(app, 'audiobg.config.json', JSON.stringify({ rules: { 'audiobg/unused-suppression': 'info' } }));
    const run = await doctorJson(app);
    expect(run.report.findings.map((f) => f.severity)).toEqual(['info']);
    expect(run.code).toBe(0);
  });

  it('--config overrides the discovered file (relative to the working directory)', async () => {
    const { repo, app } = repoWithWarnings();
    write(repo, 'audiobg.config.json', JSON.stringify({ rules: { 'audiobg/unused-suppression': 'error' } }));
    write(repo, 'ci/strict-off.json', JSON.stringify({ rules: { 'audiobg/unused-suppression': 'off' } }));
    const run = await doctorJson(app, ['--config', 'ci/strict-off.json'], { cwd: repo });
    expect(run.report.findings).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('accepts comments and trailing commas (JSONC) and a $schema key', async () => {
    const { app } = repoWithWarnings();
    write(app, 'audiobg.config.json', '{\n  "$schema": "./schema.json",\n  // quieter for now\n  "rules": { "audiobg/unused-suppression": "off", },\n}\n');
    const run = await doctorJson(app);
    expect(run.report.findings).toEqual([]);
  });
});

describe('ignore globs', () => {
  it('skips matching files; patterns are relative to the config file, even when a subfolder is scanned', async () => {
    const repo = tempDir('ignore');
    const bad = '<?xml version="1.0"?>\n<manifest>\n  <application>\n</manifest>\n';
    write(repo, 'android/app/src/main/AndroidManifest.xml', bad);
    write(repo, 'android/legacy/src/main/AndroidManifest.xml', bad);
    write(repo, 'audiobg.config.json', JSON.stringify({ ignore: ['android/legacy/'] }));

    const fromRoot = await doctorJson(repo);
    expect(where(fromRoot.report.findings)).toEqual(['android/app/src/main/AndroidManifest.xml:4 audiobg/parse-error']);

    const fromSub = await doctorJson(path.join(repo, 'android'));
    expect(where(fromSub.report.findings)).toEqual(['app/src/main/AndroidManifest.xml:4 audiobg/parse-error']);
  });

  it('honours negated patterns and **', async () => {
    const repo = tempDir('ignore');
    const bad = '<plist><dict></plist>\n';
    write(repo, 'Generated/One.plist', bad);
    write(repo, 'Generated/Keep.plist', bad);
    write(repo, 'Deep/a/b/Skip.plist', bad);
    write(repo, 'audiobg.config.json', JSON.stringify({ ignore: ['Generated/*', '!Generated/Keep.plist', '**/b/'] }));
    const run = await doctorJson(repo);
    expect(where(run.report.findings)).toEqual(['Generated/Keep.plist:1 audiobg/parse-error']);
  });

  it('honours .gitignore files above the scanned folder, up to the git root', async () => {
    const repo = tempDir('gitignore');
    fs.mkdirSync(path.join(repo, '.git'));
    write(repo, '.gitignore', 'ios/Vendor/\n');
    write(repo, 'ios/Vendor/Broken.plist', '<plist>\n<dict>\n');
    write(repo, 'ios/App/Broken.plist', '<plist>\n<dict>\n');
    const run = await doctorJson(path.join(repo, 'ios'));
    expect(where(run.report.findings)).toEqual(['App/Broken.plist:2 audiobg/parse-error']);
  });
});

describe('bad config exits 2 and points at the mistake', () => {
  async function configError(text: string): Promise<{ code: number; stderr: string; file: string }> {
    const { app } = repoWithWarnings();
    const file = write(app, 'audiobg.config.json', text);
    const run = await runCli(['doctor', app, '--format', 'json']);
    expect(run.stdout).toBe('');
    return { code: run.code, stderr: run.stderr, file };
  }

  it('invalid JSON: file, line and column', async () => {
    const { code, stderr, file } = await configError('{\n  "rules": {\n    "audiobg/unused-suppression" "off"\n  }\n}\n');
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:3:34: invalid JSON (ColonExpected)`);
  });

  it('unknown rule id: file and line, with a suggestion for a near miss', async () => {
    const { code, stderr, file } = await configError('{\n  "rules": {\n    "audiobg/unused-supression": "off"\n  }\n}\n');
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:3:5: unknown rule "audiobg/unused-supression" (did you mean "audiobg/unused-suppression"?)`);
  });

  it('a severity that does not exist', async () => {
    const { code, stderr, file } = await configError('{ "rules": {\n  "audiobg/parse-error": "fatal" } }');
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:2:26: rule "audiobg/parse-error" must be "error", "warning", "info" or "off", not "fatal"`);
  });

  it('an unknown setting, and ignore that is not a list of strings', async () => {
    const unknown = await configError('{\n  "exclude": ["x"]\n}');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`${unknown.file}:2:3: unknown setting "exclude"`);
    const notList = await configError('{ "ignore": "build/" }');
    expect(notList.code).toBe(2);
    expect(notList.stderr).toContain(`${notList.file}:1:13: "ignore" must be an array of glob strings`);
  });

  it('not an object at all', async () => {
    const { code, stderr } = await configError('[]');
    expect(code).toBe(2);
    expect(stderr).toContain('the configuration must be a JSON object');
  });

  it('--config naming a file that does not exist', async () => {
    const run = await runCli(['doctor', copyFixture('clean'), '--config', '/no/such/audiobg.config.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('config file not found: /no/such/audiobg.config.json');
  });
});
