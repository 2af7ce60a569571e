// Stage 3 (Android): one AndroidApp per Gradle application module, with its merged manifest,
// SDK levels, Media3 version and the source facts of the app and its library modules.

import path from 'node:path';
import type { ProjectFile } from '../../discover/find-files.js';
import type { Workspace } from '../../parse/workspace.js';
import { attr, childElements } from '../../parse/xml.js';
import type { AndroidApp, ImplicitPermission, SdkLevel, SourceClass } from './android-model.js';
import { buildDependsOn, discoverGradleBuilds, findModule, GradleValues, media3ExoplayerVersion, moduleSetting, type GradleBuild, type GradleModule, type ResolvedValue } from './gradle-project.js';
import type { GradleToken } from '../../parse/gradle.js';
import { mergeManifests, type ManifestInput } from './manifest.js';
import { inheritedSetting, resolveWithPluginSources } from './module-kind.js';
import { ANDROID_SOURCE_FACTS, extractSourceClasses } from './source-facts.js';
import { compareVersions } from './versions.js';
import { linkedLibraryManifests } from '../expo/packages.js';
import { LIBRARY_NAMESPACES } from '../expo/plugin-effects.js';

/** The newest targetSdk audiobg knows; assumed when the real value cannot be read. */
export const NEWEST_TARGET_SDK = 36;

