// The iOS templates of `audiobg init` (playback and ptt), checked on RENDERED output: the same plan
// the CLI writes (planInit), with display names full of characters that break naive substitution.
// Swift is checked on tree-sitter syntax trees, plists/XML with the project's positional parsers,
// project.pbxproj with the project's pbxproj parser. No Swift compiler exists here, so these tests
// are what stands between a template edit and a project that does not open or build.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePbxproj, pbxGet, pbxString, pbxStrings, type PbxDict, type PbxValue } from '../../src/parse/pbxproj.js';
import { dictGet, plistFromXml, stringsOf, type PlistValue } from '../../src/parse/plist.js';
import { descendants, getParser, type SyntaxNode } from '../../src/parse/tree-sitter.js';
import { attrValue, childElements, parseXml } from '../../src/parse/xml.js';
import { planInit, type InitTemplate } from '../../src/scaffold/init-plan.js';
import { markdownText, swiftString } from '../../src/scaffold/escape.js';
import { deriveTypeName } from '../../src/scaffold/variables.js';
import { doctorJson } from '../support/cli.js';
import { compact, syntaxProblems } from '../support/syntax.js';

const HOSTILE_NAME = `Pod "Cast" & <Co> \\ $x \\(y) 🎧`;
const SCRIPT_NAME = 'Ràdio 北京 🎧';
const ID = 'com.example.podcast';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-ios-tpl-'));

function renderApp(template: InitTemplate, name: string, label: string): string {
  const dir = path.join(tmpRoot, `${template}-${label}`);
  const { entries } = planInit({ platform: 'ios', template, name, id: ID, androidStack: 'media3' });
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

function expectedFiles(template: InitTemplate, t: string): string[] {
  const common = [
    '.gitignore',
    'README.md',
    `${t}.xcodeproj/project.pbxproj`,
    `${t}.xcodeproj/project.xcworkspace/contents.xcworkspacedata`,
    `${t}/Assets.xcassets/AccentColor.colorset/Contents.json`,
    `${t}/Assets.xcassets/AppIcon.appiconset/Contents.json`,
    `${t}/Assets.xcassets/Contents.json`,
    `${t}/Info.plist`,
    `${t}/Resources/sample.wav`,
    `${t}/${t}App.swift`,
  ];
  const own =
    template === 'playback'
      ? [`${t}/AudioPlaybackService.swift`, `${t}/PlayerView.swift`]
      : [`${t}/ChannelView.swift`, `${t}/PushToTalkService.swift`, `${t}/${t}.entitlements`];
  return [...common, ...own].sort();
}

// ---- Swift syntax-tree helpers ----

async function swiftTree(dir: string, rel: string): Promise<SyntaxNode> {
  const parser = await getParser('swift');
  return parser.parse(read(dir, rel)).rootNode;
}



/** The callee of a call_expression, compacted: `a.b.f(...)` -> "a.b.f", `f(...)` -> "f". */
function calleePath(call: SyntaxNode): string {
  const callee = call.namedChild(0);
  return callee ? compact(callee) : '';
}

/** The last name of the callee: `a.b.f(...)` -> "f". */
function calleeName(call: SyntaxNode): string {
  const callee = call.namedChild(0);
  if (!callee) return '';
  if (callee.type === 'simple_identifier') return callee.text;
  if (callee.type === 'navigation_expression') {
    const suffix = callee.namedChild(callee.namedChildCount - 1);
    return suffix?.namedChild(0)?.text ?? '';
  }
  return '';
}

function calls(root: SyntaxNode, name: string): SyntaxNode[] {
  return descendants(root, 'call_expression').filter((c) => calleeName(c) === name);
}

function callSuffix(call: SyntaxNode): SyntaxNode | undefined {
  return call.namedChildren.find((c) => c.type === 'call_suffix');
}

/** Arguments of a call as [label, compacted value] pairs (label '' when unlabelled). */
function args(call: SyntaxNode): [string, string][] {
  const list = callSuffix(call)?.namedChildren.find((c) => c.type === 'value_arguments');
  if (!list) return [];
  return list.namedChildren
    .filter((a) => a.type === 'value_argument')
    .map((a) => {
      const label = a.namedChildren.find((c) => c.type === 'value_argument_label');
      // The value is everything after `label:` (it can be an unnamed node such as `nil`).
      const value = label ? a.text.slice(label.endIndex - a.startIndex).replace(/^\s*:/, '') : a.text;
      return [label ? label.text : '', value.replace(/\s+/g, '')] as [string, string];
    });
}

function arg(call: SyntaxNode, label: string): string | undefined {
  return args(call).find(([l]) => l === label)?.[1];
}

/** The trailing closure of a call, if any. */
function trailingClosure(call: SyntaxNode): SyntaxNode | undefined {
  return callSuffix(call)?.namedChildren.find((c) => c.type === 'lambda_literal');
}

/** A function's Swift name with argument labels, e.g. "channelManager(_:didActivate:)". */
function signature(fn: SyntaxNode): string {
  const name = fn.namedChildren.find((c) => c.type === 'simple_identifier')?.text ?? '?';
  const labels = fn.namedChildren
    .filter((c) => c.type === 'parameter')
    .map((p) => p.namedChildren.filter((c) => c.type === 'simple_identifier')[0]!.text);
  return `${name}(${labels.map((l) => `${l}:`).join('')})`;
}

function functions(root: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const f of descendants(root, 'function_declaration')) out.set(signature(f), f);
  return out;
}

