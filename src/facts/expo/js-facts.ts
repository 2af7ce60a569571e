// Audio facts from an app's JS/TS sources, read from ts-morph syntax trees: the calls of the audio
// libraries (found through the file's imports, so a same-named function of another module or a
// word in a comment or string never counts), with their option objects evaluated statically.
// Library enums (IOSCategoryOptions.AllowAirPlay, InterruptionModeIOS.MixWithOthers...) resolve to
// their published values; constants resolve in scope and through relative imports and tsconfig
// path aliases. Options are evaluated twice: as on iOS (Platform.OS === 'ios') and as on Android.
// Options that come from a parameter of the app's own wrapper function are followed to each call of
// the wrapper (see call-sites.ts): one fact per call site, located there.

import { createRequire } from 'node:module';
import path from 'node:path';
import type { Node as TsNode, SourceFile } from 'ts-morph';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';
import { CallSiteResolver, type ModuleGraph } from './call-sites.js';
import type { ConfigValue } from './config-value.js';
import { Evaluator, type EvalHooks, type ImportBinding, type Platform } from './evaluate.js';
import { isAudioPackage, type AudioPackage } from './plugin-effects.js';
import { parseScript, type TsMorphModule } from './ts-loader.js';
import { compareText } from '../../discover/paths.js';

export type JsCallKind =
  /** expo-audio setAudioModeAsync / expo-av Audio.setAudioModeAsync */
  | 'audio-mode'
  /** react-native-track-player setupPlayer */
  | 'setup-player'
  /** react-native-track-player updateOptions */
  | 'update-options'
  /** react-native-track-player registerPlaybackService */
  | 'register-service'
  /** react-native-audio-api AudioManager.setAudioSessionOptions */
  | 'session-options'
  /** lock-screen / Now Playing controls: expo-audio setActiveForLockScreen, audio-api lock-screen info, expo-video showNowPlayingNotification */
  | 'lock-screen'
  /** a flag that asks for playback in the background: expo-video staysActiveInBackground, react-native-video playInBackground */
  | 'background-flag';

export interface JsCall {
  library: AudioPackage;
  kind: JsCallKind;
  /** How the API is written, e.g. `TrackPlayer.setupPlayer`, `Audio.setAudioModeAsync`, `<Video playInBackground>`. */
  api: string;
  /** The library call, or, when the options come through wrapper functions, the outermost wrapper call that supplies them. */
  location: Location;
  /** The first argument (or the assigned / attribute value), evaluated as on iOS; null when there is none. */
  options: ConfigValue | null;
  /** The same, evaluated as on Android. */
  androidOptions: ConfigValue | null;
  /** When the options pass through wrapper functions: the library call, then each wrapper call between it and `location`. */
  via: { text: string; location: Location }[];
}

export interface JsImport {
  module: AudioPackage;
  location: Location;
}

export interface JsAudioFacts {
  /** Files that passed the text prefilter and were parsed. */
  parsedFiles: string[];
  imports: JsImport[];
  calls: JsCall[];
}

export function emptyJsFacts(): JsAudioFacts {
  return { parsedFiles: [], imports: [], calls: [] };
}

/** Words that make a JS/TS file worth parsing (a cheap text test, not a match). */
export const JS_PREFILTER_WORDS: readonly string[] = [
  'expo-audio',
  'expo-av',
  'expo-video',
  'react-native-track-player',
  'react-native-video',
  'react-native-audio-api',
];

// ---- library enums, as published ----

type EnumTable = Record<string, Record<string, string | number>>;

