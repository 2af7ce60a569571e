// `audiobg add playback-service` for an existing Android app: write PlaybackService into the app
// module's package, declare it and its permissions in the manifest, and add the Media3
// dependencies. The service, its <service> element and its permissions all come from the same
// templates that `init` uses (plus Java twins of the service under templates/android/java), so
// both paths produce the same, doctor-clean code.
//
// Nothing is written unless the result builds: the service is written in the module's language
// (Java unless the module compiles Kotlin), the module's minSdk and compileSdk must allow the
// template, and the Media3 version is the one the build already uses or the newest that fits.

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { findFiles } from '../discover/find-files.js';
import { Workspace } from '../parse/workspace.js';
import { buildAndroidApps } from '../facts/android/build-android-apps.js';
import type { AndroidApp } from '../facts/android/android-model.js';
import { catalogLibraries, catalogTable, discoverGradleBuilds, GradleValues, moduleSetting, versionOf, type GradleBuild, type GradleModule, type ResolvedValue } from '../facts/android/gradle-project.js';
import { chooseMedia3, MEDIA3_RELEASES } from '../facts/android/media3-releases.js';
import { serviceRoles } from '../facts/android/queries.js';
import { UsageError } from '../config/load-config.js';
import { attrValue, childElements, parseXml } from '../parse/xml.js';
import { ensureApplicationChild, ensurePermissions } from '../edit/manifest-edit.js';
import { indentUnitOf, indentAt, eolOf, type TextEdit, applyEdits } from '../edit/text-edit.js';
import { isIdent, isPunct, lexGradle, matchingClose, type GradleToken } from '../parse/gradle.js';
import type { PlanEntry } from './apply-plan.js';
import type { AddPlan } from './add-ios.js';
import type { AndroidStack } from './init-plan.js';
import { renderString, templatesRoot } from './render.js';
import { synthesizeSampleWav } from './sample-audio.js';
import { buildVars } from './variables.js';

export type AndroidLanguage = 'java' | 'kotlin';

/** Newest Media3 release audiobg knows (the default for a new app). */
export const MEDIA3_VERSION = MEDIA3_RELEASES[0]!.version;
const MEDIA3_GROUP = 'androidx.media3';
const MEDIA3_ARTIFACTS = ['media3-exoplayer', 'media3-session'];

/**
 * The lowest minSdk the framework-only service runs on: Icon-based notification actions and
 * PendingIntent.FLAG_IMMUTABLE are API 23; everything newer it calls is behind SDK_INT checks.
 */
export const PLATFORM_MIN_SDK = 23;
/**
 * The lowest compileSdk the framework-only service compiles against: it names
 * Context.RECEIVER_NOT_EXPORTED and Build.VERSION_CODES.TIRAMISU (33).
 */
export const PLATFORM_MIN_COMPILE_SDK = 33;

export interface AddAndroidOptions {
  stack: AndroidStack;
  moduleName?: string;
  force?: boolean;
  /** Unset: the module's own language. */
  language?: AndroidLanguage;
}

export async function planAddAndroid(into: string, options: AddAndroidOptions): Promise<AddPlan> {
  const found = findFiles(into);
  const ws = new Workspace(found.root, found.files, found.problems);
  try {
    const apps = await buildAndroidApps(ws);
    const app = pickApp(apps, options.moduleName, into);
    const module = discoverGradleBuilds(ws)
      .flatMap((b) => b.modules)
      .find((m) => m.dir === app.root && m.buildFile === app.buildFile);
    if (!module) throw new UsageError(`internal: no Gradle module for ${app.gradlePath}`);
    const hasKotlinSources = ws.files.some((f) => f.kind === 'kotlin' && f.path.startsWith(path.join(app.root, 'src') + path.sep));
    return planForApp(ws, app, module, hasKotlinSources, options);
  } finally {
    await ws.dispose();
  }
}

function pickApp(apps: AndroidApp[], name: string | undefined, into: string): AndroidApp {
  if (!apps.length) throw new UsageError(`no Android application module found under ${into} (a module whose build script applies com.android.application)`);
  if (name) {
    const hit = apps.find((a) => a.name === name || a.gradlePath === name || a.gradlePath === `:${name}`);
    if (!hit) throw new UsageError(`no application module "${name}"; the modules are: ${apps.map((a) => a.gradlePath).join(', ')}`);
    return hit;
  }
  if (apps.length > 1) throw new UsageError(`several application modules (${apps.map((a) => a.gradlePath).join(', ')}); pick one with --target <module>`);
  return apps[0]!;
}

