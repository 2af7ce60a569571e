// Stage 3 (React Native / Expo): find the JS apps, read their app config and package versions,
// work out what the iOS and Android apps will contain once the config plugins of the installed
// versions have run (or, for bare apps, what the native folders contain), and read the audio calls
// of their sources. ts-morph is loaded only when a dynamic app config or a source file that
// mentions an audio library exists.

import path from 'node:path';
import type { PatchedPackage } from './expo-model.js';
import type { ProjectFile } from '../../discover/find-files.js';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';
import type { AndroidApp } from '../android/android-model.js';
import { mergeManifests } from '../android/manifest.js';
import { backgroundModes, infoPlistAnchor } from '../ios/effective-config.js';
import type { IosApp, IosTarget } from '../ios/ios-model.js';
import { appConfigFiles, readAppConfig, readAppJson } from './app-config.js';
import { boolOf, deepestLocation, getPath, getProp, isUnresolved, propsOf, type ConfigValue, type Unresolved } from './config-value.js';
import type { AndroidView, ExpoApp, IosView, LibraryUse, Origin, PluginEntry, UnresolvedNote, Workflow } from './expo-model.js';
import { emptyJsFacts, JsFactsReader, JS_PREFILTER_WORDS, type JsAudioFacts } from './js-facts.js';
import { packageVersion, parseVersion, rangeBounds, readPackageJson, versionText, type PackageJsonFacts } from './packages.js';
import { AUDIO_PACKAGES, LIBRARY_NAMESPACES, PLUGIN_EFFECTS, rangeFor, rangeForBounds, type AudioPackage, type OptionReader, type OptionValue, type PluginOutcome, type Reason } from './plugin-effects.js';
import { deriveSessions } from './sessions.js';
import { loadTsMorph, releaseScripts, type TsMorphModule } from './ts-loader.js';
import { compareText, isUnder } from '../../discover/paths.js';

export async function buildExpoApps(ws: Workspace, iosApps: IosApp[], androidApps: AndroidApp[]): Promise<ExpoApp[]> {
  const roots = findAppRoots(ws);
  if (!roots.length) return [];

  const sourcesOf = new Map<string, ProjectFile[]>(roots.map((r) => [r, []]));
  const byDepth = [...roots].sort((a, b) => b.length - a.length);
  for (const f of ws.filesOfKind('script')) {
    const root = byDepth.find((r) => isUnder(f.path, r));
    if (!root || isTestFile(path.relative(root, f.path))) continue;
    sourcesOf.get(root)!.push(f);
  }
  // ts-morph only when there is something for it to read.
  const needsTs = roots.some((r) => appConfigFiles(ws, r).dynamic !== null) || [...sourcesOf.values()].some((list) => list.some((f) => ws.mentions(f, JS_PREFILTER_WORDS)));
  let tsm: TsMorphModule | null = null;
  if (needsTs) {
    try {
      tsm = await loadTsMorph();
    } catch (e) {
      // Without ts-morph the JS/TS files are not read; app.json and the native folders still are.
      ws.report({ file: path.join(roots[0]!, 'package.json'), kind: 'parse-error', severity: 'warning', message: `JS/TS files not checked: ts-morph could not be loaded (${(e as Error).message})` });
    }
  }
  const reader = tsm ? new JsFactsReader(ws, tsm) : null;

  const apps: ExpoApp[] = [];
  try {
    for (const root of roots) {
      try {
        apps.push(buildApp(ws, root, roots, tsm, reader, sourcesOf.get(root)!, iosApps, androidApps));
      } catch (e) {
        // An input we did not foresee must not stop the other apps from being checked.
        const file = appConfigFiles(ws, root).json ?? appConfigFiles(ws, root).dynamic ?? path.join(root, 'package.json');
        ws.report({ file, kind: 'parse-error', severity: 'error', message: `could not build the React Native / Expo model of this app: ${(e as Error).message}` });
      }
    }
  } finally {
    // The facts are plain data now; the syntax trees are no longer needed.
    if (tsm) releaseScripts(ws);
  }
  return apps;
}


function isTestFile(rel: string): boolean {
  const parts = rel.split(path.sep);
  if (parts.some((p) => p === '__tests__' || p === '__mocks__' || p === 'e2e')) return true;
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(parts[parts.length - 1]!);
}

