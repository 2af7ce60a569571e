// Questions rules ask about an AndroidApp: class hierarchy, which classes are services and which
// `<service>` declares them, folded foreground-service types, permissions of the merged manifest.
// Pure functions over the facts; no I/O.

import type { AndroidApp, ComponentDecl, ConstValue, Guard, SourceCall, SourceClass, SourceFunction } from './android-model.js';
import { lastSegment } from './source-facts.js';
import { libraryService } from '../flutter/packages.js';

export const MEDIA3_SESSION_ACTION = 'androidx.media3.session.MediaSessionService';
export const MEDIA3_LIBRARY_ACTION = 'androidx.media3.session.MediaLibraryService';
export const LEGACY_BROWSER_ACTION = 'android.media.browse.MediaBrowserService';

export const PERMISSION_FGS = 'android.permission.FOREGROUND_SERVICE';
export const PERMISSION_FGS_MEDIA = 'android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK';
export const PERMISSION_WAKE_LOCK = 'android.permission.WAKE_LOCK';

/** Framework / androidx classes that make a class a Service. */
const SERVICE_BASES = new Set([
  'Service',
  'LifecycleService',
  'IntentService',
  'JobIntentService',
  'MediaBrowserService',
  'MediaBrowserServiceCompat',
  'MediaSessionService',
  'MediaLibraryService',
  'MediaSession2Service',
]);
const RECEIVER_BASES = new Set(['BroadcastReceiver', 'WakefulBroadcastReceiver']);

// ---- classes ----

interface ClassIndex {
  byName: Map<string, SourceClass>;
  bySimple: Map<string, SourceClass[]>;
}

const indexes = new WeakMap<AndroidApp, ClassIndex>();

function index(app: AndroidApp): ClassIndex {
  let idx = indexes.get(app);
  if (!idx) {
    idx = { byName: new Map(), bySimple: new Map() };
    for (const c of app.sources.classes) {
      idx.byName.set(c.qualifiedName, c);
      idx.byName.set(c.binaryName, c);
      const list = idx.bySimple.get(c.name) ?? [];
      list.push(c);
      idx.bySimple.set(c.name, list);
    }
    indexes.set(app, idx);
  }
  return idx;
}

export function classByName(app: AndroidApp, qualifiedName: string): SourceClass | undefined {
  return index(app).byName.get(qualifiedName);
}

/** A project class for a supertype written in `from` (same package or imported first, then any unique match). */
function resolveSupertype(app: AndroidApp, from: SourceClass, written: string): SourceClass | undefined {
  const idx = index(app);
  if (written.includes('.')) {
    const exact = idx.byName.get(written);
    if (exact) return exact;
  }
  const simple = lastSegment(written);
  const candidates = (idx.bySimple.get(simple) ?? []).filter((c) => c !== from);
  if (candidates.length <= 1) return candidates[0];
  const imported = candidates.find((c) => from.imports.includes(c.qualifiedName));
  if (imported) return imported;
  return candidates.find((c) => c.packageName === from.packageName) ?? candidates[0];
}

/** Every supertype name (last segment) of a class, following project classes transitively. */
export function allSupertypes(app: AndroidApp, cls: SourceClass): Set<string> {
  const out = new Set<string>();
  const seen = new Set<SourceClass>();
  const visit = (c: SourceClass) => {
    if (seen.has(c)) return;
    seen.add(c);
    for (const s of c.supertypes) {
      out.add(lastSegment(s));
      const p = resolveSupertype(app, c, s);
      if (p) visit(p);
    }
  };
  visit(cls);
  return out;
}

/** The class (or one of its project superclasses) that names `base` as a supertype, to inspect its imports. */
function declaringSubclass(app: AndroidApp, cls: SourceClass, base: string): SourceClass | undefined {
  const seen = new Set<SourceClass>();
  let found: SourceClass | undefined;
  const visit = (c: SourceClass) => {
    if (seen.has(c) || found) return;
    seen.add(c);
    for (const s of c.supertypes) {
      if (lastSegment(s) === base) {
        found = c;
        return;
      }
      const p = resolveSupertype(app, c, s);
      if (p) visit(p);
    }
  };
  visit(cls);
  return found;
}

export function isService(app: AndroidApp, cls: SourceClass): boolean {
  for (const s of allSupertypes(app, cls)) if (SERVICE_BASES.has(s)) return true;
  return false;
}

export function isReceiver(app: AndroidApp, cls: SourceClass): boolean {
  for (const s of allSupertypes(app, cls)) if (RECEIVER_BASES.has(s)) return true;
  return false;
}