function rel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

function patch(root: string, abs: string, original: string, next: string): PlanEntry {
  return { path: rel(root, abs), content: Buffer.from(next), original: Buffer.from(original), source: 'patch', mode: 'patch' };
}

const SESSION_ACTIONS = ['androidx.media3.session.MediaSessionService', 'androidx.media3.session.MediaLibraryService', 'android.media.browse.MediaBrowserService'];

function planForApp(ws: Workspace, app: AndroidApp, module: GradleModule, hasKotlinSources: boolean, options: AddAndroidOptions): AddPlan {
  const root = ws.root;
  const { stack, force = false } = options;
  const plan: AddPlan = { root, entries: [], actions: [], manualSteps: [], hints: [] };
  const mainManifest = app.manifest.files.find((f) => f.fromApp && f.sourceSet === 'main');
  if (!mainManifest) throw new UsageError(`${app.gradlePath} has no src/main/AndroidManifest.xml to declare the service in`);
  const pkg = app.namespace ?? mainManifest.packageName ?? app.applicationId;
  if (!pkg) throw new UsageError(`cannot tell the package of ${app.gradlePath}: set android { namespace = "..." } in its build script`);

  // Controllers (system UI, Bluetooth, Auto) expect one media service per app; do not add a rival.
  // doctor's own playback decision recognises one by its class hierarchy, the player it owns and
  // its foreground start, not only by an intent filter (many real services declare none).
  const own = `${pkg}.PlaybackService`;
  const byFilter = app.manifest.services.find((svc) => svc.name !== own && svc.actions.some((a) => SESSION_ACTIONS.includes(a.name)));
  const byRole = serviceRoles(app).find((r) => r.playback && r.decl.name !== own && r.decl.enabled !== 'false');
  const rival = byFilter ? { decl: byFilter, why: 'its intent filter names a media session service' } : byRole ? { decl: byRole.decl, why: byRole.reason } : null;
  if (rival && !force) {
    throw new UsageError(
      `${app.gradlePath} already has a media playback service, ${rival.decl.name} (${rel(root, rival.decl.location.file)}:${rival.decl.location.line}: ${rival.why}); ` +
        'a second one makes system UI and Bluetooth controllers pick either. Run "audiobg doctor" to check the existing one, or pass --force to add PlaybackService anyway.',
    );
  }

  // 0. Decide everything that can refuse before planning any file.
  const language = chooseLanguage(ws, app, module, hasKotlinSources, options.language);
  const values = new GradleValues(ws, module);
  const levels = readSdkLevels(root, values);
  const notes: string[] = [];
  let media3: Media3Plan | null = null;
  if (stack === 'platform') {
    checkPlatformLevels(app, levels);
    if (levels.minSdk.value === null) notes.push(`minSdk of ${app.gradlePath} could not be read; the service needs ${PLATFORM_MIN_SDK} or higher`);
    if (levels.compileSdk.value === null) notes.push(`compileSdk of ${app.gradlePath} could not be read; the service needs ${PLATFORM_MIN_COMPILE_SDK} or higher`);
  } else {
    media3 = planMedia3(ws, app, module, levels);
    notes.push(...media3.notes);
  }

  const vars = buildVars(path.basename(app.root), pkg);
  const stackDir = path.join(templatesRoot(), 'android', stack, 'app', 'src', 'main');
  const render = (file: string) => renderString(fs.readFileSync(file, 'utf8'), vars, file);

  // 1. The service source, in the module's package and language.
  const srcDirs = language === 'kotlin' ? ['kotlin', 'java'] : ['java'];
  const srcRoot = srcDirs.map((d) => path.join(app.root, 'src', 'main', d)).find((d) => fs.existsSync(d)) ?? path.join(app.root, 'src', 'main', 'java');
  const fileName = language === 'kotlin' ? 'PlaybackService.kt' : 'PlaybackService.java';
  const servicePath = path.join(srcRoot, ...pkg.split('.'), fileName);
  const serviceTemplate =
    language === 'kotlin' ? path.join(stackDir, 'java', '{{packagePath}}', 'PlaybackService.kt') : path.join(templatesRoot(), 'android', 'java', stack, 'PlaybackService.java');
  const otherLanguage = path.join(path.dirname(servicePath), language === 'kotlin' ? 'PlaybackService.java' : 'PlaybackService.kt');
  // Not even with --force: two classes of one name never compile.
  if (fs.existsSync(otherLanguage)) {
    throw new UsageError(
      `${rel(root, otherLanguage)} already exists; a PlaybackService in ${language === 'kotlin' ? 'Kotlin' : 'Java'} beside it would not compile. ` +
        `Keep it (run "audiobg doctor" to check it), or delete it first to replace it.`,
    );
  }
  plan.entries.push({ path: rel(root, servicePath), content: Buffer.from(render(serviceTemplate)), source: rel(templatesRoot(), serviceTemplate).replace(/^/, 'templates/'), mode: 'new' });
  plan.actions.push(
    `write ${rel(root, servicePath)} (${stack === 'media3' ? 'Media3 MediaSessionService' : 'framework Service with MediaSession'}, in ${language === 'kotlin' ? 'Kotlin' : 'Java'})`,
  );

  // 2. Resources the service needs (the framework-only service plays a bundled sample and has its own strings).
  const resDir = path.join(app.root, 'src', 'main', 'res');
  const stringsTemplate = path.join(stackDir, 'res', 'values', 'playback_strings.xml');
  let samplePath: string | null = null;
  if (fs.existsSync(stringsTemplate)) {
    const p = path.join(resDir, 'values', 'playback_strings.xml');
    plan.entries.push({ path: rel(root, p), content: Buffer.from(render(stringsTemplate)), source: `templates/android/${stack}`, mode: 'new' });
    plan.actions.push(`write ${rel(root, p)}`);
  }
  if (stack === 'platform') {
    const raw = path.join(resDir, 'raw');
    const existing = fs.existsSync(raw) ? fs.readdirSync(raw).find((f) => /^sample\./.test(f)) : undefined;
    if (existing) samplePath = path.join(raw, existing);
    else {
      samplePath = path.join(raw, 'sample.wav');
      plan.entries.push({ path: rel(root, samplePath), content: synthesizeSampleWav(), source: 'generated (synthesised sample sound)', mode: 'new' });
      plan.actions.push(`write ${rel(root, samplePath)} (a sample sound; replace it with your media)`);
    }
  }

  // 3. The manifest: the template's permissions and <service>, fully qualified.
  patchManifest(plan, root, mainManifest.file, path.join(stackDir, 'AndroidManifest.xml'), render, pkg, stack);

  // 4. Gradle: the Media3 libraries the service compiles against, and AndroidX switched on.
  if (media3) {
    for (const e of media3.entries) plan.entries.push(e);
    plan.actions.push(...media3.actions);
  }
  for (const n of notes) plan.manualSteps.push(n);

  // 5. What to do next, in terms of what now exists in this project.
  const service = rel(root, servicePath);
  const cls = language === 'kotlin' ? 'PlaybackService::class.java' : 'PlaybackService.class';
  if (stack === 'media3') {
    plan.hints.push(
      `PlaybackService (${service}) plays what a controller gives it: from an activity, connect ` +
        `MediaController.Builder(context, SessionToken(context, ComponentName(context, ${cls}))).buildAsync(), then setMediaItem(...), prepare() and play() on the controller (androidx.media3.session, now a dependency of ${app.gradlePath}).`,
    );
  } else {
    plan.hints.push(
      `From a visible activity, startService() an Intent for ${cls} with action PlaybackService.ACTION_PLAY (ACTION_PAUSE, ACTION_STOP to pause and stop); ` +
        `the service (${service}) enters the foreground itself once it holds audio focus. It plays ${rel(root, samplePath!)}: replace that file with your media.`,
    );
  }
  return plan;
}

