// `audiobg init --platform expo`: an Expo app with expo-audio set up for background playback.
// Type-checking against the real packages and applying the real config plugins need the npm
// registry and run in `npm run test:plugins` (scripts/test-plugins.mjs); here: files, escaping,
// doctor, and the CLI contract.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorJson, runCli } from '../support/cli.js';
import { planInit } from '../../src/scaffold/init-plan.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-init-expo-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(root, `app${n++}`);
const ARGS = ['--platform', 'expo', '--template', 'playback'];
const HOSTILE_NAMES = [`Pod "Cast" & <Co> \\ $x \${y} \\(z) 'q' @?`, 'Café Müsik 🎧', '夜の音楽', 'Line\u2028Sep', '`tick` </script>'];

function syntaxErrors(file: string, text: string): string[] {
  const out = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { jsx: ts.JsxEmit.ReactJSX } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** The value of `const APP_NAME = "..."` in App.tsx, read from its syntax tree. */
function appNameConstant(text: string): string | undefined {
  const sf = ts.createSourceFile('App.tsx', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  let value: string | undefined;
  sf.forEachChild(function visit(node) {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'APP_NAME' && node.initializer && ts.isStringLiteral(node.initializer)) value = node.initializer.text;
    node.forEachChild(visit);
  });
  return value;
}

describe('audiobg init --platform expo', () => {
  it('creates an Expo SDK app layout with expo-audio set up for background playback, and doctor is clean', async () => {
    const dir = fresh();
    const run = await runCli(['init', dir, ...ARGS, '--name', 'Night Radio', '--id', 'com.example.nightradio']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created Night Radio (playback, Expo, expo-audio)');
    expect(run.stdout).toContain('no findings in the generated app');
    expect(fs.readdirSync(dir).sort()).toEqual(['.gitignore', 'App.tsx', 'README.md', 'app.json', 'assets', 'index.ts', 'package.json', 'tsconfig.json']);
    expect(fs.existsSync(path.join(dir, 'assets/sample.wav'))).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('night-radio');
    expect(pkg.main).toBe('index.ts');
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['expo', 'expo-audio', 'react', 'react-native']));
    const { expo } = JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8'));
    expect(expo.ios.bundleIdentifier).toBe('com.example.nightradio');
    expect(expo.android.package).toBe('com.example.nightradio');
    expect(expo.plugins).toEqual([['expo-audio', { enableBackgroundPlayback: true, microphonePermission: false, recordAudioAndroid: false }]]);
    for (const f of ['App.tsx', 'index.ts']) expect(syntaxErrors(f, fs.readFileSync(path.join(dir, f), 'utf8'))).toEqual([]);
    const { code, findings } = await doctorJson(dir);
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('near miss: with the plugin told not to play in the background, doctor reports both platforms', async () => {
    const dir = fresh();
    expect((await runCli(['init', dir, ...ARGS, '--name', 'Night Radio', '--id', 'com.example.nightradio'])).code).toBe(0);
    const file = path.join(dir, 'app.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"enableBackgroundPlayback": true', '"enableBackgroundPlayback": false'));
    const { findings } = await doctorJson(dir);
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['expo/android-media-playback-missing', 'expo/background-audio-mode-missing']);
  });

  it.each(HOSTILE_NAMES)('escapes the name %j in app.json, App.tsx and the README; doctor stays clean', async (name) => {
    const dir = fresh();
    const run = await runCli(['init', dir, ...ARGS, '--name', name, '--id', 'com.example.hostile']);
    expect(run.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8')).expo.name).toBe(name);
    const app = fs.readFileSync(path.join(dir, 'App.tsx'), 'utf8');
    expect(syntaxErrors('App.tsx', app)).toEqual([]);
    expect(appNameConstant(app)).toBe(name);
    const pkgName = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name as string;
    expect(pkgName).toMatch(/^[a-z][a-z0-9-]*$/);
    expect((await doctorJson(dir)).findings).toEqual([]);
  });

  it('--dry-run lists the files and writes nothing', async () => {
    const dir = fresh();
    const run = await runCli(['init', dir, ...ARGS, '--name', 'X', '--id', 'com.example.x', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('app.json');
    expect(run.stdout).toContain('assets/sample.wav');
    expect(run.stdout).toContain('Nothing was written');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('refuses Push to Talk (native-only) and --android-stack, writing nothing', async () => {
    const ptt = fresh();
    const a = await runCli(['init', ptt, '--platform', 'expo', '--template', 'ptt', '--name', 'X', '--id', 'com.example.x']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('native-only');
    const stack = fresh();
    const b = await runCli(['init', stack, ...ARGS, '--name', 'X', '--id', 'com.example.x', '--android-stack', 'platform']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('drop it');
    expect(fs.existsSync(ptt) || fs.existsSync(stack)).toBe(false);
  });

  it('needs an id that is also an Android package (it is both the bundle id and the package)', async () => {
    const run = await runCli(['init', fresh(), ...ARGS, '--name', 'X', '--id', 'com.my-co.app']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Kotlin package');
  });

  it('golden tree (reviewed; update with `npx vitest run -u` and read the diff)', async () => {
    const { entries } = planInit({ platform: 'expo', template: 'playback', androidStack: 'media3', name: 'Night Radio', id: 'com.example.nightradio' });
    const text = entries.map((e) => (e.path.endsWith('.wav') ? `=== ${e.path} (binary, ${e.content.length} bytes)` : `=== ${e.path}\n${e.content.toString('utf8')}`)).join('\n');
    await expect(text).toMatchFileSnapshot('./__golden__/expo-playback.txt');
  });
});
