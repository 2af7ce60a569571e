// Stage 3 (Flutter): find the Flutter apps (pubspec.yaml depending on the Flutter SDK), read the
// versions of their audio packages (pubspec.lock, else the constraint), read the audio facts of
// their Dart code, and merge what the Dart code configures into their native apps, so the iOS and
// Android rules judge a Flutter app the way they judge a native one, at the Dart line.
// The YAML parser and the Dart grammar are loaded only when a Flutter app is present.

import path from 'node:path';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';
import { attr, childElements, walkElements } from '../../parse/xml.js';
import type { AndroidApp } from '../android/android-model.js';
import type { IosApp } from '../ios/ios-model.js';
import { categoryFromName, modeFromName, type OptionName } from '../ios/audio-session-vocab.js';
import { librarySession, type OptionRef } from '../ios/source-facts.js';
import { FLUTTER_DART_FACTS, type DartCall, type DartFileFacts, type DartValue } from './dart-facts.js';
import type { AudioServiceConfigUse, DartSession, FlutterApp, LauncherActivity, PackageUse } from './flutter-model.js';
import { FLUTTER_AUDIO_PACKAGES, lowestVersion } from './packages.js';
import { readPubspec, readPubspecLock, type Pubspec } from './pubspec.js';
import { flutterVersionOf, NEWEST_FLUTTER_DEFAULTS, unknownVersionNote } from './sdk-levels.js';
import { readScript } from '../android/gradle-project.js';
import { isIdent, isPunct } from '../../parse/gradle.js';
import { compareText, isUnder } from '../../discover/paths.js';

export async function buildFlutterApps(ws: Workspace, iosApps: IosApp[], androidApps: AndroidApp[]): Promise<FlutterApp[]> {
  const pubspecs = ws.filesOfKind('pubspec');
  if (!pubspecs.length) return [];
  const specs: Pubspec[] = [];
  const workspaceRoots: Pubspec[] = [];
  for (const f of pubspecs) {
    try {
      const p = await readPubspec(ws, f.path);
      if (p?.isFlutter) specs.push(p);
      if (p?.workspace) workspaceRoots.push(p);
    } catch (e) {
      ws.report({ file: f.path, kind: 'parse-error', severity: 'warning', message: `pubspec.yaml could not be read: ${(e as Error).message}` });
    }
  }
  if (!specs.length) return [];
  const roots = specs.map((s) => s.dir);
  const byDepth = [...roots].sort((a, b) => b.length - a.length);
  const dartOf = new Map<string, string[]>(roots.map((r) => [r, []]));
  for (const f of ws.filesOfKind('dart')) {
    const root = byDepth.find((r) => isUnder(f.path, r));
    if (!root) continue;
    const rel = path.relative(root, f.path).split(path.sep);
    // The app's code: lib/ (and bin/); tests, tools and generated platform folders are not the app.
    if (rel[0] !== 'lib') continue;
    dartOf.get(root)!.push(f.path);
  }

  // Local packages: a `path:` dependency, or a dependency named after a package of the same pub
  // workspace / melos workspace. Their Dart code and audio dependencies count for the app using them;
  // a package another pubspec depends on, and a plugin package, is not an app itself.
  // A package with its own ios/ or android/ app stays an app even when another pubspec depends on it
  // (an integration-test or tooling package pointing at the app with `path: ../`).
  const nativeRoots = [...iosApps, ...androidApps].map((a) => a.root);
  const ownsNative = (spec: Pubspec) => nativeRoots.some((r) => isUnder(r, spec.dir) && byDepth.find((d) => isUnder(r, d)) === spec.dir);
  const local = new LocalPackages(ws, specs, workspaceRoots);
  const referenced = new Set(specs.flatMap((s) => local.depsOf(s)));
  // Neither native folders nor a lib/main*.dart entry point: a package (e.g. a vendored plugin's
  // platform interface), not an app.
  const hasMain = (spec: Pubspec) => dartOf.get(spec.dir)!.some((f) => /^main\w*\.dart$/.test(path.basename(f)) && path.dirname(f) === path.join(spec.dir, 'lib'));
  const isLibrary = (spec: Pubspec) => spec.isPlugin || (!ownsNative(spec) && (referenced.has(spec) || !hasMain(spec)));
  const apps: FlutterApp[] = [];
  for (const spec of specs.sort((a, b) => compareText(a.dir, b.dir))) {
    if (isLibrary(spec)) continue;
    try {
      const closure = local.closureOf(spec, (p) => isLibrary(p) && !p.isPlugin);
      const dart = [spec, ...closure].flatMap((p) => dartOf.get(p.dir)!);
      apps.push(await buildApp(ws, spec, roots, dart, closure, iosApps, androidApps));
    } catch (e) {
      ws.report({ file: spec.file, kind: 'parse-error', severity: 'error', message: `could not build the Flutter model of this app: ${(e as Error).message}` });
    }
  }
  return apps;
}