/** Enum members of the libraries (react-native-track-player src/constants/*.ts 4.1.2; expo-av build/Audio.types.d.ts 16.0.8 and build/Audio.d.ts 9.2.3). */
const LIBRARY_ENUMS: Partial<Record<AudioPackage, EnumTable>> = {
  'react-native-track-player': {
    IOSCategory: { Playback: 'playback', PlayAndRecord: 'playAndRecord', MultiRoute: 'multiRoute', Ambient: 'ambient', SoloAmbient: 'soloAmbient', Record: 'record' },
    IOSCategoryMode: {
      Default: 'default',
      GameChat: 'gameChat',
      Measurement: 'measurement',
      MoviePlayback: 'moviePlayback',
      SpokenAudio: 'spokenAudio',
      VideoChat: 'videoChat',
      VideoRecording: 'videoRecording',
      VoiceChat: 'voiceChat',
      VoicePrompt: 'voicePrompt',
    },
    IOSCategoryOptions: {
      MixWithOthers: 'mixWithOthers',
      DuckOthers: 'duckOthers',
      InterruptSpokenAudioAndMixWithOthers: 'interruptSpokenAudioAndMixWithOthers',
      AllowBluetooth: 'allowBluetooth',
      AllowBluetoothA2DP: 'allowBluetoothA2DP',
      AllowAirPlay: 'allowAirPlay',
      DefaultToSpeaker: 'defaultToSpeaker',
    },
    IOSCategoryPolicy: { Default: 'default', LongFormAudio: 'longFormAudio', LongFormVideo: 'longFormVideo' },
    AppKilledPlaybackBehavior: {
      ContinuePlayback: 'continue-playback',
      PausePlayback: 'pause-playback',
      StopPlaybackAndRemoveNotification: 'stop-playback-and-remove-notification',
    },
  },
  'expo-av': {
    InterruptionModeIOS: { MixWithOthers: 0, DoNotMix: 1, DuckOthers: 2 },
    InterruptionModeAndroid: { DoNotMix: 1, DuckOthers: 2 },
    Audio: {
      INTERRUPTION_MODE_IOS_MIX_WITH_OTHERS: 0,
      INTERRUPTION_MODE_IOS_DO_NOT_MIX: 1,
      INTERRUPTION_MODE_IOS_DUCK_OTHERS: 2,
      INTERRUPTION_MODE_ANDROID_DO_NOT_MIX: 1,
      INTERRUPTION_MODE_ANDROID_DUCK_OTHERS: 2,
    },
  },
};

function enumValue(module: string, exportName: string, member: string | undefined, loc: Location): ConfigValue | undefined {
  if (!isAudioPackage(module) || member === undefined) return undefined;
  const v = LIBRARY_ENUMS[module]?.[exportName]?.[member];
  if (v === undefined) return undefined;
  return typeof v === 'number' ? { kind: 'number', value: v, loc } : { kind: 'string', value: v, loc };
}

// ---- extraction ----

/** Last names of the library calls read below: only `x.y()` calls ending in one of them (or plain `f()` calls) are looked up as aliases. */
const LIBRARY_METHODS = new Set(['setAudioModeAsync', 'setupPlayer', 'updateOptions', 'registerPlaybackService', 'setAudioSessionOptions', 'setLockScreenInfo', 'show']);

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs'];

/** The JS app a file is read for: its folder (for tsconfig.json) and its source files (for wrapper calls). */
export interface AppSources {
  root: string;
  files: string[];
}

interface PathAliases {
  baseUrl: string | null;
  paths: { prefix: string; suffix: string; wildcard: boolean; targets: string[] }[];
}

const requireLazy = createRequire(import.meta.url);

/** Reads the audio facts of JS/TS files, sharing one evaluator per file (for cross-file constants and wrappers). */
export class JsFactsReader implements ModuleGraph {
  private readonly evaluators = new Map<string, Evaluator | null>();
  private readonly resolving = new Set<string>();
  private readonly aliases = new Map<string, PathAliases | null>();
  private readonly mentioning = new Map<string, string[]>();
  private readonly sites: CallSiteResolver;
  private app: AppSources | null = null;

  constructor(
    private readonly ws: Workspace,
    private readonly tsm: TsMorphModule,
  ) {
    this.sites = new CallSiteResolver(tsm, this);
  }

