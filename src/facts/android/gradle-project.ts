// Gradle builds and modules: which folders are modules, which build each belongs to, which modules are
// Android applications, their project dependencies, and the values of targetSdk / namespace / the Media3
// version, resolved through script variables, `ext`, gradle.properties and the version catalog.

import path from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { flutterGradleValue } from '../flutter/sdk-levels.js';
import type { ProjectFile } from '../../discover/find-files.js';
import type { Location } from '../../findings/finding.js';
import { expandTemplate, isIdent, isPunct, matchingClose, parseGradle, splitAssignment, type GradleScript, type GradleStatement, type GradleToken } from '../../parse/gradle.js';
import { parseProperties, type PropertiesFile } from '../../parse/properties.js';
import type { Workspace } from '../../parse/workspace.js';
import { ConventionPlugins, pluginIdOf, type ConventionHost, type ConventionSource } from './convention-plugins.js';
import { classifyModules } from './module-kind.js';

export interface GradleModule {
  dir: string;
  buildFile: string;
  script: GradleScript;
  build: GradleBuild;
  /** ":app", ":core:playback"; ":" for the build root. */
  gradlePath: string;
  pluginIds: string[];
  isApp: boolean;
  isLibrary: boolean;
  /** Gradle paths of `project(":x")` / `projects.x` dependencies. */
  projectDeps: string[];
  /** Sources of the convention plugins the module applies (and the helpers they call), for SDK levels. */
  conventionSources: ConventionSource[];
  /**
   * Set when the module is taken for an application without a recognised application plugin: why.
   * Reporters show it, so a reader can tell a guess from a reading.
   */
  kindInferred: string | null;
  /** A module of buildSrc or of an included plugin build: tooling, not part of any app. */
  buildLogic: boolean;
}

export interface GradleBuild {
  root: string;
  settingsFile: string | null;
  modules: GradleModule[];
  properties: PropertiesFile | null;
  propertiesFile: string | null;
  catalog: VersionCatalog | null;
  /** Version catalogs by accessor name (`libs`, and any `versionCatalogs { create("x") }` in settings). */
  catalogs: Map<string, VersionCatalog>;
  /** The build's own convention plugins (read lazily). */
  conventions: ConventionPlugins;
}

export interface VersionCatalog {
  file: string;
  /** Path relative to the scan root, for messages. */
  relPath: string;
  lines: string[];
  data: Record<string, unknown>;
}

export interface ResolvedValue {
  value: string;
  source: string;
  location?: Location;
}

const SCRIPT_KOTLIN = (file: string) => file.endsWith('.kts');

export function discoverGradleBuilds(ws: Workspace): GradleBuild[] {
  const settingsDirs = ws
    .filesOfKind('gradle-settings')
    .map((f) => ({ dir: path.dirname(f.path), file: f.path }))
    .sort((a, b) => b.dir.length - a.dir.length);
  const builds = new Map<string, GradleBuild>();
  const getBuild = (root: string, settingsFile: string | null): GradleBuild => {
    let b = builds.get(root);
    if (!b) {
      const propsFile = ws.file(path.join(root, 'gradle.properties'));
      const properties = propsFile ? readProperties(ws, propsFile.path) : null;
      const catalogs = settingsCatalogs(ws, root, settingsFile);
      const catalog = catalogs.get('libs') ?? null;
      const host: ConventionHost = {
        root,
        settingsFile,
        settingsScript: () => (settingsFile ? readScript(ws, settingsFile) : null),
        catalogPluginId: (name, accessor) => catalogPluginId(catalogs.get(name) ?? catalog, accessor),
      };
      b = {
        root,
        settingsFile,
        modules: [],
        properties,
        propertiesFile: propsFile ? propsFile.path : null,
        catalog,
        catalogs,
        conventions: new ConventionPlugins(ws, host),
      };
      builds.set(root, b);
    }
    return b;
  };

  for (const f of ws.filesOfKind('gradle')) {
    const dir = path.dirname(f.path);
    const owner = settingsDirs.find((s) => dir === s.dir || dir.startsWith(s.dir + path.sep));
    // Prefer build.gradle.kts when both exist in one folder (only one is used by Gradle).
    const build = owner ? getBuild(owner.dir, owner.file) : getBuild(dir, null);
    if (build.modules.some((m) => m.dir === dir)) continue;
    const script = readScript(ws, f);
    if (!script) continue;
    const rel = path.relative(build.root, dir).split(path.sep).filter(Boolean);
    build.modules.push({
      dir,
      buildFile: f.path,
      script,
      build,
      gradlePath: ':' + rel.join(':'),
      pluginIds: [],
      isApp: false,
      isLibrary: false,
      projectDeps: [],
      conventionSources: [],
      kindInferred: null,
      buildLogic: false,
    });
  }
  for (const b of builds.values()) {
    // settings.gradle may give a project another folder: project(":x").projectDir = file("dir").
    const mapped = b.settingsFile ? settingsProjectDirs(ws, b.settingsFile) : new Map<string, string>();
    for (const [gradlePath, dir] of mapped) {
      const m = b.modules.find((x) => x.dir === dir);
      if (m) m.gradlePath = gradlePath;
    }
  }
  // Plugin builds (includeBuild, buildSrc) of any build hold tooling, not app modules.
  const pluginBuildDirs = [...new Set([...builds.values()].flatMap((b) => b.conventions.includedBuildDirs()))];
  for (const b of builds.values()) classifyModules(ws, b, pluginBuildDirs);
  return [...builds.values()];
}