function fn(root: SyntaxNode, sig: string): SyntaxNode {
  const f = functions(root).get(sig);
  expect(f, sig).toBeDefined();
  return f!;
}

/** Type declarations (class/struct/extension) by name, with the names of what they conform to. */
function typeDecls(root: SyntaxNode): { name: string; kind: string; conformances: string[]; node: SyntaxNode }[] {
  return descendants(root, 'class_declaration').map((c) => {
    const nameNode = c.namedChildren.find((n) => n.type === 'type_identifier' || n.type === 'user_type')!;
    const kind = c.child(c.namedChildren[0]!.type === 'modifiers' || c.namedChildren[0]!.type === 'attribute' ? 1 : 0)?.text ?? '';
    return {
      name: nameNode.text,
      kind: c.children.find((k) => ['class', 'struct', 'extension', 'enum', 'actor'].includes(k.type))?.type ?? kind,
      conformances: c.namedChildren.filter((n) => n.type === 'inheritance_specifier').map(compact),
      node: c,
    };
  });
}

/** Names used as `.member` shorthand (prefix_expression) anywhere under a node. */
function implicitMembers(root: SyntaxNode): string[] {
  return descendants(root, 'prefix_expression')
    .filter((p) => p.text.startsWith('.'))
    .map((p) => compact(p).slice(1));
}

function identifiers(root: SyntaxNode): Set<string> {
  return new Set(descendants(root, ['simple_identifier', 'type_identifier']).map((n) => n.text));
}

function hasAncestor(node: SyntaxNode, type: string): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) if (p.type === type) return p;
  return null;
}

/** Turns a Swift string literal node's text back into the string (the escapes our escaper writes). */
function swiftLiteralValue(literalText: string): string {
  expect(literalText.startsWith('"') && literalText.endsWith('"')).toBe(true);
  return literalText
    .slice(1, -1)
    .replace(/\\u\{([0-9a-f]+)\}|\\(.)/g, (_m, hex: string | undefined, c: string | undefined) =>
      hex ? String.fromCodePoint(parseInt(hex, 16)) : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c!,
    );
}

// ---- plist / pbxproj helpers ----

function plist(dir: string, rel: string): PlistValue {
  return plistFromXml(parseXml(read(dir, rel)).root);
}

interface Project {
  objects: Map<string, PbxDict>;
  rootObject: string;
  objectVersion: string | null;
}

function project(dir: string, t: string): Project {
  const doc = parsePbxproj(read(dir, `${t}.xcodeproj/project.pbxproj`));
  const objects = new Map<string, PbxDict>();
  const objs = pbxGet(doc.root, 'objects');
  if (objs?.type === 'dict') for (const e of objs.entries) if (e.value.type === 'dict') objects.set(e.key, e.value);
  return { objects, rootObject: pbxString(doc.root, 'rootObject')!, objectVersion: pbxString(doc.root, 'objectVersion') };
}

function ofIsa(p: Project, isa: string): [string, PbxDict][] {
  return [...p.objects].filter(([, o]) => pbxString(o, 'isa') === isa);
}

function buildSettings(p: Project, configListId: string): Map<string, PbxDict> {
  const list = p.objects.get(configListId)!;
  const out = new Map<string, PbxDict>();
  for (const id of pbxStrings(pbxGet(list, 'buildConfigurations'))) {
    const cfg = p.objects.get(id)!;
    out.set(pbxString(cfg, 'name')!, pbxGet(cfg, 'buildSettings') as PbxDict);
  }
  return out;
}

function allStrings(v: PbxValue, out: string[] = []): string[] {
  if (v.type === 'string') out.push(v.value);
  else if (v.type === 'array') v.items.forEach((x) => allStrings(x, out));
  else if (v.type === 'dict') v.entries.forEach((e) => allStrings(e.value, out));
  return out;
}

// ---- rendering ----

