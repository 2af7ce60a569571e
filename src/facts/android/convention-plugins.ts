// Convention plugins: plugin ids a Gradle build defines itself, in an included build (`build-logic/`,
// `plugins/`, any `includeBuild("…")`) or in `buildSrc/`. A module that applies `id("acme.app")`
// gets whatever that plugin's own sources apply (`com.android.application`) and configure
// (`targetSdk = 35`). This file reads those sources, lazily: only when a module applies an id that is
// not a known plugin, and each included build is listed and indexed once.
//
// Plugin sources are Kotlin, Groovy or Java classes (registered by id in the included build's
// `gradlePlugin { plugins { register("x") { id = "…"; implementationClass = "…" } } }`) and precompiled
// script plugins (`src/main/kotlin/acme.app.gradle.kts`: the file name is the id). They are read with
// the Gradle tokenizer, which drops comments and keeps strings whole, so only real code counts.

import fs from 'node:fs';
import path from 'node:path';
import { SKIPPED_DIRS } from '../../discover/file-kinds.js';
import { isIdent, isPunct, matchingClose, parseGradle, splitAssignment, type GradleScript, type GradleToken } from '../../parse/gradle.js';
import type { Workspace } from '../../parse/workspace.js';

/** One source file of an included build, parsed. */
export interface ConventionSource {
  file: string;
  script: GradleScript;
}

/** The parts of a build the plugin reader needs (kept narrow to avoid a cycle with gradle-project.ts). */
export interface ConventionHost {
  root: string;
  settingsFile: string | null;
  /** The parsed settings script (shared with the rest of the Gradle reader). */
  settingsScript(): GradleScript | null;
  /** Plugin id of a version-catalog accessor chain (`libs.plugins.acme.app` → "acme.app"), or null. */
  catalogPluginId(catalogName: string, accessor: string): string | null;
}

export interface ConventionExpansion {
  /** Every plugin id reached, the convention ids themselves included. */
  ids: string[];
  /** Convention ids found in the build's sources (these are trusted over any guess from their names). */
  resolved: Set<string>;
  /** Sources of the applied convention plugins, then the helper files they call, in that order. */
  sources: ConventionSource[];
}

/** Limits that keep a huge or odd build-logic folder cheap. */
const MAX_FILES_PER_BUILD = 3000;
const MAX_WALK_DEPTH = 12;
const MAX_DIRS_PER_BUILD = 4000;
const MAX_REACHED_FILES = 60;

interface PluginDef {
  /** The precompiled script, or the class name to find. */
  file?: string;
  className?: string;
}

interface IncludedBuild {
  dir: string;
  sources: ConventionSource[];
  defs: Map<string, PluginDef>;
  /** Top-level and member function names → files that declare them. */
  functions: Map<string, Set<ConventionSource>>;
  /** Class / object name → files that declare it. */
  classes: Map<string, ConventionSource[]>;
}

/** Plugin classes of the Android Gradle plugin (com.android.build.gradle.*) and the ids they stand for. */
const AGP_PLUGIN_CLASSES: Record<string, string> = {
  AppPlugin: 'com.android.application',
  LibraryPlugin: 'com.android.library',
  DynamicFeaturePlugin: 'com.android.dynamic-feature',
  TestPlugin: 'com.android.test',
};

const SOURCE_EXT = /\.(kt|kts|groovy|gradle|java)$/;

/** Reads and indexes the convention plugins of one build. */
export class ConventionPlugins {
  private builds: IncludedBuild[] | null = null;
  private dirs: string[] | null = null;
  private readonly expansions = new Map<string, ConventionExpansion>();
  private constantMap: Map<string, { tokens: GradleToken[]; source: ConventionSource }> | null = null;

  constructor(
    private readonly ws: Workspace,
    private readonly host: ConventionHost,
  ) {}

