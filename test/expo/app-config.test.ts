// Static reading of app configs: export forms, ({ config }) functions, spreads, constants, and the
// places where reading must stop (function calls, environment variables, conditions).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFiles } from '../../src/discover/find-files.js';
import { Workspace } from '../../src/parse/workspace.js';
import { readAppConfig } from '../../src/facts/expo/app-config.js';
import { getPath, getProp, plain, type ConfigValue } from '../../src/facts/expo/config-value.js';
import { JsFactsReader } from '../../src/facts/expo/js-facts.js';
import { loadTsMorph, type TsMorphModule } from '../../src/facts/expo/ts-loader.js';

let tsm: TsMorphModule;
const dirs: string[] = [];
beforeAll(async () => {
  tsm = await loadTsMorph();
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): { dir: string; ws: Workspace } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-appconfig-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const found = findFiles(dir, { parentGitignores: false });
  return { dir, ws: new Workspace(dir, found.files, found.problems) };
}

function read(files: Record<string, string>) {
  const { dir, ws } = project(files);
  const reader = new JsFactsReader(ws, tsm);
  const dynamic = Object.keys(files).find((f) => f.startsWith('app.config.'));
  const cfg = readAppConfig(ws, dir, tsm, dynamic ? reader.hooks(path.join(dir, dynamic)) : {})!;
  return { cfg, ws, dir, reader };
}

const at = (v: ConfigValue | undefined) => (v && v.kind !== 'unresolved' ? `${path.basename(v.loc.file)}:${v.loc.line}` : v?.kind === 'unresolved' ? `unresolved ${path.basename(v.loc.file)}:${v.loc.line}` : 'absent');

describe('app.json', () => {
  it('reads JSON with comments and trailing commas, with positions', () => {
    const { cfg } = read({
      'app.json': '{\n  // the app\n  "expo": {\n    "name": "A",\n    "ios": { "infoPlist": { "UIBackgroundModes": ["audio",], }, },\n  },\n}\n',
    });
    expect(plain(getPath(cfg.expo, ['ios', 'infoPlist', 'UIBackgroundModes']))).toEqual(['audio']);
    expect(at(getPath(cfg.expo, ['ios', 'infoPlist', 'UIBackgroundModes']))).toBe('app.json:5');
    expect(cfg.anchor.line).toBe(3);
  });

  it('malformed JSON is a parse problem with its line, and the config is unresolved', () => {
    const { cfg, ws } = read({ 'app.json': '{\n  "expo": {\n    "name": "A"\n    "slug": "a"\n  }\n}\n' });
    expect(cfg.expo.kind).toBe('unresolved');
    expect(ws.problems.map((p) => [path.basename(p.file), p.line, p.kind])).toEqual([['app.json', 4, 'parse-error']]);
  });
});