/**
 * Gradle paths whose folder settings.gradle(.kts) moves, read from token sequences such as
 * `project(":app").projectDir = file("android/app")` (Kotlin DSL or Groovy, `new File(...)` too).
 */
function settingsProjectDirs(ws: Workspace, settingsFile: string): Map<string, string> {
  const out = new Map<string, string>();
  const script = readScript(ws, settingsFile);
  if (!script) return out;
  const t = script.tokens;
  for (let k = 0; k < t.length; k++) {
    if (!isIdent(t[k], 'project') || !isPunct(t[k + 1], '(') || t[k + 2]?.kind !== 'string' || !isPunct(t[k + 3], ')')) continue;
    if (!isPunct(t[k + 4], '.') || !isIdent(t[k + 5], 'projectDir') || !isPunct(t[k + 6], '=')) continue;
    let j = k + 7;
    if (isIdent(t[j], 'new')) j++;
    if (!(isIdent(t[j], 'file') || isIdent(t[j], 'File')) || !isPunct(t[j + 1], '(')) continue;
    const close = matchingClose(t, j + 1);
    const arg = t.slice(j + 2, close < 0 ? t.length : close).filter((x) => x.kind === 'string');
    // file("dir") or File(settingsDir, "dir"): the last string is the folder, relative to the settings file.
    const dirTok = arg[arg.length - 1];
    if (!dirTok || dirTok.interpolated) continue;
    out.set(t[k + 2]!.value, path.resolve(path.dirname(settingsFile), dirTok.value));
  }
  return out;
}

export function readScript(ws: Workspace, file: ProjectFile | string): GradleScript | null {
  const p = typeof file === 'string' ? file : file.path;
  return ws.cached(p, 'gradle-script', () => {
    const t = ws.text(p);
    if (!t) return null;
    const script = parseGradle(t.text, SCRIPT_KOTLIN(p));
    ws.setComments(p, script.comments);
    return script;
  });
}

function readProperties(ws: Workspace, file: string): PropertiesFile | null {
  return ws.cached(file, 'properties', () => {
    const t = ws.text(file);
    if (!t) return null;
    const props = parseProperties(t.text);
    ws.setComments(file, props.comments);
    return props;
  });
}

/**
 * The build's version catalogs: `libs` from gradle/libs.versions.toml, and those settings declares with
 * `versionCatalogs { create("name") { from(files("path.toml")) } }` (which may also redefine `libs`).
 */
function settingsCatalogs(ws: Workspace, root: string, settingsFile: string | null): Map<string, VersionCatalog> {
  const out = new Map<string, VersionCatalog>();
  const script = settingsFile ? readScript(ws, settingsFile) : null;
  for (const st of script?.statements ?? []) {
    const at = st.path.indexOf('versionCatalogs');
    if (at < 0 || st.path.length !== at + 2) continue;
    const t = st.tokens;
    const k = t.findIndex((x, j) => isIdent(x, 'from') && isPunct(t[j + 1], '(') && isIdent(t[j + 2], 'files') && isPunct(t[j + 3], '(') && t[j + 4]?.kind === 'string');
    if (k < 0 || t[k + 4]!.interpolated) continue;
    const name = st.path[at + 1]!;
    const cat = readCatalog(ws, path.resolve(path.dirname(settingsFile!), t[k + 4]!.value));
    if (name && cat && !out.has(name)) out.set(name, cat);
  }
  if (!out.has('libs')) {
    const cat = readCatalog(ws, path.join(root, 'gradle', 'libs.versions.toml'));
    if (cat) out.set('libs', cat);
  }
  return out;
}

function readCatalog(ws: Workspace, file: string): VersionCatalog | null {
  if (!ws.file(file)) return null;
  return ws.cached(file, 'version-catalog', () => {
    const t = ws.text(file);
    if (!t) return null;
    // Comments of the catalog are left to the engine's TOML comment lexer (for suppressions).
    const lines = t.text.split(/\r\n|\r|\n/);
    try {
      return { file, relPath: ws.relative(file), lines, data: parseToml(t.text) as Record<string, unknown> };
    } catch (e) {
      const err = e as TomlError & { line?: number; column?: number };
      ws.report({
        file,
        line: err.line,
        column: err.column,
        kind: 'parse-error',
        severity: 'error',
        message: `malformed TOML: ${String(err.message).split('\n')[0]}`,
      });
      return null;
    }
  });
}

// ---- plugins and dependencies ----

function statementTokens(script: GradleScript): GradleToken[][] {
  return script.statements.map((s) => s.tokens);
}