  /** Folders of the builds that may define plugins: includeBuild(…) in settings, and buildSrc. */
  includedBuildDirs(): string[] {
    if (this.dirs) return this.dirs;
    const dirs: string[] = [];
    this.dirs = dirs;
    const root = this.host.root;
    const add = (d: string) => {
      // includeBuild(".") or ("..") substitutes the build itself: its modules are not plugin sources.
      if (d === root || root.startsWith(d + path.sep)) return;
      if (!dirs.includes(d) && isDir(d)) dirs.push(d);
    };
    const script = this.host.settingsFile ? this.host.settingsScript() : null;
    if (script && this.host.settingsFile) {
      // Builds included under pluginManagement only provide plugins. A top-level includeBuild may be
      // an ordinary composite build with app modules: it counts only if one of its scripts builds plugins.
      const inPluginManagement = new Set<GradleToken>();
      for (const st of script.statements) if (st.path.includes('pluginManagement')) for (const x of st.tokens) inPluginManagement.add(x);
      const tok = script.tokens;
      for (let k = 0; k < tok.length; k++) {
        if (!isIdent(tok[k], 'includeBuild') || isPunct(tok[k - 1], '.')) continue;
        const arg = isPunct(tok[k + 1], '(') ? tok[k + 2] : tok[k + 1];
        if (arg?.kind !== 'string' || arg.interpolated) continue;
        const dir = path.resolve(path.dirname(this.host.settingsFile), arg.value);
        if (inPluginManagement.has(tok[k]!) || this.buildsPlugins(dir)) add(dir);
      }
    }
    add(path.join(this.host.root, 'buildSrc'));
    return dirs;
  }

  /** Whether a build script of the folder (as discovered) declares `gradlePlugin {}` or applies kotlin-dsl / java-gradle-plugin. */
  private buildsPlugins(dir: string): boolean {
    const prefix = dir + path.sep;
    for (const f of this.ws.filesOfKind('gradle')) {
      if (!f.path.startsWith(prefix)) continue;
      const t = this.ws.text(f.path)?.text;
      if (!t || !/gradlePlugin|kotlin-dsl|java-gradle-plugin/.test(t)) continue; // cheap prefilter
      const script = parseGradle(t, f.path.endsWith('.kts'));
      for (const x of script.tokens) {
        if ((x.kind === 'ident' && (x.value === 'gradlePlugin' || x.value === 'kotlin-dsl')) || (x.kind === 'string' && (x.value === 'java-gradle-plugin' || x.value === 'kotlin-dsl'))) return true;
      }
    }
    return false;
  }

  /**
   * Follow plugin ids through the build's convention plugins: the ids they apply, transitively.
   * `isKnown` says which ids need no look-up (Android and other well-known plugins).
   */
  expand(ids: string[], isKnown: (id: string) => boolean): ConventionExpansion {
    // Modules of one build mostly apply the same few plugin lists: expand each list once.
    const key = ids.join('\n');
    let cached = this.expansions.get(key);
    if (!cached) {
      cached = this.expandUncached(ids, isKnown);
      this.expansions.set(key, cached);
    }
    return cached;
  }

  private expandUncached(ids: string[], isKnown: (id: string) => boolean): ConventionExpansion {
    const out: ConventionExpansion = { ids: [...ids], resolved: new Set(), sources: [] };
    const queue = ids.filter((id) => !isKnown(id));
    if (!queue.length) return out;
    const builds = this.index();
    if (!builds.length) return out;
    const seenIds = new Set<string>(ids);
    const seenSources = new Set<ConventionSource>();
    const pluginSources: ConventionSource[] = [];
    const visitSource = (src: ConventionSource, build: IncludedBuild) => {
      if (seenSources.has(src)) return;
      seenSources.add(src);
      pluginSources.push(src);
      for (const ref of this.refsOf(src)) {
        if (ref.id !== undefined) {
          if (!seenIds.has(ref.id)) {
            seenIds.add(ref.id);
            out.ids.push(ref.id);
            if (!isKnown(ref.id)) queue.push(ref.id);
          }
        } else if (ref.className) {
          const own = build.classes.get(ref.className);
          if (own) for (const s of own) visitSource(s, build);
          else {
            // The Android Gradle plugin's own classes: plugins.apply(AppPlugin::class.java).
            const id = AGP_PLUGIN_CLASSES[ref.className];
            if (id && !seenIds.has(id)) {
              seenIds.add(id);
              out.ids.push(id);
            }
          }
        }
      }
    };
    while (queue.length) {
      const id = queue.shift()!;
      for (const b of builds) {
        const def = b.defs.get(id);
        if (!def) continue;
        out.resolved.add(id);
        const srcs = def.file ? b.sources.filter((s) => s.file === def.file) : (b.classes.get(simpleName(def.className!)) ?? []);
        for (const s of srcs) visitSource(s, b);
        break;
      }
    }
    // Helper functions the plugins call (`configureKotlinAndroid(this)`), transitively, for SDK levels.
    const reached = [...pluginSources];
    const inReached = new Set(reached);
    for (let i = 0; i < reached.length && reached.length < MAX_REACHED_FILES; i++) {
      const src = reached[i]!;
      const b = builds.find((x) => src.file.startsWith(x.dir + path.sep));
      if (!b) continue;
      const t = src.script.tokens;
      for (let k = 0; k < t.length; k++) {
        if (!isIdent(t[k]) || !(isPunct(t[k + 1], '(') || isPunct(t[k + 1], '{')) || isIdent(t[k - 1], 'fun')) continue;
        for (const f of b.functions.get(t[k]!.value) ?? []) {
          if (inReached.has(f)) continue;
          inReached.add(f);
          reached.push(f);
        }
      }
    }
    out.sources = reached;
    return out;
  }

