// The Android templates of `audiobg init`, checked on RENDERED output: the same plan the CLI
// writes (planInit), with a display name full of characters that break naive substitution.
// Kotlin is checked on tree-sitter syntax trees, XML with the project's positional parser.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendants, getParser, type SyntaxNode } from '../../src/parse/tree-sitter.js';
import { attrValue, childElements, parseXml, textContent, walkElements, type XmlElement } from '../../src/parse/xml.js';
import { planInit, type AndroidStack } from '../../src/scaffold/init-plan.js';
import { deriveTypeName } from '../../src/scaffold/variables.js';
import { doctorJson } from '../support/cli.js';
import { compact, syntaxProblems } from '../support/syntax.js';

const HOSTILE_NAME = `Pod "Cast" & <Co> $x \\ it's @?`;
const SCRIPT_NAME = '?Ràdio 北京 🎧';
const ID = 'com.example.podcast';
const SRC = 'app/src/main/java/com/example/podcast';

// Media3's stable API surface (metalava signature file); @UnstableApi symbols are absent from it.
// It is reference data outside the repository, so the check that needs it only runs where it exists.
const MEDIA3_API = '/work/shared/reference/media3/api.txt';

const COMMON_FILES = [
  '.gitignore',
  'README.md',
  'app/build.gradle.kts',
  'app/src/main/AndroidManifest.xml',
  `${SRC}/MainActivity.kt`,
  `${SRC}/PlaybackService.kt`,
  'app/src/main/res/raw/sample.wav',
  'app/src/main/res/values/strings.xml',
  'build.gradle.kts',
  'gradle.properties',
  'gradle/libs.versions.toml',
  'gradle/wrapper/gradle-wrapper.properties',
  'settings.gradle.kts',
];

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-android-tpl-'));

function renderApp(stack: AndroidStack, name: string): string {
  const dir = path.join(tmpRoot, `${stack}-${name === HOSTILE_NAME ? 'hostile' : 'script'}`);
  const { entries } = planInit({ platform: 'android', template: 'playback', name, id: ID, androidStack: stack });
  for (const e of entries) {
    fs.mkdirSync(path.dirname(path.join(dir, e.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, e.path), e.content);
  }
  return dir;
}

function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((r) => r.split(path.sep).join('/'))
    .filter((r) => fs.statSync(path.join(dir, r)).isFile())
    .sort();
}

const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

async function kotlinTree(dir: string, rel: string): Promise<SyntaxNode> {
  const parser = await getParser('kotlin');
  return parser.parse(read(dir, rel)).rootNode;
}


// ---- small syntax-tree queries ----


/** The name a call_expression invokes: `f(...)` -> f, `a.b.f(...)` -> f. */
function calleeName(call: SyntaxNode): string | null {
  const callee = call.namedChild(0);
  if (!callee) return null;
  if (callee.type === 'simple_identifier') return callee.text;
  if (callee.type === 'navigation_expression') {
    const suffix = callee.namedChild(callee.namedChildCount - 1);
    const id = suffix?.namedChild(0);
    return id?.type === 'simple_identifier' ? id.text : null;
  }
  return null;
}

function calls(root: SyntaxNode, name: string): SyntaxNode[] {
  return descendants(root, 'call_expression').filter((c) => calleeName(c) === name);
}

/** Argument texts of a call, whitespace removed. */
function args(call: SyntaxNode): string[] {
  const suffix = call.namedChildren.find((c) => c.type === 'call_suffix');
  const list = suffix?.namedChildren.find((c) => c.type === 'value_arguments');
  return list ? list.namedChildren.filter((a) => a.type === 'value_argument').map(compact) : [];
}

function fun(root: SyntaxNode, name: string): SyntaxNode | undefined {
  return descendants(root, 'function_declaration').find((f) => f.namedChildren.some((c) => c.type === 'simple_identifier' && c.text === name));
}

function funModifiers(f: SyntaxNode): string {
  return f.namedChildren.find((c) => c.type === 'modifiers')?.text ?? '';
}

/** Dotted references such as `AudioManager.AUDIOFOCUS_LOSS` (navigation expressions), compacted. */
function references(root: SyntaxNode): Set<string> {
  return new Set(descendants(root, 'navigation_expression').map(compact));
}

function imports(root: SyntaxNode): string[] {
  return descendants(root, 'import_header').map((h) => h.namedChild(0)!.text.replace(/\s+/g, ''));
}