/** Plugin ids applied by these statements of a build script (ignoring `apply false`). */
export function appliedPlugins(m: GradleModule, statements: GradleStatement[] = m.script.statements): string[] {
  const ids: string[] = [];
  for (const st of statements) {
    const t = st.tokens;
    const applyFalse = t.some((x, k) => isIdent(x, 'apply') && (isIdent(t[k + 1], 'false') || (isPunct(t[k + 1], '(') && isIdent(t[k + 2], 'false'))));
    for (let k = 0; k < t.length; k++) {
      // id("x") / id 'x' / id "x"
      if (isIdent(t[k], 'id') && (k === 0 || !isPunct(t[k - 1], '.'))) {
        const s = isPunct(t[k + 1], '(') ? t[k + 2] : t[k + 1];
        if (s?.kind === 'string' && !applyFalse) ids.push(s.value);
        if (isPunct(t[k + 1], '(') && s?.kind !== 'string' && !applyFalse) {
          const close = matchingClose(t, k + 1);
          const arg = t.slice(k + 2, close < 0 ? t.length : close);
          // id(libs.plugins.android.application.get().pluginId): a catalog plugin.
          const fromCatalog = pluginIdOf(arg, catalogHost(m.build));
          // id(AcmePlugins.App.android): a constant of the build's own plugin sources, looked up later.
          const chain = fromCatalog ? null : dottedChain(arg);
          if (fromCatalog) ids.push(fromCatalog);
          else if (chain && chain.length > 1 && chain[1] !== 'plugins') ids.push(CONSTANT_ID_PREFIX + chain.join('.'));
        }
      }
      // alias(libs.plugins.android.application)
      if (isIdent(t[k], 'alias') && isPunct(t[k + 1], '(')) {
        const close = matchingClose(t, k + 1);
        const chain = dottedChain(t.slice(k + 2, close < 0 ? t.length : close));
        if (chain && chain.length > 2 && chain[1] === 'plugins' && !applyFalse) {
          const accessor = chain.slice(2).join('.');
          ids.push(catalogPluginId(m.build.catalogs.get(chain[0]!) ?? m.build.catalog, accessor) ?? accessor);
        }
      }
      // apply plugin: 'x'  /  apply(plugin = "x")  /  plugins.apply("x")  /  apply plugin: "x"
      if (isIdent(t[k], 'plugin') && (isPunct(t[k + 1], ':') || isPunct(t[k + 1], '=')) && t[k + 2]?.kind === 'string') {
        if (isIdent(t[k - 1], 'apply') || (isPunct(t[k - 1], '(') && isIdent(t[k - 2], 'apply'))) ids.push(t[k + 2]!.value);
      } else if (isIdent(t[k], 'plugin') && isPunct(t[k + 1], '=') && isPunct(t[k - 1], '(') && isIdent(t[k - 2], 'apply')) {
        // apply(plugin = libs.plugins.x.get().pluginId)
        const close = matchingClose(t, k - 1);
        const id = pluginIdOf(t.slice(k + 2, close < 0 ? t.length : close), catalogHost(m.build));
        if (id) ids.push(id);
      }
      if (isIdent(t[k], 'plugins') && isPunct(t[k + 1], '.') && isIdent(t[k + 2], 'apply') && isPunct(t[k + 3], '(') && t[k + 4]?.kind === 'string') {
        ids.push(t[k + 4]!.value);
      }
    }
  }
  return ids;
}

/** The catalog look-up the plugin-id reader needs, for a build. */
function catalogHost(build: GradleBuild): Pick<ConventionHost, 'catalogPluginId'> {
  return { catalogPluginId: (name, accessor) => catalogPluginId(build.catalogs.get(name) ?? build.catalog, accessor) };
}

/** Marks a plugin id written as a constant (`id(AcmePlugins.App.android)`) until it is resolved. */
export const CONSTANT_ID_PREFIX = 'constant:';

/** `a.b.c` → ['a','b','c'] when the tokens are exactly a dotted chain. */
export function dottedChain(tokens: GradleToken[]): string[] | null {
  if (!tokens.length || !isIdent(tokens[0])) return null;
  const out = [tokens[0]!.value];
  let k = 1;
  while (k < tokens.length) {
    if (!(isPunct(tokens[k], '.') || isPunct(tokens[k], '?.')) || !isIdent(tokens[k + 1])) return null;
    out.push(tokens[k + 1]!.value);
    k += 2;
  }
  return out;
}

export function projectDependencies(m: GradleModule): string[] {
  const deps = new Set<string>();
  for (const st of m.script.statements) {
    if (!st.path.includes('dependencies')) continue;
    const t = st.tokens;
    for (let k = 0; k < t.length; k++) {
      if (isIdent(t[k], 'project') && isPunct(t[k + 1], '(')) {
        // project(":x") / project(path: ":x") / project(path = ":x")
        const close = matchingClose(t, k + 1);
        const inner = t.slice(k + 2, close < 0 ? t.length : close);
        const s = inner.find((x) => x.kind === 'string');
        if (s && s.value.startsWith(':')) deps.add(s.value);
      } else if (isIdent(t[k], 'project') && t[k + 1]?.kind === 'string' && t[k + 1]!.value.startsWith(':')) {
        deps.add(t[k + 1]!.value);
      } else if (isIdent(t[k], 'projects') && isPunct(t[k + 1], '.') && (k === 0 || !isPunct(t[k - 1], '.'))) {
        // Type-safe project accessors: projects.core.playback → :core:playback (matched loosely later).
        const chain: string[] = [];
        let j = k + 1;
        while (isPunct(t[j], '.') && isIdent(t[j + 1])) {
          chain.push(t[j + 1]!.value);
          j += 2;
        }
        if (chain.length) deps.add('projects.' + chain.join('.'));
      }
    }
  }
  return [...deps];
}