  /** Constants of the build's plugin sources, indexed once. */
  constants(): Map<string, { tokens: GradleToken[]; source: ConventionSource }> {
    if (!this.constantMap) this.constantMap = conventionConstants(this.allSources());
    return this.constantMap;
  }

  /** A plugin id written as a constant of the plugin sources (`AcmePlugins.App.android`), or null. */
  constantString(chain: string): string | null {
    const parts = chain.split('.');
    const c = this.constants().get(parts.slice(-2).join('.')) ?? (parts.length === 1 ? this.constants().get(parts[0]!) : undefined);
    const v = c?.tokens;
    return v && v.length === 1 && v[0]!.kind === 'string' && !v[0]!.interpolated ? v[0]!.value : null;
  }

  private refsOf(src: ConventionSource): PluginRef[] {
    return this.ws.cached(src.file, 'convention-plugin-refs', () => pluginRefs(src.script, this.host));
  }

  /** Every parsed source of the build's plugin builds (for constants such as `AndroidConfig.TARGET_SDK`). */
  allSources(): ConventionSource[] {
    return this.index().flatMap((b) => b.sources);
  }

  private index(): IncludedBuild[] {
    if (this.builds) return this.builds;
    this.builds = this.includedBuildDirs().map((dir) => this.indexBuild(dir));
    return this.builds;
  }

  private indexBuild(dir: string): IncludedBuild {
    const b: IncludedBuild = { dir, sources: [], defs: new Map(), functions: new Map(), classes: new Map() };
    const files = listSources(dir);
    for (const file of files) {
      const src = this.read(file);
      if (!src) continue;
      b.sources.push(src);
      const base = path.basename(file);
      const inSrc = path.relative(dir, file).split(path.sep).includes('src');
      if (!inSrc && (base === 'build.gradle' || base === 'build.gradle.kts')) {
        for (const [id, cls] of registeredPlugins(src.script, this.host)) if (!b.defs.has(id)) b.defs.set(id, { className: cls });
        continue;
      }
      if (!inSrc) continue;
      // Precompiled script plugin: src/main/kotlin/acme.app.gradle.kts → "acme.app" (with the file's package, if any).
      const scriptId = base.endsWith('.gradle.kts') ? base.slice(0, -'.gradle.kts'.length) : base.endsWith('.gradle') ? base.slice(0, -'.gradle'.length) : null;
      if (scriptId) {
        const pkg = packageOf(src.script);
        const id = pkg ? `${pkg}.${scriptId}` : scriptId;
        if (!b.defs.has(id)) b.defs.set(id, { file });
        continue;
      }
      indexDeclarations(src, b);
    }
    return b;
  }

  private read(file: string): ConventionSource | null {
    return this.ws.cached(file, 'convention-source', () => {
      const text = this.ws.file(file) ? (this.ws.text(file)?.text ?? null) : this.ws.readOutside(file);
      if (text === null) return null;
      // Kotlin files and .kts scripts nest block comments; Groovy and Java do not.
      const kotlin = file.endsWith('.kt') || file.endsWith('.kts');
      return { file, script: parseGradle(text, kotlin) };
    });
  }
}

function isDir(d: string): boolean {
  try {
    return fs.statSync(d).isDirectory();
  } catch {
    return false;
  }
}