/**
 * 'library' for a Media3 MediaLibraryService subclass, 'session' for a MediaSessionService subclass,
 * null otherwise. A class whose base comes from androidx.media2 (same simple names) is not Media3.
 */
export function media3ServiceKind(app: AndroidApp, cls: SourceClass): 'library' | 'session' | null {
  const supers = allSupertypes(app, cls);
  const kind = supers.has('MediaLibraryService') ? 'library' : supers.has('MediaSessionService') ? 'session' : null;
  if (!kind) return null;
  const base = kind === 'library' ? 'MediaLibraryService' : 'MediaSessionService';
  const decl = declaringSubclass(app, cls, base);
  if (decl) {
    const written = decl.supertypes.find((s) => lastSegment(s) === base) ?? '';
    if (written.startsWith('androidx.media2') || decl.imports.some((i) => i.startsWith('androidx.media2.session'))) return null;
  }
  return kind;
}

export function isLegacyBrowserService(app: AndroidApp, cls: SourceClass): boolean {
  const supers = allSupertypes(app, cls);
  return supers.has('MediaBrowserServiceCompat') || supers.has('MediaBrowserService');
}

/** The class that declares a manifest component: binary / qualified name, else a unique simple-name match. */
export function classOfComponent(app: AndroidApp, decl: ComponentDecl): SourceClass | undefined {
  const idx = index(app);
  const exact = idx.byName.get(decl.name);
  if (exact) return exact;
  const simple = lastSegment(decl.name.replace(/\$/g, '.'));
  const candidates = idx.bySimple.get(simple) ?? [];
  return candidates.length === 1 ? candidates[0] : undefined;
}

export function serviceDeclOf(app: AndroidApp, cls: SourceClass): ComponentDecl | undefined {
  return app.manifest.services.find((s) => classOfComponent(app, s) === cls);
}

/** The innermost enclosing class of a call that is a Service (walking out through outer classes). */
export function enclosingService(app: AndroidApp, call: SourceCall): SourceClass | undefined {
  let name: string | null = call.className;
  while (name) {
    const cls = classByName(app, name);
    if (!cls) return undefined;
    if (isService(app, cls)) return cls;
    name = cls.outer;
  }
  return undefined;
}

/** Calls of a function and of the same-class functions it calls (receiver-less or `this.`), transitively. */
export function reachableCalls(cls: SourceClass, fn: SourceFunction): SourceCall[] {
  const out: SourceCall[] = [];
  const seen = new Set<SourceFunction>();
  const visit = (f: SourceFunction) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const c of f.calls) {
      out.push(c);
      if (c.receiver === null || c.receiver === 'this') {
        for (const g of cls.functions) if (g.name === c.name) visit(g);
      }
    }
  };
  visit(fn);
  return out;
}

/** Class literals referenced by a function and the same-class functions it calls. */
export function reachableClassLiterals(cls: SourceClass, fn: SourceFunction): string[] {
  const out = new Set<string>();
  const seen = new Set<SourceFunction>();
  const visit = (f: SourceFunction) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const l of f.classLiterals) out.add(l);
    for (const c of f.calls) {
      if (c.receiver === null || c.receiver === 'this') for (const g of cls.functions) if (g.name === c.name) visit(g);
    }
  };
  visit(fn);
  return [...out];
}

// ---- foreground service types ----

const TYPE_BITS: [string, number, string][] = [
  ['dataSync', 1, 'FOREGROUND_SERVICE_TYPE_DATA_SYNC'],
  ['mediaPlayback', 2, 'FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK'],
  ['phoneCall', 4, 'FOREGROUND_SERVICE_TYPE_PHONE_CALL'],
  ['location', 8, 'FOREGROUND_SERVICE_TYPE_LOCATION'],
  ['connectedDevice', 16, 'FOREGROUND_SERVICE_TYPE_CONNECTED_DEVICE'],
  ['mediaProjection', 32, 'FOREGROUND_SERVICE_TYPE_MEDIA_PROJECTION'],
  ['camera', 64, 'FOREGROUND_SERVICE_TYPE_CAMERA'],
  ['microphone', 128, 'FOREGROUND_SERVICE_TYPE_MICROPHONE'],
  ['health', 256, 'FOREGROUND_SERVICE_TYPE_HEALTH'],
  ['remoteMessaging', 512, 'FOREGROUND_SERVICE_TYPE_REMOTE_MESSAGING'],
  ['systemExempted', 1024, 'FOREGROUND_SERVICE_TYPE_SYSTEM_EXEMPTED'],
  ['shortService', 2048, 'FOREGROUND_SERVICE_TYPE_SHORT_SERVICE'],
  ['mediaProcessing', 8192, 'FOREGROUND_SERVICE_TYPE_MEDIA_PROCESSING'],
  ['specialUse', 1 << 30, 'FOREGROUND_SERVICE_TYPE_SPECIAL_USE'],
];