/** Folders of JS apps: a package.json depending on react-native or expo, or an Expo app config. */
function findAppRoots(ws: Workspace): string[] {
  const roots = new Set<string>();
  for (const f of ws.filesOfKind('package-json')) {
    if (!ws.mentions(f, ['"react-native"', '"expo"'])) continue;
    const pkg = readPackageJson(ws, f.path);
    if (pkg && (pkg.dependencies.has('react-native') || pkg.dependencies.has('expo'))) roots.add(pkg.dir);
  }
  for (const f of ws.filesOfKind('expo-config')) {
    const dir = path.dirname(f.path);
    if (roots.has(dir)) continue;
    if (f.path.endsWith('.json')) {
      const v = readAppJson(ws, f.path);
      if (!v || getProp(v, 'expo') === undefined) continue;
    }
    roots.add(dir);
  }
  return [...roots].sort();
}

// ---------------------------------------------------------------------------------------------

function buildApp(
  ws: Workspace,
  root: string,
  allRoots: string[],
  tsm: TsMorphModule | null,
  reader: JsFactsReader | null,
  sources: ProjectFile[],
  iosApps: IosApp[],
  androidApps: AndroidApp[],
): ExpoApp {
  const pkgFile = path.join(root, 'package.json');
  const pkg = ws.file(pkgFile) ? readPackageJson(ws, pkgFile) : null;
  const files = appConfigFiles(ws, root);
  const config = readAppConfig(ws, root, tsm, reader && files.dynamic ? reader.hooks(files.dynamic) : {});
  const expo = config?.expo ?? null;
  const notes: UnresolvedNote[] = [];
  if (expo && isUnresolved(expo)) {
    notes.push({ what: 'the app config', reason: expo.reason, location: expo.loc, consequence: 'the background-mode, entitlement and permission checks of this app are skipped' });
  }

  const libraries = readLibraries(ws, pkg, root);
  const plugins = readPlugins(expo, notes);
  const patchedPackages = packagePatches(ws, root);
  for (const patch of patchedPackages) {
    if (!libraries.some((l) => l.name === patch.name)) continue;
    notes.push({
      what: `the behaviour of ${patch.name}`,
      reason: `the app patches it with patch-package (${path.basename(patch.file)})`,
      location: { file: patch.file, line: 1, column: 1 },
      consequence: `the checks that rely on ${patch.name}'s own code (such as which options it applies) are skipped`,
    });
  }

  // Native folders of this app (not of a nested app).
  const owns = (dir: string) => (dir === root || isUnder(dir, root)) && !allRoots.some((r) => r !== root && isUnder(r, root) && (dir === r || isUnder(dir, r)));
  const native = { ios: iosApps.filter((a) => owns(a.root)), android: androidApps.filter((a) => owns(a.root)) };

  const nativeSettings = !!expo && !isUnresolved(expo) && ['plugins', 'ios', 'android'].some((k) => getProp(expo, k) !== undefined);
  const hasNative = native.ios.length > 0 || native.android.length > 0;
  const workflow: Workflow = !hasNative ? 'managed' : nativeSettings ? 'prebuild' : 'bare';
  const fromConfig = !!config && (workflow !== 'bare' || !hasNative);

  // `platforms` limits what prebuild generates: an app listed for iOS only never gets an Android project.
  const listed = fromConfig ? configuredPlatforms(config!.expo) : null;
  const fallbackAnchor = config?.anchor ?? { file: pkgFile, line: 1, column: 1 };
  const ios = listed && !listed.has('ios') ? iosFromNative([], fallbackAnchor) : fromConfig ? iosFromConfig(config!.expo, config!.anchor, plugins, libraries, notes) : iosFromNative(native.ios, config?.anchor ?? { file: pkgFile, line: 1, column: 1 });
  const android = listed && !listed.has('android')
    ? androidFromNative([], libraries, fallbackAnchor)
    : fromConfig
    ? androidFromConfig(ws, config!.expo, config!.anchor, plugins, libraries, notes)
    : androidFromNative(native.android, libraries, config?.anchor ?? { file: pkgFile, line: 1, column: 1 });

  let js: JsAudioFacts = emptyJsFacts();
  if (reader) {
    const app = { root, files: sources.map((f) => f.path) };
    for (const f of sources) {
      const facts = reader.read(f.path, app);
      if (!facts) continue;
      js.parsedFiles.push(...facts.parsedFiles);
      js.imports.push(...facts.imports);
      js.calls.push(...facts.calls);
    }
  }
  // A native Android app merges the manifest of each library it links. When a library the JS code
  // imports is neither installed nor declared with a readable version (a git dependency, a library
  // example linked from the parent folder), what that manifest brings cannot be known.
  if (android.source === 'native') {
    for (const imp of js.imports) {
      if (android.unknownLibraries.has(imp.module) || libraryManifestKnown(libraries, native.android, imp.module)) continue;
      const use = libraries.find((l) => l.name === imp.module);
      const reason = use?.version.declared ? `package.json asks for "${use.version.declared.range}", which names no version, and it is not installed` : 'it is neither declared in package.json nor installed under node_modules';
      android.unknownLibraries.set(imp.module, reason);
      notes.push({ what: `the version of ${imp.module}`, reason, location: use?.location ?? imp.location, consequence: `the check of the Android playback service that ${imp.module} brings is skipped` });
    }
  }
  js = { ...js, calls: js.calls.sort((a, b) => compareText(a.location.file, b.location.file) || a.location.line - b.location.line) };

  return {
    name: pkg?.name ?? path.basename(root),
    root,
    packageJson: pkg ? pkgFile : null,
    workflow,
    config,
    libraries,
    plugins,
    native,
    ios,
    android,
    js,
    sessions: deriveSessions(js.calls),
    unresolved: notes,
    patchedPackages,
  };
}