describe('app.config.ts / app.config.js', () => {
  it('export default of an object with constants, shorthand properties and spreads of local objects', () => {
    const { cfg } = read({
      'app.config.ts': [
        "const MODES = ['audio', 'fetch'];",
        'const base = { name: "Radio", slug: "radio" };',
        'const infoPlist = { UIBackgroundModes: MODES };',
        'export default {',
        '  ...base,',
        '  ios: { infoPlist },',
        '} satisfies Record<string, unknown>;',
      ].join('\n'),
    });
    expect(plain(cfg.expo)).toEqual({ name: 'Radio', slug: 'radio', ios: { infoPlist: { UIBackgroundModes: ['audio', 'fetch'] } } });
    // Each value keeps the place it is written.
    expect(at(getPath(cfg.expo, ['ios', 'infoPlist', 'UIBackgroundModes']))).toBe('app.config.ts:1');
    expect(cfg.form).toBe('export default');
  });

  it('module.exports with an `expo` wrapper', () => {
    const { cfg } = read({ 'app.config.js': "module.exports = {\n  expo: {\n    android: { permissions: ['WAKE_LOCK'] },\n  },\n};\n" });
    expect(plain(getPath(cfg.expo, ['android', 'permissions']))).toEqual(['WAKE_LOCK']);
    expect(cfg.form).toBe('module.exports');
  });

  it('({ config }) => ({ ...config, ios: { ...config.ios, ... } }) keeps the values of app.json and their lines', () => {
    const { cfg } = read({
      'app.json': '{\n  "expo": {\n    "name": "Base",\n    "ios": {\n      "bundleIdentifier": "com.example.base",\n      "infoPlist": { "UIBackgroundModes": ["audio"] }\n    }\n  }\n}\n',
      'app.config.ts': [
        "import type { ConfigContext, ExpoConfig } from 'expo/config';",
        'export default ({ config }: ConfigContext): ExpoConfig => ({',
        '  ...config,',
        '  ios: {',
        '    ...config.ios,',
        '    infoPlist: { ...config.ios?.infoPlist, NSMicrophoneUsageDescription: "Talk" },',
        '  },',
        '});',
      ].join('\n'),
    });
    expect(cfg.primary.endsWith('app.config.ts')).toBe(true);
    expect(plain(getProp(cfg.expo, 'name'))).toBe('Base');
    expect(at(getPath(cfg.expo, ['ios', 'infoPlist', 'UIBackgroundModes']))).toBe('app.json:6');
    expect(at(getPath(cfg.expo, ['ios', 'infoPlist', 'NSMicrophoneUsageDescription']))).toBe('app.config.ts:6');
    expect(plain(getPath(cfg.expo, ['ios', 'bundleIdentifier']))).toBe('com.example.base');
    expect(cfg.form).toBe('export default of a function of ({ config })');
  });

  it('rebuilding `ios` without spreading config.ios drops app.json\'s values, as Expo would', () => {
    const { cfg } = read({
      'app.json': '{ "expo": { "ios": { "infoPlist": { "UIBackgroundModes": ["audio"] } } } }',
      'app.config.js': 'export default ({ config }) => ({ ...config, ios: { bundleIdentifier: "com.example.x" } });\n',
    });
    expect(getPath(cfg.expo, ['ios', 'infoPlist', 'UIBackgroundModes'])).toBeUndefined();
  });

  it('a function with a block body, local constants and one return', () => {
    const { cfg } = read({
      'app.config.js': [
        'export default function appConfig({ config }) {',
        "  const plugins = [['expo-audio', { enableBackgroundPlayback: true }]];",
        '  return { ...config, name: "Block", plugins };',
        '}',
      ].join('\n'),
    });
    expect(plain(getProp(cfg.expo, 'plugins'))).toEqual([['expo-audio', { enableBackgroundPlayback: true }]]);
    expect(cfg.form).toBe('export default function of a function of ({ config })');
  });

  it('stops at function calls, environment variables and conditions, with the reason', () => {
    const { cfg } = read({
      'app.config.ts': [
        "import { modes } from 'some-config-helper';",
        'const isStore = process.env.VARIANT === "store";',
        'export default {',
        '  ios: { infoPlist: { UIBackgroundModes: computeModes() } },',
        '  android: { permissions: isStore ? ["WAKE_LOCK"] : [] },',
        '  extra: { mode: process.env.MODE, list: modes },',
        '};',
      ].join('\n'),
    });
    const bg = getPath(cfg.expo, ['ios', 'infoPlist', 'UIBackgroundModes']);
    expect(bg?.kind === 'unresolved' && bg.reason).toBe('the result of calling computeModes()');
    const perms = getPath(cfg.expo, ['android', 'permissions']);
    expect(perms?.kind === 'unresolved' && perms.reason).toBe('a value that depends on the condition `isStore`');
    const mode = getPath(cfg.expo, ['extra', 'mode']);
    expect(mode?.kind === 'unresolved' && mode.reason).toBe('the environment variable MODE');
    const list = getPath(cfg.expo, ['extra', 'list']);
    expect(list?.kind === 'unresolved' && list.reason).toBe("`modes`, imported from 'some-config-helper'");
  });

  it('a spread that cannot be read makes earlier keys unknown, but not keys written after it', () => {
    const { cfg } = read({
      'app.config.js': 'const base = require("./base.json");\nexport default {\n  name: "X",\n  ...base,\n  ios: { infoPlist: { UIBackgroundModes: ["audio"] } },\n};\n',
    });
    expect(getProp(cfg.expo, 'name')?.kind).toBe('unresolved');
    expect(getProp(cfg.expo, 'android')?.kind).toBe('unresolved');
    expect(plain(getPath(cfg.expo, ['ios', 'infoPlist', 'UIBackgroundModes']))).toEqual(['audio']);
  });

  it('a config without an export is unresolved, not empty', () => {
    const { cfg } = read({ 'app.config.js': 'const config = { name: "X" };\n' });
    expect(cfg.expo.kind).toBe('unresolved');
  });

  it('`??`, `||`, template strings and `as const` resolve', () => {
    const { cfg } = read({
      'app.json': '{ "expo": { "name": "Base" } }',
      'app.config.ts': 'const suffix = "pro";\nexport default ({ config }) => ({ name: config.name ?? "X", slug: `radio-${suffix}`, owner: config.owner || "me", list: ["a"] as const });\n',
    });
    expect(plain(cfg.expo)).toEqual({ name: 'Base', slug: 'radio-pro', owner: 'me', list: ['a'] });
  });
});