/** Build scripts and plugin sources of an included build, skipping output and nested tooling folders. */
function listSources(root: string): string[] {
  const out: string[] = [];
  let dirs = 0;
  // Inside src/, `build` is a package name (com/acme/build), not Gradle's output folder.
  const walk = (dir: string, depth: number, inSrc = false) => {
    // An includeBuild("..") can point at a whole repository: the walk stays bounded.
    if (depth > MAX_WALK_DEPTH || out.length >= MAX_FILES_PER_BUILD || ++dirs > MAX_DIRS_PER_BUILD) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_FILES_PER_BUILD) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if ((SKIPPED_DIRS.has(e.name) && !(inSrc && e.name === 'build')) || /^(test|androidTest|testFixtures|functionalTest|integrationTest)$/.test(e.name)) continue;
        walk(p, depth + 1, inSrc || e.name === 'src');
      } else if (e.isFile() && SOURCE_EXT.test(e.name) && e.name !== 'settings.gradle' && e.name !== 'settings.gradle.kts') {
        out.push(p);
      }
    }
  };
  walk(root, 0);
  return out;
}

function simpleName(qualified: string): string {
  const parts = qualified.split('.');
  return parts[parts.length - 1]!;
}

function packageOf(script: GradleScript): string | null {
  const first = script.statements[0]?.tokens;
  if (!first || !isIdent(first[0], 'package')) return null;
  const parts: string[] = [];
  for (let k = 1; k < first.length; k++) {
    const t = first[k]!;
    if (t.kind === 'ident') parts.push(t.value);
    else if (!isPunct(t, '.')) return null;
  }
  return parts.length ? parts.join('.') : null;
}

/**
 * Record the classes, objects and top-level functions a source file declares. Member functions are
 * left out: `override fun apply(…)` of every plugin class would otherwise make each `apply("x")`
 * call look like a call into every other plugin.
 */
function indexDeclarations(src: ConventionSource, b: IncludedBuild): void {
  const t = src.script.tokens;
  let depth = 0;
  for (let k = 0; k < t.length; k++) {
    if (isPunct(t[k], '{')) depth++;
    else if (isPunct(t[k], '}')) depth = Math.max(0, depth - 1);
    if ((isIdent(t[k], 'class') || isIdent(t[k], 'object') || isIdent(t[k], 'interface')) && isIdent(t[k + 1]) && !isPunct(t[k - 1], '.') && !isPunct(t[k - 1], '::')) {
      const list = b.classes.get(t[k + 1]!.value) ?? [];
      if (!list.includes(src)) list.push(src);
      b.classes.set(t[k + 1]!.value, list);
    }
    if (isIdent(t[k], 'fun') && depth === 0) {
      // fun name( / fun Receiver.name( / fun <T> Receiver<T>.name(
      let j = k + 1;
      if (isPunct(t[j], '<')) {
        let depth = 0;
        for (; j < t.length; j++) {
          if (isPunct(t[j], '<')) depth++;
          else if (isPunct(t[j], '>') && --depth === 0) break;
        }
        j++;
      }
      let name: string | null = null;
      for (let guard = 0; j < t.length && guard < 40; guard++, j++) {
        if (isPunct(t[j], '(')) break;
        if (isIdent(t[j])) name = t[j]!.value;
      }
      if (name) {
        const set = b.functions.get(name) ?? new Set();
        set.add(src);
        b.functions.set(name, set);
      }
    }
  }
}

/** `gradlePlugin { plugins { register("x") { id = "…"; implementationClass = "…" } } }` → [id, class]. */
function registeredPlugins(script: GradleScript, host: ConventionHost): [string, string][] {
  const groups = new Map<string, { id?: string; cls?: string }>();
  for (const st of script.statements) {
    if (st.blockHead || !st.path.includes('gradlePlugin')) continue;
    const a = splitAssignment(st.tokens);
    if (!a || a.target.length !== 1) continue;
    const key = st.path.join('/');
    const g = groups.get(key) ?? {};
    if (a.target[0] === 'id') {
      const id = pluginIdOf(a.value, host);
      if (id) g.id = id;
    } else if (a.target[0] === 'implementationClass') {
      const s = a.value.length === 1 && a.value[0]!.kind === 'string' && !a.value[0]!.interpolated ? a.value[0]!.value : null;
      if (s) g.cls = s;
    }
    groups.set(key, g);
  }
  const out: [string, string][] = [];
  for (const g of groups.values()) if (g.id && g.cls) out.push([g.id, g.cls]);
  return out;
}

const ID_WRAPPERS = new Set(['get', 'asProvider', 'pluginId', 'getPluginId', 'orNull']);