  evaluatorFor(file: string): Evaluator | null {
    if (this.evaluators.has(file)) return this.evaluators.get(file)!;
    const sf = parseScript(this.ws, this.tsm, file);
    const t = this.ws.text(file);
    const ev = sf && t ? new Evaluator(this.tsm, sf, file, t.lines, this.hooks(file)) : null;
    this.evaluators.set(file, ev);
    return ev;
  }

  /** Hooks shared by app configs and sources: library enums and constants exported by local files. */
  hooks(fromFile: string): EvalHooks {
    return {
      importValue: (binding: ImportBinding, memberPath: string[], loc: Location, platform: Platform | null) => {
        const [exportName, rest] = binding.imported === '*' || binding.imported === 'default' ? [memberPath[0], memberPath.slice(1)] : [binding.imported, memberPath];
        if (isAudioPackage(binding.module)) {
          if (exportName === undefined) return undefined;
          return enumValue(binding.module, exportName, rest[0], loc);
        }
        const target = this.resolveModule(fromFile, binding.module);
        if (!target || this.resolving.has(target)) return undefined;
        const ev = this.evaluatorFor(target);
        if (!ev) return undefined;
        this.resolving.add(target);
        try {
          return ev.withPlatform(platform, () => {
            let v: ConfigValue | undefined = binding.imported === '*' ? undefined : ev.exported(binding.imported === 'default' ? 'default' : binding.imported);
            const pathRest = binding.imported === '*' ? memberPath.slice(1) : memberPath;
            if (binding.imported === '*' && memberPath[0]) v = ev.exported(memberPath[0]);
            for (const k of pathRest) {
              if (!v || v.kind === 'unresolved') break;
              v = v.kind === 'object' ? (v.entries.slice().reverse().find((e) => e.type === 'prop' && e.prop.key === k) as { prop: { value: ConfigValue } } | undefined)?.prop.value : undefined;
            }
            return v;
          });
        } finally {
          this.resolving.delete(target);
        }
      },
    };
  }

  /** The file an import names: a relative path, or a tsconfig `paths` / `baseUrl` alias of the current app. */
  resolveModule(fromFile: string, spec: string): string | null {
    if (spec.startsWith('.')) return this.probe(path.resolve(path.dirname(fromFile), spec));
    const aliases = this.app ? this.aliasesOf(this.app.root) : null;
    if (!aliases) return null;
    for (const p of aliases.paths) {
      if (p.wildcard ? !(spec.startsWith(p.prefix) && spec.endsWith(p.suffix) && spec.length >= p.prefix.length + p.suffix.length) : spec !== p.prefix) continue;
      const star = p.wildcard ? spec.slice(p.prefix.length, spec.length - p.suffix.length) : '';
      for (const t of p.targets) {
        const found = this.probe(t.replace('*', star));
        if (found) return found;
      }
    }
    return aliases.baseUrl ? this.probe(path.join(aliases.baseUrl, spec)) : null;
  }

  private probe(base: string): string | null {
    const candidates = [base, ...SCRIPT_EXTENSIONS.map((e) => base + e), ...SCRIPT_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
    for (const c of candidates) if (this.ws.file(c) && this.ws.file(c)!.kind === 'script') return c;
    return null;
  }

  /** `compilerOptions.baseUrl` and `paths` of the app's tsconfig.json (or jsconfig.json); `extends` is not followed. */
  private aliasesOf(root: string): PathAliases | null {
    if (this.aliases.has(root)) return this.aliases.get(root)!;
    let result: PathAliases | null = null;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = path.join(root, name);
      const text = this.ws.readOutside(file);
      if (text === null) continue;
      try {
        const jsonc = requireLazy('jsonc-parser') as typeof import('jsonc-parser');
        const json = jsonc.parse(text, [], { allowTrailingComma: true }) as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined;
        const co = json?.compilerOptions;
        const baseUrl = typeof co?.baseUrl === 'string' ? path.resolve(root, co.baseUrl) : null;
        const from = baseUrl ?? root;
        const paths: PathAliases['paths'] = [];
        if (co?.paths && typeof co.paths === 'object') {
          for (const [pattern, targets] of Object.entries(co.paths as Record<string, unknown>)) {
            if (!Array.isArray(targets)) continue;
            const i = pattern.indexOf('*');
            paths.push({
              prefix: i < 0 ? pattern : pattern.slice(0, i),
              suffix: i < 0 ? '' : pattern.slice(i + 1),
              wildcard: i >= 0,
              targets: targets.filter((t): t is string => typeof t === 'string').map((t) => path.resolve(from, t)),
            });
          }
        }
        result = baseUrl || paths.length ? { baseUrl, paths } : null;
      } catch {
        result = null;
      }
      break;
    }
    this.aliases.set(root, result);
    return result;
  }