class LocalPackages {
  private readonly byName = new Map<string, Pubspec[]>();
  private readonly melosRoots = new Map<string, string | null>();
  private readonly deps = new Map<Pubspec, Pubspec[]>();

  constructor(
    private readonly ws: Workspace,
    private readonly specs: Pubspec[],
    private readonly workspaceRoots: Pubspec[],
  ) {
    for (const s of specs) if (s.name) this.byName.set(s.name, [...(this.byName.get(s.name) ?? []), s]);
  }

  depsOf(spec: Pubspec): Pubspec[] {
    let out = this.deps.get(spec);
    if (out) return out;
    out = [];
    for (const dep of spec.dependencies.values()) {
      if (dep.section === 'dev_dependencies') continue;
      const byPath = spec.pathDependencies.get(dep.name);
      const target = byPath
        ? this.specs.find((s) => s.dir === byPath)
        : dep.source === 'hosted'
          ? this.byName.get(dep.name)?.find((s) => s !== spec && this.sameWorkspace(spec, s))
          : undefined;
      if (target && target !== spec && !out.includes(target)) out.push(target);
    }
    this.deps.set(spec, out);
    return out;
  }

  /** Every local package the app depends on (that `follow` accepts), directly or through another one. */
  closureOf(spec: Pubspec, follow: (p: Pubspec) => boolean): Pubspec[] {
    const seen = new Set<Pubspec>([spec]);
    const queue = [...this.depsOf(spec)];
    const out: Pubspec[] = [];
    while (queue.length) {
      const p = queue.shift()!;
      if (seen.has(p) || !follow(p)) continue;
      seen.add(p);
      out.push(p);
      queue.push(...this.depsOf(p));
    }
    return out;
  }

  private sameWorkspace(a: Pubspec, b: Pubspec): boolean {
    if (this.workspaceRoots.some((w) => w.workspace!.includes(a.dir) && w.workspace!.includes(b.dir))) return true;
    const m = this.melosRoot(a.dir);
    return m !== null && m === this.melosRoot(b.dir);
  }

  /** The nearest folder at or above `dir` (within the scan) holding a melos.yaml. */
  private melosRoot(dir: string): string | null {
    if (this.melosRoots.has(dir)) return this.melosRoots.get(dir)!;
    let found: string | null = null;
    if (this.ws.readOutside(path.join(dir, 'melos.yaml')) !== null) found = dir;
    else if (dir !== this.ws.root && dir.startsWith(this.ws.root) && path.dirname(dir) !== dir) found = this.melosRoot(path.dirname(dir));
    this.melosRoots.set(dir, found);
    return found;
  }
}