const TEMPLATES: InitTemplate[] = ['playback', 'ptt'];
const dirs = new Map<string, string>();
const key = (template: InitTemplate, label: string) => `${template}-${label}`;

beforeAll(() => {
  for (const template of TEMPLATES) {
    dirs.set(key(template, 'hostile'), renderApp(template, HOSTILE_NAME, 'hostile'));
    dirs.set(key(template, 'script'), renderApp(template, SCRIPT_NAME, 'script'));
  }
});

afterAll(() => {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

const CASES = TEMPLATES.flatMap((template) => [
  [template, 'hostile', HOSTILE_NAME],
  [template, 'script', SCRIPT_NAME],
]) as [InitTemplate, string, string][];

describe.each(CASES)('ios %s (%s name): rendered files', (template, label, name) => {
  const t = deriveTypeName(name, ID);
  const dir = () => dirs.get(key(template, label))!;

  it('writes exactly the expected files, with no placeholder left', () => {
    expect(t).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    expect(listFiles(dir())).toEqual(expectedFiles(template, t));
    for (const rel of listFiles(dir()).filter((r) => !r.endsWith('.wav'))) {
      expect(read(dir(), rel), rel).not.toMatch(/\{\{|\}\}/);
    }
  });

  it('every Swift file parses without ERROR or MISSING nodes', async () => {
    const swift = listFiles(dir()).filter((r) => r.endsWith('.swift'));
    expect(swift.length).toBe(3);
    for (const rel of swift) expect(syntaxProblems(await swiftTree(dir(), rel)), rel).toEqual([]);
  });

  it('the README names the app with Markdown escaping and points at the project', () => {
    const readme = read(dir(), 'README.md');
    expect(readme.split('\n')[0]).toBe(`# ${markdownText(name)}`);
    expect(readme).toContain(`\`${t}.xcodeproj\``);
  });

  it('every plist, entitlements, workspace and asset file parses', () => {
    for (const rel of listFiles(dir())) {
      if (rel.endsWith('.plist') || rel.endsWith('.entitlements')) expect(() => plist(dir(), rel), rel).not.toThrow();
      if (rel.endsWith('.xcworkspacedata')) {
        const ws = parseXml(read(dir(), rel)).root;
        expect(ws.name).toBe('Workspace');
        expect(childElements(ws, 'FileRef').map((f) => attrValue(f, 'location'))).toEqual(['self:']);
      }
      if (rel.endsWith('Contents.json')) expect(() => JSON.parse(read(dir(), rel)), rel).not.toThrow();
    }
  });

  it('Info.plist declares the background modes (and the microphone text for ptt) with the name as typed', () => {
    const info = plist(dir(), `${t}/Info.plist`);
    const modes = stringsOf(dictGet(info, 'UIBackgroundModes')?.value).map((s) => s.value);
    expect(modes).toEqual(template === 'ptt' ? ['audio', 'push-to-talk'] : ['audio']);
    const mic = dictGet(info, 'NSMicrophoneUsageDescription')?.value;
    if (template === 'ptt') {
      expect(mic?.type).toBe('string');
      expect(mic?.type === 'string' && mic.value.startsWith(`${name} records your voice`)).toBe(true);
    } else {
      expect(mic).toBeUndefined();
    }
    // Everything else comes from GENERATE_INFOPLIST_FILE (merged by Xcode).
    expect(info.type === 'dict' && info.entries.map((e) => e.key).sort()).toEqual(
      template === 'ptt' ? ['NSMicrophoneUsageDescription', 'UIBackgroundModes'] : ['UIBackgroundModes'],
    );
  });

  it('project.pbxproj is an Xcode 16 synchronized-folder project whose paths all exist', () => {
    const p = project(dir(), t);
    expect(p.objectVersion).toBe('77');
    // Every 24-hex object id mentioned anywhere is defined.
    for (const [, obj] of p.objects) {
      for (const s of allStrings(obj)) if (/^[0-9A-F]{24}$/.test(s)) expect(p.objects.has(s), s).toBe(true);
    }
    const root = p.objects.get(p.rootObject)!;
    expect(pbxString(root, 'isa')).toBe('PBXProject');

    const targets = ofIsa(p, 'PBXNativeTarget');
    expect(targets).toHaveLength(1);
    const [, target] = targets[0]!;
    expect(pbxString(target, 'name')).toBe(t);
    expect(pbxString(target, 'productType')).toBe('com.apple.product-type.application');
    expect(pbxStrings(pbxGet(root, 'targets'))).toEqual([targets[0]![0]]);

    // The synchronized folder is the source folder; its exceptions keep Info.plist (and the
    // entitlements) out of Copy Bundle Resources.
    const groups = pbxStrings(pbxGet(target, 'fileSystemSynchronizedGroups')).map((id) => p.objects.get(id)!);
    expect(groups.map((g) => [pbxString(g, 'isa'), pbxString(g, 'path')])).toEqual([['PBXFileSystemSynchronizedRootGroup', t]]);
    expect(fs.statSync(path.join(dir(), t)).isDirectory()).toBe(true);
    const exceptions = pbxStrings(pbxGet(groups[0]!, 'exceptions')).map((id) => p.objects.get(id)!);
    expect(exceptions).toHaveLength(1);
    expect(pbxString(exceptions[0]!, 'isa')).toBe('PBXFileSystemSynchronizedBuildFileExceptionSet');
    expect(pbxString(exceptions[0]!, 'target')).toBe(targets[0]![0]);
    const excluded = pbxStrings(pbxGet(exceptions[0]!, 'membershipExceptions'));
    expect(excluded).toEqual(template === 'ptt' ? ['Info.plist', `${t}.entitlements`] : ['Info.plist']);
    for (const rel of excluded) expect(fs.existsSync(path.join(dir(), t, rel)), rel).toBe(true);

    // File references inside the project folder must exist; the product lives in the build folder.
    for (const [, ref] of ofIsa(p, 'PBXFileReference')) {
      const tree = pbxString(ref, 'sourceTree');
      if (tree === 'BUILT_PRODUCTS_DIR') continue;
      expect(fs.existsSync(path.join(dir(), pbxString(ref, 'path')!)), pbxString(ref, 'path')!).toBe(true);
    }
    expect(ofIsa(p, 'PBXBuildFile')).toEqual([]);
  });

  it('build settings point at the generated Info.plist and entitlements, with the expected ids and versions', () => {
    const p = project(dir(), t);
    const [, target] = ofIsa(p, 'PBXNativeTarget')[0]!;
    const projectConfigs = buildSettings(p, pbxString(p.objects.get(p.rootObject)!, 'buildConfigurationList')!);
    const targetConfigs = buildSettings(p, pbxString(target, 'buildConfigurationList')!);
    expect([...projectConfigs.keys()]).toEqual(['Debug', 'Release']);
    expect([...targetConfigs.keys()]).toEqual(['Debug', 'Release']);

    for (const [config, s] of projectConfigs) {
      expect(pbxString(s, 'IPHONEOS_DEPLOYMENT_TARGET'), config).toBe('17.0');
      expect(pbxString(s, 'SDKROOT'), config).toBe('iphoneos');
    }
    for (const [config, s] of targetConfigs) {
      const infoPlist = pbxString(s, 'INFOPLIST_FILE')!;
      expect(infoPlist, config).toBe(`${t}/Info.plist`);
      expect(fs.existsSync(path.join(dir(), infoPlist))).toBe(true);
      const entitlements = pbxString(s, 'CODE_SIGN_ENTITLEMENTS');
      if (template === 'ptt') {
        expect(entitlements, config).toBe(`${t}/${t}.entitlements`);
        expect(fs.existsSync(path.join(dir(), entitlements!))).toBe(true);
      } else {
        expect(entitlements, config).toBeNull();
      }
      expect(pbxString(s, 'GENERATE_INFOPLIST_FILE'), config).toBe('YES');
      expect(pbxString(s, 'PRODUCT_BUNDLE_IDENTIFIER'), config).toBe(ID);
      expect(pbxString(s, 'PRODUCT_NAME'), config).toBe('$(TARGET_NAME)');
      expect(pbxString(s, 'SWIFT_VERSION'), config).toBe('5.0');
      expect(pbxString(s, 'TARGETED_DEVICE_FAMILY'), config).toBe('1,2');
      expect(pbxString(s, 'INFOPLIST_KEY_CFBundleDisplayName'), config).toBe(name);
      // Undeclared INFOPLIST_KEY_* settings are silently ignored by Xcode; the modes live in Info.plist.
      expect(pbxString(s, 'INFOPLIST_KEY_UIBackgroundModes'), config).toBeNull();
      expect(pbxString(s, 'ASSETCATALOG_COMPILER_APPICON_NAME'), config).toBe('AppIcon');
      expect(pbxString(s, 'ASSETCATALOG_COMPILER_GLOBAL_ACCENT_COLOR_NAME'), config).toBe('AccentColor');
    }
    expect(fs.existsSync(path.join(dir(), t, 'Assets.xcassets/AppIcon.appiconset/Contents.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir(), t, 'Assets.xcassets/AccentColor.colorset/Contents.json'))).toBe(true);
  });

  it('the @main App type is named after the target and shows nothing unescaped', async () => {
    const app = await swiftTree(dir(), `${t}/${t}App.swift`);
    const main = typeDecls(app).find((d) => d.name === `${t}App`);
    expect(main).toBeDefined();
    expect(main!.kind).toBe('struct');
    expect(main!.conformances).toEqual(['App']);
    expect(compact(main!.node.namedChildren.find((c) => c.type === 'modifiers')!)).toBe('@main');
  });

  it('passes audiobg doctor with no findings', async () => {
    const { findings } = await doctorJson(dir());
    expect(findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`)).toEqual([]);
  });
});

// ---- playback ----

describe('ios playback: AudioPlaybackService', () => {
  const t = deriveTypeName(HOSTILE_NAME, ID);
  let svc: SyntaxNode;
  let view: SyntaxNode;
  beforeAll(async () => {
    const dir = dirs.get(key('playback', 'hostile'))!;
    svc = await swiftTree(dir, `${t}/AudioPlaybackService.swift`);
    view = await swiftTree(dir, `${t}/PlayerView.swift`);
  });

  it('sets the playback category with mode .default and no options, inside do/catch', () => {
    const set = calls(svc, 'setCategory');
    expect(set).toHaveLength(1);
    expect(args(set[0]!)).toEqual([
      ['', '.playback'],
      ['mode', '.default'],
      ['options', '[]'],
    ]);
    for (const c of [...set, ...calls(svc, 'setActive')]) {
      const doStmt = hasAncestor(c, 'do_statement');
      expect(doStmt, compact(c)).not.toBeNull();
      const catchBlock = doStmt!.namedChildren.find((n) => n.type === 'catch_block');
      expect(catchBlock && calls(catchBlock, 'error').length, compact(c)).toBeGreaterThan(0);
    }
    // No error-swallowing `try?` / `try!` anywhere.
    expect(descendants(svc, 'try_operator').map((n) => n.text)).toEqual(Array(descendants(svc, 'try_operator').length).fill('try'));
  });

  it('never uses an option that is invalid with .playback or that makes the session mixable', () => {
    const forbidden = ['allowAirPlay', 'allowBluetooth', 'allowBluetoothHFP', 'allowBluetoothA2DP', 'defaultToSpeaker', 'mixWithOthers', 'duckOthers', 'interruptSpokenAudioAndMixWithOthers'];
    const used = implicitMembers(svc);
    for (const o of forbidden) expect(used, o).not.toContain(o);
    expect(identifiers(svc).has('beginReceivingRemoteControlEvents')).toBe(false);
  });

  it('observes interruptions, route changes and media-services resets', () => {
    const observed = calls(svc, 'addObserver').map((c) => arg(c, 'forName'));
    expect(observed).toEqual(
      expect.arrayContaining(['AVAudioSession.interruptionNotification', 'AVAudioSession.routeChangeNotification', 'AVAudioSession.mediaServicesWereResetNotification']),
    );
  });

  it('pauses when an interruption begins and, when it ends with shouldResume, reactivates before playing', () => {
    const handler = fn(svc, 'handleInterruption(_:)');
    const entries = descendants(handler, 'switch_entry');
    const began = entries.find((e) => compact(e).startsWith('case.began'))!;
    expect(calls(began, 'pause').map(calleePath)).toEqual(['player.pause']);
    const ended = entries.find((e) => compact(e).startsWith('case.ended'))!;
    expect(implicitMembers(ended)).toContain('shouldResume');
    const activate = calls(ended, 'setActive');
    const play = calls(ended, 'play');
    expect(activate.map((c) => args(c))).toEqual([[['', 'true']]]);
    expect(play).toHaveLength(1);
    expect(activate[0]!.startIndex).toBeLessThan(play[0]!.startIndex);
  });

  it('pauses when the old route becomes unavailable', () => {
    const handler = fn(svc, 'handleRouteChange(_:)');
    expect(implicitMembers(handler)).toContain('oldDeviceUnavailable');
    expect(calls(handler, 'pause')).toHaveLength(1);
  });

  it('rebuilds the player and reapplies the category after a media-services reset', () => {
    const handler = fn(svc, 'handleMediaServicesReset()');
    const assigned = descendants(handler, 'assignment').map(compact);
    expect(assigned).toContain('player=AVPlayer()');
    expect(calls(handler, 'configureSession')).toHaveLength(1);
    expect(calls(handler, 'preparePlayer')).toHaveLength(1);
    expect(calls(handler, 'play')).toHaveLength(0);
  });

  it('publishes title, artist, duration, elapsed time and rate to Now Playing', () => {
    const update = fn(svc, 'updateNowPlaying()');
    const ids = identifiers(update);
    for (const k of ['MPMediaItemPropertyTitle', 'MPMediaItemPropertyArtist', 'MPMediaItemPropertyPlaybackDuration', 'MPNowPlayingInfoPropertyElapsedPlaybackTime', 'MPNowPlayingInfoPropertyPlaybackRate']) {
      expect(ids.has(k), k).toBe(true);
    }
    expect(descendants(update, 'assignment').map((a) => compact(a.namedChild(0)!))).toContain('MPNowPlayingInfoCenter.default().nowPlayingInfo');
  });

  it('refreshes Now Playing on play, pause, seek and rate changes, never from the periodic time observer', () => {
    for (const sig of ['play()', 'pause()', 'setRate(_:)', 'playerStateChanged()']) {
      expect(calls(fn(svc, sig), 'updateNowPlaying').length, sig).toBeGreaterThan(0);
    }
    const seek = calls(fn(svc, 'seek(to:)'), 'seek').find((c) => calleePath(c) === 'player.seek')!;
    expect(calls(trailingClosure(seek)!, 'updateNowPlaying')).toHaveLength(1);
    const periodic = calls(svc, 'addPeriodicTimeObserver');
    expect(periodic).toHaveLength(1);
    expect(calls(trailingClosure(periodic[0]!)!, 'updateNowPlaying')).toHaveLength(0);
  });

  it('handles the remote commands it supports and disables the others', () => {
    const targets = calls(svc, 'addTarget').map((c) => calleePath(c));
    expect(targets.sort()).toEqual(
      [
        'center.changePlaybackPositionCommand.addTarget',
        'center.changePlaybackRateCommand.addTarget',
        'center.pauseCommand.addTarget',
        'center.playCommand.addTarget',
        'center.skipBackwardCommand.addTarget',
        'center.skipForwardCommand.addTarget',
        'center.togglePlayPauseCommand.addTarget',
      ].sort(),
    );
    const unsupported = descendants(fn(svc, 'setUpRemoteCommands()'), 'property_declaration').find((d) => compact(d).startsWith('letunsupported'))!;
    const listed = descendants(unsupported, 'navigation_expression').map(compact);
    for (const cmd of ['center.nextTrackCommand', 'center.previousTrackCommand', 'center.seekForwardCommand', 'center.seekBackwardCommand']) {
      expect(listed, cmd).toContain(cmd);
    }
    expect(descendants(fn(svc, 'setUpRemoteCommands()'), 'assignment').map(compact)).toContain('$0.isEnabled=false');
  });

  it('plays the bundled sample.wav and shows the name exactly as typed', () => {
    const url = calls(svc, 'url').find((c) => calleePath(c) === 'Bundle.main.url')!;
    expect(args(url)).toEqual([
      ['forResource', '"sample"'],
      ['withExtension', '"wav"'],
    ]);
    const track = calls(svc, 'Track')[0]!;
    const artist = descendants(callSuffix(track)!, 'value_argument').find((a) => a.text.startsWith('artist:'))!;
    const literal = artist.namedChildren.find((c) => c.type === 'line_string_literal')!;
    expect(literal.text).toBe(`"${swiftString(HOSTILE_NAME)}"`);
    expect(swiftLiteralValue(literal.text)).toBe(HOSTILE_NAME);
  });

  it('PlayerView drives the service (play/pause, seek, skip, rate)', () => {
    const used = new Set(descendants(view, 'call_expression').map(calleePath));
    for (const c of ['playback.togglePlayPause', 'playback.seek', 'playback.skip', 'playback.setRate']) expect(used.has(c), c).toBe(true);
  });
});

// ---- Push to Talk ----

describe('ios ptt: PushToTalkService', () => {
  const t = deriveTypeName(HOSTILE_NAME, ID);
  let svc: SyntaxNode;
  let app: SyntaxNode;
  let view: SyntaxNode;
  let all: SyntaxNode[];
  beforeAll(async () => {
    const dir = dirs.get(key('ptt', 'hostile'))!;
    svc = await swiftTree(dir, `${t}/PushToTalkService.swift`);
    app = await swiftTree(dir, `${t}/${t}App.swift`);
    view = await swiftTree(dir, `${t}/ChannelView.swift`);
    all = [svc, app, view];
  });

  it('has the Push to Talk and push entitlements', () => {
    const dir = dirs.get(key('ptt', 'hostile'))!;
    const ent = plist(dir, `${t}/${t}.entitlements`);
    expect(dictGet(ent, 'com.apple.developer.push-to-talk')?.value).toMatchObject({ type: 'bool', value: true });
    expect(dictGet(ent, 'aps-environment')?.value).toMatchObject({ type: 'string', value: 'development' });
  });

  it('creates the channel manager from didFinishLaunching, through an app delegate adaptor', () => {
    const main = typeDecls(app).find((d) => d.name === `${t}App`)!;
    const adaptor = descendants(main.node, 'attribute').map(compact);
    expect(adaptor).toContain('@UIApplicationDelegateAdaptor(AppDelegate.self)');
    const delegate = typeDecls(app).find((d) => d.name === 'AppDelegate')!;
    expect(delegate.conformances).toEqual(['NSObject', 'UIApplicationDelegate']);
    const launch = fn(delegate.node, 'application(_:didFinishLaunchingWithOptions:)');
    expect(calls(launch, 'start').map(calleePath)).toEqual(['pushToTalk.start']);

    const start = fn(svc, 'start()');
    const create = calls(start, 'channelManager').filter((c) => calleePath(c) === 'PTChannelManager.channelManager');
    expect(create).toHaveLength(1);
    expect(args(create[0]!)).toEqual([
      ['delegate', 'self'],
      ['restorationDelegate', 'self'],
    ]);
    // The category is set before the manager exists.
    const configure = calls(start, 'configureSession');
    expect(configure).toHaveLength(1);
    expect(configure[0]!.startIndex).toBeLessThan(create[0]!.startIndex);
  });

  it('implements the channel-manager and restoration delegates', () => {
    const decls = typeDecls(svc).filter((d) => d.name === 'PushToTalkService');
    expect(decls.flatMap((d) => d.conformances)).toEqual(expect.arrayContaining(['NSObject', 'ObservableObject', 'PTChannelManagerDelegate', 'PTChannelRestorationDelegate']));
    const sigs = new Set(decls.flatMap((d) => [...functions(d.node).keys()]));
    for (const sig of [
      'channelManager(_:didJoinChannel:reason:)',
      'channelManager(_:didLeaveChannel:reason:)',
      'channelManager(_:channelUUID:didBeginTransmittingFrom:)',
      'channelManager(_:channelUUID:didEndTransmittingFrom:)',
      'channelManager(_:receivedEphemeralPushToken:)',
      'incomingPushResult(channelManager:channelUUID:pushPayload:)',
      'channelManager(_:didActivate:)',
      'channelManager(_:didDeactivate:)',
      'channelManager(_:failedToJoinChannel:error:)',
      'channelManager(_:failedToBeginTransmittingInChannel:error:)',
      'channelDescriptor(restoredChannelUUID:)',
    ]) {
      expect(sigs.has(sig), sig).toBe(true);
    }
  });

  it('never activates or deactivates the audio session itself', () => {
    for (const root of all) expect(calls(root, 'setActive').map(compact)).toEqual([]);
  });

  it('sets .playAndRecord once, with Bluetooth HFP/A2DP and speaker options and nothing mixable', () => {
    const set = calls(svc, 'setCategory');
    expect(set).toHaveLength(1);
    expect(args(set[0]!)).toEqual([
      ['', '.playAndRecord'],
      ['mode', '.default'],
      ['options', '[.allowBluetoothHFP,.allowBluetoothA2DP,.defaultToSpeaker]'],
    ]);
    const used = implicitMembers(svc);
    for (const o of ['mixWithOthers', 'duckOthers', 'interruptSpokenAudioAndMixWithOthers', 'ambient', 'allowBluetooth']) expect(used, o).not.toContain(o);
    expect(descendants(svc, 'try_operator').every((n) => n.text === 'try')).toBe(true);
    expect(calls(svc, 'setCategory').every((c) => hasAncestor(c, 'do_statement'))).toBe(true);
  });

  it('incomingPushResult names the remote participant and leaves only when the payload says so', () => {
    const push = fn(svc, 'incomingPushResult(channelManager:channelUUID:pushPayload:)');
    const returns = descendants(push, 'control_transfer_statement').filter((r) => r.text.startsWith('return'));
    const leaving = returns.filter((r) => compact(r) === 'return.leaveChannel');
    expect(leaving).toHaveLength(1);
    const guardIf = hasAncestor(leaving[0]!, 'if_statement');
    expect(guardIf).not.toBeNull();
    expect(descendants(guardIf!, 'line_string_literal').map((s) => s.text)).toContain('"leaveChannel"');
    const last = returns[returns.length - 1]!;
    expect(compact(last)).toBe('return.activeRemoteParticipant(PTParticipant(name:speaker,image:nil))');
    // Half duplex: the local transmission is stopped before a remote participant is returned.
    expect(calls(push, 'stopTransmitting')).toHaveLength(1);
  });

  it('starts and stops the audio engine from didActivate / didDeactivate', () => {
    const activate = fn(svc, 'channelManager(_:didActivate:)');
    expect(calls(activate, 'sessionDidActivate').map(calleePath)).toEqual(['self.audio.sessionDidActivate']);
    expect(calls(activate, 'startCapturing')).toHaveLength(1);
    const deactivate = fn(svc, 'channelManager(_:didDeactivate:)');
    expect(calls(deactivate, 'sessionDidDeactivate').map(calleePath)).toEqual(['self.audio.sessionDidDeactivate']);

    const audio = typeDecls(svc).find((d) => d.name === 'TalkAudio')!;
    expect(descendants(audio.node, 'property_declaration').map(compact)).toContain('privatevarengine=AVAudioEngine()');
    expect(calls(fn(audio.node, 'startEngineIfPossible()'), 'start').map(calleePath)).toEqual(['engine.start']);
    expect(calls(fn(audio.node, 'sessionDidDeactivate()'), 'stop').map(calleePath)).toContain('engine.stop');
  });

  it('handles interruptions, route changes and media-services resets for the engine without setActive', () => {
    const audio = typeDecls(svc).find((d) => d.name === 'TalkAudio')!;
    const observed = calls(audio.node, 'addObserver').map((c) => arg(c, 'forName'));
    expect(observed).toEqual(
      expect.arrayContaining([
        'AVAudioSession.interruptionNotification',
        'AVAudioSession.routeChangeNotification',
        'AVAudioSession.mediaServicesWereResetNotification',
        '.AVAudioEngineConfigurationChange',
      ]),
    );
    const ended = descendants(fn(audio.node, 'handleInterruption(_:)'), 'switch_entry').find((e) => compact(e).startsWith('case.ended'))!;
    expect(implicitMembers(ended)).toContain('shouldResume');
    expect(calls(ended, 'startEngineIfPossible')).toHaveLength(1);
    expect(implicitMembers(fn(audio.node, 'handleRouteChange(_:)'))).toContain('oldDeviceUnavailable');
    const reset = fn(audio.node, 'handleMediaServicesReset()');
    expect(calls(reset, 'buildEngine')).toHaveLength(1);
    expect(calls(reset, 'configureSession')).toHaveLength(1);
  });

  it('asks for background time when the system is about to suspend the app', () => {
    expect(calls(svc, 'beginBackgroundTask')).toHaveLength(1);
    expect(calls(svc, 'endBackgroundTask')).toHaveLength(1);
    for (const sig of ['channelManager(_:channelUUID:didEndTransmittingFrom:)', 'channelManager(_:didDeactivate:)']) {
      expect(calls(fn(svc, sig), 'reportToServerInBackgroundTask').length, sig).toBe(1);
    }
  });

  it('restores channels from stored data and uses the real channel UUID in every manager call', () => {
    const restore = fn(svc, 'channelDescriptor(restoredChannelUUID:)');
    expect(calls(restore, 'PTChannelDescriptor')).toHaveLength(1);
    expect(calls(restore, 'name').map(calleePath)).toEqual(['channels.name']);
    for (const c of descendants(svc, 'call_expression')) {
      const uuid = arg(c, 'channelUUID');
      if (uuid !== undefined) expect(uuid, compact(c)).not.toBe('UUID()');
    }
    for (const name of ['requestJoinChannel', 'leaveChannel', 'requestBeginTransmitting', 'stopTransmitting', 'setServiceStatus', 'setActiveRemoteParticipant']) {
      expect(calls(svc, name).length, name).toBeGreaterThan(0);
    }
  });

  it('ChannelView talks while the button is held and offers join/leave', () => {
    const gesture = calls(view, 'DragGesture');
    expect(gesture).toHaveLength(1);
    const onChanged = calls(view, 'onChanged')[0]!;
    const onEnded = calls(view, 'onEnded')[0]!;
    expect(calls(trailingClosure(onChanged)!, 'beginTransmitting').map(calleePath)).toEqual(['pushToTalk.beginTransmitting']);
    expect(calls(trailingClosure(onEnded)!, 'stopTransmitting').map(calleePath)).toEqual(['pushToTalk.stopTransmitting']);
    const used = new Set(descendants(view, 'call_expression').map(calleePath));
    expect(used.has('pushToTalk.join')).toBe(true);
    expect(used.has('pushToTalk.leave')).toBe(true);
  });

  it('shows the app name as typed in the navigation title', () => {
    const title = descendants(view, 'property_declaration').find((d) => compact(d).startsWith('privatestaticletappTitle'))!;
    const literal = descendants(title, 'line_string_literal')[0]!;
    expect(swiftLiteralValue(literal.text)).toBe(HOSTILE_NAME);
  });
});