function where(root: string, v: ResolvedValue): string {
  return v.location ? `${rel(root, v.location.file)}:${v.location.line}` : v.source;
}

interface SdkLevels {
  minSdk: { value: number | null; at: string | null };
  compileSdk: { value: number | null; at: string | null };
}

function readSdkLevels(root: string, values: GradleValues): SdkLevels {
  const read = (names: string[], block: string) => {
    const hit = moduleSetting(values, names, block);
    const r = hit?.resolved ?? null;
    const m = r ? /^(?:android-)?(\d+)$/.exec(r.value.trim()) : null;
    return { value: m ? Number(m[1]) : null, at: r ? where(root, r) : null };
  };
  return { minSdk: read(['minSdk', 'minSdkVersion'], 'defaultConfig'), compileSdk: read(['compileSdk', 'compileSdkVersion'], 'android') };
}

function checkPlatformLevels(app: AndroidApp, levels: SdkLevels): void {
  const { minSdk, compileSdk } = levels;
  if (minSdk.value !== null && minSdk.value < PLATFORM_MIN_SDK) {
    throw new UsageError(
      `${app.gradlePath} has minSdk ${minSdk.value} (${minSdk.at}); the framework-only PlaybackService runs on minSdk ${PLATFORM_MIN_SDK} (Android 6.0) and up ` +
        `(notification actions with an Icon, PendingIntent.FLAG_IMMUTABLE). Raise minSdk in defaultConfig to ${PLATFORM_MIN_SDK}, or use --android-stack media3.`,
    );
  }
  if (compileSdk.value !== null && compileSdk.value < PLATFORM_MIN_COMPILE_SDK) {
    throw new UsageError(
      `${app.gradlePath} has compileSdk ${compileSdk.value} (${compileSdk.at}); the framework-only PlaybackService needs compileSdk ${PLATFORM_MIN_COMPILE_SDK} or higher ` +
        `(it names Context.RECEIVER_NOT_EXPORTED, guarded for older devices). Raise compileSdk in android { } to at least ${PLATFORM_MIN_COMPILE_SDK}.`,
    );
  }
}