// ---- versions ----

function readLibraries(ws: Workspace, pkg: PackageJsonFacts | null, root: string): LibraryUse[] {
  const out: LibraryUse[] = [];
  for (const name of AUDIO_PACKAGES) {
    const version = packageVersion(ws, pkg, root, name);
    if (!version.declared && !version.installed) continue;
    let effectiveVersion: string | null = null;
    let versionSource: LibraryUse['versionSource'] = 'unknown';
    let behaviour = null;
    if (version.installed) {
      const v = parseVersion(version.installed.version);
      if (v) {
        effectiveVersion = version.installed.version;
        versionSource = 'installed';
        behaviour = rangeFor(name, v);
      }
    }
    if (!behaviour && version.declared) {
      const bounds = rangeBounds(version.declared.range);
      if (bounds) {
        behaviour = rangeForBounds(name, bounds.low, bounds.high);
        if (behaviour) {
          effectiveVersion = versionText(bounds.low);
          versionSource = 'declared';
        }
      }
    }
    let manifestFile: string | null = null;
    if (version.installed) {
      const m = path.join(version.installed.dir, 'android', 'src', 'main', 'AndroidManifest.xml');
      if (ws.readOutside(m) !== null) manifestFile = m;
    }
    const location = version.declared?.location ?? (version.installed ? { file: version.installed.packageJson, line: 1, column: 1 } : null);
    out.push({ name, version, effectiveVersion, versionSource, behaviour, location, manifestFile });
  }
  return out;
}

/** "expo-audio 1.1.1 (installed)" / "expo-audio ~55.0.10 (declared; not installed)". */
export function libraryLabel(lib: LibraryUse): string {
  if (lib.versionSource === 'installed') return `${lib.name} ${lib.effectiveVersion} (installed)`;
  if (lib.version.declared) return `${lib.name} ${lib.version.declared.range} (declared in package.json; not installed)`;
  return lib.name;
}

function versionUnknownReason(lib: LibraryUse): string {
  if (lib.version.declared) {
    return `package.json declares ${lib.name} "${lib.version.declared.range}", which allows versions that behave differently, and node_modules/${lib.name} is not installed`;
  }
  return `the installed version of ${lib.name} could not be read`;
}

// ---- plugins ----

