// `audiobg init`: every platform/template/stack combination generates a complete app that
// audiobg doctor passes, with hostile names escaped for each destination and golden trees.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorJson, runCli } from '../support/cli.js';
import { getParser, firstSyntaxError } from '../../src/parse/tree-sitter.js';
import { parseXml } from '../../src/parse/xml.js';
import { parsePbxproj } from '../../src/parse/pbxproj.js';
import { plistFromXml } from '../../src/parse/plist.js';
import { planInit } from '../../src/scaffold/init-plan.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-init-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(root, `app${n++}`);

const COMBOS = [
  { label: 'ios-playback', args: ['--platform', 'ios', '--template', 'playback'] },
  { label: 'ios-ptt', args: ['--platform', 'ios', '--template', 'ptt'] },
  { label: 'android-media3', args: ['--platform', 'android', '--template', 'playback', '--android-stack', 'media3'] },
  { label: 'android-platform', args: ['--platform', 'android', '--template', 'playback', '--android-stack', 'platform'] },
  { label: 'both-playback', args: ['--platform', 'both', '--template', 'playback'] },
];

const HOSTILE_NAMES = [`Pod "Cast" & <Co> \\ $x \${y} \\(z) 'q' @?`, 'Café Müsik 🎧', '夜の音楽', 'Ràdio Πειραιάς'];

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

async function expectEverythingParses(dir: string): Promise<void> {
  for (const rel of listFiles(dir)) {
    const text = fs.readFileSync(path.join(dir, rel), 'utf8');
    const lang = rel.endsWith('.swift') ? 'swift' : rel.endsWith('.kt') || rel.endsWith('.kts') ? 'kotlin' : null;
    if (lang) {
      const tree = (await getParser(lang)).parse(text);
      const err = firstSyntaxError(tree.rootNode);
      expect(err ? `${rel}:${err.startPosition.row + 1}: ${err.type} near ${JSON.stringify(err.text.slice(0, 40))}` : null).toBeNull();
      tree.delete();
    } else if (rel.endsWith('.xml')) {
      expect(() => parseXml(text), rel).not.toThrow();
    } else if (rel.endsWith('.plist') || rel.endsWith('.entitlements')) {
      expect(() => plistFromXml(parseXml(text).root), rel).not.toThrow();
    } else if (rel.endsWith('.pbxproj')) {
      expect(() => parsePbxproj(text), rel).not.toThrow();
    } else if (rel.endsWith('.json')) {
      expect(() => JSON.parse(text), rel).not.toThrow();
    }
  }
}