const normalizeAccessor = (s: string) => s.replace(/[-_.]/g, '').toLowerCase();

/** Find a module of the build by a dependency reference (":a:b" or "projects.a.b"). */
export function findModule(build: GradleBuild, ref: string): GradleModule | undefined {
  if (ref.startsWith('projects.')) {
    const want = ref.slice('projects.'.length).split('.').map(normalizeAccessor).join(':');
    // Index the build's modules by normalised path once (big builds resolve thousands of references).
    let index = accessorIndex.get(build);
    if (!index || index.size === 0) {
      index = new Map();
      for (const m of build.modules) {
        const key = m.gradlePath.split(':').filter(Boolean).map(normalizeAccessor).join(':');
        if (!index.has(key)) index.set(key, m);
      }
      accessorIndex.set(build, index);
    }
    return index.get(want);
  }
  return build.modules.find((m) => m.gradlePath === ref);
}

const accessorIndex = new WeakMap<GradleBuild, Map<string, GradleModule>>();

// ---- version catalog ----

/** One table of the version catalog (`versions`, `libraries`, `plugins`...), or an empty one. */
export function catalogTable(cat: VersionCatalog | null, table: string): Record<string, unknown> {
  const v = cat?.data[table];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function catalogEntry(cat: VersionCatalog | null, table: string, accessor: string): [string, unknown] | null {
  const want = normalizeAccessor(accessor);
  for (const [k, v] of Object.entries(catalogTable(cat, table))) if (normalizeAccessor(k) === want) return [k, v];
  return null;
}

export function catalogPluginId(cat: VersionCatalog | null, accessor: string): string | null {
  const e = catalogEntry(cat, 'plugins', accessor);
  if (!e) return null;
  const v = e[1];
  if (typeof v === 'string') return v.split(':')[0]!;
  if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).id === 'string') return (v as Record<string, string>).id!;
  return null;
}