  /** Whether a file can define an alias of an audio library: it names one (a re-export through a barrel file that does not is not followed). */
  mayAliasLibrary(file: string): boolean {
    return this.ws.mentions(file, JS_PREFILTER_WORDS);
  }

  /** Source files of the current app whose text contains `word` (the text test before parsing). */
  filesMentioning(word: string): string[] {
    if (!this.app) return [];
    const key = `${this.app.root}\0${word}`;
    let list = this.mentioning.get(key);
    if (!list) {
      list = this.app.files.filter((f) => this.ws.mentions(f, [word]));
      this.mentioning.set(key, list);
    }
    return list;
  }

  /** Facts of one source file of an app (cached in the workspace). */
  read(file: string, app: AppSources | null = null): JsAudioFacts | null {
    return this.ws.cached(file, 'js-audio-facts', () => {
      if (!this.ws.mentions(file, JS_PREFILTER_WORDS)) return null;
      const ev = this.evaluatorFor(file);
      if (!ev) return null;
      const saved = this.app;
      this.app = app;
      try {
        const facts = this.extract(ev);
        facts.parsedFiles.push(file);
        return facts;
      } catch (e) {
        this.ws.report({ file, kind: 'parse-error', severity: 'warning', message: `audio facts could not be extracted: ${(e as Error).message}` });
        return null;
      } finally {
        this.app = saved;
      }
    });
  }

  /**
   * The options of a library call, as on iOS and on Android: one result per wrapper call site that
   * supplies them (see call-sites.ts), none when they come from a wrapper that is never called.
   */
  private optionsAt(ev: Evaluator, call: TsNode, arg: TsNode | undefined): { ios: ConfigValue | null; android: ConfigValue | null; location: Location; via: JsCall['via'] }[] {
    if (!arg) return [{ ios: null, android: null, location: ev.loc(call), via: [] }];
    const ios = this.sites.outcomes(ev, [arg], 'ios');
    const android = this.sites.outcomes(ev, [arg], 'android');
    const key = (sites: { ev: Evaluator; call: TsNode }[]) => sites.map((x) => `${x.ev.file}:${x.call.getStart()}`).join('>');
    const out: { ios: ConfigValue | null; android: ConfigValue | null; location: Location; via: JsCall['via'] }[] = [];
    for (const o of ios) {
      const k = key(o.sites);
      const a = android.find((x) => key(x.sites) === k) ?? (android.length === 1 && !android[0]!.sites.length ? android[0] : undefined);
      const outer = o.sites[o.sites.length - 1];
      const via: JsCall['via'] = [];
      if (outer) {
        via.push({ text: 'the library call', location: ev.loc(call) });
        for (const site of o.sites.slice(0, -1)) via.push({ text: `through ${shortCallee(site.call)}()`, location: site.ev.loc(site.call) });
      }
      out.push({ ios: o.values[0] ?? null, android: a?.values[0] ?? null, location: outer ? outer.ev.loc(outer.call) : ev.loc(call), via });
    }
    return out;
  }