function supertypes(root: SyntaxNode, className: string): string[] {
  const cls = descendants(root, 'class_declaration').find((c) => c.namedChildren.some((n) => n.type === 'type_identifier' && n.text === className));
  expect(cls, `class ${className}`).toBeDefined();
  return cls!.namedChildren.filter((c) => c.type === 'delegation_specifier').map((d) => compact(d).replace(/\(\)$/, ''));
}

/** `name = value` assignments in a Gradle Kotlin DSL file. */
function gradleAssignments(root: SyntaxNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of descendants(root, 'assignment')) {
    const target = a.namedChild(0);
    const value = a.namedChild(a.namedChildCount - 1);
    if (target && value) out.set(compact(target), value.text);
  }
  return out;
}

// ---- manifest helpers ----

function manifest(dir: string): XmlElement {
  return parseXml(read(dir, 'app/src/main/AndroidManifest.xml')).root;
}

function permissions(root: XmlElement): string[] {
  return childElements(root, 'uses-permission').map((p) => attrValue(p, 'android:name') ?? '').sort();
}

function services(root: XmlElement): XmlElement[] {
  return [...walkElements(root)].filter((e) => e.name === 'service');
}

function actions(el: XmlElement): string[] {
  return [...walkElements(el)].filter((e) => e.name === 'action').map((a) => attrValue(a, 'android:name') ?? '').sort();
}