/** 1-based line of `key =` inside `[table]` of the catalog (for reporting only). */
function catalogKeyLocation(cat: VersionCatalog, table: string, key: string): Location | undefined {
  let inTable = false;
  for (let i = 0; i < cat.lines.length; i++) {
    const l = cat.lines[i]!;
    const header = /^\s*\[([^\]]+)\]\s*(#.*)?$/.exec(l);
    if (header) {
      inTable = header[1]!.trim() === table;
      continue;
    }
    if (!inTable) continue;
    const m = /^(\s*)("?)([A-Za-z0-9_.-]+)\2\s*=/.exec(l);
    if (m && m[3] === key) return { file: cat.file, line: i + 1, column: m[1]!.length + 1 };
  }
  return undefined;
}

/** A catalog version spec (a string, `{ ref }`, `{ strictly | require | prefer }`); `key` names the [versions] entry a ref points at. */
export function versionOf(cat: VersionCatalog, spec: unknown): { version: string; key?: string } | null {
  if (typeof spec === 'string') return { version: spec };
  if (spec && typeof spec === 'object') {
    const o = spec as Record<string, unknown>;
    if (typeof o.ref === 'string') {
      const v = catalogTable(cat, 'versions')[o.ref];
      const r = versionOf(cat, v);
      return r ? { version: r.version, key: o.ref } : null;
    }
    for (const k of ['strictly', 'require', 'prefer']) if (typeof o[k] === 'string') return { version: o[k] as string };
  }
  return null;
}

export function catalogVersion(cat: VersionCatalog | null, accessor: string): ResolvedValue | null {
  if (!cat) return null;
  const e = catalogEntry(cat, 'versions', accessor);
  if (!e) return null;
  const v = versionOf(cat, e[1]);
  if (!v) return null;
  return { value: v.version, source: `${cat.relPath} (versions.${e[0]})`, location: catalogKeyLocation(cat, 'versions', e[0]) };
}

/** A library of the version catalog: its alias, "group:name", its version and the [versions] key it refers to. */
export interface CatalogLibrary {
  alias: string;
  module: string;
  version: ResolvedValue | null;
  versionKey?: string;
}

/** Libraries of the catalog. */
export function catalogLibraries(cat: VersionCatalog): CatalogLibrary[] {
  const out: CatalogLibrary[] = [];
  for (const [alias, spec] of Object.entries(catalogTable(cat, 'libraries'))) {
    let module: string | null = null;
    let version: { version: string; key?: string } | null = null;
    if (typeof spec === 'string') {
      const parts = spec.split(':');
      module = parts.slice(0, 2).join(':');
      if (parts[2]) version = { version: parts[2] };
    } else if (spec && typeof spec === 'object') {
      const o = spec as Record<string, unknown>;
      if (typeof o.module === 'string') module = o.module;
      else if (typeof o.group === 'string' && typeof o.name === 'string') module = `${o.group}:${o.name}`;
      if (o.version !== undefined) version = versionOf(cat, o.version);
    }
    if (!module) continue;
    const location = version?.key ? catalogKeyLocation(cat, 'versions', version.key) : catalogKeyLocation(cat, 'libraries', alias);
    out.push({
      alias,
      module,
      version: version ? { value: version.version, source: `${cat.relPath} (libraries.${alias})`, location } : null,
      ...(version?.key ? { versionKey: version.key } : {}),
    });
  }
  return out;
}

// ---- value resolution ----

interface VarDef {
  tokens: GradleToken[];
  script: GradleScript;
  file: string;
  module: GradleModule | null;
}

/** Variables a script defines: `val x =`, `def x =`, `ext.x =`, `ext { x = }`, `extra["x"] =`, `val x by extra(...)`. */
function scriptVariables(script: GradleScript, file: string, module: GradleModule | null): Map<string, VarDef> {
  const vars = new Map<string, VarDef>();
  const def = (name: string, tokens: GradleToken[]) => vars.set(name, { tokens, script, file, module });
  for (const st of script.statements) {
    if (st.blockHead) continue;
    const t = st.tokens;
    const inExt = st.path[st.path.length - 1] === 'ext' || st.path[st.path.length - 1] === 'extra';
    // val x by extra(34)
    if ((isIdent(t[0], 'val') || isIdent(t[0], 'var')) && isIdent(t[1]) && isIdent(t[2], 'by') && isIdent(t[3], 'extra') && isPunct(t[4], '(')) {
      const close = matchingClose(t, 4);
      def(t[1]!.value, t.slice(5, close < 0 ? t.length : close));
      continue;
    }
    // extra["x"] = v / ext["x"] = v / rootProject.extra["x"] = v
    const br = t.findIndex((x) => isPunct(x, '['));
    if (br > 0 && (isIdent(t[br - 1], 'extra') || isIdent(t[br - 1], 'ext')) && t[br + 1]?.kind === 'string' && isPunct(t[br + 2], ']') && isPunct(t[br + 3], '=')) {
      def(t[br + 1]!.value, t.slice(br + 4));
      continue;
    }
    // extra.set("x", v) / ext.set("x", v) / set("x", v) inside ext { }
    const setAt = t.findIndex((x, k) => isIdent(x, 'set') && isPunct(t[k + 1], '(') && t[k + 2]?.kind === 'string' && isPunct(t[k + 3], ','));
    if (setAt >= 0 && (inExt || isIdent(t[setAt - 2], 'extra') || isIdent(t[setAt - 2], 'ext'))) {
      const close = matchingClose(t, setAt + 1);
      def(t[setAt + 2]!.value, t.slice(setAt + 4, close < 0 ? t.length : close));
      continue;
    }
    const a = splitAssignment(t);
    if (!a || a.form === 'call') continue;
    const declared = isIdent(t[0]) && ['val', 'var', 'def'].includes(t[0]!.value);
    const target = a.target.filter((x) => x !== 'rootProject' && x !== 'project');
    if (target[0] === 'ext' || target[0] === 'extra') {
      if (target.length === 2) def(target[1]!, a.value);
    } else if (declared && target.length === 1) {
      def(target[0]!, a.value);
    } else if (inExt && target.length === 1 && a.form === 'assign') {
      def(target[0]!, a.value);
    }
  }
  return vars;
}

export class GradleValues {
  private readonly moduleVars: Map<string, VarDef>;
  private readonly rootVars: Map<string, VarDef>;
  private readonly appliedVars: Map<string, VarDef>;
  private readonly moduleProps: PropertiesFile | null;
  private readonly moduleScripts: { script: GradleScript; file: string }[];

  constructor(
    private readonly ws: Workspace,
    readonly module: GradleModule,
  ) {
    this.moduleVars = scriptVariables(module.script, module.buildFile, module);
    const rootModule = module.build.modules.find((m) => m.gradlePath === ':');
    // In the root script itself (its cross-project blocks), `rootProject.ext.x` is its own variable.
    this.rootVars = rootModule && rootModule !== module ? scriptVariables(rootModule.script, rootModule.buildFile, rootModule) : rootModule ? this.moduleVars : new Map();
    this.appliedVars = new Map();
    this.moduleScripts = [{ script: module.script, file: module.buildFile }];
    for (const applied of this.appliedScripts(module.script, module.dir)) {
      this.moduleScripts.push(applied);
      for (const [k, v] of scriptVariables(applied.script, applied.file, null)) this.appliedVars.set(k, v);
    }
    if (rootModule && rootModule !== module) {
      for (const applied of this.appliedScripts(rootModule.script, rootModule.dir)) {
        for (const [k, v] of scriptVariables(applied.script, applied.file, null)) if (!this.rootVars.has(k)) this.rootVars.set(k, v);
      }
    }
    const propsFile = module.dir !== module.build.root ? ws.file(path.join(module.dir, 'gradle.properties')) : undefined;
    this.moduleProps = propsFile ? readProperties(ws, propsFile.path) : null;
  }

  /** Scripts applied with `apply from: 'x.gradle'` / `apply(from = "x.gradle.kts")`, read once. */
  private appliedScripts(script: GradleScript, dir: string): { script: GradleScript; file: string }[] {
    const out: { script: GradleScript; file: string }[] = [];
    const rootDir = this.module.build.root;
    // "$rootDir/gradle/x.gradle", "${rootProject.projectDir}/x.gradle", "$projectDir/x.gradle"
    const dirOf = (expr: string): string | null =>
      ['rootDir', 'rootProject.rootDir', 'rootProject.projectDir', 'project.rootDir'].includes(expr) ? rootDir : ['projectDir', 'project.projectDir'].includes(expr) ? dir : null;
    for (const t of statementTokens(script)) {
      const k = t.findIndex((x, j) => isIdent(x, 'from') && (isPunct(t[j + 1], ':') || isPunct(t[j + 1], '=')));
      if (k < 0 || !t.slice(0, k).some((x) => isIdent(x, 'apply'))) continue;
      // from: 'x.gradle' / from = "x.gradle.kts" / from = rootProject.file("x") / from = file("x")
      let j = k + 2;
      let base = dir;
      if (isIdent(t[j], 'rootProject') && isPunct(t[j + 1], '.') && isIdent(t[j + 2], 'file')) {
        base = rootDir;
        j += 2;
      } else if (isIdent(t[j], 'project') && isPunct(t[j + 1], '.') && isIdent(t[j + 2], 'file')) j += 2;
      if (isIdent(t[j], 'file') && isPunct(t[j + 1], '(')) j += 2;
      const target = t[j];
      if (target?.kind !== 'string' || /^[a-z]+:\/\//i.test(target.value)) continue;
      const rel = target.interpolated ? expandTemplate(target.value, dirOf) : target.value;
      if (rel === null) continue;
      const file = path.resolve(base, rel);
      const text = this.ws.file(file) ? this.ws.text(file)?.text ?? null : this.ws.readOutside(file);
      if (text === null) continue;
      const parsed = this.ws.cached(file, 'gradle-applied', () => parseGradle(text, file.endsWith('.kts')));
      out.push({ script: parsed, file });
    }
    return out;
  }

  /** Every script that configures this module: its build file, then scripts it applies. */
  get scripts(): { script: GradleScript; file: string }[] {
    return this.moduleScripts;
  }

  /** Resolve an expression to a string value (numbers as their digits), or null. */
  resolve(tokens: GradleToken[], depth = 0): ResolvedValue | null {
    if (depth > 8 || !tokens.length) return null;
    let t = stripWrappers(tokens);
    // Elvis: `a ?: b` → a when it resolves, else b.
    const elvis = topLevelIndex(t, '?:');
    if (elvis >= 0) return this.resolve(t.slice(0, elvis), depth + 1) ?? this.resolve(t.slice(elvis + 1), depth + 1);
    if (t.length === 1) {
      const only = t[0]!;
      if (only.kind === 'number') return { value: only.value, source: this.describe(only), location: this.loc(only) };
      if (only.kind === 'string') {
        if (!only.interpolated) return { value: only.value, source: this.describe(only), location: this.loc(only) };
        const expanded = expandTemplate(only.value, (expr) => this.resolveName(expr.split('.'), depth + 1)?.value ?? null);
        return expanded === null ? null : { value: expanded, source: this.describe(only), location: this.loc(only) };
      }
    }
    // property("x") / findProperty("x") / providers.gradleProperty("x") / project.property("x")
    const call = t.findIndex((x, k) => isIdent(x) && ['property', 'findProperty', 'gradleProperty', 'getProperty'].includes(x.value) && isPunct(t[k + 1], '(') && t[k + 2]?.kind === 'string');
    if (call >= 0) {
      const key = t[call + 2]!.value;
      return this.resolveKey(key, t[0]?.value === 'rootProject', depth);
    }
    // x["key"] / x.get("key") on properties / ext / extra
    const br = t.findIndex((x) => isPunct(x, '['));
    if (br > 0 && t[br + 1]?.kind === 'string' && isPunct(t[br + 2], ']') && br + 3 === t.length) {
      return this.resolveKey(t[br + 1]!.value, t[0]?.value === 'rootProject', depth);
    }
    const get = t.findIndex((x, k) => isIdent(x, 'get') && isPunct(t[k - 1], '.') && isPunct(t[k + 1], '(') && t[k + 2]?.kind === 'string');
    if (get > 0) return this.resolveKey(t[get + 2]!.value, t[0]?.value === 'rootProject', depth);
    const chain = dottedChain(t);
    if (chain) return this.resolveName(chain, depth + 1);
    return null;
  }

  private resolveKey(key: string, rootOnly: boolean, depth: number): ResolvedValue | null {
    const v = (!rootOnly && (this.moduleVars.get(key) ?? this.appliedVars.get(key))) || this.rootVars.get(key);
    if (v) {
      const r = this.resolveVar(v, depth);
      if (r) return r;
    }
    return this.property(key);
  }

  private resolveVar(v: VarDef, depth: number): ResolvedValue | null {
    const inner = v.module === this.module || v.module === null ? this : new GradleValues(this.ws, v.module);
    return inner.resolve(v.tokens, depth + 1);
  }

  /** A gradle.properties key (module folder first, then the build root). */
  property(key: string): ResolvedValue | null {
    for (const [props, file] of [
      [this.moduleProps, path.join(this.module.dir, 'gradle.properties')],
      [this.module.build.properties, this.module.build.propertiesFile],
    ] as const) {
      const e = props?.entries.get(key);
      if (e && file) return { value: e.value, source: `${this.ws.relative(file)} (${key})`, location: { file, line: e.line, column: e.column } };
    }
    return null;
  }

  /** A dotted name: libs.versions.x, rootProject.ext.x, rootProject.x, ext.x, a script variable, a Groovy map entry. */
  resolveName(chain: string[], depth: number): ResolvedValue | null {
    if (depth > 8) return null;
    if (chain[0] === 'libs' && chain[1] === 'versions' && chain.length > 2) {
      return catalogVersion(this.module.build.catalog, chain.slice(2).join('.'));
    }
    let c = [...chain];
    let rootOnly = false;
    if (c[0] === 'rootProject') {
      rootOnly = true;
      c = c.slice(1);
    } else if (c[0] === 'project') c = c.slice(1);
    if (c[0] === 'ext' || c[0] === 'extra' || c[0] === 'properties') c = c.slice(1);
    if (!c.length) return null;
    const [head, ...rest] = c;
    const v = (!rootOnly && (this.moduleVars.get(head!) ?? this.appliedVars.get(head!))) || this.rootVars.get(head!);
    if (v) {
      if (!rest.length) return this.resolveVar(v, depth);
      const entry = mapEntry(v.tokens, rest);
      if (entry) return this.resolve(entry, depth + 1);
      return null;
    }
    if (!rest.length) return this.property(head!);
    // `flutter.targetSdkVersion` & co.: constants of the Flutter Gradle plugin, known from the Flutter version.
    return flutterGradleValue(this.ws, this.module.dir, c);
  }

  private describe(tok: GradleToken): string {
    return this.ws.relative(this.fileOf(tok));
  }

  private loc(tok: GradleToken): Location {
    return { file: this.fileOf(tok), line: tok.line, column: tok.column };
  }

  private fileOf(tok: GradleToken): string {
    for (const s of this.allScripts()) if (s.script.tokens.includes(tok)) return s.file;
    return this.module.buildFile;
  }

  private allScripts(): { script: GradleScript; file: string }[] {
    const out = [...this.moduleScripts];
    const rootModule = this.module.build.modules.find((m) => m.gradlePath === ':');
    if (rootModule) out.push({ script: rootModule.script, file: rootModule.buildFile });
    for (const v of this.rootVars.values()) out.push({ script: v.script, file: v.file });
    return out;
  }
}

/** Remove `.toInt()`, `.get()`, `as Integer`, `!!`, surrounding parentheses, `Integer.parseInt(...)` and similar wrappers. */
export function stripWrappers(tokens: GradleToken[]): GradleToken[] {
  let t = tokens;
  for (let guard = 0; guard < 20; guard++) {
    const n = t.length;
    if (n === 0) return t;
    if (isPunct(t[0], '(') && matchingClose(t, 0) === n - 1) {
      t = t.slice(1, n - 1);
      continue;
    }
    // Integer.parseInt(x) / Integer.valueOf(x) / String.valueOf(x)
    if (isIdent(t[0]) && isPunct(t[1], '.') && isIdent(t[2]) && ['parseInt', 'valueOf'].includes(t[2]!.value) && isPunct(t[3], '(') && matchingClose(t, 3) === n - 1) {
      t = t.slice(4, n - 1);
      continue;
    }
    if (isPunct(t[n - 1], '!!')) {
      t = t.slice(0, n - 1);
      continue;
    }
    if (n >= 2 && isIdent(t[n - 2], 'as') && isIdent(t[n - 1])) {
      t = t.slice(0, n - 2);
      continue;
    }
    if (n >= 3 && isIdent(t[n - 3], 'as') && isIdent(t[n - 2]) && isPunct(t[n - 1], '?')) {
      t = t.slice(0, n - 3);
      continue;
    }
    // trailing .toInt() / .toInteger() / .get() / .toString() / .orNull / .toIntOrNull()
    if (n >= 4 && (isPunct(t[n - 4], '.') || isPunct(t[n - 4], '?.')) && isIdent(t[n - 3]) && ['toInt', 'toInteger', 'get', 'toString', 'toIntOrNull', 'trim'].includes(t[n - 3]!.value) && isPunct(t[n - 2], '(') && isPunct(t[n - 1], ')')) {
      t = t.slice(0, n - 4);
      continue;
    }
    if (n >= 2 && (isPunct(t[n - 2], '.') || isPunct(t[n - 2], '?.')) && isIdent(t[n - 1]) && ['orNull', 'toInteger'].includes(t[n - 1]!.value)) {
      t = t.slice(0, n - 2);
      continue;
    }
    return t;
  }
  return t;
}

export function topLevelIndex(tokens: GradleToken[], punct: string): number {
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'punct') continue;
    if (t.value === '(' || t.value === '[') depth++;
    else if (t.value === ')' || t.value === ']') depth--;
    else if (depth === 0 && t.value === punct) return k;
  }
  return -1;
}