// ---------------------------------------------------------------- language

const KOTLIN_PLUGINS = new Set(['org.jetbrains.kotlin.android', 'kotlin-android', 'org.jetbrains.kotlin.multiplatform', 'kotlin-multiplatform']);

/**
 * Kotlin compiles in the module when its script applies the Kotlin Android plugin (by id, through
 * `kotlin("android")` or a catalog alias), when AGP 9+ compiles Kotlin itself (built-in Kotlin, on
 * unless android.builtInKotlin=false), or when the module already has Kotlin sources (a convention
 * plugin we cannot read may apply it).
 */
function kotlinIn(ws: Workspace, module: GradleModule, hasKotlinSources: boolean): { yes: boolean; why: string } {
  if (hasKotlinSources) return { yes: true, why: 'it has Kotlin sources' };
  const plugin = module.pluginIds.find((id) => KOTLIN_PLUGINS.has(id));
  if (plugin) return { yes: true, why: `it applies ${plugin}` };
  const t = module.script.tokens;
  for (let k = 0; k < t.length; k++) {
    if (isIdent(t[k], 'kotlin') && isPunct(t[k + 1], '(') && t[k + 2]?.kind === 'string' && ['android', 'multiplatform'].includes(t[k + 2]!.value) && isPunct(t[k + 3], ')')) {
      const st = module.script.statements.find((s) => s.tokens.includes(t[k]!));
      if (st && st.path.includes('plugins')) return { yes: true, why: `it applies kotlin("${t[k + 2]!.value}")` };
    }
  }
  const agp = agpMajor(ws, module.build);
  if (agp !== null && agp >= 9) {
    const values = new GradleValues(ws, module);
    const builtIn = values.property('android.builtInKotlin');
    if (!builtIn || builtIn.value.trim().toLowerCase() !== 'false') return { yes: true, why: `it builds with AGP ${agp}, which compiles Kotlin itself` };
  }
  return { yes: false, why: '' };
}

/** Major version of the Android Gradle plugin the build declares, or null when it cannot be read. */
function agpMajor(ws: Workspace, build: GradleBuild): number | null {
  const versions: string[] = [];
  const scripts = build.modules.filter((m) => m.gradlePath === ':').map((m) => m.script);
  if (build.settingsFile) {
    const text = ws.text(build.settingsFile)?.text;
    if (text) scripts.push({ tokens: lexGradle(text, build.settingsFile.endsWith('.kts')).tokens } as never);
  }
  for (const script of scripts) {
    const t = script.tokens as GradleToken[];
    for (let k = 0; k < t.length; k++) {
      const tok = t[k]!;
      if (tok.kind !== 'string') continue;
      if (tok.value.startsWith('com.android.tools.build:gradle:')) versions.push(tok.value.split(':')[2] ?? '');
      if (tok.value === 'com.android.application' || tok.value === 'com.android.library') {
        // id("com.android.application") version "9.0.0"  /  id 'com.android.application' version '9.0.0'
        let j = k + 1;
        if (isPunct(t[j], ')')) j++;
        if (isIdent(t[j], 'version')) {
          const v = isPunct(t[j + 1], '(') ? t[j + 2] : t[j + 1];
          if (v?.kind === 'string') versions.push(v.value);
        }
      }
    }
  }
  const plugins = build.catalog?.data.plugins;
  if (plugins && typeof plugins === 'object') {
    for (const spec of Object.values(plugins as Record<string, unknown>)) {
      if (typeof spec === 'string') {
        const [id, v] = spec.split(':');
        if ((id === 'com.android.application' || id === 'com.android.library') && v) versions.push(v);
      } else if (spec && typeof spec === 'object') {
        const o = spec as Record<string, unknown>;
        if (o.id !== 'com.android.application' && o.id !== 'com.android.library') continue;
        const v = build.catalog ? versionOf(build.catalog, o.version) : null;
        if (v) versions.push(v.version);
      }
    }
  }
  const majors = versions.map((v) => /^(\d+)\./.exec(v)).filter(Boolean).map((m) => Number(m![1]));
  return majors.length ? Math.max(...majors) : null;
}