async function buildApp(ws: Workspace, spec: Pubspec, allRoots: string[], dartFiles: string[], localPackages: Pubspec[], iosApps: IosApp[], androidApps: AndroidApp[]): Promise<FlutterApp> {
  const root = spec.dir;
  const lockFile = path.join(root, 'pubspec.lock');
  const lock = ws.file(lockFile) ? await readPubspecLock(ws, lockFile) : null;

  const packages: PackageUse[] = [];
  for (const name of FLUTTER_AUDIO_PACKAGES) {
    // The app's own declaration, else that of a local package it uses (versions still from the app's lock).
    const declared = spec.dependencies.get(name) ?? localPackages.map((p) => p.dependencies.get(name)).find((d) => d && d.section !== 'dev_dependencies');
    const locked = lock?.packages.get(name);
    if (!declared && !locked) continue;
    if (declared && declared.section === 'dev_dependencies') continue;
    const version = locked?.version ?? lowestVersion(declared?.constraint ?? null);
    packages.push({
      name,
      version,
      versionSource: locked ? 'locked' : version ? 'declared' : 'unknown',
      location: declared?.location ?? locked!.location,
      direct: !!declared,
    });
  }

  // Native folders of this app (not of a nested Flutter app).
  const owns = (dir: string) => (dir === root || isUnder(dir, root)) && !allRoots.some((r) => r !== root && isUnder(r, root) && (dir === r || isUnder(dir, r)));
  // macos/ is the macOS Runner (no UIBackgroundModes there): Dart facts go to the iOS app only.
  const macos = path.join(root, 'macos');
  const native = { ios: iosApps.filter((a) => owns(a.root) && a.root !== macos && !isUnder(a.root, macos)), android: androidApps.filter((a) => owns(a.root)) };

  // Dart: only files that mention an audio API are parsed (the grammar loads on the first one).
  const files: DartFileFacts[] = [];
  const parsedFiles: string[] = [];
  if (packages.length) {
    const ordered = dartFiles.sort();
    ws.prefetch(ordered.flatMap((f) => ws.file(f) ?? []), FLUTTER_DART_FACTS);
    for (const file of ordered) {
      const projectFile = ws.file(file);
      if (!projectFile) continue;
      const facts = await ws.extract(projectFile, FLUTTER_DART_FACTS);
      if (!facts) continue;
      parsedFiles.push(file);
      files.push(facts);
    }
  }
  const calls = files.flatMap((f) => f.calls);
  const classes = files.flatMap((f) => f.classes);
  const has = (name: string) => packages.some((p) => p.name === name);
  // A file's `AudioPlayer` is just_audio's or audioplayers' depending on its imports.
  const importsOf = new Map(files.map((f) => [f.file, new Set(f.imports)]));

  const audioServiceConfigs: AudioServiceConfigUse[] = [];
  const seenConfig = new Set<string>();
  for (const call of calls.filter((c) => c.callee === 'AudioService.init')) {
    const cfg = call.args.named.get('config')?.value;
    if (cfg?.kind === 'object' && cfg.type === 'AudioServiceConfig') {
      seenConfig.add(key(cfg.loc));
      audioServiceConfigs.push({ value: cfg, init: call });
    }
  }
  for (const f of files) {
    for (const o of f.objects) {
      if (o.type !== 'AudioServiceConfig' || seenConfig.has(key(o.loc))) continue;
      seenConfig.add(key(o.loc));
      audioServiceConfigs.push({ value: o, init: null });
    }
  }

  const sessions = deriveSessions(files, calls, has, importsOf);
  const app: FlutterApp = {
    name: spec.name ?? path.basename(root),
    root,
    pubspec: spec.file,
    lock: lock ? lockFile : null,
    packages,
    native,
    dart: {
      parsedFiles,
      calls,
      classes,
      audioServiceConfigs,
      mains: files.flatMap((f) => (f.main ? [f.main] : [])),
      objects: files.flatMap((f) => f.objects.map((value) => ({ value, imports: f.imports }))),
      imports: new Map(files.map((f) => [f.file, f.imports])),
    },
    sessions,
    launchers: native.android.map((a) => launcherActivity(ws, a)),
    anchor: spec.anchor,
  };
  mergeIntoIos(app, importsOf, files);
  explainFlutterSdkLevels(ws, app);
  return app;
}

