// Following JS values the way real React Native apps pass them: options through the app's own
// wrapper functions (across imports), Platform-conditional spreads and Platform.select, and
// spreads that cannot be read but can only set some keys.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFiles } from '../../src/discover/find-files.js';
import { Workspace } from '../../src/parse/workspace.js';
import { getProp, plain } from '../../src/facts/expo/config-value.js';
import { JsFactsReader, type JsCall } from '../../src/facts/expo/js-facts.js';
import { loadTsMorph, type TsMorphModule } from '../../src/facts/expo/ts-loader.js';

let tsm: TsMorphModule;
const dirs: string[] = [];
beforeAll(async () => {
  tsm = await loadTsMorph();
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The audio calls of a small app: every file is a source of the app. */
function calls(files: Record<string, string>): { calls: JsCall[]; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-follow-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const found = findFiles(dir, { parentGitignores: false });
  const ws = new Workspace(dir, found.files, found.problems);
  const reader = new JsFactsReader(ws, tsm);
  const sources = found.files.filter((f) => f.kind === 'script').map((f) => f.path);
  const out: JsCall[] = [];
  for (const f of sources) out.push(...(reader.read(f, { root: dir, files: sources })?.calls ?? []));
  return { calls: out, dir };
}

const rel = (dir: string, c: { file: string; line: number }) => `${path.relative(dir, c.file)}:${c.line}`;
const SETUP = `import TrackPlayer from 'react-native-track-player';\n`;

describe('options through the app’s wrapper functions', () => {
  it('a same-file arrow wrapper: one fact per call site, at the call, with the library call as `via`', () => {
    const { calls: cs, dir } = calls({
      'player.ts': `${SETUP}
const setup = async (options) => { await TrackPlayer.setupPlayer(options); };
export async function music() { await setup({ iosCategoryOptions: ['mixWithOthers'] }); }
export async function talk() { await setup({ iosCategoryMode: 'spokenAudio' }); }
`,
    });
    expect(cs.map((c) => rel(dir, c.location))).toEqual(['player.ts:4', 'player.ts:5']);
    expect(plain(cs[0]!.options)).toEqual({ iosCategoryOptions: ['mixWithOthers'] });
    expect(plain(cs[1]!.options)).toEqual({ iosCategoryMode: 'spokenAudio' });
    expect(cs[0]!.via.map((v) => rel(dir, v.location))).toEqual(['player.ts:3']);
    expect(cs[0]!.api).toBe('TrackPlayer.setupPlayer');
  });

  it('defaults spread before the caller’s options, a default parameter value, and destructured parameters', () => {
    const { calls: cs } = calls({
      'a.ts': `${SETUP}
const DEFAULTS = { waitForBuffer: true, iosCategory: 'playback' };
function setup(opts = { iosCategoryMode: 'default' }) { return TrackPlayer.setupPlayer({ ...DEFAULTS, ...opts }); }
function pick({ mode, extra: { options } }) { return TrackPlayer.setupPlayer({ iosCategoryMode: mode, iosCategoryOptions: options }); }
setup({ iosCategory: 'playAndRecord' });
setup();
pick({ mode: 'spokenAudio', extra: { options: ['allowAirPlay'] } });
`,
    });
    expect(cs.map((c) => plain(c.options))).toEqual([
      { waitForBuffer: true, iosCategory: 'playAndRecord' },
      { waitForBuffer: true, iosCategory: 'playback', iosCategoryMode: 'default' },
      { iosCategoryMode: 'spokenAudio', iosCategoryOptions: ['allowAirPlay'] },
    ]);
  });

  it('across files: named, aliased, default and namespace imports, re-exports (`export *`, `export { a as b }`) and tsconfig paths', () => {
    const { calls: cs, dir } = calls({
      'tsconfig.json': `{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] } } }`,
      'src/lib/player.ts': `${SETUP}export const start = (o) => TrackPlayer.setupPlayer(o);\nexport default function boot(o) { return TrackPlayer.updateOptions(o); }\n`,
      'src/lib/index.ts': `export * from './player';\nexport { start as startAudio } from './player';\n`,
      'src/a.ts': `import { start } from './lib';\nstart({ iosCategoryMode: 'a' });\n`,
      'src/b.ts': `import { startAudio as go } from '@lib/index';\ngo({ iosCategoryMode: 'b' });\n`,
      'src/c.ts': `import * as Lib from '@lib/player';\nLib.start({ iosCategoryMode: 'c' });\n`,
      'src/d.ts': `import bootPlayer from './lib/player';\nbootPlayer({ capabilities: [] });\n`,
      'src/e.ts': `import { start } from 'some-package';\nstart({ iosCategoryMode: 'not ours' });\n`,
    });
    const byFile = cs.map((c) => `${rel(dir, c.location)} ${c.kind} ${JSON.stringify(plain(c.options))}`).sort();
    expect(byFile).toEqual([
      'src/a.ts:2 setup-player {"iosCategoryMode":"a"}',
      'src/b.ts:2 setup-player {"iosCategoryMode":"b"}',
      'src/c.ts:2 setup-player {"iosCategoryMode":"c"}',
      'src/d.ts:2 update-options {"capabilities":[]}',
    ]);
  });

  it('class methods (through `this`, an exported instance, a static call) and object-literal methods', () => {
    const { calls: cs, dir } = calls({
      'service.ts': `${SETUP}
export class Audio {
  async init(o) { await TrackPlayer.setupPlayer(o); }
  async musicMode() { await this.init({ iosCategoryMode: 'this' }); }
  static async prepare(o) { await TrackPlayer.updateOptions(o); }
}
export const audio = new Audio();
export const Api = { begin: (o) => TrackPlayer.setupPlayer(o) };
`,
      'screen.ts': `import { audio, Audio, Api } from './service';
audio.init({ iosCategoryMode: 'instance' });
Audio.prepare({ capabilities: ['static'] });
Api.begin({ iosCategoryMode: 'object' });
const other = { init: (o) => o };
other.init({ iosCategoryMode: 'not the service' });
`,
    });
    expect(cs.map((c) => `${rel(dir, c.location)} ${JSON.stringify(plain(c.options))}`).sort()).toEqual([
      'screen.ts:2 {"iosCategoryMode":"instance"}',
      'screen.ts:3 {"capabilities":["static"]}',
      'screen.ts:4 {"iosCategoryMode":"object"}',
      'service.ts:5 {"iosCategoryMode":"this"}',
    ]);
  });

  it('wrappers of wrappers: the outermost literal is the fact, every call in between is in `via`', () => {
    const { calls: cs, dir } = calls({
      'a.ts': `${SETUP}export const inner = (o) => TrackPlayer.setupPlayer({ ...o, waitForBuffer: true });\n`,
      'b.ts': `import { inner } from './a';\nexport function outer(opts) { return inner(opts); }\n`,
      'c.ts': `import { outer } from './b';\nouter({ iosCategoryOptions: ['duckOthers'] });\n`,
    });
    expect(cs).toHaveLength(1);
    expect(rel(dir, cs[0]!.location)).toBe('c.ts:2');
    expect(cs[0]!.via.map((v) => rel(dir, v.location))).toEqual(['a.ts:2', 'b.ts:2']);
    expect(plain(cs[0]!.options)).toEqual({ iosCategoryOptions: ['duckOthers'], waitForBuffer: true });
  });

  it('`this` in an object literal’s method; a call audiobg cannot trace keeps an unknown fact, a package’s same-named function does not', () => {
    const traced = calls({
      'a.ts': `${SETUP}export const Player = {
  init(o) { return TrackPlayer.setupPlayer(o); },
  music() { return this.init({ iosCategoryMode: 'obj' }); },
};
`,
      'b.ts': `import { init } from 'analytics-sdk';
init({ key: 1 });
`,
    });
    expect(traced.calls.map((c) => plain(c.options))).toEqual([{ iosCategoryMode: 'obj' }]);

    const untraced = calls({
      'a.ts': `${SETUP}export function init(o) { return TrackPlayer.setupPlayer(o); }
`,
      'b.ts': `export function start(player) { return player.init({ iosCategoryMode: 'maybe' }); }
`,
    });
    expect(untraced.calls.map((c) => c.options?.kind)).toEqual(['unresolved']);
  });

  it('a wrapper never called yields no fact; one passed around as a value keeps an unknown one; recursion ends', () => {
    const never = calls({ 'a.ts': `${SETUP}export async function unused(o) { await TrackPlayer.setupPlayer(o); }\n` });
    expect(never.calls).toEqual([]);

    const escaped = calls({
      'a.ts': `${SETUP}const setup = (o) => TrackPlayer.setupPlayer(o);\nsetup({ iosCategoryMode: 'x' });\nexport const later = () => Promise.resolve().then(setup);\n`,
    });
    expect(escaped.calls.map((c) => plain(c.options))).toEqual([{ $unresolved: 'a parameter of function setup()' }, { iosCategoryMode: 'x' }]);

    // An anonymous callback cannot be enumerated: its parameter stays unknown, as before.
    const callback = calls({ 'a.ts': `${SETUP}load().then((o) => TrackPlayer.setupPlayer(o));\n` });
    expect(callback.calls).toHaveLength(1);
    expect(callback.calls[0]!.options?.kind).toBe('unresolved');

    const cyclic = calls({
      'a.ts': `${SETUP}export function ping(o, n) { if (n) return pong(o, n); return TrackPlayer.setupPlayer(o); }\nexport function pong(o, n) { return ping(o, n - 1); }\nping({ iosCategoryMode: 'loop' }, 2);\n`,
    });
    expect(cyclic.calls.length).toBeGreaterThan(0);
    expect(cyclic.calls.some((c) => getProp(c.options, 'iosCategoryMode')?.kind === 'string')).toBe(true);
  });

  it('a shorthand option from a parameter with a default: each call site gets its own value', () => {
    const { calls: cs } = calls({
      'audio.ts': `import { Audio } from 'expo-av';
export async function configureAudioMode(staysActiveInBackground: boolean = false) {
  await Audio.setAudioModeAsync({ playsInSilentModeIOS: true, staysActiveInBackground });
}
`,
      'sfx.ts': `import { configureAudioMode } from './audio';
void configureAudioMode();
`,
      'podcast.ts': `import { configureAudioMode } from './audio';
void configureAudioMode(true);
`,
    });
    expect(cs.map((c) => `${path.basename(c.location.file)} ${JSON.stringify(plain(c.options))}`).sort()).toEqual([
      'podcast.ts {"playsInSilentModeIOS":true,"staysActiveInBackground":true}',
      'sfx.ts {"playsInSilentModeIOS":true,"staysActiveInBackground":false}',
    ]);
  });

  it('a config object destructured with defaults inside the wrapper', () => {
    const { calls: cs } = calls({
      'session.ts': `import { Audio } from 'expo-av';
export async function configureSession(config = {}) {
  const { playsInSilentMode = true, staysActiveInBackground = true } = config;
  await Audio.setAudioModeAsync({ playsInSilentModeIOS: playsInSilentMode, staysActiveInBackground });
}
configureSession({ playsInSilentMode: false });
`,
    });
    expect(cs.map((c) => plain(c.options))).toEqual([{ playsInSilentModeIOS: false, staysActiveInBackground: true }]);
  });

  it('a call inside useEffect, a wrapper called from a component, `as const` / `satisfies` / local enums', () => {
    const { calls: cs } = calls({
      'opts.ts': `export enum Cat { Play = 'playback' }\nexport const OPTIONS = { iosCategory: Cat.Play, iosCategoryOptions: ['allowAirPlay'] } as const;\n`,
      'App.tsx': `${SETUP}import { useEffect } from 'react';
import { OPTIONS } from './opts';
const setup = (extra: object) => TrackPlayer.setupPlayer({ ...OPTIONS, ...extra } satisfies object);
export function App() { useEffect(() => { void setup({ waitForBuffer: true }); }, []); return null; }
`,
    });
    expect(cs.map((c) => plain(c.options))).toEqual([{ iosCategory: 'playback', iosCategoryOptions: ['allowAirPlay'], waitForBuffer: true }]);
  });

  it('a wrapper made with useCallback, called from the component', () => {
    const { calls: cs, dir } = calls({
      'Player.tsx': `${SETUP}import { useCallback, useEffect } from 'react';
export function Player() {
  const start = useCallback(async (o: object) => { await TrackPlayer.setupPlayer(o); }, []);
  useEffect(() => { void start({ iosCategoryMode: 'spokenAudio' }); }, [start]);
  return null;
}
`,
    });
    expect(cs.map((c) => `${rel(dir, c.location)} ${JSON.stringify(plain(c.options))}`)).toEqual(['Player.tsx:5 {"iosCategoryMode":"spokenAudio"}']);
  });
});

describe('components as wrappers', () => {
  it('a component reading its props is followed to each JSX element that renders it', () => {
    const { calls: cs, dir } = calls({
      'AudioSession.tsx': `import { useEffect } from 'react';
import { setAudioModeAsync } from 'expo-audio';
export function AudioSession({ mix = false, background }: { mix?: boolean; background?: boolean }) {
  useEffect(() => { void setAudioModeAsync({ playsInSilentMode: true, shouldPlayInBackground: background, interruptionMode: mix ? 'mixWithOthers' : 'doNotMix' }); }, [mix, background]);
  return null;
}
`,
      'App.tsx': `import { AudioSession } from './AudioSession';
const extra = { background: true };
export const Radio = () => <AudioSession background />;
export const Game = () => <AudioSession mix {...extra}></AudioSession>;
`,
    });
    expect(cs.map((c) => `${rel(dir, c.location)} ${JSON.stringify(plain(c.options))}`).sort()).toEqual([
      'App.tsx:3 {"playsInSilentMode":true,"shouldPlayInBackground":true,"interruptionMode":"doNotMix"}',
      'App.tsx:4 {"playsInSilentMode":true,"shouldPlayInBackground":true,"interruptionMode":"mixWithOthers"}',
    ]);
  });
});

describe('aliases of the library object', () => {
  it('`export const Player = TrackPlayer` used in another file, a local alias of a method, and a same-named local object', () => {
    const { calls: cs, dir } = calls({
      'player.ts': `${SETUP}export const Player = TrackPlayer;
export { default as RNTP } from 'react-native-track-player';
`,
      'setup.ts': `// uses react-native-track-player through ./player
import { Player, RNTP } from './player';
Player.updateOptions({ iosCategoryMode: 'spokenAudio' });
RNTP.setupPlayer({ iosCategoryMode: 'default' });
`,
      'local.ts': `${SETUP}const start = TrackPlayer.setupPlayer;
start({ iosCategory: 'playback' });
const Other = { updateOptions: (o: object) => o };
Other.updateOptions({ iosCategoryMode: 'x' });
`,
    });
    expect(cs.map((c) => `${rel(dir, c.location)} ${c.kind} ${c.api}`).sort()).toEqual([
      'local.ts:3 setup-player TrackPlayer.setupPlayer',
      'setup.ts:3 update-options Player.updateOptions',
      'setup.ts:4 setup-player RNTP.setupPlayer',
    ]);
  });
});

describe('Platform: evaluated once for iOS and once for Android', () => {
  const PLATFORM = `import { Platform } from 'react-native';\n${SETUP}`;

  it('Platform.OS comparisons, Platform.select with ios / android / native / default, and `&&` spreads', () => {
    const { calls: cs } = calls({
      'a.ts': `${PLATFORM}
TrackPlayer.setupPlayer({
  a: Platform.OS === 'ios',
  b: Platform.OS !== 'ios',
  c: Platform.OS == "android",
  d: Platform.select({ ios: 'i', android: 'a' }),
  e: Platform.select({ native: 'n', default: 'd' }),
  f: Platform.select({ android: 'a', default: 'd' }),
  ...(Platform.OS === 'ios' && { g: 1 }),
  ...Platform.select({ android: { h: 2 } }),
});
`,
    });
    expect(plain(cs[0]!.options)).toEqual({ a: true, b: false, c: false, d: 'i', e: 'n', f: 'd', g: 1 });
    expect(plain(cs[0]!.androidOptions)).toEqual({ a: false, b: true, c: true, d: 'a', e: 'n', f: 'a', h: 2 });
  });

  it('a constant that is {} on iOS leaves the iOS keys known; on Android it adds its own', () => {
    const { calls: cs } = calls({
      'buffers.ts': `import { Platform } from 'react-native';\nexport const BUFFERS = Platform.OS === 'android' ? { maxBuffer: 30 } : {};\n`,
      'a.ts': `${SETUP}import { BUFFERS } from './buffers';\nTrackPlayer.setupPlayer({ iosCategoryOptions: ['mixWithOthers'], ...BUFFERS });\n`,
    });
    expect(plain(cs[0]!.options)).toEqual({ iosCategoryOptions: ['mixWithOthers'] });
    expect(plain(cs[0]!.androidOptions)).toEqual({ iosCategoryOptions: ['mixWithOthers'], maxBuffer: 30 });
  });
});

describe('spreads audiobg cannot read', () => {
  it('a spread with bounded keys hides only those keys; an unbounded one hides the keys before it, never those after it', () => {
    const { calls: cs } = calls({
      'a.ts': `${SETUP}import { isTablet, overrides } from './device';
TrackPlayer.setupPlayer({ iosCategoryOptions: ['duckOthers'], maxBuffer: 10, ...(isTablet() ? { maxBuffer: 60 } : {}) });
TrackPlayer.setupPlayer({ iosCategoryOptions: ['duckOthers'], ...(isTablet() && { minBuffer: 5 }) });
TrackPlayer.setupPlayer({ iosCategoryOptions: ['duckOthers'], ...overrides() });
TrackPlayer.setupPlayer({ ...overrides(), iosCategoryOptions: ['duckOthers'] });
`,
      'device.ts': `export const isTablet = () => false;\nexport const overrides = () => ({});\n`,
    });
    const opts = (i: number, key: string) => getProp(cs[i]!.options, key)?.kind;
    expect(opts(0, 'iosCategoryOptions')).toBe('array');
    expect(opts(0, 'maxBuffer')).toBe('unresolved');
    expect(opts(0, 'iosCategory')).toBeUndefined();
    expect(opts(1, 'iosCategoryOptions')).toBe('array');
    expect(opts(1, 'minBuffer')).toBe('unresolved');
    expect(opts(2, 'iosCategoryOptions')).toBe('unresolved');
    expect(opts(3, 'iosCategoryOptions')).toBe('array');
    expect(opts(3, 'iosCategory')).toBe('unresolved');
  });
});