function chooseLanguage(ws: Workspace, app: AndroidApp, module: GradleModule, hasKotlinSources: boolean, asked: AndroidLanguage | undefined): AndroidLanguage {
  const kotlin = kotlinIn(ws, module, hasKotlinSources);
  if (asked === 'java') return 'java';
  if (asked === 'kotlin' && !kotlin.yes) {
    throw new UsageError(
      `${app.gradlePath} does not compile Kotlin (${rel(ws.root, app.buildFile)} applies no Kotlin plugin and the module has no .kt sources), so a PlaybackService.kt would not build. ` +
        'Leave out --language to get the Java service, or apply the Kotlin Android plugin (id("org.jetbrains.kotlin.android")) first and run again with --language kotlin.',
    );
  }
  return asked ?? (kotlin.yes ? 'kotlin' : 'java');
}

// ---------------------------------------------------------------- Media3

interface Media3Plan {
  version: string;
  entries: PlanEntry[];
  actions: string[];
  notes: string[];
}

interface Media3Use {
  artifact: string;
  version: string;
  at: string;
  /** Catalog alias and the [versions] key its version refers to, for catalog entries. */
  alias?: string;
  versionRef?: string;
}

/** Every Media3 library the build declares, in any module's script or in the version catalog. */
function media3Uses(ws: Workspace, build: GradleBuild): Media3Use[] {
  const out: Media3Use[] = [];
  for (const m of build.modules) {
    const values = new GradleValues(ws, m);
    for (const tok of m.script.tokens) {
      if (tok.kind !== 'string' || !tok.value.startsWith(`${MEDIA3_GROUP}:`)) continue;
      const r = values.resolve([tok]);
      const parts = (r?.value ?? tok.value).split(':');
      const version = parts[2]?.split('@')[0];
      if (!parts[1] || !version) continue;
      out.push({ artifact: parts[1], version, at: `${rel(ws.root, m.buildFile)}:${tok.line}` });
    }
  }
  const cat = build.catalog;
  if (cat) {
    for (const lib of catalogLibraries(cat)) {
      if (!lib.module.startsWith(`${MEDIA3_GROUP}:`)) continue;
      const use: Media3Use = { artifact: lib.module.split(':')[1]!, version: lib.version?.value ?? '', at: `${cat.relPath} (libraries.${lib.alias})`, alias: lib.alias };
      if (lib.versionKey) use.versionRef = lib.versionKey;
      out.push(use);
    }
  }
  return out;
}

/** Whether the module's script declares dependencies through the version catalog (`libs.x`). */
function usesCatalog(module: GradleModule): boolean {
  const t = module.script.tokens;
  for (let k = 0; k < t.length; k++) {
    if (!isIdent(t[k], 'libs') || !isPunct(t[k + 1], '.') || isPunct(t[k - 1], '.')) continue;
    if (isIdent(t[k + 2]) && !['plugins', 'versions', 'bundles'].includes(t[k + 2]!.value)) return true;
    if (isIdent(t[k + 2], 'bundles')) return true;
  }
  return false;
}