function readPlugins(expo: ConfigValue | null, notes: UnresolvedNote[]): PluginEntry[] {
  if (!expo || isUnresolved(expo)) return [];
  const list = getProp(expo, 'plugins');
  if (!list) return [];
  if (list.kind === 'unresolved') {
    notes.push({ what: '`plugins`', reason: list.reason, location: list.loc, consequence: 'what the config plugins add to the native apps is not checked' });
    return [];
  }
  if (list.kind !== 'array') return [];
  for (const u of list.unknown) notes.push({ what: 'part of `plugins`', reason: u.reason, location: u.loc, consequence: 'plugins added there are not taken into account' });
  const out: PluginEntry[] = [];
  for (const item of list.items) {
    let nameValue: ConfigValue | undefined = item;
    let options: ConfigValue | null = null;
    if (item.kind === 'array') {
      nameValue = item.items[0];
      options = item.items[1] ?? null;
    }
    if (!nameValue || nameValue.kind !== 'string') {
      if (item.kind === 'unresolved' || nameValue?.kind === 'unresolved') {
        const u = (item.kind === 'unresolved' ? item : nameValue) as Unresolved;
        notes.push({ what: 'a `plugins` entry', reason: u.reason, location: u.loc, consequence: 'this plugin is not taken into account' });
      }
      continue;
    }
    const name = nameValue.value;
    const library = (AUDIO_PACKAGES.find((p) => name === p || name.startsWith(`${p}/`)) ?? null) as AudioPackage | null;
    out.push({ name, library, location: nameValue.loc, options });
  }
  return out;
}

function optionReader(entry: PluginEntry): OptionReader {
  const opts = entry.options;
  const read = <T>(name: string, conv: (v: ConfigValue) => T | 'unresolved'): OptionValue<T> => {
    if (opts && opts.kind === 'unresolved') return { value: 'unresolved', location: opts.loc };
    const v = getProp(opts, name);
    if (v === undefined || v.kind === 'null') return { value: undefined, location: null };
    const loc = (opts && opts.kind === 'object' ? propsOf(opts).find((p) => p.key === name)?.keyLoc : null) ?? v.loc;
    return { value: conv(v), location: loc };
  };
  return {
    entry: entry.location,
    bool: (name) =>
      read(name, (v) => {
        const b = boolOf(v);
        return typeof b === 'boolean' ? b : 'unresolved';
      }),
    strings: (name) =>
      read(name, (v) => {
        if (v.kind !== 'array' || v.unknown.length) return 'unresolved';
        const out: string[] = [];
        for (const i of v.items) {
          if (i.kind !== 'string') return 'unresolved';
          out.push(i.value);
        }
        return out;
      }),
  };
}

// ---- iOS ----