export type FgsTypeValue =
  /** Concrete manifest type names (empty set = NONE / 0). */
  | { kind: 'types'; types: Set<string> }
  /** FOREGROUND_SERVICE_TYPE_MANIFEST (-1): whatever the manifest declares. */
  | { kind: 'manifest' }
  | { kind: 'unknown' };

/** Fold a `startForeground` type argument into manifest type names. */
export function foldFgsType(v: ConstValue): FgsTypeValue {
  switch (v.kind) {
    case 'int': {
      if (v.value === -1) return { kind: 'manifest' };
      if (v.value < 0) return { kind: 'unknown' };
      const types = new Set<string>();
      let rest = v.value;
      for (const [name, bit] of TYPE_BITS) {
        if (rest & bit) {
          types.add(name);
          rest &= ~bit;
        }
      }
      return rest === 0 ? { kind: 'types', types } : { kind: 'unknown' };
    }
    case 'name': {
      if (v.name === 'FOREGROUND_SERVICE_TYPE_NONE') return { kind: 'types', types: new Set() };
      if (v.name === 'FOREGROUND_SERVICE_TYPE_MANIFEST') return { kind: 'manifest' };
      const t = TYPE_BITS.find(([, , constant]) => constant === v.name);
      return t ? { kind: 'types', types: new Set([t[0]]) } : { kind: 'unknown' };
    }
    case 'or': {
      const types = new Set<string>();
      for (const p of v.parts) {
        const f = foldFgsType(p);
        if (f.kind !== 'types') return { kind: 'unknown' };
        for (const t of f.types) types.add(t);
      }
      return { kind: 'types', types };
    }
    case 'cond': {
      // `if (SDK_INT >= Q) TYPE else 0`: the non-zero branch is what runs on devices that check types.
      const a = foldFgsType(v.then);
      const b = foldFgsType(v.else);
      if (a.kind !== 'types' || b.kind !== 'types') return { kind: 'unknown' };
      if (/SDK_INT/.test(v.condition) && (a.types.size === 0 || b.types.size === 0)) {
        return { kind: 'types', types: new Set([...a.types, ...b.types]) };
      }
      if (a.types.size === b.types.size && [...a.types].every((t) => b.types.has(t))) return a;
      return { kind: 'unknown' };
    }
    default:
      return { kind: 'unknown' };
  }
}

export function fgsConstantFor(type: string): string {
  return TYPE_BITS.find(([name]) => name === type)?.[2] ?? type;
}

/** Whether a `<service>` declares the mediaPlayback foreground type. */
export function declaresMediaPlayback(decl: ComponentDecl): boolean {
  return !!decl.foregroundServiceTypes?.includes('mediaPlayback');
}

// ---- permissions and SDK ----

export function hasPermission(app: AndroidApp, permission: string): boolean {
  if (app.manifest.removedPermissions.has(permission)) return false;
  return app.manifest.permissions.has(permission) || app.implicitPermissions.some((p) => p.permission === permission);
}

/** " (targetSdk could not be resolved; assuming 36)" or "" — appended to gated messages. */
export function targetSdkNote(app: AndroidApp): string {
  return app.targetSdk.resolved ? '' : ` (targetSdk could not be resolved; assuming ${app.targetSdk.value})`;
}

/** Where to report an app-level manifest problem: the app module's `<manifest>`, else a fallback. */
export function appManifestLocation(app: AndroidApp, fallback: { file: string; line: number; column: number }) {
  return app.manifest.appManifest ?? fallback;
}

// ---- calls ----

/** The receiver a call acts on: its own receiver, or the scope-function receiver for bare / `it.` / `this.` calls. */
export function effectiveReceiver(call: SourceCall): string | null {
  const r = call.receiver;
  if (r === null || r === 'this' || r === 'it') return call.scopeReceiver ?? r;
  return r;
}

/** Strip `?`, `!!`, `this.` from a receiver and return its root identifier chain text. */
export function receiverName(text: string | null): string | null {
  if (!text) return null;
  return text.replace(/^this\./, '').replace(/[?!]/g, '').trim();
}

/** Whether a call argument is the service itself (`this`, `this@Service`). */
export function isThisArg(text: string | undefined): boolean {
  return !!text && /^this(@\w+)?$/.test(text.replace(/\s+/g, ''));
}

// ---- pause paths ----