  private extract(ev: Evaluator): JsAudioFacts {
    const tsm = this.tsm;
    const { Node, SyntaxKind } = tsm;
    const sf: SourceFile = ev.sf;
    const facts = emptyJsFacts();
    // A file without an audio import can still call the library through an alias another file exports.
    const audioImports = ev.imports.filter((b) => isAudioPackage(b.module));
    const seenModules = new Set<string>();
    for (const b of audioImports) {
      if (seenModules.has(b.module)) continue;
      seenModules.add(b.module);
      facts.imports.push({ module: b.module as AudioPackage, location: b.loc });
    }
    const imports = (m: AudioPackage) => seenModules.has(m);
    const both = (node: TsNode): { ios: ConfigValue | null; android: ConfigValue | null } => ({
      ios: ev.withPlatform('ios', () => ev.evaluate(node)) ?? null,
      android: ev.withPlatform('android', () => ev.evaluate(node)) ?? null,
    });
    const pushValue = (library: AudioPackage, kind: JsCallKind, api: string, node: TsNode, v: { ios: ConfigValue | null; android: ConfigValue | null }) =>
      facts.calls.push({ library, kind, api, location: ev.loc(node), options: v.ios, androidOptions: v.android, via: [] });
    /** A library call whose first argument is its options: followed through wrappers. */
    const pushCall = (library: AudioPackage, kind: JsCallKind, api: string, call: TsNode) => {
      const arg = call.asKindOrThrow(SyntaxKind.CallExpression).getArguments()[0];
      for (const o of this.optionsAt(ev, call, arg)) facts.calls.push({ library, kind, api, location: o.location, options: o.ios, androidOptions: o.android, via: o.via });
    };

    // Names that can be aliases of a library object: imports from the app's own modules, and variables
    // initialised with a name or a member of one (`const Player = TrackPlayer`).
    const aliasNames = new Set<string>(ev.imports.filter((b) => !isAudioPackage(b.module)).map((b) => b.local));
    for (const d of sf.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
      let init = d.getInitializer();
      while (init && (Node.isPropertyAccessExpression(init) || Node.isParenthesizedExpression(init) || Node.isAsExpression(init))) init = init.getExpression();
      if (init && Node.isIdentifier(init) && Node.isIdentifier(d.getNameNode())) aliasNames.add(d.getName());
    }

    for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const chain = calleeChain(tsm, callee);
      if (!chain) continue;
      let binding = chain.root ? ev.binding(chain.root) : undefined;
      let through: string[] = [];
      // An alias of the library's object: `const Player = TrackPlayer`, possibly exported by another file.
      const last = chain.members[chain.members.length - 1];
      if (chain.root && aliasNames.has(chain.root) && (last === undefined || LIBRARY_METHODS.has(last)) && !(binding && isAudioPackage(binding.module))) {
        const alias = this.sites.libraryAlias(ev, chain.root, call);
        if (alias) {
          binding = alias.binding;
          through = alias.members;
        }
      }
      let written = callee.getText().replace(/\s+/g, '').replace(/\?\./g, '.');
      if (binding && isAudioPackage(binding.module)) {
        const members = binding.imported === '*' || binding.imported === 'default' ? [...through, ...chain.members] : [binding.imported, ...through, ...chain.members];
        const q = members.join('.');
        const lib = binding.module;
        // Through an alias without the object (`const start = TrackPlayer.setupPlayer`): name the library's API.
        if (!chain.members.length && (through.length || binding.local !== chain.root)) written = `${lib === 'react-native-track-player' ? 'TrackPlayer.' : ''}${q}`;
        if (lib === 'expo-audio' && q === 'setAudioModeAsync') pushCall(lib, 'audio-mode', written, call);
        else if (lib === 'expo-av' && q === 'Audio.setAudioModeAsync') pushCall(lib, 'audio-mode', written, call);
        else if (lib === 'react-native-track-player' && q === 'setupPlayer') pushCall(lib, 'setup-player', written, call);
        else if (lib === 'react-native-track-player' && q === 'updateOptions') pushCall(lib, 'update-options', written, call);
        else if (lib === 'react-native-track-player' && q === 'registerPlaybackService') pushValue(lib, 'register-service', written, call, { ios: null, android: null });
        else if (lib === 'react-native-audio-api' && q === 'AudioManager.setAudioSessionOptions') pushCall(lib, 'session-options', written, call);
        else if (lib === 'react-native-audio-api' && (q === 'AudioManager.setLockScreenInfo' || q === 'PlaybackNotificationManager.show')) pushCall(lib, 'lock-screen', written, call);
        continue;
      }
      // Methods of player objects (the receiver is a variable, so the file's import decides the library).
      const method = chain.members[chain.members.length - 1];
      if (method === 'setActiveForLockScreen' && imports('expo-audio') && chain.members.length >= 1 && (chain.root !== null || chain.members.length > 1)) {
        const arg = call.getArguments()[0];
        const active = arg ? both(arg) : { ios: null, android: null };
        if (!active.ios || active.ios.kind !== 'boolean' || active.ios.value) pushValue('expo-audio', 'lock-screen', written, call, active);
      }
    }