function planMedia3(ws: Workspace, app: AndroidApp, module: GradleModule, levels: SdkLevels): Media3Plan {
  const root = ws.root;
  const build = module.build;
  const uses = media3Uses(ws, build).filter((u) => u.version);
  const versions = [...new Set(uses.map((u) => u.version))];
  if (versions.length > 1) {
    const list = versions.map((v) => `${v} (${uses.filter((u) => u.version === v).map((u) => u.at).join(', ')})`).join(' and ');
    throw new UsageError(
      `the build uses several Media3 versions, ${list}; all androidx.media3 libraries of an app must share one version. Align them first, then run add again.`,
    );
  }
  const choice = chooseMedia3({ minSdk: levels.minSdk.value, compileSdk: levels.compileSdk.value, existing: versions[0] ?? null });
  if (!choice.ok) {
    const at = choice.raise
      .map((r) => (r.setting === 'minSdk' ? levels.minSdk.at : levels.compileSdk.at))
      .filter(Boolean)
      .join(', ');
    throw new UsageError(`${app.gradlePath}: ${choice.message}${at ? ` (set in ${at})` : ''}`);
  }
  const version = choice.release.version;
  const notes: string[] = [];
  if (choice.reason === 'newest-that-fits') {
    if (levels.minSdk.value === null) notes.push(`minSdk of ${app.gradlePath} could not be read; Media3 ${version} needs minSdk ${choice.release.minSdk} or higher`);
    if (levels.compileSdk.value === null) notes.push(`compileSdk of ${app.gradlePath} could not be read; Media3 ${version} needs compileSdk ${choice.release.minCompileSdk} or higher`);
  }
  const why =
    choice.reason === 'existing'
      ? 'the version the build already uses'
      : version === MEDIA3_VERSION
        ? 'the newest release'
        : `the newest release that minSdk ${levels.minSdk.value ?? '?'} and compileSdk ${levels.compileSdk.value ?? '?'} allow`;

  const plan: Media3Plan = { version, entries: [], actions: [], notes };

  // AndroidX must be on: Media3 is an AndroidX library.
  androidX(ws, build, plan);

  // The dependencies: through the catalog when the module declares its dependencies there.
  const buildText = fs.readFileSync(app.buildFile, 'utf8');
  const kotlinDsl = app.buildFile.endsWith('.kts');
  const aliasesOf = new Map<string, string[]>();
  for (const u of uses) if (u.alias) aliasesOf.set(u.artifact, [...(aliasesOf.get(u.artifact) ?? []), u.alias.replace(/[-_]/g, '.')]);
  const present = presentMedia3(buildText, kotlinDsl, aliasesOf);
  const missing = MEDIA3_ARTIFACTS.filter((a) => !present.has(a));
  if (!missing.length) return plan;

  const cat = build.catalog;
  let lines: string[];
  if (cat && usesCatalog(module)) {
    const catText = fs.readFileSync(cat.file, 'utf8');
    const { text: nextCat, accessors } = ensureCatalogLibraries(catText, build, missing, version, uses);
    if (nextCat !== catText) {
      plan.entries.push(patch(root, cat.file, catText, nextCat));
      plan.actions.push(`update ${rel(root, cat.file)} (androidx.media3 ${version}, ${why})`);
    }
    lines = missing.map((a) => (kotlinDsl ? `implementation(libs.${accessors.get(a)})` : `implementation libs.${accessors.get(a)}`));
  } else {
    lines = missing.map((a) => (kotlinDsl ? `implementation("${MEDIA3_GROUP}:${a}:${version}")` : `implementation '${MEDIA3_GROUP}:${a}:${version}'`));
  }
  const next = addDependencyLines(buildText, kotlinDsl, lines);
  plan.entries.push(patch(root, app.buildFile, buildText, next));
  plan.actions.push(`update ${rel(root, app.buildFile)} (${missing.join(', ')}; androidx.media3 ${version}, ${why})`);
  return plan;
}

/** android.useAndroidX=true in the build's gradle.properties: added when absent, never flipped. */
function androidX(ws: Workspace, build: GradleBuild, plan: Media3Plan): void {
  const file = build.propertiesFile ?? path.join(build.root, 'gradle.properties');
  const entry = build.properties?.entries.get('android.useAndroidX');
  if (entry) {
    if (entry.value.trim().toLowerCase() === 'true') return;
    throw new UsageError(
      `${rel(ws.root, file)}:${entry.line} sets android.useAndroidX=${entry.value.trim()}; Media3 is an AndroidX library and the build fails without it. ` +
        'Migrate the app to AndroidX and set it to true (Android Studio: Refactor > Migrate to AndroidX), or use --android-stack platform, which needs no AndroidX.',
    );
  }
  const line = 'android.useAndroidX=true';
  if (build.propertiesFile && fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const eol = eolOf(text);
    const next = `${text}${text === '' || text.endsWith('\n') || text.endsWith('\r') ? '' : eol}${line}${eol}`;
    plan.entries.push(patch(ws.root, file, text, next));
  } else {
    plan.entries.push({ path: rel(ws.root, file), content: Buffer.from(`# Media3 is an AndroidX library.\n${line}\n`), source: 'generated', mode: 'new' });
  }
  plan.actions.push(`update ${rel(ws.root, file)} (android.useAndroidX=true, which Media3 needs)`);
}