/**
 * An Android app whose targetSdk is `flutter.targetSdkVersion` and whose Flutter version is not pinned
 * keeps the assumed newest level; say that it is the newest Flutter's default, and why.
 */
function explainFlutterSdkLevels(ws: Workspace, app: FlutterApp): void {
  const version = flutterVersionOf(ws, app.root);
  if (!version || version.pinned) return;
  for (const a of app.native.android) {
    if (a.targetSdk.resolved || !assignsFlutterProperty(ws, a.buildFile, ['targetSdk', 'targetSdkVersion'], 'targetSdkVersion')) continue;
    a.targetSdk = { ...a.targetSdk, value: NEWEST_FLUTTER_DEFAULTS.targetSdk, source: 'flutter.targetSdkVersion', assumption: unknownVersionNote(version) };
  }
}

/** Whether the build script assigns `flutter.<property>` to one of `names` (read from its tokens). */
function assignsFlutterProperty(ws: Workspace, buildFile: string, names: string[], property: string): boolean {
  const script = readScript(ws, buildFile);
  for (const st of script?.statements ?? []) {
    const t = st.tokens;
    if (!isIdent(t[0]) || !names.includes(t[0]!.value)) continue;
    if (t.some((x, i) => isIdent(x, 'flutter') && isPunct(t[i + 1], '.') && isIdent(t[i + 2], property))) return true;
  }
  return false;
}

const key = (l: Location) => `${l.file}:${l.line}:${l.column}`;

// ---- iOS: sessions and background signs from Dart ----

const DART_OPTIONS: Record<string, OptionName> = {
  mixwithothers: 'mixWithOthers',
  duckothers: 'duckOthers',
  interruptspokenaudioandmixwithothers: 'interruptSpokenAudioAndMixWithOthers',
  allowbluetooth: 'allowBluetooth',
  allowbluetootha2dp: 'allowBluetoothA2DP',
  allowairplay: 'allowAirPlay',
  defaulttospeaker: 'defaultToSpeaker',
};

function optionsOf(v: DartValue | undefined): { options: OptionRef[]; resolved: boolean } {
  if (!v) return { options: [], resolved: true };
  const items = v.kind === 'or' ? v.parts : v.kind === 'collection' ? v.items : [v];
  const options: OptionRef[] = [];
  let resolved = true;
  for (const i of items) {
    if (i.kind !== 'member') {
      resolved = false;
      continue;
    }
    if (i.name === 'none') continue;
    const o = DART_OPTIONS[i.name.toLowerCase()];
    if (o) options.push({ option: o, text: `${i.type}.${i.name}`, location: i.loc });
    else resolved = false;
  }
  return { options, resolved };
}

function session(pkg: DartSession['package'], api: string, location: Location): DartSession {
  return { ...librarySession('dart', api, location), lang: 'dart', package: pkg };
}