/**
 * A plugin id expression: a string, or a version-catalog plugin (`libs.plugins.acme.app` with
 * `.get().pluginId` / `.asProvider()`, or `libs.findPlugin("acme-app").get().get().pluginId`).
 */
export function pluginIdOf(tokens: GradleToken[], host: Pick<ConventionHost, 'catalogPluginId'>): string | null {
  if (tokens.length === 1 && tokens[0]!.kind === 'string') return tokens[0]!.interpolated ? null : tokens[0]!.value;
  const t = tokens;
  if (!isIdent(t[0])) return null;
  // libs.findPlugin("x")… / project.libs.findPlugin("x")… (the catalog is taken to be `libs`)
  const find = t.findIndex((x, k) => isIdent(x, 'findPlugin') && isPunct(t[k - 1], '.') && isPunct(t[k + 1], '(') && t[k + 2]?.kind === 'string' && isPunct(t[k + 3], ')'));
  if (find > 0) return host.catalogPluginId(isIdent(t[find - 2]) ? t[find - 2]!.value : 'libs', t[find + 2]!.value);
  // libs.plugins.a.b[.get()][.pluginId]
  if (!isPunct(t[1], '.') || !isIdent(t[2], 'plugins')) return null;
  const chain: string[] = [];
  let k = 3;
  while (isPunct(t[k], '.') && isIdent(t[k + 1])) {
    const name = t[k + 1]!.value;
    if (ID_WRAPPERS.has(name)) break;
    chain.push(name);
    k += 2;
  }
  if (!chain.length) return null;
  return host.catalogPluginId(t[0]!.value, chain.join('.'));
}

/** A plugin a convention source applies: by id, or by its class (`apply<AcmePlugin>()`). */
interface PluginRef {
  id?: string;
  className?: string;
}

/**
 * What a convention plugin's source applies. Precompiled scripts: `plugins { id("x") / alias(…) }`.
 * Classes and scripts: `apply(plugin = "x")`, `apply plugin: 'x'`, `pluginManager.apply("x")`,
 * `plugins.apply("x")`, a bare `apply("x")` inside `with(pluginManager)` / `pluginManager.run { }`,
 * `apply<OtherPlugin>()` and `apply(OtherPlugin::class.java)`. `withPlugin("x") { }` / `withId`
 * only react to a plugin and are not applications.
 */
export function pluginRefs(script: GradleScript, host: ConventionHost): PluginRef[] {
  const refs: PluginRef[] = [];
  for (const st of script.statements) {
    const t = st.tokens;
    const inPlugins = st.path[st.path.length - 1] === 'plugins' && !st.path.includes('gradlePlugin');
    const applyFalse = t.some((x, k) => isIdent(x, 'apply') && (isIdent(t[k + 1], 'false') || (isPunct(t[k + 1], '(') && isIdent(t[k + 2], 'false'))));
    for (let k = 0; k < t.length; k++) {
      if (inPlugins && !applyFalse && isIdent(t[k], 'id') && !isPunct(t[k - 1], '.')) {
        const s = isPunct(t[k + 1], '(') ? t[k + 2] : t[k + 1];
        if (s?.kind === 'string' && !s.interpolated) refs.push({ id: s.value });
      }
      if (inPlugins && !applyFalse && isIdent(t[k], 'alias') && isPunct(t[k + 1], '(')) {
        const close = matchingClose(t, k + 1);
        const id = pluginIdOf(t.slice(k + 2, close < 0 ? t.length : close), host);
        if (id) refs.push({ id });
      }
      if (!isIdent(t[k], 'apply')) continue;
      // project.pluginManager.apply 'x' (Groovy command call)
      if (isPunct(t[k - 1], '.') && t[k + 1]?.kind === 'string' && !t[k + 1]!.interpolated) {
        refs.push({ id: t[k + 1]!.value });
        continue;
      }
      // apply plugin: 'x' (Groovy)
      if (isIdent(t[k + 1], 'plugin') && isPunct(t[k + 2], ':') && t[k + 3]?.kind === 'string') {
        refs.push({ id: t[k + 3]!.value });
        continue;
      }
      // apply<X>() / apply<a.b.X>()
      if (isPunct(t[k + 1], '<')) {
        let j = k + 2;
        while (isIdent(t[j]) && isPunct(t[j + 1], '.')) j += 2;
        if (isIdent(t[j]) && isPunct(t[j + 1], '>')) refs.push({ className: t[j]!.value });
        continue;
      }
      if (!isPunct(t[k + 1], '(')) continue;
      const close = matchingClose(t, k + 1);
      let arg = t.slice(k + 2, close < 0 ? t.length : close);
      // apply(plugin = "x") / apply(plugin: 'x') / project.apply(mapOf("plugin" to "x")) is rare: skipped.
      if (isIdent(arg[0], 'plugin') && (isPunct(arg[1], '=') || isPunct(arg[1], ':'))) arg = arg.slice(2);
      else if (isIdent(arg[0])  && (isPunct(arg[1], '=') || isPunct(arg[1], ':'))) continue; // apply(from = …), apply(to = …)
      // X::class.java / a.b.X::class / X.class (Java, Groovy)
      const dc = arg.findIndex((x) => isPunct(x, '::'));
      if (dc > 0 && isIdent(arg[dc - 1]) && isIdent(arg[dc + 1], 'class')) {
        refs.push({ className: arg[dc - 1]!.value });
        continue;
      }
      const n = arg.length;
      if (n >= 3 && isIdent(arg[n - 1], 'class') && isPunct(arg[n - 2], '.') && isIdent(arg[n - 3]) && arg.every((x) => x.kind === 'ident' || isPunct(x, '.'))) {
        refs.push({ className: arg[n - 3]!.value });
        continue;
      }
      const id = pluginIdOf(arg, host);
      if (id) refs.push({ id });
    }
  }
  return refs;
}

