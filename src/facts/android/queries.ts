// Questions rules ask about an AndroidApp: class hierarchy, which classes are services and which
// `<service>` declares them, folded foreground-service types, permissions of the merged manifest.
// Pure functions over the facts; no I/O.

import type { Location } from '../../findings/finding.js';
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

/** The class that declares a manifest component: binary / qualified name, else a unique simple-name match. */
export function classOfComponent(app: AndroidApp, decl: ComponentDecl): SourceClass | undefined {
  const idx = index(app);
  const exact = idx.byName.get(decl.name);
  if (exact) return exact;
  const simple = lastSegment(decl.name.replace(/\$/g, '.'));
  const candidates = idx.bySimple.get(simple) ?? [];
  return candidates.length === 1 ? candidates[0] : undefined;
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
  if (app.targetSdk.resolved) return '';
  return ` (targetSdk could not be resolved; assuming ${app.targetSdk.value}${app.targetSdk.assumption ? `: ${app.targetSdk.assumption}` : ''})`;
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

// ---- the playback decision ----
//
// Whether a service plays media in the foreground is decided here, once, from what the class is
// (a Media3 / MediaBrowserService(Compat) subclass, through the app's own base classes), what it
// owns (a player built or held by the class, its app superclasses, its nested classes, or an app
// helper class it creates) and what it starts (startForeground()). Every Android rule asks this.

export interface PlaybackEvidence {
  /** `media3`, `browser`: the class hierarchy; `player`: a player it owns; `foreground`: it goes foreground; `typed`: a mediaPlayback start type; `manifest`: the declared type. */
  kind: 'media3' | 'browser' | 'player' | 'foreground' | 'typed' | 'manifest';
  /** Short description for messages, e.g. "creates a MediaPlayer in BaseAudioService". */
  what: string;
  location?: Location;
}

export interface PlaybackService {
  decl: ComponentDecl;
  cls: SourceClass | undefined;
  media3: 'library' | 'session' | null;
  /** Why audiobg considers it a playback service, for messages. */
  reason: string;
  /** True when it is certain to be started with the mediaPlayback type on Android 10+ (Media3, or an explicit type argument). */
  typedStart: boolean;
  /** The facts the decision rests on, with locations. */
  evidence: PlaybackEvidence[];
}

export interface ServiceRole extends PlaybackService {
  /** Whether the service plays media in the foreground (its only valid type from Android 14 is mediaPlayback). */
  playback: boolean;
  /** How it goes foreground, when audiobg can see it (a startForeground() call, a startForegroundService() of it...). */
  foreground: PlaybackEvidence | null;
}

/** Player classes of the platform and of ExoPlayer / Media3 (simple names). */
const PLAYER_TYPES = new Set(['MediaPlayer', 'ExoPlayer', 'SimpleExoPlayer', 'AudioTrack']);
/** `Player` is only a player interface when it comes from ExoPlayer or Media3. */
const PLAYER_INTERFACE_PACKAGES = ['androidx.media3.common.Player', 'com.google.android.exoplayer2.Player'];

/** The player a call creates: `ExoPlayer.Builder(ctx)`, `MediaPlayer()`, `AudioTrack.Builder()`, `ExoPlayerFactory.newSimpleInstance(...)`... */
export function playerCreated(call: SourceCall): string | null {
  if (isPlayerConstruction(call)) {
    if (call.name === 'newSimpleInstance') return 'SimpleExoPlayer';
    if (call.name === 'create') return 'MediaPlayer';
    return call.name === 'Builder' ? lastSegment(call.receiver ?? call.name) : call.name;
  }
  const recv = call.receiver ? lastSegment(call.receiver) : null;
  if (call.constructor && (call.name === 'AudioTrack' || call.name === 'SimpleExoPlayer') && (recv === null || /^(android\.media|com\.google\.android\.exoplayer2)$/.test(call.receiver ?? ''))) return call.name;
  if (call.name === 'Builder' && recv === 'AudioTrack') return 'AudioTrack';
  if (call.name === 'newInstance' && (recv === 'ExoPlayerFactory' || call.receiver?.endsWith('ExoPlayer.Factory'))) return 'ExoPlayer';
  return null;
}

/**
 * A cache per app and class: the same parsed class can belong to several apps of a build (a shared
 * library module), and what its names resolve to depends on the app.
 */
export function perAppClassCache<T>(): { get(app: AndroidApp, cls: SourceClass): T | undefined; set(app: AndroidApp, cls: SourceClass, value: T): void } {
  const byApp = new WeakMap<AndroidApp, WeakMap<SourceClass, T>>();
  return {
    get: (app, cls) => byApp.get(app)?.get(cls),
    set: (app, cls, value) => {
      let m = byApp.get(app);
      if (!m) byApp.set(app, (m = new WeakMap()));
      m.set(cls, value);
    },
  };
}

/** "a MediaPlayer", "an ExoPlayer". */
function a(name: string): string {
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** A project class together with its project superclasses (the class first; cycle-safe). */
export function appHierarchy(app: AndroidApp, cls: SourceClass): SourceClass[] {
  const out: SourceClass[] = [];
  const visit = (c: SourceClass) => {
    if (out.includes(c)) return;
    out.push(c);
    for (const s of c.supertypes) {
      const p = resolveSupertype(app, c, s);
      if (p) visit(p);
    }
  };
  visit(cls);
  return out;
}

const nestedIndex = new WeakMap<AndroidApp, Map<string, SourceClass[]>>();

/** Classes nested (at any depth) in a class. */
export function nestedClasses(app: AndroidApp, cls: SourceClass): SourceClass[] {
  let idx = nestedIndex.get(app);
  if (!idx) {
    idx = new Map();
    for (const c of app.sources.classes) {
      if (!c.outer) continue;
      const list = idx.get(c.outer) ?? [];
      list.push(c);
      idx.set(c.outer, list);
    }
    nestedIndex.set(app, idx);
  }
  const out: SourceClass[] = [];
  const visit = (name: string, depth: number) => {
    if (depth > 8) return;
    for (const c of idx!.get(name) ?? []) {
      if (c === cls || out.includes(c)) continue;
      out.push(c);
      visit(c.qualifiedName, depth + 1);
    }
  };
  visit(cls.qualifiedName, 0);
  return out;
}

/** The class, its project superclasses and the classes nested in any of them: one service's code. */
export function serviceScope(app: AndroidApp, cls: SourceClass): SourceClass[] {
  const cached = scopeCache.get(app, cls);
  if (cached) return cached;
  const out: SourceClass[] = [];
  for (const c of appHierarchy(app, cls)) {
    if (!out.includes(c)) out.push(c);
    for (const n of nestedClasses(app, c)) if (!out.includes(n)) out.push(n);
  }
  scopeCache.set(app, cls, out);
  return out;
}

const scopeCache = perAppClassCache<SourceClass[]>();

/** A project class named by a constructor call or a declared type, resolved from `from`. */
export function projectClass(app: AndroidApp, from: SourceClass, written: string): SourceClass | undefined {
  const c = resolveSupertype(app, from, written);
  return c && c !== from && c.kind !== 'interface' ? c : undefined;
}

function isPlayerType(cls: SourceClass, written: string): boolean {
  const simple = lastSegment(written);
  if (PLAYER_TYPES.has(simple)) return true;
  if (simple === 'Player') return written.includes('.') ? PLAYER_INTERFACE_PACKAGES.includes(written) : cls.imports.some((i) => PLAYER_INTERFACE_PACKAGES.includes(i) || i === 'androidx.media3.common.*' || i === 'com.google.android.exoplayer2.*');
  return false;
}

/**
 * The player a class owns: one it builds (in the class, its project superclasses or nested classes),
 * a field of a player type, an instance of a project subclass of a player (`VanillaPlayer : MediaPlayer`),
 * or a project helper class that itself owns one (followed two levels deep).
 */
function ownedPlayer(app: AndroidApp, cls: SourceClass, depth: number, seen: Set<SourceClass>): PlaybackEvidence | null {
  for (const c of serviceScope(app, cls)) {
    if (seen.has(c)) continue;
    seen.add(c);
    const where = c === cls ? '' : ` in ${c.name}`;
    for (const call of c.calls) {
      const p = playerCreated(call);
      if (p) return { kind: 'player', what: `creates ${a(p)}${where}`, location: call.location };
    }
    for (const f of c.fields) {
      if (f.type && isPlayerType(c, f.type)) return { kind: 'player', what: `holds ${a(lastSegment(f.type))} (\`${f.name}\`${where})`, location: f.location };
    }
    if (depth >= 2) continue;
    // Project classes it instantiates or holds: a player subclass, or a helper that owns the player.
    const used: { name: string; location: Location; how: string }[] = [];
    for (const call of c.calls) if (call.constructor && !call.receiver) used.push({ name: call.name, location: call.location, how: 'creates' });
    for (const f of c.fields) if (f.type) used.push({ name: f.type, location: f.location, how: 'holds' });
    for (const u of used) {
      const target = projectClass(app, c, u.name);
      if (!target || seen.has(target)) continue;
      const supers = allSupertypes(app, target);
      const base = [...supers].find((s) => PLAYER_TYPES.has(s));
      if (base) return { kind: 'player', what: `${u.how} ${a(target.name)} (${a(base)})${where}`, location: u.location };
      const inner = ownedPlayer(app, target, depth + 1, seen);
      if (inner) return { kind: 'player', what: `${u.how} ${a(target.name)}${where}, which ${inner.what}`, location: u.location };
    }
  }
  if (depth === 0) {
    // A media session is only ever created to control playback: the player may be injected or built elsewhere.
    for (const c of serviceScope(app, cls)) {
      const call = c.calls.find(isSessionConstruction);
      if (call) return { kind: 'player', what: `creates a media session${c === cls ? '' : ` in ${c.name}`}`, location: call.location };
    }
  }
  return null;
}

/** How the class goes foreground: its own startForeground(), or a project helper calling `service.startForeground(...)`. */
function foregroundStart(app: AndroidApp, cls: SourceClass): PlaybackEvidence | null {
  const scope = serviceScope(app, cls);
  for (const c of scope) {
    for (const call of c.calls) {
      if (startForegroundForm(call)) return { kind: 'foreground', what: `calls startForeground()${c === cls ? '' : ` in ${c.name}`}`, location: call.location };
    }
  }
  // A helper class the service creates or holds (a notification manager), or a helper of that helper,
  // that calls `service.startForeground(id, n)` / `((Service) context).startForeground(id, n)`.
  const found = helperForeground(app, scope, 0, new Set(scope));
  return found ? { kind: 'foreground', what: `calls startForeground() through ${found.path.join(' → ')}`, location: found.location } : null;
}

/** `x.startForeground(id, n[, type])` on another object: the service handed to a helper, often cast from a Context. */
function helperStartForeground(call: SourceCall): boolean {
  return call.name === 'startForeground' && call.receiver !== null && call.receiver !== 'this' && call.receiver !== 'super' && (call.args.length === 2 || call.args.length === 3);
}

function helperForeground(app: AndroidApp, scope: SourceClass[], depth: number, seen: Set<SourceClass>): { path: string[]; location: Location } | null {
  const helpers: SourceClass[] = [];
  for (const c of scope) {
    const written = [...c.calls.filter((x) => x.constructor && !x.receiver).map((x) => x.name), ...c.fields.flatMap((f) => (f.type ? [f.type] : []))];
    for (const w of written) {
      const helper = projectClass(app, c, w);
      if (!helper || seen.has(helper)) continue;
      seen.add(helper);
      helpers.push(helper);
    }
  }
  for (const helper of helpers) {
    const sf = helper.calls.find(helperStartForeground);
    if (sf) return { path: [helper.name], location: sf.location };
  }
  if (depth >= 1) return null;
  for (const helper of helpers) {
    const inner = helperForeground(app, [helper], depth + 1, seen);
    if (inner) return { path: [helper.name, ...inner.path], location: inner.location };
  }
  return null;
}

/** A `startForegroundService(...)` anywhere in the app that names the service's class (it must then call startForeground). */
function startedAsForeground(app: AndroidApp, cls: SourceClass): PlaybackEvidence | null {
  for (const c of app.sources.classes) {
    for (const fn of c.functions) {
      for (const call of fn.calls) {
        if (call.name !== 'startForegroundService') continue;
        const direct = call.args.flatMap((a) => a.classLiterals);
        const names = direct.length ? direct : fn.classLiterals;
        if (names.includes(cls.name)) return { kind: 'foreground', what: `is started with startForegroundService() in ${c.name}`, location: call.location };
      }
    }
  }
  return null;
}

/** Class-level decision, independent of the manifest. Cached per class. */
interface ClassPlayback {
  media3: 'library' | 'session' | null;
  browser: PlaybackEvidence | null;
  player: PlaybackEvidence | null;
  foreground: PlaybackEvidence | null;
  typed: PlaybackEvidence | null;
}

const classPlaybackCache = perAppClassCache<ClassPlayback>();

function classPlayback(app: AndroidApp, cls: SourceClass): ClassPlayback {
  const cached = classPlaybackCache.get(app, cls);
  if (cached) return cached;
  const media3 = media3ServiceKind(app, cls);
  let browser: PlaybackEvidence | null = null;
  for (const base of ['MediaBrowserServiceCompat', 'MediaBrowserService']) {
    if (browser || !allSupertypes(app, cls).has(base)) continue;
    const decl = declaringSubclass(app, cls, base);
    browser = { kind: 'browser', what: `${a(base)}${decl && decl !== cls ? ` (through ${decl.name})` : ''}`, location: (decl ?? cls).location };
  }
  let typed: PlaybackEvidence | null = null;
  for (const c of serviceScope(app, cls)) {
    for (const call of c.calls) {
      const f = startForegroundForm(call);
      if (!f?.typeArg) continue;
      const t = foldFgsType(f.typeArg.value);
      if (t.kind === 'types' && t.types.has('mediaPlayback')) {
        typed = { kind: 'typed', what: 'started in the foreground with FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK', location: call.location };
        break;
      }
    }
    if (typed) break;
  }
  const player = ownedPlayer(app, cls, 0, new Set());
  const foreground = foregroundStart(app, cls) ?? (player || browser ? startedAsForeground(app, cls) : null);
  const out = { media3, browser, player, foreground, typed };
  classPlaybackCache.set(app, cls, out);
  return out;
}

/** Whether a service class (without its manifest entry) plays media in the foreground, with the evidence. */
export function classPlaysInForeground(app: AndroidApp, cls: SourceClass): PlaybackEvidence[] | null {
  const p = classPlayback(app, cls);
  if (p.media3) return [{ kind: 'media3', what: p.media3 === 'library' ? 'a Media3 MediaLibraryService' : 'a Media3 MediaSessionService', location: cls.location }];
  if (p.typed) return [p.typed];
  if (p.browser) return [p.browser, ...(p.player ? [p.player] : [])];
  if (p.player && p.foreground) return [p.player, p.foreground];
  return null;
}

const rolesCache = new WeakMap<AndroidApp, ServiceRole[]>();

const MEDIA3_SESSION_ACTIONS = new Set(['androidx.media3.session.MediaSessionService', 'androidx.media3.session.MediaLibraryService']);

/** Every `<service>` of the merged manifest with the playback decision and its evidence. */
export function serviceRoles(app: AndroidApp): ServiceRole[] {
  const cached = rolesCache.get(app);
  if (cached) return cached;
  const out: ServiceRole[] = [];
  for (const decl of app.manifest.services) {
    const cls = classOfComponent(app, decl);
    // The class may be out of the checked sources, or its hierarchy may end in a class from a prebuilt
    // library: only Media3 session services declare these actions, so the intent filter settles it.
    const action = decl.actions.find((a) => MEDIA3_SESSION_ACTIONS.has(a.name));
    const actionKind = action ? (action.name.endsWith('MediaLibraryService') ? 'library' : 'session') : null;
    const manifest: PlaybackEvidence | null =
      declaresMediaPlayback(decl) && decl.enabled !== 'false' ? { kind: 'manifest', what: 'declared with foregroundServiceType mediaPlayback', location: decl.foregroundServiceTypeLocation ?? decl.location } : null;
    const role = (playback: boolean, media3: ServiceRole['media3'], reason: string, evidence: PlaybackEvidence[], typedStart: boolean, foreground: PlaybackEvidence | null): ServiceRole => ({
      decl,
      cls,
      playback,
      media3,
      reason,
      evidence,
      typedStart,
      foreground,
    });
    if (!cls) {
      // A playback service class that ships in a plugin (Flutter's audio_service): known by name.
      const known = libraryService(decl.name);
      if (actionKind) out.push(role(true, actionKind, `a Media3 session service (its intent filter declares ${action!.name})`, [{ kind: 'media3', what: `its intent filter declares ${action!.name}`, location: action!.location }], true, null));
      else if (known && decl.enabled !== 'false') out.push(role(true, null, known.reason, [{ kind: 'browser', what: known.reason, location: decl.location }], known.typedStart, null));
      else if (manifest) out.push(role(true, null, manifest.what, [manifest], false, null));
      else out.push(role(false, null, '', [], false, null));
      continue;
    }
    const p = classPlayback(app, cls);
    const media3 = p.media3 ?? actionKind;
    if (media3) {
      out.push(role(true, media3, media3 === 'library' ? 'a Media3 MediaLibraryService' : 'a Media3 MediaSessionService', [{ kind: 'media3', what: media3 === 'library' ? 'a Media3 MediaLibraryService' : 'a Media3 MediaSessionService', location: cls.location }], true, p.foreground));
    } else if (p.typed) {
      out.push(role(true, null, p.typed.what, [p.typed], true, p.typed));
    } else if (p.browser) {
      out.push(role(true, null, `${p.browser.what} playback service`, [p.browser, ...(p.player ? [p.player] : [])], false, p.foreground));
    } else if (p.player && p.foreground) {
      out.push(role(true, null, `a service that ${p.player.what} and ${p.foreground.what}`, [p.player, p.foreground], false, p.foreground));
    } else if (manifest) {
      out.push(role(true, null, manifest.what, [manifest], false, p.foreground));
    } else {
      // Not playback: e.g. a download or location service that goes foreground without a player.
      out.push(role(false, null, p.foreground ? p.foreground.what : '', [], false, p.foreground));
    }
  }
  rolesCache.set(app, out);
  return out;
}

/** Services of the merged manifest that play media in the foreground. */
export function playbackServices(app: AndroidApp): ServiceRole[] {
  return serviceRoles(app).filter((r) => r.playback);
}

/** Manifest services whose class is `cls` or a project subclass of it (a base class serves each of them). */
export function rolesOfClass(app: AndroidApp, cls: SourceClass): ServiceRole[] {
  return serviceRoles(app).filter((r) => r.cls && appHierarchy(app, r.cls).includes(cls));
}

/**
 * Whether code of service class `cls` (or a base class of declared services) runs in a playback
 * service: any manifest service built on it is one, or, when no manifest declares it, the class
 * itself plays in the foreground.
 */
export function isPlaybackServiceClass(app: AndroidApp, cls: SourceClass): boolean {
  const roles = rolesOfClass(app, cls);
  if (roles.length) return roles.some((r) => r.playback);
  return classPlaysInForeground(app, cls) !== null;
}

/** Services that run in the foreground: a playback service, a declared type, or one that calls startForeground(). */
export function foregroundServices(app: AndroidApp): { decl: ComponentDecl; reason: string }[] {
  const out: { decl: ComponentDecl; reason: string }[] = [];
  for (const r of serviceRoles(app)) {
    if (r.playback) out.push({ decl: r.decl, reason: r.reason });
    else if (r.decl.foregroundServiceTypes?.length && r.decl.enabled !== 'false') out.push({ decl: r.decl, reason: `declared with foregroundServiceType="${r.decl.foregroundServiceTypes.join('|')}"` });
    else if (r.foreground) out.push({ decl: r.decl, reason: r.foreground.what });
  }
  return out;
}