/** The Media3 artifacts the script already uses: a coordinate string, or a catalog accessor `libs.<alias>`. */
function presentMedia3(text: string, kotlin: boolean, aliases: Map<string, string[]>): Set<string> {
  const { tokens } = lexGradle(text, kotlin);
  const accessors = new Set<string>();
  for (let k = 0; k < tokens.length; k++) {
    if (tokens[k]!.kind === 'ident' && tokens[k]!.value === 'libs') {
      const parts: string[] = [];
      let j = k + 1;
      while (tokens[j]?.value === '.' && tokens[j + 1]?.kind === 'ident') {
        parts.push(tokens[j + 1]!.value);
        j += 2;
      }
      accessors.add(parts.join('.').toLowerCase());
    }
  }
  const out = new Set<string>();
  for (const artifact of MEDIA3_ARTIFACTS) {
    const byString = tokens.some((t) => t.kind === 'string' && t.value.startsWith(`${MEDIA3_GROUP}:${artifact}`));
    const byAlias = (aliases.get(artifact) ?? []).some((a) => accessors.has(a.toLowerCase()));
    if (byString || byAlias) out.add(artifact);
  }
  return out;
}

/**
 * Adds the missing Media3 libraries (and, when no Media3 library names one yet, a version) to the
 * catalog text, each as one line at the end of its table. Returns the accessor of each artifact.
 */
export function ensureCatalogLibraries(text: string, build: GradleBuild, missing: string[], version: string, uses: Media3Use[]): { text: string; accessors: Map<string, string> } {
  const accessors = new Map<string, string>();
  const versions = catalogTable(build.catalog, 'versions');
  const libraries = catalogTable(build.catalog, 'libraries');
  const norm = (s: string) => s.replace(/[-_.]/g, '').toLowerCase();
  const taken = new Set(Object.keys(libraries).map(norm));
  // The [versions] key: the one existing Media3 libraries refer to, else a new one.
  let ref = uses.find((u) => u.versionRef && u.version === version)?.versionRef;
  const versionLines: string[] = [];
  if (!ref) {
    ref = ['media3', 'androidx-media3', 'media3-audiobg'].find((k) => versions[k] === version || !Object.keys(versions).some((x) => norm(x) === norm(k))) ?? 'media3-audiobg';
    if (versions[ref] !== version) versionLines.push(`${ref} = "${version}"`);
  }
  const libraryLines: string[] = [];
  for (const artifact of missing) {
    const existing = uses.find((u) => u.alias && u.artifact === artifact);
    if (existing) {
      accessors.set(artifact, existing.alias!.replace(/[-_]/g, '.'));
      continue;
    }
    let alias = `androidx-${artifact}`;
    if (taken.has(norm(alias))) alias = `${artifact}-audiobg`;
    taken.add(norm(alias));
    libraryLines.push(`${alias} = { group = "${MEDIA3_GROUP}", name = "${artifact}", version.ref = "${ref}" }`);
    accessors.set(artifact, alias.replace(/[-_]/g, '.'));
  }
  let next = appendToTable(text, 'versions', versionLines);
  next = appendToTable(next, 'libraries', libraryLines);
  try {
    parseToml(next);
  } catch (e) {
    throw new UsageError(`internal: the edited version catalog would not parse (${(e as Error).message.split('\n')[0]}); nothing was written`);
  }
  return { text: next, accessors };
}