/** Statements assigning one of `names` in convention sources, with the file they are in. */
export function conventionAssignments(sources: ConventionSource[], names: string[]): { tokens: GradleToken[]; source: ConventionSource }[] {
  const out: { tokens: GradleToken[]; source: ConventionSource }[] = [];
  for (const src of sources) {
    for (const st of src.script.statements) {
      if (st.blockHead) continue;
      const a = splitAssignment(st.tokens);
      if (!a) continue;
      const last = a.target[a.target.length - 1]!;
      if (!names.includes(last)) continue;
      const where = [...st.path, ...a.target.slice(0, -1)];
      // lint { targetSdk }, testOptions.targetSdk, flavours and build types do not set the app's level.
      if (where.some((p) => EXCLUDED_BLOCKS.has(p))) continue;
      if (isIdent(a.value[0], 'fun')) continue;
      out.push({ tokens: a.value, source: src });
    }
  }
  return out;
}

const EXCLUDED_BLOCKS = new Set(['lint', 'lintOptions', 'testOptions', 'productFlavors', 'buildTypes', 'managedDevices', 'devices', 'ext', 'extra', 'variants']);

/**
 * Constants declared in convention sources: `const val TARGET_SDK = 35` (top level, or in `object
 * AndroidConfig`), `val targetSdk = 35`, Groovy `static final int TARGET_SDK = 35`. Keyed by name and
 * by `Object.name`.
 */
export function conventionConstants(sources: ConventionSource[]): Map<string, { tokens: GradleToken[]; source: ConventionSource }> {
  const out = new Map<string, { tokens: GradleToken[]; source: ConventionSource }>();
  for (const src of sources) {
    for (const st of src.script.statements) {
      if (st.blockHead) continue;
      const t = st.tokens;
      let k = 0;
      while (isIdent(t[k]) && MODIFIERS.has(t[k]!.value)) k++;
      if (!(isIdent(t[k], 'val') || isIdent(t[k], 'var') || isIdent(t[k], 'def') || isIdent(t[k], 'int') || isIdent(t[k], 'Integer') || isIdent(t[k], 'String'))) continue;
      const a = splitAssignment(t.slice(k + 1));
      const fromDecl = a && a.form === 'assign' && a.target.length === 1 ? a : null;
      if (!fromDecl) continue;
      const name = fromDecl.target[0]!;
      const owner = st.path.filter((p) => p !== '').pop();
      if (!out.has(name)) out.set(name, { tokens: fromDecl.value, source: src });
      if (owner && !out.has(`${owner}.${name}`)) out.set(`${owner}.${name}`, { tokens: fromDecl.value, source: src });
    }
  }
  return out;
}

const MODIFIERS = new Set(['const', 'private', 'internal', 'public', 'static', 'final', 'protected', 'override', 'open']);