function iosFromConfig(expo: ConfigValue, anchor: Location, plugins: PluginEntry[], libraries: LibraryUse[], notes: UnresolvedNote[]): IosView {
  const path3 = ['ios', 'infoPlist', 'UIBackgroundModes'];
  const view: IosView = {
    source: 'app-config',
    backgroundModes: new Map(),
    removedModes: new Map(),
    entitlements: new Map(),
    unknown: null,
    whyNoAudio: new Map(),
    control: deepestLocation(expo, path3) ?? anchor,
    controlLabel: controlLabel(expo, path3, 'expo'),
  };
  if (isUnresolved(expo)) {
    view.unknown = expo;
    return view;
  }
  const modes = getPath(expo, path3);
  if (modes?.kind === 'unresolved') view.unknown = modes;
  else if (modes?.kind === 'array') {
    for (const item of modes.items) {
      if (item.kind === 'string') view.backgroundModes.set(item.value, { kind: 'app-config', text: 'ios.infoPlist.UIBackgroundModes', location: item.loc });
      else if (item.kind === 'unresolved') view.unknown ??= item;
    }
    view.unknown ??= modes.unknown[0] ?? null;
  }
  if (view.unknown) notes.push({ what: 'ios.infoPlist.UIBackgroundModes', reason: view.unknown.reason, location: view.unknown.loc, consequence: 'whether the iOS app gets the `audio` background mode is not checked' });

  const ent = getPath(expo, ['ios', 'entitlements']);
  for (const p of propsOf(ent)) view.entitlements.set(p.key, { value: p.value, location: p.keyLoc });

  // Plugins listed first run their Info.plist mod last, so apply them in reverse order.
  for (const entry of [...plugins].reverse()) {
    if (!entry.library) continue;
    const lib = libraries.find((l) => l.name === entry.library);
    const behaviour = lib?.behaviour ?? null;
    if (!behaviour) {
      const canRemove = PLUGIN_EFFECTS[entry.library].some((r) => r.plugin && r.summary.includes('removes'));
      if (!view.backgroundModes.has('audio') || canRemove) {
        const reason = lib ? versionUnknownReason(lib) : `${entry.library} is listed in plugins but is not a dependency in package.json`;
        view.unknown ??= unresolvedAt(reason, entry.name, entry.location);
        notes.push({ what: `the version of ${entry.library}`, reason, location: lib?.location ?? entry.location, consequence: `what the ${entry.library} plugin adds to the native apps is not checked` });
      }
      continue;
    }
    if (!behaviour.plugin) continue;
    const out = behaviour.plugin(optionReader(entry));
    for (const u of out.unresolved) {
      if (u.platform === 'android') continue;
      view.unknown ??= unresolvedAt(`${u.text} cannot be read statically`, entry.name, u.location ?? entry.location);
      notes.push({ what: u.text, reason: 'its value cannot be read statically', location: u.location ?? entry.location, consequence: 'whether the iOS app gets the `audio` background mode is not checked' });
    }
    if (!out.iosAudio) {
      const opt = optionThatTurnsOff(behaviour.plugin, entry);
      view.whyNoAudio.set(entry.library, { text: `${libraryLabel(lib!)}: ${opt ? opt.text : behaviour.summary}`, location: opt?.location ?? entry.location });
      continue;
    }
    const origin: Origin = { kind: 'plugin', text: `${libraryLabel(lib!)}: ${out.iosAudio.because.text}`, location: out.iosAudio.because.location ?? entry.location };
    if (out.iosAudio.action === 'add') {
      view.backgroundModes.set('audio', origin);
      view.removedModes.delete('audio');
    } else {
      view.backgroundModes.delete('audio');
      view.removedModes.set('audio', origin);
      view.whyNoAudio.set(entry.library, { text: out.iosAudio.because.text, location: origin.location });
    }
  }
  // Libraries whose plugin is not listed, or that have none.
  const pluginsKey = deepestLocation(expo, ['plugins']);
  for (const lib of libraries) {
    if (view.whyNoAudio.has(lib.name) || plugins.some((p) => p.library === lib.name) || !lib.behaviour) continue;
    const wouldAdd = lib.behaviour.plugin?.(emptyReader(pluginsKey ?? anchor)).iosAudio?.action === 'add';
    view.whyNoAudio.set(lib.name, {
      text: wouldAdd
        ? `${libraryLabel(lib)} adds it through its config plugin, but "${lib.name}" is not listed in \`plugins\``
        : `${libraryLabel(lib)}: ${lib.behaviour.summary}`,
      location: wouldAdd ? (pluginsKey ?? view.control) : view.control,
    });
  }
  return view;
}

/** Options as if the plugin were listed without any. */
function emptyReader(entry: Location): OptionReader {
  return { entry, bool: () => ({ value: undefined, location: null }), strings: () => ({ value: undefined, location: null }) };
}

/** A boolean option written as false whose default (true) would have added the mode or service. */
function optionThatTurnsOff(plugin: (o: OptionReader) => PluginOutcome, entry: PluginEntry): Reason | null {
  const reader = optionReader(entry);
  const base = plugin(reader);
  for (const p of propsOf(entry.options)) {
    if (p.value.kind !== 'boolean' || p.value.value) continue;
    const flipped: OptionReader = { ...reader, bool: (n) => (n === p.key ? { value: undefined, location: null } : reader.bool(n)) };
    const alt = plugin(flipped);
    if ((alt.iosAudio?.action === 'add' && base.iosAudio?.action !== 'add') || alt.androidServices.length > base.androidServices.length) {
      return { text: `\`${p.key}: false\` turns it off`, location: p.keyLoc };
    }
  }
  return null;
}

function unresolvedAt(reason: string, text: string, loc: Location): Unresolved {
  return { kind: 'unresolved', reason, text, loc };
}

