// The Android SDK levels a Flutter app gets from `flutter.targetSdkVersion` / `flutter.minSdkVersion`
// / `flutter.compileSdkVersion` in android/app/build.gradle(.kts). Those properties are constants of
// the Flutter Gradle plugin (FlutterExtension in packages/flutter_tools/gradle: flutter.groovy /
// flutter.gradle before 3.29, FlutterExtension.kt after), so their value depends on the Flutter SDK
// the app is built with. That version is known only when the project pins it (.fvmrc,
// .fvm/fvm_config.json, .flutter-version, asdf's .tool-versions); `environment: flutter:` in
// pubspec.yaml, `sdks: flutter:` in pubspec.lock and the declarative Flutter plugin loader in
// settings.gradle give only a lowest version, so audiobg then assumes the newest defaults and says so.
//
// The Android model asks for these values through a hook in GradleValues (gradle-project.ts), which
// is synchronous: prepareFlutterVersions() reads the version files (and pubspec.yaml with the YAML
// parser) once, before the Android apps are built.

import path from 'node:path';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';
import { isIdent, isPunct } from '../../parse/gradle.js';
import { readScript, type ResolvedValue } from '../android/gradle-project.js';
import { compareVersions } from '../android/versions.js';
import { readPubspec, readPubspecLock } from './pubspec.js';
import { lowestVersion } from './packages.js';

export interface FlutterSdkDefaults {
  /** First stable Flutter release with these defaults. */
  flutter: string;
  compileSdk: number;
  targetSdk: number;
  minSdk: number;
  /** The Flutter change that set them. */
  source: string;
}

/**
 * FlutterExtension's defaults per stable release, oldest first. The properties appeared in Flutter
 * 2.8 (flutter/flutter#91719, #92022: compileSdk/targetSdk 31, minSdk 16); each later row is a bump.
 */
export const FLUTTER_SDK_DEFAULTS: readonly FlutterSdkDefaults[] = [
  { flutter: '2.8.0', compileSdk: 31, targetSdk: 31, minSdk: 16, source: 'flutter/flutter#91719, #92022' },
  { flutter: '3.7.0', compileSdk: 33, targetSdk: 33, minSdk: 16, source: 'flutter/flutter#116146' },
  { flutter: '3.16.0', compileSdk: 34, targetSdk: 33, minSdk: 19, source: 'flutter/flutter#82000' },
  { flutter: '3.22.0', compileSdk: 34, targetSdk: 34, minSdk: 21, source: 'Flutter 3.22 (targetSdk 34)' },
  { flutter: '3.27.0', compileSdk: 35, targetSdk: 35, minSdk: 21, source: 'Flutter 3.27 (compileSdk 35)' },
  { flutter: '3.35.0', compileSdk: 36, targetSdk: 36, minSdk: 24, source: 'flutter/flutter#168577, #170807' },
];

export const NEWEST_FLUTTER_DEFAULTS = FLUTTER_SDK_DEFAULTS[FLUTTER_SDK_DEFAULTS.length - 1]!;

/** The defaults of a Flutter version; null before 2.8, which had no such properties. */
export function flutterSdkDefaults(version: string): FlutterSdkDefaults | null {
  let found: FlutterSdkDefaults | null = null;
  for (const row of FLUTTER_SDK_DEFAULTS) if (compareVersions(version, row.flutter) >= 0) found = row;
  return found;
}

export interface FlutterVersion {
  /** The Flutter project folder (where pubspec.yaml is). */
  root: string;
  /** The pinned version, when a version file names one. */
  pinned: { version: string; source: string; location: Location } | null;
  /** The highest lowest-version the project states (pubspec.yaml, pubspec.lock, plugin loader). */
  atLeast: { version: string; source: string } | null;
  /** A git submodule holding the Flutter SDK (pinned to a commit, which is not a version). */
  submodule: string | null;
}

const byWorkspace = new WeakMap<Workspace, FlutterVersion[]>();