const PAUSED = [/^!\(?[\w.?]*is[Pp]laying(\(\))?\)?$/, /is[Pp]laying(\(\))?==false/, /PAUSED/, /\bpaused\b/i, /isPaused/, /^!\(?[\w.?]*playWhenReady(\(\))?\)?$/, /playWhenReady(\(\))?==false/];
const PLAYING = [/^[\w.?]*is[Pp]laying(\(\))?$/, /is[Pp]laying(\(\))?==true/, /^[\w.?]*playWhenReady(\(\))?$/, /STATE_PLAYING$/];

function pausedCondition(c: string): boolean {
  const n = c.replace(/\s+/g, '');
  return PAUSED.some((r) => r.test(n));
}

function playingCondition(c: string): boolean {
  const n = c.replace(/\s+/g, '');
  return PLAYING.some((r) => r.test(n));
}

/** True when a call sits in a function named for pausing, or in a branch taken when playback is paused. */
export function onPausePath(call: SourceCall): { why: string } | null {
  const fn = call.functionChain.find((f) => /pause/i.test(f));
  if (fn) return { why: `in \`${fn}\`` };
  for (const g of call.guards) {
    if (guardMeansPaused(g)) return { why: `in a branch where \`${g.condition}\` ${g.branch === 'else' ? 'is false' : 'holds'}` };
  }
  return null;
}

function guardMeansPaused(g: Guard): boolean {
  if (g.branch === 'then') return pausedCondition(g.condition);
  if (g.branch === 'else') return playingCondition(g.condition);
  // when/switch case
  if (pausedCondition(g.condition)) return true;
  if (g.subject && playingCondition(g.subject) && g.condition.replace(/\s+/g, '') === 'false') return true;
  return false;
}

/** Whether `b`'s guards start with all of `a`'s (b is inside every branch a is inside), or vice versa. */
/**
 * True when a call guarded by `outer` runs whenever a call guarded by `inner` does: `outer`'s
 * branches are a prefix of `inner`'s (same branch or an enclosing one). A call in a sibling or a
 * nested branch may not run on the other call's path.
 */
export function guardsEnclose(outer: Guard[], inner: Guard[]): boolean {
  return outer.length <= inner.length && outer.every((g, i) => inner[i]?.id === g.id && inner[i]?.branch === g.branch);
}

// ---- players, sessions, playback services ----

const PLAYER_BUILDERS = new Set(['ExoPlayer', 'SimpleExoPlayer']);
const SESSION_BUILDERS = new Set(['MediaSession', 'MediaLibrarySession']);

/** `ExoPlayer.Builder(ctx)`, `new MediaPlayer()`, `MediaPlayer.create(...)`, `ExoPlayerFactory.newSimpleInstance(...)`. */
export function isPlayerConstruction(call: SourceCall): boolean {
  const recv = call.receiver ? lastSegment(call.receiver) : null;
  if (call.name === 'Builder' && recv && PLAYER_BUILDERS.has(recv)) return true;
  if (call.constructor && call.name === 'MediaPlayer' && (recv === null || call.receiver === 'android.media')) return true;
  if (call.name === 'create' && recv === 'MediaPlayer') return true;
  if (call.name === 'newSimpleInstance' && recv === 'ExoPlayerFactory') return true;
  return false;
}

/** `MediaSession.Builder(...)`, `MediaLibrarySession.Builder(...)`, `MediaSessionCompat(ctx, tag)`, `new MediaSession(ctx, tag)`. */
export function isSessionConstruction(call: SourceCall): boolean {
  const recv = call.receiver ? lastSegment(call.receiver) : null;
  if (call.name === 'Builder' && recv && SESSION_BUILDERS.has(recv)) return true;
  if (call.constructor && (call.name === 'MediaSessionCompat' || call.name === 'MediaSession') && !recv) return true;
  return false;
}

/** Receiver-less `startForeground(id, n[, type])` or `ServiceCompat.startForeground(this, id, n, type)`. */
export function startForegroundForm(call: SourceCall): { args: SourceCall['args']; typeArg: SourceCall['args'][number] | null; compat: boolean } | null {
  if (call.name !== 'startForeground') return null;
  if (call.receiver === null || call.receiver === 'this') {
    if (call.args.length === 2) return { args: call.args, typeArg: null, compat: false };
    if (call.args.length === 3) return { args: call.args, typeArg: call.args[2]!, compat: false };
    return null;
  }
  if (lastSegment(call.receiver) === 'ServiceCompat' && call.args.length === 4 && isThisArg(call.args[0]!.text)) {
    return { args: call.args, typeArg: call.args[3]!, compat: true };
  }
  return null;
}