/** "ios.infoPlist.UIBackgroundModes" when written, else the deepest part that is ("ios", "expo"). */
function controlLabel(expo: ConfigValue, p: string[], fallback: string): string {
  const parts: string[] = [];
  let cur: ConfigValue | undefined = expo;
  for (const k of p) {
    const next = getProp(cur, k);
    if (next === undefined || next.kind === 'unresolved') break;
    parts.push(k);
    cur = next;
  }
  return parts.length ? parts.join('.') : fallback;
}

function appTarget(apps: IosApp[]): IosTarget | null {
  for (const a of apps) {
    const t = a.targets.find((x) => x.productType === 'com.apple.product-type.application') ?? (a.pbxproj ? null : a.targets[0]);
    if (t) return t;
  }
  return null;
}

function iosFromNative(apps: IosApp[], fallback: Location): IosView {
  const target = appTarget(apps);
  const view: IosView = {
    source: target ? 'native' : 'none',
    backgroundModes: new Map(),
    removedModes: new Map(),
    entitlements: new Map(),
    unknown: null,
    whyNoAudio: new Map(),
    control: fallback,
    controlLabel: 'the Info.plist',
  };
  if (!target) return view;
  const modes = backgroundModes(target);
  for (const v of modes.values) if (modes.has(v.value)) view.backgroundModes.set(v.value, { kind: 'native', text: 'UIBackgroundModes in the Info.plist', location: v.location });
  view.control = modes.keyLocation ?? infoPlistAnchor(target);
  view.controlLabel = modes.keyLocation ? 'UIBackgroundModes in the Info.plist' : 'the Info.plist';
  for (const ref of target.entitlements) {
    if (ref.doc?.root.type !== 'dict') continue;
    for (const e of ref.doc.root.entries) {
      const value = e.value.type === 'bool' ? e.value.value : e.value.type === 'string' ? e.value.value : true;
      view.entitlements.set(e.key, { value, location: { file: ref.file.path, line: e.keyLoc.line, column: e.keyLoc.column } });
    }
  }
  return view;
}

/** The platforms the app config lists, or null when it lists none (both) or the list cannot be read. */
function configuredPlatforms(expo: ConfigValue): Set<string> | null {
  const v = getProp(expo, 'platforms');
  if (!v || v.kind !== 'array' || v.unknown.length) return null;
  const names = v.items.map((i) => (i.kind === 'string' ? i.value : null));
  if (names.some((n) => n === null)) return null;
  return new Set(names as string[]);
}