/** In a Groovy map literal `[a: 1, b: [c: 2]]`, the value tokens at a key path. */
function mapEntry(tokens: GradleToken[], keys: string[]): GradleToken[] | null {
  let t = tokens;
  for (const key of keys) {
    if (!isPunct(t[0], '[')) return null;
    const close = matchingClose(t, 0);
    if (close < 0) return null;
    const body = t.slice(1, close);
    let found: GradleToken[] | null = null;
    let depth = 0;
    let start = 0;
    for (let k = 0; k <= body.length; k++) {
      const x = body[k];
      if (x && x.kind === 'punct' && (x.value === '(' || x.value === '[')) depth++;
      if (x && x.kind === 'punct' && (x.value === ')' || x.value === ']')) depth--;
      if (k === body.length || (depth === 0 && isPunct(x, ','))) {
        const part = body.slice(start, k);
        const keyTok = part[0];
        if (keyTok && (keyTok.kind === 'ident' || keyTok.kind === 'string') && keyTok.value === key && isPunct(part[1], ':')) found = part.slice(2);
        start = k + 1;
      }
    }
    if (!found) return null;
    t = found;
  }
  return t;
}

// ---- module settings ----

/**
 * The value assigned to one of `names` in the module's scripts, preferring statements inside a block
 * named `preferBlock` (defaultConfig), then inside `android`, then anywhere except flavour/build-type blocks.
 */