describe.each(COMBOS)('audiobg init $label', ({ label, args }) => {
  it('generates an app that parses everywhere and that audiobg doctor passes with no findings', async () => {
    const dir = fresh();
    const run = await runCli(['init', dir, ...args, '--name', 'Night Radio', '--id', 'com.example.nightradio']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no findings in the generated app');
    await expectEverythingParses(dir);
    const { code, findings } = await doctorJson(dir);
    expect(findings).toEqual([]);
    expect(code).toBe(0);
    const files = listFiles(dir);
    if (label.startsWith('ios') || label.startsWith('both')) {
      const p = label.startsWith('both') ? 'ios/' : '';
      expect(files).toContain(`${p}NightRadio.xcodeproj/project.pbxproj`);
      expect(files).toContain(`${p}NightRadio/Info.plist`);
      expect(files).toContain(`${p}NightRadio/Resources/sample.wav`);
    }
    if (label.startsWith('android') || label.startsWith('both')) {
      const p = label.startsWith('both') ? 'android/' : '';
      expect(files).toContain(`${p}app/src/main/AndroidManifest.xml`);
      expect(files).toContain(`${p}app/src/main/java/com/example/nightradio/PlaybackService.kt`);
      expect(files).toContain(`${p}app/src/main/res/raw/sample.wav`);
      expect(files).toContain(`${p}.gitignore`);
    }
  });

  it.each(HOSTILE_NAMES)('escapes the name %j so every file still parses and doctor stays clean', async (name) => {
    const dir = fresh();
    const run = await runCli(['init', dir, ...args, '--name', name, '--id', 'com.example.hostile']);
    expect(run.code).toBe(0);
    await expectEverythingParses(dir);
    expect((await doctorJson(dir)).findings).toEqual([]);
  });
});

describe('golden trees (reviewed; update with `npx vitest run -u` and read the diff)', () => {
  it.each(COMBOS.filter((c) => c.label !== 'both-playback'))('$label', async ({ label, args }) => {
    const get = (flag: string) => args[args.indexOf(flag) + 1];
    const { entries } = planInit({
      platform: get('--platform') as 'ios' | 'android',
      template: get('--template') as 'playback' | 'ptt',
      androidStack: (args.includes('--android-stack') ? get('--android-stack') : 'media3') as 'media3' | 'platform',
      name: 'Night Radio',
      id: 'com.example.nightradio',
    });
    const text = entries
      .map((e) =>
        e.path.endsWith('.wav')
          ? `=== ${e.path} (binary, ${e.content.length} bytes, sha256 ${createHash('sha256').update(e.content).digest('hex')})`
          : `=== ${e.path}\n${e.content.toString('utf8')}`,
      )
      .join('\n');
    await expect(text).toMatchFileSnapshot(`./__golden__/${label}.txt`);
  });
});

describe('audiobg init safety and prompts', () => {
  it('refuses a non-empty folder unless --force, and writes nothing', async () => {
    const dir = fresh();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const run = await runCli(['init', dir, '--platform', 'ios', '--template', 'playback', '--name', 'X', '--id', 'com.example.x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not empty');
    expect(listFiles(dir)).toEqual(['notes.txt']);
    const forced = await runCli(['init', dir, '--platform', 'ios', '--template', 'playback', '--name', 'X', '--id', 'com.example.x', '--force']);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('--dry-run lists the files and writes nothing', async () => {
    const dir = fresh();
    const run = await runCli(['init', dir, '--platform', 'android', '--template', 'playback', '--name', 'X', '--id', 'com.example.x', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('app/src/main/AndroidManifest.xml');
    expect(run.stdout).toContain('Nothing was written');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('never prompts without a terminal: it fails at once and names the missing flags', async () => {
    const run = await runCli(['init', fresh(), '--platform', 'ios']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing --template, --name, --id');
  });

  it('--yes fills in defaults instead of prompting', async () => {
    const dir = path.join(root, 'Morning Show');
    const run = await runCli(['init', dir, '--yes', '--platform', 'android']);
    expect(run.code).toBe(0);
    const gradle = fs.readFileSync(path.join(dir, 'app/build.gradle.kts'), 'utf8');
    expect(gradle).toContain('"com.example.morningshow"');
    // The defaulted id is a placeholder the stores refuse: say so, once, without failing.
    expect(run.stderr).toContain('the id com.example.morningshow is a placeholder');
    expect(run.stdout).toContain('gradle wrapper');
  });

  it('does not warn about an id the user chose', async () => {
    const run = await runCli(['init', fresh(), '--yes', '--platform', 'android', '--id', 'org.nightowl.radio']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('refuses --android-stack with --platform ios: it would be silently ignored', async () => {
    const dir = fresh();
    const run = await runCli(['init', dir, '--platform', 'ios', '--template', 'playback', '--name', 'X', '--id', 'org.x.app', '--android-stack', 'platform']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--platform ios creates no Android app');
    expect(fs.existsSync(dir) && fs.readdirSync(dir).length).toBeFalsy();
  });

  it('refuses the ptt template on Android with a reason', async () => {
    const run = await runCli(['init', fresh(), '--platform', 'android', '--template', 'ptt', '--name', 'X', '--id', 'com.example.x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('only on iOS');
  });

  it.each([
    ['example', 'at least two'],
    ['com.1example.app', 'starts with a digit'],
    ['com.example.class', 'keyword'],
    ['com.exa mple.app', 'letters, digits'],
    ['com..app', 'at least two'],
    ['com.example.app/../../etc', 'dot-separated'],
  ])('refuses the id %j', async (id, reason) => {
    const dir = fresh();
    const run = await runCli(['init', dir, '--platform', 'both', '--template', 'playback', '--name', 'X', '--id', id]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(reason);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('accepts a hyphen in an iOS-only bundle id but not when Android needs a package', async () => {
    expect((await runCli(['init', fresh(), '--platform', 'ios', '--template', 'playback', '--name', 'X', '--id', 'com.my-co.app'])).code).toBe(0);
    expect((await runCli(['init', fresh(), '--platform', 'both', '--template', 'playback', '--name', 'X', '--id', 'com.my-co.app'])).code).toBe(2);
  });

  it('refuses names no file format can hold', async () => {
    const run = await runCli(['init', fresh(), '--platform', 'ios', '--template', 'playback', '--name', 'Line\nBreak', '--id', 'com.example.x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('control characters');
  });
});

describe('audiobg init in a terminal', () => {
  it('asks for what the flags did not give, offering defaults, and never asks for what they did', async () => {
    const { runInitCommand } = await import('../../src/cli/init-command.js');
    const dir = fresh();
    const asked: string[] = [];
    let out = '';
    const prompter = {
      async ask(question: string, defaultValue: string, choices?: string[]) {
        asked.push(`${question} [${defaultValue}]${choices ? ` (${choices.join('/')})` : ''}`);
        if (question === 'App name') return 'Late Show';
        return defaultValue;
      },
      close() {},
    };
    const code = await runInitCommand(
      dir,
      { platform: 'ios' },
      { stdout: (s) => (out += s), stderr: () => {}, env: {}, cwd: root, isTTY: true, stdinIsTTY: true },
      prompter,
    );
    expect(code).toBe(0);
    expect(asked).toEqual([
      'Template [playback] (playback/ptt)',
      `App name [${path.basename(dir)}]`,
      'Bundle id / package [com.example.lateshow]',
    ]);
    expect(out).toContain('Created Late Show (playback, iOS)');
    expect(fs.existsSync(path.join(dir, 'LateShow.xcodeproj/project.pbxproj'))).toBe(true);
  });

  it('does not prompt when CI is set, even on a terminal', async () => {
    const { runInitCommand } = await import('../../src/cli/init-command.js');
    const prompter = { ask: async () => { throw new Error('must not prompt'); }, close() {} };
    await expect(
      runInitCommand(fresh(), {}, { stdout: () => {}, stderr: () => {}, env: { CI: 'true' }, cwd: root, isTTY: true, stdinIsTTY: true }, prompter),
    ).rejects.toThrow(/missing --platform, --template, --name, --id.*CI is set/s);
  });
});