/** Whether the manifest a library contributes to a native Android app is known: installed, merged, or published by a known version. */
function libraryManifestKnown(libraries: LibraryUse[], apps: AndroidApp[], name: string): boolean {
  const use = libraries.find((l) => l.name === name);
  if (use && (use.manifestFile || use.behaviour)) return true;
  return apps.some((a) => a.manifest.files.some((f) => f.file.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`)));
}

// ---- Android ----

const permissionName = (p: string) => (p.includes('.') ? p : `android.permission.${p}`);

function androidFromConfig(ws: Workspace, expo: ConfigValue, anchor: Location, plugins: PluginEntry[], libraries: LibraryUse[], notes: UnresolvedNote[]): AndroidView {
  const permPath = ['android', 'permissions'];
  const view: AndroidView = {
    source: 'app-config',
    permissions: new Map(),
    blocked: new Map(),
    services: [],
    unknown: null,
    targetSdk: null,
    whyNoService: new Map(),
    unknownLibraries: new Map(),
    control: deepestLocation(expo, permPath) ?? anchor,
    controlLabel: controlLabel(expo, permPath, 'expo'),
  };
  if (isUnresolved(expo)) {
    view.unknown = expo;
    return view;
  }
  const perms = getPath(expo, permPath);
  if (perms?.kind === 'unresolved') view.unknown = perms;
  else if (perms?.kind === 'array') {
    for (const item of perms.items) if (item.kind === 'string') view.permissions.set(permissionName(item.value), { kind: 'app-config', text: 'android.permissions', location: item.loc });
    if (perms.unknown[0]) view.unknown = perms.unknown[0];
  }
  const blocked = getPath(expo, ['android', 'blockedPermissions']);
  if (blocked?.kind === 'array') for (const item of blocked.items) if (item.kind === 'string') view.blocked.set(permissionName(item.value), item.loc);
  if (view.unknown) notes.push({ what: 'android.permissions', reason: view.unknown.reason, location: view.unknown.loc, consequence: 'the Android permission checks of this app are skipped' });

  // Libraries' own manifests are merged into every build.
  for (const lib of libraries) addLibraryManifest(ws, view, lib);

  for (const entry of plugins) {
    if (entry.name === 'expo-build-properties') {
      const sdk = getPath(entry.options, ['android', 'targetSdkVersion']);
      if (sdk?.kind === 'number') view.targetSdk = sdk.value;
      continue;
    }
    if (!entry.library) continue;
    const lib = libraries.find((l) => l.name === entry.library);
    const behaviour = lib?.behaviour;
    if (!behaviour?.plugin) continue;
    const out = behaviour.plugin(optionReader(entry));
    for (const u of out.unresolved) {
      if (u.platform === 'ios') continue;
      view.unknown ??= unresolvedAt(`${u.text} cannot be read statically`, entry.name, u.location ?? entry.location);
      notes.push({ what: u.text, reason: 'its value cannot be read statically', location: u.location ?? entry.location, consequence: 'the Android foreground-service checks of this app are skipped' });
    }
    const label = libraryLabel(lib!);
    if (!out.androidServices.some((x) => x.types.includes('mediaPlayback'))) {
      const opt = optionThatTurnsOff(behaviour.plugin, entry);
      if (opt) view.whyNoService.set(entry.library, { text: `${label}: ${opt.text}`, location: opt.location });
    }
    for (const p of out.androidPermissions) {
      if (!view.permissions.has(p.name)) view.permissions.set(p.name, { kind: 'plugin', text: `${label}: ${p.because.text}`, location: p.because.location ?? entry.location });
    }
    for (const r of out.androidServicesRemoved) view.services = view.services.filter((s) => s.name !== r.name || s.origin.kind === 'library-manifest');
    for (const s of out.androidServices) {
      if (!view.services.some((x) => x.name === s.name)) view.services.push({ name: s.name, types: s.types, origin: { kind: 'plugin', text: `${label}: ${s.because.text}`, location: s.because.location ?? entry.location } });
    }
  }
  for (const b of view.blocked.keys()) view.permissions.delete(b);
  const pluginsKey = deepestLocation(expo, ['plugins']);
  for (const lib of libraries) {
    if (view.whyNoService.has(lib.name) || !lib.behaviour) continue;
    const listed = plugins.some((p) => p.library === lib.name);
    const wouldAdd = !listed && lib.behaviour.plugin?.(emptyReader(pluginsKey ?? anchor)).androidServices.some((x) => x.types.includes('mediaPlayback'));
    view.whyNoService.set(lib.name, {
      text: wouldAdd ? `${libraryLabel(lib)} adds its playback service through its config plugin, but "${lib.name}" is not listed in \`plugins\`` : `${libraryLabel(lib)}: ${lib.behaviour.summary}`,
      location: wouldAdd ? (pluginsKey ?? view.control) : view.control,
    });
  }
  return view;
}

/** Add what a library's own AndroidManifest.xml declares: the installed file, else the published one of its version. */
function addLibraryManifest(ws: Workspace, view: AndroidView, lib: LibraryUse): void {
  if (lib.manifestFile) {
    const merged = mergeManifests(ws, [{ file: lib.manifestFile, module: path.dirname(lib.manifestFile), fromApp: false, namespace: LIBRARY_NAMESPACES[lib.name] ?? null, applicationId: null }]);
    for (const [name, decls] of merged.permissions) {
      if (!view.permissions.has(name)) view.permissions.set(name, { kind: 'library-manifest', text: `${libraryLabel(lib)} AndroidManifest.xml`, location: decls[0]?.location ?? null });
    }
    for (const s of merged.services) {
      if (!view.services.some((x) => x.name === s.name)) {
        view.services.push({ name: s.name, types: s.foregroundServiceTypes ?? [], origin: { kind: 'library-manifest', text: `${libraryLabel(lib)} AndroidManifest.xml`, location: s.location } });
      }
    }
    return;
  }
  if (!lib.behaviour) return;
  const text = `the AndroidManifest.xml that ${lib.name} ${lib.effectiveVersion} publishes`;
  for (const p of lib.behaviour.libraryManifest.permissions) {
    if (!view.permissions.has(p)) view.permissions.set(p, { kind: 'library-manifest', text, location: lib.location });
  }
  for (const s of lib.behaviour.libraryManifest.services) {
    if (!view.services.some((x) => x.name === s.name)) view.services.push({ name: s.name, types: s.types, origin: { kind: 'library-manifest', text, location: lib.location } });
  }
}