export function moduleSetting(values: GradleValues, names: string[], preferBlock: string | null): { resolved: ResolvedValue | null; raw: GradleToken[] | null; file: string } | null {
  type Hit = { rank: number; value: GradleToken[]; file: string };
  let best: Hit | null = null;
  for (const { script, file } of values.scripts) {
    for (const st of script.statements) {
      if (st.blockHead) continue;
      const a = splitAssignment(st.tokens);
      if (!a) continue;
      const last = a.target[a.target.length - 1]!;
      if (!names.includes(last)) continue;
      const fullPath = [...st.path, ...a.target.slice(0, -1)];
      if (fullPath.some((p) => ['productFlavors', 'buildTypes', 'ext', 'extra', 'dependencies', 'plugins', 'variants'].includes(p))) continue;
      let rank = 3;
      if (preferBlock && fullPath.includes(preferBlock)) rank = 1;
      else if (fullPath.includes('android') || fullPath.some((p) => /Extension$/.test(p))) rank = 2;
      if (!best || rank < best.rank) best = { rank, value: a.value, file };
    }
  }
  if (!best) return null;
  return { resolved: values.resolve(best.value), raw: best.value, file: best.file };
}

/** The Media3 ExoPlayer version of a build: a literal coordinate in any script, or a used catalog library. */
export function media3ExoplayerVersion(ws: Workspace, build: GradleBuild): ResolvedValue | null {
  const ARTIFACT = 'androidx.media3:media3-exoplayer';
  for (const m of build.modules) {
    const values = new GradleValues(ws, m);
    for (const tok of m.script.tokens) {
      if (tok.kind !== 'string' || !tok.value.startsWith(ARTIFACT + ':')) continue;
      const r = values.resolve([tok]);
      if (r) {
        const version = r.value.slice(ARTIFACT.length + 1).split(/[@:]/)[0]!;
        if (version) return { value: version, source: ws.relative(m.buildFile), location: { file: m.buildFile, line: tok.line, column: tok.column } };
      }
    }
  }
  const cat = build.catalog;
  if (!cat) return null;
  const used = usedCatalogAliases(build);
  for (const lib of catalogLibraries(cat)) {
    if (lib.module !== ARTIFACT || !lib.version) continue;
    if (!used.has(normalizeAccessor(lib.alias))) continue;
    return lib.version;
  }
  return null;
}