describe('JS sources: library enums, constants and relative imports', () => {
  it('resolves IOSCategoryOptions members through named and namespace imports, and constants from another file', () => {
    const { ws, dir, reader } = read({
      'package.json': '{ "dependencies": { "react-native": "0.76.0", "react-native-track-player": "4.1.2" } }',
      'app.json': '{ "name": "bare" }',
      'src/session.ts': "import { IOSCategory } from 'react-native-track-player';\nexport const CATEGORY = IOSCategory.PlayAndRecord;\n",
      'src/player.ts': [
        "import TrackPlayer from 'react-native-track-player';",
        "import * as RNTP from 'react-native-track-player';",
        "import { CATEGORY } from './session';",
        'export const setup = () => TrackPlayer.setupPlayer({',
        '  iosCategory: CATEGORY,',
        '  iosCategoryOptions: [RNTP.IOSCategoryOptions.AllowAirPlay],',
        '});',
      ].join('\n'),
    });
    const facts = reader.read(path.join(dir, 'src/player.ts'))!;
    expect(facts.calls.map((c) => [c.kind, c.api])).toEqual([['setup-player', 'TrackPlayer.setupPlayer']]);
    expect(plain(facts.calls[0]!.options ?? undefined)).toEqual({ iosCategory: 'playAndRecord', iosCategoryOptions: ['allowAirPlay'] });
    // The constant's value keeps the line where it is written in the other file.
    expect(at(getProp(facts.calls[0]!.options, 'iosCategory'))).toBe('session.ts:2');
    void ws;
  });

  it('a same-named function from another module, and calls in comments and strings, are not audio calls', () => {
    const { dir, reader } = read({
      'package.json': '{ "dependencies": { "expo": "56.0.0", "expo-audio": "56.0.0" } }',
      'src/other.ts': [
        "import { setAudioModeAsync } from './my-audio'; // not expo-audio",
        "// setAudioModeAsync({ shouldPlayInBackground: true }) from 'expo-audio'",
        "const doc = \"setAudioModeAsync({ shouldPlayInBackground: true })\";",
        'setAudioModeAsync({ shouldPlayInBackground: true });',
      ].join('\n'),
    });
    expect(reader.read(path.join(dir, 'src/other.ts'))?.calls ?? []).toEqual([]);
  });
});