function androidFromNative(apps: AndroidApp[], libraries: LibraryUse[], fallback: Location): AndroidView {
  const app = apps[0];
  const view: AndroidView = {
    source: app ? 'native' : 'none',
    permissions: new Map(),
    blocked: new Map(),
    services: [],
    unknown: null,
    targetSdk: null,
    whyNoService: new Map(),
    unknownLibraries: new Map(),
    control: fallback,
    controlLabel: 'the app manifest',
  };
  if (!app) return view;
  for (const [name, decls] of app.manifest.permissions) view.permissions.set(name, { kind: decls[0]?.fromApp ? 'native' : 'library-manifest', text: decls[0]?.fromApp ? 'the app manifest' : 'a library manifest', location: decls[0]?.location ?? null });
  for (const p of app.implicitPermissions) if (!view.permissions.has(p.permission)) view.permissions.set(p.permission, { kind: 'library-manifest', text: p.library, location: null });
  for (const [name, loc] of app.manifest.removedPermissions) {
    view.blocked.set(name, loc);
    view.permissions.delete(name);
  }
  for (const s of app.manifest.services) {
    if (s.enabled === 'false') continue;
    view.services.push({ name: s.name, types: s.foregroundServiceTypes ?? [], origin: { kind: s.fromApp ? 'native' : 'library-manifest', text: s.fromApp ? 'the app manifest' : 'a library manifest', location: s.location } });
  }
  // A library that is declared but not installed: what its version publishes (the build would merge it).
  for (const lib of libraries) {
    if (lib.manifestFile || !lib.behaviour || app.manifest.files.some((f) => f.file.includes(`${path.sep}node_modules${path.sep}${lib.name}${path.sep}`))) continue;
    const text = `the AndroidManifest.xml that ${lib.name} ${lib.effectiveVersion} publishes`;
    for (const p of lib.behaviour.libraryManifest.permissions) if (!view.permissions.has(p) && !view.blocked.has(p)) view.permissions.set(p, { kind: 'library-manifest', text, location: lib.location });
    for (const s of lib.behaviour.libraryManifest.services) if (!view.services.some((x) => x.name === s.name)) view.services.push({ name: s.name, types: s.types, origin: { kind: 'library-manifest', text, location: lib.location } });
  }
  view.targetSdk = app.targetSdk.resolved ? app.targetSdk.value : null;
  view.control = app.manifest.appManifest ?? { file: app.buildFile, line: 1, column: 1 };
  for (const lib of libraries) if (lib.behaviour) view.whyNoService.set(lib.name, { text: `${libraryLabel(lib)}: ${lib.behaviour.summary}`, location: view.control });
  return view;
}

/**
 * patch-package patches of the app (`<root>/patches/<name>+<version>.patch`, scoped names written
 * `@scope+name+version`, sequenced ones `name+version+001+what`).
 */
export function packagePatches(ws: Workspace, root: string): PatchedPackage[] {
  const dir = path.join(root, 'patches');
  const out: PatchedPackage[] = [];
  for (const f of ws.files) {
    if (f.kind !== 'package-patch' || path.dirname(f.path) !== dir) continue;
    const parts = path.basename(f.path).replace(/\.patch$/i, '').split('+');
    const scoped = parts[0]!.startsWith('@') && parts.length > 1;
    const name = scoped ? `${parts[0]}/${parts[1]}` : parts[0]!;
    const version = (scoped ? parts[2] : parts[1]) ?? null;
    if (name) out.push({ name, version, file: f.path });
  }
  return out;
}