    // expo-video: player.staysActiveInBackground = true / player.showNowPlayingNotification = true
    if (imports('expo-video')) {
      for (const bin of sf.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
        if (bin.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
        const left = bin.getLeft();
        if (!Node.isPropertyAccessExpression(left)) continue;
        const name = left.getName();
        if (name !== 'staysActiveInBackground' && name !== 'showNowPlayingNotification') continue;
        const value = both(bin.getRight());
        const off = (v: ConfigValue | null) => v?.kind === 'boolean' && !v.value;
        if (off(value.ios) && off(value.android)) continue;
        pushValue('expo-video', name === 'staysActiveInBackground' ? 'background-flag' : 'lock-screen', `${left.getText()} =`, bin, value);
      }
    }

    // react-native-video: <Video playInBackground /> on the component imported from the package.
    const videoLocal = ev.imports.find((b) => b.module === 'react-native-video' && (b.imported === 'default' || b.imported === 'Video'))?.local;
    if (videoLocal) {
      const elements = [...sf.getDescendantsOfKind(SyntaxKind.JsxSelfClosingElement), ...sf.getDescendantsOfKind(SyntaxKind.JsxOpeningElement)];
      for (const el of elements) {
        if (el.getTagNameNode().getText() !== videoLocal) continue;
        for (const attr of el.getAttributes()) {
          if (!Node.isJsxAttribute(attr) || attr.getNameNode().getText() !== 'playInBackground') continue;
          const init = attr.getInitializer();
          const on: ConfigValue = { kind: 'boolean', value: true, loc: ev.loc(attr) };
          let value = { ios: on as ConfigValue | null, android: on as ConfigValue | null };
          if (init && Node.isJsxExpression(init)) {
            const e = init.getExpression();
            if (e) value = both(e);
          }
          if (value.ios?.kind === 'boolean' && !value.ios.value) continue;
          pushValue('react-native-video', 'background-flag', `<${videoLocal} playInBackground>`, attr, value);
        }
      }
    }
    facts.calls.sort((a, b) => compareText(a.location.file, b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
    return facts;
  }
}

function shortCallee(call: TsNode): string {
  const text = (call as unknown as { getExpression(): TsNode }).getExpression().getText().replace(/\s+/g, '');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `a.b.c(...)` → root `a`, members [b, c]; `f(...)` → root `f`, members []. Null for other callees. */
function calleeChain(tsm: TsMorphModule, callee: TsNode): { root: string | null; members: string[] } | null {
  const { Node } = tsm;
  const members: string[] = [];
  let cur = callee;
  for (;;) {
    if (Node.isPropertyAccessExpression(cur)) {
      members.unshift(cur.getName());
      cur = cur.getExpression();
    } else if (Node.isParenthesizedExpression(cur) || Node.isNonNullExpression(cur) || Node.isAwaitExpression(cur)) {
      cur = cur.getExpression();
    } else break;
  }
  if (Node.isIdentifier(cur)) return { root: cur.getText(), members };
  if (members.length) return { root: null, members };
  return null;
}