/** Inserts lines after the last entry of `[table]`, or appends the table when it is missing. */
function appendToTable(text: string, table: string, lines: string[]): string {
  if (!lines.length) return text;
  const eol = eolOf(text);
  const all = text.split(/\r?\n/);
  const header = all.findIndex((l) => new RegExp(`^\\s*\\[\\s*${table}\\s*\\]\\s*(#.*)?$`).test(l));
  if (header < 0) {
    const sep = text === '' || text.endsWith('\n') ? '' : eol;
    return `${text}${sep}${text.trim() ? eol : ''}[${table}]${eol}${lines.join(eol)}${eol}`;
  }
  let end = all.length;
  for (let i = header + 1; i < all.length; i++) {
    if (/^\s*\[/.test(all[i]!)) {
      end = i;
      break;
    }
  }
  let last = end - 1;
  while (last > header && all[last]!.trim() === '') last--;
  all.splice(last + 1, 0, ...lines);
  return all.join(eol);
}

/** Adds lines to the script's top-level `dependencies { }` block (created when absent). */
export function addDependencyLines(text: string, kotlin: boolean, lines: string[]): string {
  if (!lines.length) return text;
  const { tokens } = lexGradle(text, kotlin);
  const eol = eolOf(text);
  const block = topLevelBlock(tokens, 'dependencies');
  const unit = indentUnitOf(text);
  if (!block) {
    const sep = text.endsWith('\n') ? '' : eol;
    return `${text}${sep}${eol}dependencies {${eol}${lines.map((l) => unit + l).join(eol)}${eol}}${eol}`;
  }
  const close = tokens[block.close]!;
  const closeIndent = indentAt(text, close.offset);
  const firstInside = tokens.slice(block.open + 1, block.close).find((t) => t.kind !== 'newline');
  const itemIndent = firstInside ? indentAt(text, firstInside.offset) : closeIndent + unit;
  const lineStart = close.offset - closeIndent.length;
  const edit: TextEdit =
    text.slice(lineStart, close.offset).trim() === ''
      ? { start: lineStart, end: lineStart, text: lines.map((l) => itemIndent + l + eol).join('') }
      : { start: close.offset, end: close.offset, text: `${eol}${lines.map((l) => itemIndent + l).join(eol)}${eol}${closeIndent}` };
  return applyEdits(text, [edit]);
}

function topLevelBlock(tokens: GradleToken[], name: string): { open: number; close: number } | null {
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'punct' && (t.value === '{' || t.value === '(' || t.value === '[')) depth++;
    else if (t.kind === 'punct' && (t.value === '}' || t.value === ')' || t.value === ']')) depth--;
    else if (depth === 0 && t.kind === 'ident' && t.value === name) {
      let j = k + 1;
      while (tokens[j]?.kind === 'newline') j++;
      if (tokens[j]?.kind === 'punct' && tokens[j]!.value === '{') {
        const close = matchingClose(tokens, j);
        if (close > 0) return { open: j, close };
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------- manifest

function patchManifest(plan: AddPlan, root: string, manifestFile: string, templateFile: string, render: (f: string) => string, pkg: string, stack: AndroidStack): void {
  const template = parseXml(render(templateFile));
  const permissions = childElements(template.root, 'uses-permission').flatMap((e) => {
    const n = attrValue(e, 'android:name');
    return n ? [n] : [];
  });
  const app0 = childElements(template.root, 'application')[0];
  const serviceEl = app0 ? childElements(app0, 'service')[0] : undefined;
  if (!serviceEl) throw new UsageError(`internal: the ${stack} template has no <service>`);
  const manifestText = fs.readFileSync(manifestFile, 'utf8');
  // tools: attributes need the tools namespace; keep them only where the manifest declares it.
  const hasTools = attrValue(parseXml(manifestText).root, 'xmlns:tools') !== undefined;
  let templateText = template.text.slice(serviceEl.start.offset, serviceEl.end);
  if (!hasTools) {
    const base = serviceEl.start.offset;
    for (const a of [...serviceEl.attributes].reverse()) {
      if (!a.name.startsWith('tools:')) continue;
      let from = a.start.offset - base;
      while (from > 0 && /\s/.test(templateText[from - 1]!)) from--;
      templateText = templateText.slice(0, from) + templateText.slice(a.valueEnd + 1 - base);
    }
  }
  const templateIndent = indentAt(template.text, serviceEl.start.offset);
  const templateUnit = indentUnitOf(template.text);
  const className = `${pkg}.PlaybackService`;
  let nextManifest = ensurePermissions(manifestText, permissions);
  const result = ensureApplicationChild(nextManifest, 'service', className, (unit) =>
    templateText
      .replace(/android:name="\.PlaybackService"/, `android:name="${className}"`)
      .split(/\r?\n/)
      .map((line, i) => {
        if (i === 0) return line;
        const body = line.startsWith(templateIndent) ? line.slice(templateIndent.length) : line.trimStart();
        const lead = /^[ \t]*/.exec(body)![0];
        const depth = templateUnit === '\t' ? lead.length : Math.round(lead.length / templateUnit.length);
        return unit.repeat(depth) + body.slice(lead.length);
      }),
  );
  nextManifest = result.text;
  if (result.existing) {
    plan.actions.push(`${rel(root, manifestFile)} already declares ${className}; left as it is (run "audiobg doctor" to check it)`);
  }
  if (nextManifest !== manifestText) {
    plan.entries.push(patch(root, manifestFile, manifestText, nextManifest));
    plan.actions.push(`update ${rel(root, manifestFile)} (${result.existing ? '' : '<service>, '}permissions)`);
  }
}