/** Reads the Flutter version of every Flutter app of the scan; does nothing without a pubspec.yaml. */
export async function prepareFlutterVersions(ws: Workspace): Promise<void> {
  const pubspecs = ws.filesOfKind('pubspec');
  if (!pubspecs.length) return;
  const out: FlutterVersion[] = [];
  for (const f of pubspecs) {
    let spec;
    try {
      spec = await readPubspec(ws, f.path);
    } catch {
      continue; // reported by buildFlutterApps
    }
    if (!spec?.isFlutter) continue;
    const pinned = pinnedVersion(ws, spec.dir);
    const bounds: { version: string; source: string }[] = [];
    const declared = lowestVersion(spec.flutterConstraint?.text ?? null);
    if (declared) bounds.push({ version: declared, source: `${ws.relative(spec.file)} (environment: flutter: "${spec.flutterConstraint!.text}")` });
    const lockFile = path.join(spec.dir, 'pubspec.lock');
    if (ws.file(lockFile)) {
      try {
        const lock = await readPubspecLock(ws, lockFile);
        const locked = lowestVersion(lock?.flutterSdk ?? null);
        if (locked) bounds.push({ version: locked, source: `${ws.relative(lockFile)} (sdks: flutter: "${lock!.flutterSdk}")` });
      } catch {
        /* reported elsewhere */
      }
    }
    const loader = pluginLoader(ws, spec.dir);
    if (loader) bounds.push(loader);
    bounds.sort((a, b) => compareVersions(b.version, a.version));
    out.push({ root: spec.dir, pinned, atLeast: bounds[0] ?? null, submodule: pinned ? null : flutterSubmodule(ws, spec.dir) });
  }
  byWorkspace.set(ws, out.sort((a, b) => b.root.length - a.root.length));
}

/** The Flutter project that owns a folder (an Android module under android/). */
export function flutterVersionOf(ws: Workspace, dir: string): FlutterVersion | null {
  const list = byWorkspace.get(ws);
  if (!list) return null;
  return list.find((v) => dir === v.root || dir.startsWith(v.root + path.sep)) ?? null;
}

const PROPERTIES: Record<string, keyof Pick<FlutterSdkDefaults, 'compileSdk' | 'targetSdk' | 'minSdk'>> = {
  targetSdkVersion: 'targetSdk',
  minSdkVersion: 'minSdk',
  compileSdkVersion: 'compileSdk',
};

/**
 * The hook GradleValues calls for a dotted name it cannot resolve: `flutter.targetSdkVersion` and its
 * siblings in a module of a Flutter app whose Flutter version is pinned. Null otherwise (the Android
 * model then assumes the newest level; buildFlutterApps explains why in the app's SdkLevel).
 */
export function flutterGradleValue(ws: Workspace, moduleDir: string, chain: string[]): ResolvedValue | null {
  if (chain.length !== 2 || chain[0] !== 'flutter') return null;
  const key = PROPERTIES[chain[1]!];
  if (!key) return null;
  const v = flutterVersionOf(ws, moduleDir);
  if (!v?.pinned) return null;
  const d = flutterSdkDefaults(v.pinned.version);
  if (!d) return null;
  return { value: String(d[key]), source: `flutter.${chain[1]} of Flutter ${v.pinned.version} (${v.pinned.source})`, location: v.pinned.location };
}

/** Why flutter.targetSdkVersion could not be resolved, for the "assuming N" notes. */
export function unknownVersionNote(v: FlutterVersion): string {
  const pin = v.submodule
    ? `the Flutter SDK is the git submodule ${v.submodule}, pinned to a commit rather than a version`
    : 'no .fvmrc / .fvm/fvm_config.json / .flutter-version pins the Flutter SDK';
  const base = `it is flutter.targetSdkVersion and ${pin}, so the newest Flutter's (${NEWEST_FLUTTER_DEFAULTS.flutter}+) default is assumed`;
  if (!v.atLeast) return base;
  const d = flutterSdkDefaults(v.atLeast.version);
  return `${base}; ${v.atLeast.source} only sets a minimum${d ? `, Flutter ${v.atLeast.version}, whose default is ${d.targetSdk}` : ''}`;
}

// ---- version files ----

const VERSION_RE = /^v?(\d+\.\d+\.\d+)(?:$|[-@+])/;

/** A version file in the project folder or a folder above it, up to the scan root (a monorepo pins once). */
function pinnedVersion(ws: Workspace, root: string): FlutterVersion['pinned'] {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const found = versionFileIn(ws, dir);
    if (found) return found;
    if (dir === ws.root || !dir.startsWith(ws.root) || path.dirname(dir) === dir) return null;
  }
}