export async function buildAndroidApps(ws: Workspace): Promise<AndroidApp[]> {
  const builds = discoverGradleBuilds(ws);
  const modules = builds.flatMap((b) => b.modules).sort((a, b) => b.dir.length - a.dir.length);
  if (!modules.some((m) => m.isApp)) return [];

  // The innermost module holding a file: its folders are looked up from the file upwards (one map
  // lookup per level, not one comparison per module: a monorepo has hundreds of modules).
  const byDir = new Map<string, GradleModule>();
  for (const m of modules) if (!byDir.has(m.dir)) byDir.set(m.dir, m);
  const ownerOf = (file: string): GradleModule | undefined => {
    for (let dir = path.dirname(file); ; ) {
      const m = byDir.get(dir);
      if (m) return m;
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  };
  const manifestsOf = new Map<GradleModule, ProjectFile[]>();
  const sourcesOf = new Map<GradleModule, ProjectFile[]>();
  for (const f of ws.files) {
    if (f.kind !== 'android-manifest' && f.kind !== 'kotlin' && f.kind !== 'java') continue;
    const m = ownerOf(f.path);
    if (!m || isTestSource(m.dir, f.path)) continue;
    const map = f.kind === 'android-manifest' ? manifestsOf : sourcesOf;
    const list = map.get(m) ?? [];
    list.push(f);
    map.set(m, list);
  }

  // Every source set an app can take code from, handed to the parsing workers in the order the
  // apps below ask for them (each app: its own module, then its libraries).
  ws.prefetch(
    builds.filter((b) => b.modules.some((m) => m.isApp)).flatMap((b) => [...b.modules.filter((m) => m.isApp), ...b.modules.filter((m) => !m.isApp)].flatMap((m) => sourcesOf.get(m) ?? [])),
    ANDROID_SOURCE_FACTS,
  );
  const apps: AndroidApp[] = [];
  for (const build of builds) {
    for (const appModule of build.modules.filter((m) => m.isApp)) {
      try {
        apps.push(await buildApp(ws, build, appModule, manifestsOf, sourcesOf));
      } catch (e) {
        // A bug or an input we did not foresee must not stop the other apps from being checked.
        ws.report({
          file: appModule.buildFile,
          kind: 'parse-error',
          severity: 'error',
          message: `could not build the Android model of this module: ${(e as Error).message}`,
        });
      }
    }
  }
  return apps;
}

/** Unit and instrumentation test source sets are not part of the app. */
function isTestSource(moduleDir: string, file: string): boolean {
  const parts = path.relative(moduleDir, file).split(path.sep);
  return parts[0] === 'src' && /^(test|androidTest|sharedTest|testFixtures)/.test(parts[1] ?? '');
}

async function buildApp(
  ws: Workspace,
  build: GradleBuild,
  app: GradleModule,
  manifestsOf: Map<GradleModule, ProjectFile[]>,
  sourcesOf: Map<GradleModule, ProjectFile[]>,
): Promise<AndroidApp> {
  const values = new GradleValues(ws, app);
  const namespace = moduleSetting(values, ['namespace'], 'android')?.resolved?.value ?? null;
  const applicationId = moduleSetting(values, ['applicationId'], 'defaultConfig')?.resolved?.value ?? null;

  // Library modules: follow project dependencies when the app declares any, else the whole build.
  let libraryModules: GradleModule[] = [];
  let libraryResolution: AndroidApp['libraryResolution'] = 'none';
  if (app.projectDeps.length) {
    libraryResolution = 'project-dependencies';
    const seen = new Set<GradleModule>([app]);
    const queue = [...app.projectDeps];
    let unresolved = false;
    while (queue.length) {
      const ref = queue.shift()!;
      const m = findModule(build, ref);
      if (!m) unresolved = true;
      if (!m || seen.has(m)) continue;
      seen.add(m);
      libraryModules.push(m);
      queue.push(...m.projectDeps);
    }
    if (unresolved) {
      // A dependency we cannot map to a folder (a path remapped in a way we do not read): merge
      // every library module of the build rather than miss the one that declares the service.
      libraryModules = build.modules.filter((m) => m !== app && !m.isApp && !m.buildLogic && (manifestsOf.has(m) || sourcesOf.has(m)));
      libraryResolution = 'whole-build';
    }
  } else {
    libraryModules = build.modules.filter((m) => m !== app && !m.isApp && !m.buildLogic && (manifestsOf.has(m) || sourcesOf.has(m)));
    if (libraryModules.length) libraryResolution = 'whole-build';
  }

  const manifestInputs: ManifestInput[] = [];
  const appManifests = [...(manifestsOf.get(app) ?? [])].sort((a, b) => manifestRank(app.dir, a.path) - manifestRank(app.dir, b.path));
  for (const f of appManifests) manifestInputs.push({ file: f.path, module: app.dir, fromApp: true, namespace, applicationId });
  for (const lib of libraryModules) {
    const libNamespace = moduleSetting(new GradleValues(ws, lib), ['namespace'], 'android')?.resolved?.value ?? null;
    const libManifests = [...(manifestsOf.get(lib) ?? [])].sort((a, b) => manifestRank(lib.dir, b.path) - manifestRank(lib.dir, a.path));
    for (const f of libManifests) manifestInputs.push({ file: f.path, module: lib.dir, fromApp: false, namespace: libNamespace, applicationId });
  }
  // A React Native app's build also merges the manifests of the JS libraries it links (node_modules).
  for (const lib of linkedLibraryManifests(ws, build.root)) {
    manifestInputs.push({ file: lib.file, module: lib.dir, fromApp: false, namespace: LIBRARY_NAMESPACES[lib.name] ?? null, applicationId });
  }
  const manifest = mergeManifests(ws, manifestInputs);

  const targetSdk = sdkLevel(ws, app, values, ['targetSdk', 'targetSdkVersion'], manifest.appManifest?.file ?? null, 'targetSdkVersion');
  const minLevel = sdkLevel(ws, app, values, ['minSdk', 'minSdkVersion'], manifest.appManifest?.file ?? null, 'minSdkVersion');
  const minSdk = minLevel.resolved ? minLevel : null;
  const compileSetting = withPluginConstants(ws, app, moduleSetting(values, ['compileSdk', 'compileSdkVersion'], 'android')) ?? inheritedSetting(ws, app, ['compileSdk', 'compileSdkVersion']);
  // compileSdk may be written "android-34" (compileSdkVersion 'android-34').
  const compileNumber = compileSetting?.resolved ? /(\d+)/.exec(compileSetting.resolved.value)?.[1] : undefined;
  const compileSdk: SdkLevel | null = compileNumber
    ? { value: Number(compileNumber), resolved: true, source: compileSetting!.resolved!.source, location: compileSetting!.resolved!.location }
    : null;

  const media3Resolved = media3ExoplayerVersion(ws, build);
  const media3 = media3Resolved ? { version: media3Resolved.value, location: media3Resolved.location } : null;

  const implicitPermissions: ImplicitPermission[] = [];
  if (buildDependsOn(build, 'androidx.work:work-runtime')) {
    // work-runtime's own manifest declares these; the manifest merger adds them to the app.
    for (const p of ['android.permission.FOREGROUND_SERVICE', 'android.permission.WAKE_LOCK']) implicitPermissions.push({ permission: p, library: 'androidx.work:work-runtime' });
  }
  if (media3 && compareVersions(media3.version, '1.9.0') >= 0) {
    implicitPermissions.push({ permission: 'android.permission.WAKE_LOCK', library: `androidx.media3:media3-exoplayer:${media3.version}` });
  }

  const sourceFiles = [app, ...libraryModules].flatMap((m) => sourcesOf.get(m) ?? []);
  // One file at a time: parsing is synchronous anyway, and it keeps grammar loading sequential.
  const perFile: SourceClass[][] = [];
  for (const f of sourceFiles) perFile.push(await extractSourceClasses(ws, f));
  const classes: SourceClass[] = perFile.flat();

  return {
    name: ws.relative(app.dir),
    root: app.dir,
    gradlePath: app.gradlePath,
    buildRoot: build.root,
    buildFile: app.buildFile,
    targetSdk,
    compileSdk,
    minSdk,
    ...(app.kindInferred ? { kindInferred: app.kindInferred } : {}),
    namespace,
    applicationId,
    media3,
    libraryModules: libraryModules.map((m) => m.dir),
    libraryResolution,
    implicitPermissions,
    manifest,
    sources: { classes, parsedFiles: perFile.filter((c) => c.length).length },
  };
}

/** Build-type / flavour manifests override main; a manifest outside src/ comes last. */
function manifestRank(moduleDir: string, file: string): number {
  const parts = path.relative(moduleDir, file).split(path.sep);
  if (parts[0] === 'src' && parts.length === 3) return parts[1] === 'main' ? 1 : 0;
  return 2;
}

/** A module setting its scripts leave unresolved may name a constant of the build's plugin sources. */
function withPluginConstants<T extends { resolved: ResolvedValue | null; raw: GradleToken[] | null }>(ws: Workspace, app: GradleModule, setting: T | null): T | null {
  if (!setting || setting.resolved || !setting.raw) return setting;
  const r = resolveWithPluginSources(ws, app, setting.raw);
  return r ? { ...setting, resolved: r } : setting;
}

/**
 * An SDK level: the module's own setting wins, then one from its convention plugins or the root
 * script's cross-project blocks, then `<uses-sdk>` in an old manifest, else the assumption.
 */
function sdkLevel(ws: Workspace, app: GradleModule, values: GradleValues, names: string[], appManifest: string | null, manifestAttr: string): SdkLevel {
  const setting = withPluginConstants(ws, app, moduleSetting(values, names, 'defaultConfig')) ?? inheritedSetting(ws, app, names);
  const raw = setting?.resolved?.value;
  const num = raw !== undefined ? /^\s*(\d+)\s*$/.exec(raw)?.[1] : undefined;
  if (num) return { value: Number(num), resolved: true, source: setting!.resolved!.source, location: setting!.resolved!.location };
  if (!setting && appManifest) {
    // Old projects: <uses-sdk android:targetSdkVersion="..."/> in the manifest.
    const doc = ws.xml(appManifest);
    for (const el of doc ? childElements(doc.root, 'uses-sdk') : []) {
      const a = attr(el, `android:${manifestAttr}`);
      if (a && /^\d+$/.test(a.value.trim())) {
        return { value: Number(a.value.trim()), resolved: true, source: ws.relative(appManifest), location: { file: appManifest, line: a.start.line, column: a.start.column } };
      }
    }
  }
  return { value: NEWEST_TARGET_SDK, resolved: false, source: setting ? `unresolved expression in ${ws.relative(setting.file)}` : 'not set' };
}