function deriveSessions(files: DartFileFacts[], calls: DartCall[], has: (n: string) => boolean, importsOf: Map<string, Set<string>>): DartSession[] {
  const out: DartSession[] = [];
  for (const f of files) {
    for (const o of f.objects) {
      if (o.type === 'AudioSessionConfiguration' && has('audio_session')) {
        const s = session('audio_session', o.ctor ? `AudioSessionConfiguration.${o.ctor}()` : 'AudioSessionConfiguration(...)', o.loc);
        if (o.ctor === 'music' || o.ctor === 'speech') {
          // audio_session's recipes: playback, with the spokenAudio mode for speech().
          s.category = 'playback';
          s.mode = o.ctor === 'speech' ? 'spokenAudio' : 'default';
          if (o.ctor === 'speech') s.modeLocation = o.loc;
        } else if (o.ctor === null) {
          const cat = o.args.named.get('avAudioSessionCategory');
          if (cat?.value.kind === 'member') {
            s.category = categoryFromName(cat.value.name);
            s.categoryLocation = cat.value.loc;
          }
          const mode = o.args.named.get('avAudioSessionMode');
          if (mode?.value.kind === 'member') {
            s.mode = mode.value.name === 'defaultMode' ? 'default' : modeFromName(mode.value.name);
            s.modeLocation = mode.value.loc;
          }
          const policy = o.args.named.get('avAudioSessionRouteSharingPolicy');
          if (policy?.value.kind === 'member') s.policy = policy.value.name;
          const opts = o.args.named.get('avAudioSessionCategoryOptions');
          if (opts) {
            const r = optionsOf(opts.value);
            s.optionsGiven = true;
            s.options = r.options;
            s.optionsResolved = r.resolved;
          }
        } else continue;
        out.push(s);
      } else if (o.type === 'AudioContextIOS' && has('audioplayers') && importsOf.get(f.file)?.has('audioplayers')) {
        const s = session('audioplayers', 'AudioContextIOS(...)', o.loc);
        const cat = o.args.named.get('category');
        if (cat?.value.kind === 'member') {
          s.category = categoryFromName(cat.value.name);
          s.categoryLocation = cat.value.loc;
        }
        const opts = o.args.named.get('options');
        if (opts) {
          const r = optionsOf(opts.value);
          s.optionsGiven = true;
          s.options = r.options;
          s.optionsResolved = r.resolved;
        }
        if (s.category) out.push(s);
      }
    }
  }
  // flutter_sound 8.x: openAudioSession(category: SessionCategory.x, ...) on a player or recorder sets
  // the iOS category (pub.dev/documentation/flutter_sound/8.0.2+1/player/FlutterSoundPlayer/openAudioSession.html).
  // Only an explicit category counts; its audioFlags are top-level int flags, left unread.
  if (has('flutter_sound')) {
    for (const c of calls) {
      if (c.members[c.members.length - 1] !== 'openAudioSession' || !importsOf.get(c.location.file)?.has('flutter_sound')) continue;
      const cat = c.args.named.get('category')?.value;
      if (cat?.kind !== 'member' || cat.type !== 'SessionCategory') continue;
      const category = categoryFromName(cat.name);
      if (!category) continue;
      const s = session('flutter_sound', `${c.callee}(category: SessionCategory.${cat.name})`, c.location);
      s.category = category;
      s.categoryLocation = cat.loc;
      out.push(s);
    }
  }
  // No explicit configuration: just_audio activates the session with audio_session's fallback
  // music() configuration (category playback) when it first plays. Attributed to the background
  // service's init call, which is what makes the app a background player.
  if (!out.length && has('just_audio')) {
    const init = calls.find((c) => c.callee === 'AudioService.init' || c.callee === 'JustAudioBackground.init');
    if (init) {
      const s = session(init.callee === 'AudioService.init' ? 'audio_service' : 'just_audio_background', `${init.callee} with just_audio (audio_session's default music() configuration)`, init.location);
      s.category = 'playback';
      s.mode = 'default';
      out.push(s);
    }
  }
  return out;
}