/** Undo Android string-resource escaping (after XML decoding) to get the displayed text back. */
function androidResourceText(xmlDecoded: string): string {
  return xmlDecoded.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

let dirs: Record<string, string>;

beforeAll(() => {
  dirs = {
    media3: renderApp('media3', HOSTILE_NAME),
    platform: renderApp('platform', HOSTILE_NAME),
    media3Script: renderApp('media3', SCRIPT_NAME),
    platformScript: renderApp('platform', SCRIPT_NAME),
  };
});

afterAll(() => {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

describe.each([
  ['media3', 'media3', HOSTILE_NAME],
  ['platform', 'platform', HOSTILE_NAME],
  ['media3Script', 'media3', SCRIPT_NAME],
  ['platformScript', 'platform', SCRIPT_NAME],
] as const)('android %s: rendered files', (key, stack, name) => {
  it('writes exactly the expected files, with no placeholder left', () => {
    const dir = dirs[key]!;
    const expected = stack === 'platform' ? [...COMMON_FILES, 'app/src/main/res/values/playback_strings.xml'].sort() : [...COMMON_FILES].sort();
    expect(listFiles(dir)).toEqual(expected);
    for (const rel of expected.filter((r) => !r.endsWith('.wav'))) {
      expect(read(dir, rel), rel).not.toMatch(/\{\{|\}\}/);
    }
  });

  it('every Kotlin file and Gradle Kotlin script parses without ERROR or MISSING nodes', async () => {
    const dir = dirs[key]!;
    const kotlin = listFiles(dir).filter((r) => r.endsWith('.kt') || r.endsWith('.kts'));
    expect(kotlin.length).toBe(5);
    for (const rel of kotlin) {
      expect(syntaxProblems(await kotlinTree(dir, rel)), rel).toEqual([]);
    }
  });

  it('every XML file is well-formed and strings.xml shows the name exactly as typed', () => {
    const dir = dirs[key]!;
    for (const rel of listFiles(dir).filter((r) => r.endsWith('.xml'))) {
      expect(() => parseXml(read(dir, rel)), rel).not.toThrow();
    }
    const strings = parseXml(read(dir, 'app/src/main/res/values/strings.xml')).root;
    const appName = childElements(strings, 'string').find((s) => attrValue(s, 'name') === 'app_name');
    expect(appName).toBeDefined();
    expect(androidResourceText(textContent(appName!))).toBe(name);
  });

  it('the version catalog is valid TOML and every libs.* reference resolves to an entry', async () => {
    const dir = dirs[key]!;
    const catalog = parseToml(read(dir, 'gradle/libs.versions.toml')) as Record<string, Record<string, unknown>>;
    const aliases = new Set([
      ...Object.keys(catalog.libraries ?? {}).map((k) => `libs.${k.replace(/[-_]/g, '.')}`),
      ...Object.keys(catalog.plugins ?? {}).map((k) => `libs.plugins.${k.replace(/[-_]/g, '.')}`),
    ]);
    for (const rel of ['build.gradle.kts', 'app/build.gradle.kts']) {
      const root = await kotlinTree(dir, rel);
      const used = descendants(root, 'value_argument').map(compact).filter((t) => t.startsWith('libs.'));
      expect(used.length, rel).toBeGreaterThan(0);
      for (const ref of used) expect(aliases.has(ref), `${rel}: ${ref}`).toBe(true);
    }
  });
});

describe('android: Gradle configuration', () => {
  it('pins AGP, core and Media3 in the catalog and a Gradle version AGP accepts', () => {
    const catalog = parseToml(read(dirs.media3!, 'gradle/libs.versions.toml')) as { versions: Record<string, string> };
    expect(catalog.versions).toEqual({ agp: '9.4.1', coreKtx: '1.18.0', media3: '1.11.0' });
    const wrapper = read(dirs.media3!, 'gradle/wrapper/gradle-wrapper.properties');
    const version = /distributionUrl=.*gradle-(\d+)\.(\d+)(?:\.(\d+))?-bin\.zip/.exec(wrapper);
    expect(version).not.toBeNull();
    // AGP 9.4 needs Gradle 9.6.0 or newer.
    const [maj, min] = [Number(version![1]), Number(version![2])];
    expect(maj > 9 || (maj === 9 && min >= 6)).toBe(true);
  });

  it.each(['media3', 'platform'] as const)('%s: app module SDK levels and ids', async (stack) => {
    const root = await kotlinTree(dirs[stack]!, 'app/build.gradle.kts');
    const set = gradleAssignments(root);
    expect(set.get('namespace')).toBe(`"${ID}"`);
    expect(set.get('applicationId')).toBe(`"${ID}"`);
    expect(set.get('compileSdk')).toBe('36');
    expect(set.get('targetSdk')).toBe('36');
    expect(set.get('minSdk')).toBe('26');
  });

  it('only the Media3 stack depends on Media3', async () => {
    const deps = async (stack: string) =>
      calls(await kotlinTree(dirs[stack]!, 'app/build.gradle.kts'), 'implementation').map((c) => args(c)[0]).sort();
    expect(await deps('media3')).toEqual(['libs.androidx.core.ktx', 'libs.androidx.media3.exoplayer', 'libs.androidx.media3.session']);
    // Framework APIs only: the platform stack has no library dependency at all.
    expect(await deps('platform')).toEqual([]);
  });

  it('the Gradle project name is the ASCII type name, not the display name', async () => {
    const set = gradleAssignments(await kotlinTree(dirs.media3!, 'settings.gradle.kts'));
    const typeName = deriveTypeName(HOSTILE_NAME, ID);
    expect(typeName).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    expect(set.get('rootProject.name')).toBe(`"${typeName}"`);
  });
});

describe('android media3: manifest', () => {
  it('declares the foreground-service permissions and no notification permission', () => {
    expect(permissions(manifest(dirs.media3!))).toEqual([
      'android.permission.FOREGROUND_SERVICE',
      'android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK',
      'android.permission.WAKE_LOCK',
    ]);
  });

  it('declares one exported mediaPlayback service that controllers can find', () => {
    const list = services(manifest(dirs.media3!));
    expect(list).toHaveLength(1);
    const svc = list[0]!;
    expect(attrValue(svc, 'android:name')).toBe('.PlaybackService');
    expect(attrValue(svc, 'android:foregroundServiceType')).toBe('mediaPlayback');
    expect(attrValue(svc, 'android:exported')).toBe('true');
    expect(actions(svc)).toEqual(['android.media.browse.MediaBrowserService', 'androidx.media3.session.MediaSessionService']);
  });
});

describe('android media3: sources', () => {
  let service: SyntaxNode;
  let activity: SyntaxNode;
  beforeAll(async () => {
    service = await kotlinTree(dirs.media3!, `${SRC}/PlaybackService.kt`);
    activity = await kotlinTree(dirs.media3!, `${SRC}/MainActivity.kt`);
  });

  it('PlaybackService is a MediaSessionService in the generated package', () => {
    expect(descendants(service, 'package_header')[0]!.namedChild(0)!.text).toBe(ID);
    expect(supertypes(service, 'PlaybackService')).toEqual(['MediaSessionService']);
    expect(fun(service, 'onGetSession')).toBeDefined();
  });

  it('builds ExoPlayer with media usage, automatic audio focus, becoming-noisy handling and a wake mode', () => {
    expect(calls(service, 'setUsage').map((c) => args(c))).toEqual([['C.USAGE_MEDIA']]);
    const attrs = calls(service, 'setAudioAttributes');
    expect(attrs).toHaveLength(1);
    expect(args(attrs[0]!)[1]).toBe('true');
    expect(calls(service, 'setHandleAudioBecomingNoisy').map((c) => args(c))).toEqual([['true']]);
    expect(calls(service, 'setWakeMode').map((c) => args(c))).toEqual([['C.WAKE_MODE_LOCAL']]);
    // The service starts empty and never names app resources, so `audiobg add` can reuse it as is.
    expect(calls(service, 'fromUri')).toHaveLength(0);
    expect(references(service).has('R.raw.sample')).toBe(false);
    expect(calls(service, 'getLaunchIntentForPackage')).toHaveLength(1);
  });

  it('MainActivity gives an empty player the bundled sample', () => {
    expect(calls(activity, 'setMediaItem')).toHaveLength(1);
    expect(references(activity).has('R.raw.sample')).toBe(true);
  });

  it('onTaskRemoved delegates to Media3 and onDestroy releases player and session', () => {
    const taskRemoved = fun(service, 'onTaskRemoved')!;
    expect(calls(taskRemoved, 'onTaskRemoved').map(compact)).toEqual(['super.onTaskRemoved(rootIntent)']);
    const destroy = fun(service, 'onDestroy')!;
    const released = calls(destroy, 'release').map(compact);
    expect(released).toContain('player.release()');
    expect(released).toContain('release()');
    expect(calls(destroy, 'onDestroy').map(compact)).toEqual(['super.onDestroy()']);
  });

  it('MainActivity connects a MediaController through a SessionToken and releases it in onStop', () => {
    expect(calls(activity, 'SessionToken')).toHaveLength(1);
    expect(calls(activity, 'buildAsync')).toHaveLength(1);
    expect(calls(activity, 'addListener').length).toBeGreaterThanOrEqual(1);
    expect(calls(fun(activity, 'onStop')!, 'releaseFuture')).toHaveLength(1);
  });

  it('uses no @UnstableApi Media3 symbol', () => {
    const unstable = ['pauseAllPlayersAndStopSelf', 'isPlaybackOngoing', 'setForegroundServiceTimeoutMs', 'setMediaNotificationProvider',
      'triggerNotificationUpdate', 'setShowNotificationForIdlePlayer', 'RawResourceDataSource', 'MediaButtonReceiver', 'OptIn', 'UnstableApi'];
    for (const root of [service, activity]) {
      const ids = new Set([...descendants(root, ['simple_identifier', 'type_identifier'])].map((n) => n.text));
      for (const name of unstable) expect(ids.has(name), name).toBe(false);
    }
  });

  // The Media3 API file lives in ../shared beside the repository: absent on a user's clone (the test
  // skips and says so), always present in CI (where a missing file must fail, not skip).
  const apiPresent = fs.existsSync(MEDIA3_API);
  it.skipIf(!apiPresent && !process.env.CI)(`imports only classes of the stable Media3 API${apiPresent ? '' : ` (skipped: ${MEDIA3_API} is missing)`}`, () => {
    if (!apiPresent) throw new Error(`${MEDIA3_API} is missing; CI is set, so this check may not be skipped`);
    const api = fs.readFileSync(MEDIA3_API, 'utf8');
    const media3 = [...imports(service), ...imports(activity)].filter((i) => i.startsWith('androidx.media3.'));
    expect(media3.length).toBeGreaterThan(5);
    for (const imp of media3) {
      const pkg = imp.slice(0, imp.lastIndexOf('.'));
      const cls = imp.slice(imp.lastIndexOf('.') + 1);
      const section = api.split(/^package /m).find((s) => s.startsWith(`${pkg} {`));
      expect(section, imp).toBeDefined();
      expect(new RegExp(`(class|interface) ${cls}( |<)`).test(section!), imp).toBe(true);
    }
  });
});

describe('android platform: manifest', () => {
  it('declares the foreground-service, wake-lock and notification permissions', () => {
    expect(permissions(manifest(dirs.platform!))).toEqual([
      'android.permission.FOREGROUND_SERVICE',
      'android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK',
      'android.permission.POST_NOTIFICATIONS',
      'android.permission.WAKE_LOCK',
    ]);
  });

  it('declares one private mediaPlayback service', () => {
    const list = services(manifest(dirs.platform!));
    expect(list).toHaveLength(1);
    const svc = list[0]!;
    expect(attrValue(svc, 'android:name')).toBe('.PlaybackService');
    expect(attrValue(svc, 'android:foregroundServiceType')).toBe('mediaPlayback');
    expect(attrValue(svc, 'android:exported')).toBe('false');
    expect(actions(svc)).toEqual([]);
  });
});

describe('android platform: sources', () => {
  let service: SyntaxNode;
  let activity: SyntaxNode;
  beforeAll(async () => {
    service = await kotlinTree(dirs.platform!, `${SRC}/PlaybackService.kt`);
    activity = await kotlinTree(dirs.platform!, `${SRC}/MainActivity.kt`);
  });

  it('uses framework media APIs only (no Media3, no androidx.media, no support library)', () => {
    for (const root of [service, activity]) {
      for (const imp of imports(root)) {
        expect(imp.startsWith('androidx.media3.') || imp.startsWith('androidx.media.') || imp.startsWith('android.support.'), imp).toBe(false);
      }
    }
    expect(imports(service)).toEqual(expect.arrayContaining(['android.media.MediaPlayer', 'android.media.session.MediaSession', 'android.media.AudioFocusRequest']));
  });

  it('is a Service that is also the audio-focus listener, with play/pause/stop reachable from tests', () => {
    expect(supertypes(service, 'PlaybackService')).toEqual(['Service', 'AudioManager.OnAudioFocusChangeListener']);
    for (const name of ['play', 'pause', 'stop']) {
      expect(funModifiers(fun(service, name)!), name).toContain('internal');
    }
    expect(funModifiers(fun(service, 'onAudioFocusChange')!)).toContain('override');
  });

  it('routes intent actions and MediaSession callbacks to play/pause/stop', () => {
    const onStart = fun(service, 'onStartCommand')!;
    const entries = descendants(onStart, 'when_entry').map(compact);
    expect(entries).toEqual(['ACTION_PLAY->play()', 'ACTION_PAUSE->pause()', 'ACTION_STOP->stop()']);
    const callback = descendants(service, 'object_literal').find((o) => compact(o).includes('MediaSession.Callback()'))!;
    expect(callback).toBeDefined();
    for (const [cb, target] of [['onPlay', 'play'], ['onPause', 'pause'], ['onStop', 'stop']]) {
      expect(calls(fun(callback, cb!)!, target!), cb).toHaveLength(1);
    }
    expect(calls(service, 'setCallback').map((c) => args(c))).toEqual([['sessionCallback']]);
  });

  it('requests audio focus with media attributes and checks that it was granted', () => {
    expect(calls(service, 'setUsage').map((c) => args(c))).toEqual([['AudioAttributes.USAGE_MEDIA']]);
    expect(calls(service, 'Builder').some((c) => compact(c) === 'AudioFocusRequest.Builder(AudioManager.AUDIOFOCUS_GAIN)')).toBe(true);
    // Android 8+: the AudioFocusRequest; Android 6 and 7: the legacy call with STREAM_MUSIC.
    const request = calls(fun(service, 'requestFocus')!, 'requestAudioFocus').map((c) => args(c));
    expect(request).toEqual([['request'], ['this', 'AudioManager.STREAM_MUSIC', 'AudioManager.AUDIOFOCUS_GAIN']]);
    expect(calls(service, 'requestAudioFocus')).toHaveLength(2);
    const asked = calls(fun(service, 'play')!, 'requestFocus');
    expect(asked).toHaveLength(1);
    const comparison = asked[0]!.parent!;
    expect(comparison.type).toBe('equality_expression');
    expect(compact(comparison)).toContain('AudioManager.AUDIOFOCUS_REQUEST_GRANTED');
  });

  it('handles loss, transient loss, ducking and regain of audio focus', () => {
    const handler = fun(service, 'onAudioFocusChange')!;
    const conditions = descendants(handler, 'when_condition').map(compact).sort();
    expect(conditions).toEqual([
      'AudioManager.AUDIOFOCUS_GAIN',
      'AudioManager.AUDIOFOCUS_LOSS',
      'AudioManager.AUDIOFOCUS_LOSS_TRANSIENT',
      'AudioManager.AUDIOFOCUS_LOSS_TRANSIENT_CAN_DUCK',
    ]);
    const entry = (cond: string) => descendants(handler, 'when_entry').find((e) => compact(e.namedChild(0)!) === cond)!;
    // Permanent loss: a user-style pause, no resume flag.
    expect(calls(entry('AudioManager.AUDIOFOCUS_LOSS'), 'pause')).toHaveLength(1);
    // Transient loss: remember to resume.
    expect(compact(entry('AudioManager.AUDIOFOCUS_LOSS_TRANSIENT'))).toContain('resumeOnFocusGain=true');
    // Duck: lower the volume; regain: restore it and resume if asked to.
    expect(calls(entry('AudioManager.AUDIOFOCUS_LOSS_TRANSIENT_CAN_DUCK'), 'setVolume')).toHaveLength(1);
    const gain = entry('AudioManager.AUDIOFOCUS_GAIN');
    expect(calls(gain, 'setVolume').map((c) => args(c))).toEqual([['1f', '1f']]);
    expect(calls(gain, 'play')).toHaveLength(1);
  });

  it('registers the becoming-noisy receiver at runtime while playing', () => {
    const register = fun(service, 'registerNoisyReceiver')!;
    const call = calls(register, 'registerReceiver');
    // Two calls: with RECEIVER_NOT_EXPORTED on Android 13+, without the flag before.
    expect(call.map((c) => args(c))).toEqual([
      ['becomingNoisyReceiver', 'filter', 'Context.RECEIVER_NOT_EXPORTED'],
      ['becomingNoisyReceiver', 'filter'],
    ]);
    expect(calls(register, 'IntentFilter').map((c) => args(c))).toEqual([['AudioManager.ACTION_AUDIO_BECOMING_NOISY']]);
    expect(calls(fun(service, 'play')!, 'registerNoisyReceiver')).toHaveLength(1);
    expect(calls(fun(service, 'haltPlayback')!, 'unregisterNoisyReceiver')).toHaveLength(1);
  });

  it('enters the foreground with the mediaPlayback type and a MediaStyle notification on a channel', () => {
    const start = calls(service, 'startForeground');
    // Android 10+ passes the type; Android 9 (no type parameter) relies on the manifest's.
    expect(start.map((c) => args(c))).toEqual([
      ['NOTIFICATION_ID', 'notification', 'ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK'],
      ['NOTIFICATION_ID', 'notification'],
    ]);
    // The foreground start is guarded: a refused start must not crash the app.
    let n: SyntaxNode | null = start[0]!;
    while (n && n.type !== 'try_expression') n = n.parent;
    expect(n).not.toBeNull();
    expect(calls(service, 'setMediaSession').map((c) => args(c))).toEqual([['mediaSession.sessionToken']]);
    expect(calls(service, 'createNotificationChannel').length).toBeGreaterThanOrEqual(1);
  });

  it('detaches the notification on pause, removes it and stops on stop, releases everything on destroy', () => {
    // stopForeground(int) is API 24; below it the boolean form (false keeps the notification).
    expect(calls(fun(service, 'pause')!, 'stopForeground').map((c) => args(c))).toEqual([['Service.STOP_FOREGROUND_DETACH'], ['false']]);
    const stop = fun(service, 'stop')!;
    expect(calls(stop, 'stopForeground').map((c) => args(c))).toEqual([['Service.STOP_FOREGROUND_REMOVE'], ['true']]);
    expect(calls(stop, 'stopSelf')).toHaveLength(1);
    const destroy = fun(service, 'onDestroy')!;
    const released = calls(destroy, 'release').map(compact);
    expect(released).toEqual(expect.arrayContaining(['mediaSession.release()', 'player?.release()']));
    expect(calls(destroy, 'abandonFocus')).toHaveLength(1);
    expect(calls(fun(service, 'abandonFocus')!, 'abandonAudioFocusRequest')).toHaveLength(1);
    expect(calls(fun(service, 'abandonFocus')!, 'abandonAudioFocus').map((c) => args(c))).toEqual([['this']]);
  });

  it('MainActivity sends the three commands to the service', () => {
    const refs = references(activity);
    for (const a of ['PlaybackService.ACTION_PLAY', 'PlaybackService.ACTION_PAUSE', 'PlaybackService.ACTION_STOP']) {
      expect(refs.has(a), a).toBe(true);
    }
    expect(calls(activity, 'startService')).toHaveLength(1);
  });
});

describe('android: audiobg doctor on the generated apps', () => {
  it.each(['media3', 'platform'] as const)('%s: no findings', async (stack) => {
    const { code, findings } = await doctorJson(dirs[stack]!);
    expect(findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([]);
    expect(code).toBe(0);
  });
});