function versionFileIn(ws: Workspace, dir: string): FlutterVersion['pinned'] {
  // FVM 3: .fvmrc {"flutter": "3.22.0"}; FVM 2: .fvm/fvm_config.json {"flutterSdkVersion": "3.10.0"}.
  for (const [name, key] of [
    ['.fvmrc', 'flutter'],
    [path.join('.fvm', 'fvm_config.json'), 'flutterSdkVersion'],
  ] as const) {
    const file = path.join(dir, name);
    const text = ws.readOutside(file);
    if (text === null) continue;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      ws.report({ file, kind: 'parse-error', severity: 'warning', message: `${name} is not valid JSON; the Flutter version it pins is ignored` });
      continue;
    }
    const value = data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
    const m = typeof value === 'string' ? VERSION_RE.exec(value.trim()) : null;
    if (!m) continue; // a channel ("stable") or a commit: not a version
    return { version: m[1]!, source: ws.relative(file), location: { file, ...keyPosition(text, `"${key}"`) } };
  }
  // .flutter-version: the version alone; asdf's .tool-versions: a "flutter 3.22.0-stable" line.
  const plain = path.join(dir, '.flutter-version');
  const plainText = ws.readOutside(plain);
  if (plainText !== null) {
    const m = VERSION_RE.exec(plainText.trim().split(/\s+/)[0] ?? '');
    if (m) return { version: m[1]!, source: ws.relative(plain), location: { file: plain, line: 1, column: 1 } };
  }
  const asdf = path.join(dir, '.tool-versions');
  const asdfText = ws.readOutside(asdf);
  if (asdfText !== null) {
    const lines = asdfText.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const [tool, version] = lines[i]!.replace(/#.*/, '').trim().split(/\s+/);
      const m = tool === 'flutter' && version ? VERSION_RE.exec(version) : null;
      if (m) return { version: m[1]!, source: ws.relative(asdf), location: { file: asdf, line: i + 1, column: 1 } };
    }
  }
  return null;
}

/** A submodule of flutter/flutter declared in a .gitmodules at or above the project (its path, relative to the scan). */
function flutterSubmodule(ws: Workspace, root: string): string | null {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const text = ws.readOutside(path.join(dir, '.gitmodules'));
    if (text !== null) {
      // git-config syntax: [submodule "x"] sections with `path = ...` and `url = ...` keys.
      let sub: { path?: string; url?: string } = {};
      const sections: { path?: string; url?: string }[] = [sub];
      for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(/[#;].*$/, '').trim();
        if (line.startsWith('[')) sections.push((sub = {}));
        const eq = line.indexOf('=');
        if (eq < 0) continue;
        const key = line.slice(0, eq).trim();
        if (key === 'path' || key === 'url') sub[key] = line.slice(eq + 1).trim();
      }
      const hit = sections.find((x) => x.path && x.url && /github\.com[/:]flutter\/flutter(\.git)?\/?$/.test(x.url));
      if (hit) return ws.relative(path.join(dir, hit.path!));
    }
    if (dir === ws.root || !dir.startsWith(ws.root) || path.dirname(dir) === dir) return null;
  }
}

/** Line and column of a JSON key, for the report (the value itself came from JSON.parse). */
function keyPosition(text: string, quotedKey: string): { line: number; column: number } {
  const at = text.indexOf(quotedKey);
  if (at < 0) return { line: 1, column: 1 };
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * The declarative `dev.flutter.flutter-plugin-loader` plugin in android/settings.gradle(.kts): the
 * project was created or migrated by Flutter 3.16 or later (docs.flutter.dev/release/breaking-changes/
 * flutter-gradle-plugin-apply). Its own version (1.0.0) says nothing more.
 */
function pluginLoader(ws: Workspace, root: string): { version: string; source: string } | null {
  for (const f of ws.filesOfKind('gradle-settings')) {
    if (!f.path.startsWith(root + path.sep)) continue;
    if (!ws.mentions(f, ['dev.flutter.flutter-plugin-loader'])) continue;
    const script = ws.cached(f.path, 'flutter-settings-plugins', () => settingsPluginIds(ws, f.path));
    if (script.includes('dev.flutter.flutter-plugin-loader')) return { version: '3.16.0', source: `${ws.relative(f.path)} (plugin dev.flutter.flutter-plugin-loader)` };
  }
  return null;
}

function settingsPluginIds(ws: Workspace, file: string): string[] {
  // Read through the Gradle tokenizer, so a comment naming the plugin does not count.
  const t = readScript(ws, file)?.tokens ?? [];
  const ids: string[] = [];
  for (let i = 0; i + 1 < t.length; i++) {
    if (!isIdent(t[i], 'id')) continue;
    const s = isPunct(t[i + 1], '(') ? t[i + 2] : t[i + 1];
    if (s?.kind === 'string') ids.push(s.value);
  }
  return ids;
}