function mergeIntoIos(app: FlutterApp, importsOf: Map<string, Set<string>>, files: DartFileFacts[]): void {
  if (!app.native.ios.length) return;
  const apis: { api: 'MPNowPlayingInfoCenter' | 'MPRemoteCommandCenter' | 'AVPlayer' | 'AVQueuePlayer'; name: string; location: Location }[] = [];
  for (const c of app.dart.calls) {
    // audio_service before 0.18: AudioService.start(...) and AudioServiceBackground.setMediaItem / setState
    // from the background task do the same.
    if (c.callee === 'AudioService.init' || c.callee === 'JustAudioBackground.init' || c.callee === 'AudioService.start' || (c.base === 'AudioServiceBackground' && ['setMediaItem', 'setState'].includes(c.members[0] ?? ''))) {
      // They publish Now Playing information and register remote commands on iOS.
      apis.push({ api: 'MPNowPlayingInfoCenter', name: c.callee, location: c.location });
      apis.push({ api: 'MPRemoteCommandCenter', name: c.callee, location: c.location });
    }
    // flutter_sound 8: openAudioSession(withUI: true) enables startPlayerFromTrack, which drives the
    // lock-screen / Now Playing controls.
    const withUI = c.args.named.get('withUI')?.value;
    if (c.members[c.members.length - 1] === 'openAudioSession' && withUI?.kind === 'bool' && withUI.value && importsOf.get(c.location.file)?.has('flutter_sound')) {
      apis.push({ api: 'MPNowPlayingInfoCenter', name: `${c.callee}(withUI: true)`, location: c.location });
      apis.push({ api: 'MPRemoteCommandCenter', name: `${c.callee}(withUI: true)`, location: c.location });
    }
  }
  for (const f of files) {
    const imports = importsOf.get(f.file);
    for (const o of f.objects) {
      if (o.type !== 'AudioPlayer' || o.ctor) continue;
      if (imports?.has('just_audio')) apis.push({ api: 'AVQueuePlayer', name: 'AudioPlayer (just_audio)', location: o.loc });
      else if (imports?.has('audioplayers')) apis.push({ api: 'AVPlayer', name: 'AudioPlayer (audioplayers)', location: o.loc });
    }
  }
  for (const ios of app.native.ios) {
    for (const target of ios.targets) {
      if ((target.role ?? 'app') !== 'app') continue;
      target.code.setCategory.push(...app.sessions);
      target.code.categorySetters.push(...app.sessions.map((s) => s.location));
      target.code.apis.push(...apis);
      target.code.parsedFiles.push(...app.dart.parsedFiles);
    }
  }
}

// ---- Android: the launcher activity ----

function launcherActivity(ws: Workspace, app: AndroidApp): LauncherActivity | null {
  for (const mf of app.manifest.files) {
    if (!mf.fromApp) continue;
    const doc = ws.xml(mf.file);
    if (!doc) continue;
    const pkg = attr(doc.root, 'package')?.value ?? mf.packageName ?? app.namespace ?? '';
    for (const application of childElements(doc.root, 'application')) {
      for (const el of walkElements(application)) {
        if (el.name !== 'activity' && el.name !== 'activity-alias') continue;
        const isLauncher = childElements(el, 'intent-filter').some(
          (f) =>
            childElements(f, 'action').some((a) => attr(a, 'android:name')?.value === 'android.intent.action.MAIN') &&
            childElements(f, 'category').some((c) => attr(c, 'android:name')?.value === 'android.intent.category.LAUNCHER'),
        );
        if (!isLauncher) continue;
        const nameAttr = attr(el, el.name === 'activity-alias' ? 'android:targetActivity' : 'android:name');
        if (!nameAttr) continue;
        const raw = nameAttr.value.trim();
        const name = raw.startsWith('.') ? `${pkg}${raw}` : raw.includes('.') ? raw : `${pkg}.${raw}`;
        const simple = name.split('.').pop()!;
        // A file named after the class, unless its parsed class lives in another package (a stray
        // MainActivity.java without the app's package, next to the real MainActivity.kt).
        const declaresOther = (file: string) => app.sources.classes.some((c) => c.file === file && c.name === simple && c.qualifiedName !== name);
        const classFile =
          ws.files.find(
            (f) => (f.kind === 'kotlin' || f.kind === 'java') && f.path.startsWith(app.root + path.sep) && path.basename(f.path).replace(/\.(kt|java)$/, '') === simple && !declaresOther(f.path),
          )?.path ?? null;
        return {
          rawName: raw,
          name,
          location: { file: mf.file, line: nameAttr.start.line, column: nameAttr.start.column },
          classFile,
          classFileMentionsService: classFile ? ws.mentions(classFile, ['Service']) : false,
        };
      }
    }
  }
  return null;
}
