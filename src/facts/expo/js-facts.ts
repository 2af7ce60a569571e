// Audio facts from an app's JS/TS sources, read from ts-morph syntax trees: the calls of the audio
// libraries (found through the file's imports, so a same-named function of another module or a
// word in a comment or string never counts), with their option objects evaluated statically.
// Library enums (IOSCategoryOptions.AllowAirPlay, InterruptionModeIOS.MixWithOthers...) resolve to
// their published values; constants resolve in scope and through relative imports.

import path from 'node:path';
import type { Node as TsNode, SourceFile } from 'ts-morph';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';
import type { ConfigValue } from './config-value.js';
import { Evaluator, type EvalHooks, type ImportBinding } from './evaluate.js';
import { isAudioPackage, type AudioPackage } from './plugin-effects.js';
import { parseScript, type TsMorphModule } from './ts-loader.js';

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
  location: Location;
  /** The first argument (or the assigned / attribute value), evaluated; null when there is none. */
  options: ConfigValue | null;
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

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs'];

/** Reads the audio facts of JS/TS files, sharing one evaluator per file (for cross-file constants). */
export class JsFactsReader {
  private readonly evaluators = new Map<string, Evaluator | null>();
  private readonly resolving = new Set<string>();

  constructor(
    private readonly ws: Workspace,
    private readonly tsm: TsMorphModule,
  ) {}

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
      importValue: (binding: ImportBinding, memberPath: string[], loc: Location) => {
        const [exportName, rest] = binding.imported === '*' || binding.imported === 'default' ? [memberPath[0], memberPath.slice(1)] : [binding.imported, memberPath];
        if (isAudioPackage(binding.module)) {
          if (exportName === undefined) return undefined;
          return enumValue(binding.module, exportName, rest[0], loc);
        }
        if (!binding.module.startsWith('.')) return undefined;
        const target = this.resolveRelative(fromFile, binding.module);
        if (!target || this.resolving.has(target)) return undefined;
        const ev = this.evaluatorFor(target);
        if (!ev) return undefined;
        this.resolving.add(target);
        try {
          let v: ConfigValue | undefined = binding.imported === '*' ? undefined : ev.exported(binding.imported === 'default' ? 'default' : binding.imported);
          const pathRest = binding.imported === '*' ? memberPath.slice(1) : memberPath;
          if (binding.imported === '*' && memberPath[0]) v = ev.exported(memberPath[0]);
          for (const k of pathRest) {
            if (!v || v.kind === 'unresolved') break;
            v = v.kind === 'object' ? (v.entries.slice().reverse().find((e) => e.type === 'prop' && e.prop.key === k) as { prop: { value: ConfigValue } } | undefined)?.prop.value : undefined;
          }
          return v;
        } finally {
          this.resolving.delete(target);
        }
      },
    };
  }

  private resolveRelative(fromFile: string, spec: string): string | null {
    const base = path.resolve(path.dirname(fromFile), spec);
    const candidates = [base, ...SCRIPT_EXTENSIONS.map((e) => base + e), ...SCRIPT_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
    for (const c of candidates) if (this.ws.file(c)) return c;
    return null;
  }

  /** Facts of one source file (cached in the workspace). */
  read(file: string): JsAudioFacts | null {
    return this.ws.cached(file, 'js-audio-facts', () => {
      if (!this.ws.mentions(file, JS_PREFILTER_WORDS)) return null;
      const ev = this.evaluatorFor(file);
      if (!ev) return null;
      try {
        const facts = extract(this.tsm, ev);
        facts.parsedFiles.push(file);
        return facts;
      } catch (e) {
        this.ws.report({ file, kind: 'parse-error', severity: 'warning', message: `audio facts could not be extracted: ${(e as Error).message}` });
        return null;
      }
    });
  }
}

function extract(tsm: TsMorphModule, ev: Evaluator): JsAudioFacts {
  const { Node, SyntaxKind } = tsm;
  const sf: SourceFile = ev.sf;
  const facts = emptyJsFacts();
  const audioImports = ev.imports.filter((b) => isAudioPackage(b.module));
  if (!audioImports.length) return facts;
  const seenModules = new Set<string>();
  for (const b of audioImports) {
    if (seenModules.has(b.module)) continue;
    seenModules.add(b.module);
    facts.imports.push({ module: b.module as AudioPackage, location: b.loc });
  }
  const imports = (m: AudioPackage) => seenModules.has(m);

  const firstArg = (call: TsNode): ConfigValue | null => {
    const arg = call.asKindOrThrow(SyntaxKind.CallExpression).getArguments()[0];
    return arg ? (ev.evaluate(arg) ?? null) : null;
  };
  const push = (library: AudioPackage, kind: JsCallKind, api: string, node: TsNode, options: ConfigValue | null) =>
    facts.calls.push({ library, kind, api, location: ev.loc(node), options });

  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const chain = calleeChain(tsm, callee);
    if (!chain) continue;
    const binding = chain.root ? ev.binding(chain.root) : undefined;
    const written = callee.getText().replace(/\s+/g, '').replace(/\?\./g, '.');
    if (binding && isAudioPackage(binding.module)) {
      const members = binding.imported === '*' || binding.imported === 'default' ? chain.members : [binding.imported, ...chain.members];
      const q = members.join('.');
      const lib = binding.module;
      if (lib === 'expo-audio' && q === 'setAudioModeAsync') push(lib, 'audio-mode', written, call, firstArg(call));
      else if (lib === 'expo-av' && q === 'Audio.setAudioModeAsync') push(lib, 'audio-mode', written, call, firstArg(call));
      else if (lib === 'react-native-track-player' && q === 'setupPlayer') push(lib, 'setup-player', written, call, firstArg(call));
      else if (lib === 'react-native-track-player' && q === 'updateOptions') push(lib, 'update-options', written, call, firstArg(call));
      else if (lib === 'react-native-track-player' && q === 'registerPlaybackService') push(lib, 'register-service', written, call, null);
      else if (lib === 'react-native-audio-api' && q === 'AudioManager.setAudioSessionOptions') push(lib, 'session-options', written, call, firstArg(call));
      else if (lib === 'react-native-audio-api' && (q === 'AudioManager.setLockScreenInfo' || q === 'PlaybackNotificationManager.show')) push(lib, 'lock-screen', written, call, firstArg(call));
      continue;
    }
    // Methods of player objects (the receiver is a variable, so the file's import decides the library).
    const method = chain.members[chain.members.length - 1];
    if (method === 'setActiveForLockScreen' && imports('expo-audio') && chain.members.length >= 1 && (chain.root !== null || chain.members.length > 1)) {
      const active = firstArg(call);
      if (!active || active.kind !== 'boolean' || active.value) push('expo-audio', 'lock-screen', written, call, active);
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
      const value = ev.evaluate(bin.getRight()) ?? null;
      if (value?.kind === 'boolean' && !value.value) continue;
      push('expo-video', name === 'staysActiveInBackground' ? 'background-flag' : 'lock-screen', `${left.getText()} =`, bin, value);
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
        let value: ConfigValue | null = { kind: 'boolean', value: true, loc: ev.loc(attr) };
        if (init && Node.isJsxExpression(init)) {
          const e = init.getExpression();
          value = e ? (ev.evaluate(e) ?? null) : value;
        }
        if (value?.kind === 'boolean' && !value.value) continue;
        push('react-native-video', 'background-flag', `<${videoLocal} playInBackground>`, attr, value);
      }
    }
  }
  facts.calls.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  return facts;
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