export interface PlaybackService {
  decl: ComponentDecl;
  cls: SourceClass | undefined;
  media3: 'library' | 'session' | null;
  /** Why audiobg considers it a playback service, for messages. */
  reason: string;
  /** True when it is certain to be started with the mediaPlayback type on Android 10+ (Media3, or an explicit type argument). */
  typedStart: boolean;
}

const playbackCache = new WeakMap<AndroidApp, PlaybackService[]>();

const MEDIA3_SESSION_ACTIONS = new Set(['androidx.media3.session.MediaSessionService', 'androidx.media3.session.MediaLibraryService']);

/** Services of the merged manifest whose class plays media in the foreground. */
export function playbackServices(app: AndroidApp): PlaybackService[] {
  const cached = playbackCache.get(app);
  if (cached) return cached;
  const out: PlaybackService[] = [];
  for (const decl of app.manifest.services) {
    const cls = classOfComponent(app, decl);
    if (!cls) {
      // The class is not in the checked sources (a prebuilt library, a module we could not map):
      // its intent filter still says what it is, since only Media3 session services declare these actions.
      const action = decl.actions.find((a) => MEDIA3_SESSION_ACTIONS.has(a.name));
      if (action) {
        const kind = action.name.endsWith('MediaLibraryService') ? 'library' : 'session';
        out.push({ decl, cls: undefined, media3: kind, reason: `a Media3 session service (its intent filter declares ${action.name})`, typedStart: true });
        continue;
      }
      // A playback service class that ships in a plugin (Flutter's audio_service): known by name.
      const known = libraryService(decl.name);
      if (known && decl.enabled !== 'false') out.push({ decl, cls: undefined, media3: null, reason: known.reason, typedStart: known.typedStart });
      continue;
    }
    // The class hierarchy may end in a class we cannot see (a base class from a prebuilt library):
    // the Media3 session action in the intent filter settles it.
    const action = decl.actions.find((a) => MEDIA3_SESSION_ACTIONS.has(a.name));
    const media3 = media3ServiceKind(app, cls) ?? (action ? (action.name.endsWith('MediaLibraryService') ? 'library' : 'session') : null);
    const calls = classCalls(app, cls);
    const starts = calls.map(startForegroundForm).filter((f) => f !== null);
    const typedMedia = starts.some((f) => {
      if (!f.typeArg) return false;
      const t = foldFgsType(f.typeArg.value);
      return t.kind === 'types' && t.types.has('mediaPlayback');
    });
    const plays = calls.some((c) => isPlayerConstruction(c) || isSessionConstruction(c));
    if (media3) {
      out.push({ decl, cls, media3, reason: media3 === 'library' ? 'a Media3 MediaLibraryService' : 'a Media3 MediaSessionService', typedStart: true });
    } else if (typedMedia) {
      out.push({ decl, cls, media3, reason: 'started in the foreground with FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK', typedStart: true });
    } else if (isLegacyBrowserService(app, cls)) {
      out.push({ decl, cls, media3, reason: 'a MediaBrowserServiceCompat playback service', typedStart: false });
    } else if (starts.length && plays) {
      out.push({ decl, cls, media3, reason: 'a service that plays media and calls startForeground()', typedStart: false });
    }
  }
  playbackCache.set(app, out);
  return out;
}

/** Calls made by a class and by the classes nested in it (listeners, inner helpers). */
export function classCalls(app: AndroidApp, cls: SourceClass): SourceCall[] {
  const out: SourceCall[] = [...cls.calls];
  for (const c of app.sources.classes) {
    if (c === cls) continue;
    let outer = c.outer;
    while (outer) {
      if (outer === cls.qualifiedName) {
        out.push(...c.calls);
        break;
      }
      outer = classByName(app, outer)?.outer ?? null;
    }
  }
  return out;
}

/** Services that run in the foreground: a declared type, a playback service, or a startForeground() call in its class. */
export function foregroundServices(app: AndroidApp): { decl: ComponentDecl; reason: string }[] {
  const out: { decl: ComponentDecl; reason: string }[] = [];
  const playback = playbackServices(app);
  for (const decl of app.manifest.services) {
    const p = playback.find((x) => x.decl === decl);
    if (p) {
      out.push({ decl, reason: p.reason });
      continue;
    }
    if (decl.foregroundServiceTypes?.length && !(decl.enabled === 'false')) {
      out.push({ decl, reason: `declared with foregroundServiceType="${decl.foregroundServiceTypes.join('|')}"` });
      continue;
    }
    const cls = classOfComponent(app, decl);
    if (cls && classCalls(app, cls).some((c) => startForegroundForm(c))) out.push({ decl, reason: 'calls startForeground()' });
  }
  return out;
}