/** Whether the build depends on a module group:name (literal coordinate or a used catalog library). */
export function buildDependsOn(build: GradleBuild, modulePrefix: string): boolean {
  for (const m of build.modules) {
    for (const tok of m.script.tokens) if (tok.kind === 'string' && tok.value.startsWith(modulePrefix)) return true;
  }
  if (!build.catalog) return false;
  const used = usedCatalogAliases(build);
  return catalogLibraries(build.catalog).some((l) => l.module.startsWith(modulePrefix) && used.has(normalizeAccessor(l.alias)));
}

/** Normalised aliases of catalog libraries referenced as `libs.x.y` or through a used bundle. */
function usedCatalogAliases(build: GradleBuild): Set<string> {
  const used = new Set<string>();
  const bundles = catalogTable(build.catalog, 'bundles');
  for (const m of build.modules) {
    const t = m.script.tokens;
    for (let k = 0; k < t.length; k++) {
      if (!isIdent(t[k], 'libs') || !isPunct(t[k + 1], '.') || isPunct(t[k - 1], '.')) continue;
      const chain: string[] = [];
      let j = k + 1;
      while (isPunct(t[j], '.') && isIdent(t[j + 1])) {
        chain.push(t[j + 1]!.value);
        j += 2;
      }
      if (chain[0] === 'bundles') {
        const b = Object.entries(bundles).find(([name]) => normalizeAccessor(name) === normalizeAccessor(chain.slice(1).join('.')));
        if (b && Array.isArray(b[1])) for (const a of b[1]) if (typeof a === 'string') used.add(normalizeAccessor(a));
      } else if (chain[0] !== 'versions' && chain[0] !== 'plugins') {
        // Accessor chains may continue with `.get()` and friends; add every prefix.
        for (let e = 1; e <= chain.length; e++) used.add(normalizeAccessor(chain.slice(0, e).join('.')));
      }
    }
  }
  return used;
}
