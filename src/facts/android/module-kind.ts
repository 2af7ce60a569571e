// Which Gradle modules are Android applications. A module is an app when the plugins it gets apply
// `com.android.application` (or the legacy `android` id): written in its own script, inherited from
// the root script's `subprojects {}` / `allprojects {}` / `project(":x") {}` / `configure(…) {}`
// blocks, or applied by the build's own convention plugins. When no plugin says so, two weaker
// signs are accepted and the reason is kept (`kindInferred`): the module sets `applicationId`, or
// its manifest declares components in `<application>` and nothing marks it a library.
//
// Also here: SDK levels a module does not set itself but gets from convention plugins or from the
// root script's cross-project blocks.

import path from 'node:path';
import type { GradleStatement, GradleToken } from '../../parse/gradle.js';
import { isIdent, isPunct, matchingClose, splitAssignment } from '../../parse/gradle.js';
import type { Workspace } from '../../parse/workspace.js';
import { attr, childElements } from '../../parse/xml.js';
import { conventionAssignments, type ConventionSource } from './convention-plugins.js';
import {
  appliedPlugins,
  catalogVersion,
  CONSTANT_ID_PREFIX,
  findModule,
  GradleValues,
  moduleSetting,
  projectDependencies,
  stripWrappers,
  topLevelIndex,
  type GradleBuild,
  type GradleModule,
  type ResolvedValue,
} from './gradle-project.js';

/** Plugin ids that make a module an Android application (`android` is the pre-1.0 AGP id). */
const APP_IDS = new Set(['com.android.application', 'android']);
/** Plugin ids of Android modules that are not applications. */
const LIBRARY_IDS = new Set([
  'com.android.library',
  'android-library',
  'com.android.dynamic-feature',
  'com.android.feature',
  'com.android.instantapp',
  'com.android.test',
  'com.android.kotlin.multiplatform.library',
  'com.android.fused-library',
  'com.android.asset-pack',
  'com.android.asset-pack-bundle',
]);
/** Plugins that make a module something other than an Android app (JVM, Gradle tooling). */
const NON_APP_IDS = new Set(['java', 'java-library', 'kotlin', 'org.jetbrains.kotlin.jvm', 'application', 'kotlin-dsl', 'org.gradle.kotlin.kotlin-dsl', 'java-gradle-plugin', 'java-platform', 'version-catalog', 'groovy']);
/**
 * Prefixes of published plugins: a module that applies only these needs no look-up in the build's
 * own plugin sources.
 */
const PUBLISHED_PREFIXES = ['com.android.', 'org.jetbrains.', 'kotlin', 'com.google.', 'androidx.', 'org.gradle.', 'dagger.', 'com.squareup.', 'app.cash.', 'io.gitlab.arturbosch.', 'com.diffplug.', 'org.jlleitschuh.', 'io.sentry.', 'com.github.ben-manes.'];

/** Gradle core plugins often applied beside Android ones. */
const CORE_IDS = new Set(['maven-publish', 'signing', 'jacoco', 'idea', 'eclipse', 'checkstyle', 'pmd', 'base', 'distribution', 'maven', 'jvm-test-suite']);

export function isAndroidPluginId(id: string): boolean {
  return APP_IDS.has(id) || LIBRARY_IDS.has(id);
}

/** Ids that need no look-up in convention plugin sources. */
function isKnownPlugin(id: string): boolean {
  return isAndroidPluginId(id) || NON_APP_IDS.has(id) || CORE_IDS.has(id) || PUBLISHED_PREFIXES.some((p) => id.startsWith(p));
}

/** A guess from an id whose source cannot be read: `acme.android.application`, `android.application` (an unresolved catalog alias). */
const APP_NAME = /android[._-]application(\W|$)/i;
const LIBRARY_NAME = /android[._-]library(\W|$)|(^|[._-])(lib|library|feature|test|jvm)([._-]|$)/i;

/** A root-script block that configures other projects, and the projects it reaches. */
interface CrossProjectBlock {
  start: number;
  end: number;
  appliesTo: (m: GradleModule, root: GradleModule) => boolean;
  statements: GradleStatement[];
}

export function classifyModules(ws: Workspace, build: GradleBuild, includedDirs: string[]): void {
  const root = build.modules.find((m) => m.dir === build.root);
  const blocks = root ? crossProjectBlocks(root) : [];
  const ownIds = new Map<GradleModule, string[]>();
  const maybeLibrary = new Set<GradleModule>();
  const inheritedIds = new Map<GradleModule, string[]>();

  for (const m of build.modules) {
    m.buildLogic = includedDirs.some((d) => m.dir === d || m.dir.startsWith(d + path.sep));
    const statements = m === root && blocks.length ? m.script.statements.filter((st) => !blocks.some((b) => inBlock(st, b))) : m.script.statements;
    const own = appliedPlugins(m, statements);
    if (!own.some(isAndroidPluginId) && m.script.tokens.some((t) => isIdent(t, 'from'))) {
      // `apply from: '../android-library.gradle'`: the shared script applies the plugin.
      for (const applied of new GradleValues(ws, m).scripts.slice(1)) own.push(...appliedPlugins(m, applied.script.statements));
    }
    const uncertain: GradleStatement[] = [];
    const inherited = root ? blocks.filter((b) => b.appliesTo(m, root)).flatMap((b) => appliedPlugins(m, statementsFor(b, m, uncertain))) : [];
    // Plugins the root applies under a condition audiobg cannot evaluate: they may make it a library.
    if (appliedPlugins(m, uncertain).some((id) => LIBRARY_IDS.has(id))) maybeLibrary.add(m);
    for (let i = 0; i < own.length; i++) {
      if (!own[i]!.startsWith(CONSTANT_ID_PREFIX)) continue;
      const id = build.conventions.constantString(own[i]!.slice(CONSTANT_ID_PREFIX.length));
      if (id) own[i] = id;
      else own.splice(i--, 1);
    }
    ownIds.set(m, own);
    inheritedIds.set(m, inherited);
    let ids = [...new Set([...own, ...inherited])];
    let resolved = new Set<string>();
    if (!m.buildLogic && ids.some((id) => !isKnownPlugin(id))) {
      const exp = build.conventions.expand(ids, isKnownPlugin);
      ids = exp.ids;
      resolved = exp.resolved;
      m.conventionSources = exp.sources;
    }
    const guessed = ids.filter((id) => !isKnownPlugin(id) && !resolved.has(id));
    m.pluginIds = ids;
    m.isApp = !m.buildLogic && (ids.some((id) => APP_IDS.has(id)) || guessed.some((id) => APP_NAME.test(id)));
    m.isLibrary = !m.isApp && (ids.some((id) => LIBRARY_IDS.has(id)) || guessed.some((id) => LIBRARY_NAME.test(id)));
    m.projectDeps = projectDependencies(m);
  }

  // Weaker signs, for modules no plugin classified. Which modules others depend on is computed
  // only if one is needed.
  let dependedOn: Set<GradleModule> | null = null;
  const isDependedOn = (x: GradleModule): boolean => {
    if (!dependedOn) {
      dependedOn = new Set();
      for (const m of build.modules) {
        if (m.pluginIds.includes('com.android.dynamic-feature')) continue; // a dynamic feature depends on its app
        for (const ref of m.projectDeps) {
          const dep = findModule(build, ref);
          if (dep && dep !== m) dependedOn.add(dep);
        }
      }
    }
    return dependedOn.has(x);
  };
  for (const m of build.modules) {
    if (m.isApp || m.isLibrary || m.buildLogic || m.pluginIds.some((id) => NON_APP_IDS.has(id))) continue;
    const mayBeLibrary = maybeLibrary.has(m);
    const noPlugins = !ownIds.get(m)!.length && !inheritedIds.get(m)!.length;
    if (m.script.tokens.some((t) => isIdent(t, 'applicationId')) && moduleSetting(new GradleValues(ws, m), ['applicationId'], 'defaultConfig')) {
      m.isApp = true;
      m.kindInferred = noPlugins
        ? 'its build script applies no plugin, but it sets applicationId, which only an application module has'
        : `no Android application plugin was recognised among ${describeIds(m.pluginIds)}, but the module sets applicationId, which only an application module has`;
      continue;
    }
    if (mayBeLibrary) continue;
    const components = manifestComponents(ws, m);
    if (components.length && !isDependedOn(m)) {
      m.isApp = true;
      const what = components.map((c) => `<${c}>`).join(', ');
      m.kindInferred = noPlugins
        ? `its build script applies no plugin, but its manifest declares ${what} in <application> and nothing marks it a library`
        : `no Android application plugin was recognised among ${describeIds(m.pluginIds)}, but its manifest declares ${what} in <application> and nothing marks it a library`;
    }
  }
}

function describeIds(ids: string[]): string {
  const shown = ids.slice(0, 4).map((i) => `"${i}"`).join(', ');
  return `its plugins (${shown}${ids.length > 4 ? ', …' : ''})`;
}

/** Kinds of component the module's main manifest declares in `<application>` (activity, service, receiver). */
function manifestComponents(ws: Workspace, m: GradleModule): string[] {
  for (const rel of [path.join('src', 'main', 'AndroidManifest.xml'), 'AndroidManifest.xml']) {
    const file = path.join(m.dir, rel);
    if (!ws.file(file)) continue;
    const doc = ws.xml(file);
    if (!doc) return [];
    const kinds = new Set<string>();
    for (const app of childElements(doc.root, 'application')) {
      for (const kind of ['activity', 'activity-alias', 'service', 'receiver']) {
        // A component another manifest removes (tools:node="remove") declares nothing.
        if (childElements(app, kind).some((el) => attr(el, 'tools:node')?.value !== 'remove')) kinds.add(kind);
      }
    }
    return [...kinds];
  }
  return [];
}

// ---- cross-project blocks of the root script ----

function inBlock(st: GradleStatement, b: CrossProjectBlock): boolean {
  const first = st.tokens[0];
  return !!first && first.offset > b.start && first.offset < b.end;
}

/** Blocks inside a cross-project block that select projects in a way audiobg does not evaluate. */
const UNKNOWN_SELECTION = new Set(['when', 'withId', 'withPlugin', 'withType', 'matching', 'filter', 'findAll', 'each', 'forEach', 'configureEach']);

/**
 * The statements of a cross-project block that apply to module `m`. Conditions on the project's
 * name or path (`if (project.name == 'app') { … } else { … }`, also without braces) are evaluated;
 * any other condition (`if (project.hasProperty('x'))`, `when`, `plugins.withId(…)`) is left out
 * rather than guessed.
 */
function statementsFor(b: CrossProjectBlock, m: GradleModule, uncertain: GradleStatement[] = []): GradleStatement[] {
  const out: GradleStatement[] = [];
  if (!b.statements.length) return out;
  const base = Math.min(...b.statements.map((st) => st.path.length));
  // taken[L]: whether the block opened by the head at path length L applies to m (null: unknown).
  const taken: (boolean | null)[] = [];
  const lastIf: (boolean | null | undefined)[] = [];
  let bracelessIf: { level: number; result: boolean | null } | null = null;
  for (const st of b.statements) {
    const L = st.path.length;
    if (st.blockHead) {
      const t = st.tokens;
      let r: boolean | null = true;
      if (isIdent(t[0], 'if')) {
        r = condition(t.slice(1), m);
        lastIf[L] = r;
      } else if (isIdent(t[0], 'else') && isIdent(t[1], 'if')) {
        const prev = lastIf[L];
        r = prev === true ? false : prev === false ? condition(t.slice(2), m) : null;
        lastIf[L] = prev === true ? true : r;
      } else if (isIdent(t[0], 'else') && t.length === 1) {
        const prev = lastIf[L];
        r = prev === true ? false : prev === false ? true : null;
        lastIf[L] = undefined;
      } else if (UNKNOWN_SELECTION.has(blockHeadName(t))) {
        r = null;
      }
      taken[L] = r;
      taken.length = L + 1;
      continue;
    }
    let ok: boolean | null = true;
    for (let i = base; i < L; i++) {
      const v = taken[i];
      if (v === undefined && UNKNOWN_SELECTION.has(st.path[i]!)) ok = null;
      else if (v === false) ok = false;
      else if (v === null) ok = null;
      if (ok !== true) break;
    }
    if (ok === null) uncertain.push(st);
    if (ok !== true) continue;
    // Brace-less forms: `if (name == 'app') apply plugin: 'x' else apply plugin: 'y'`.
    const t = st.tokens;
    if (isIdent(t[0], 'if') && isPunct(t[1], '(')) {
      const close = matchingClose(t, 1);
      if (close < 0) continue;
      const r = condition(t.slice(1, close + 1), m);
      const elseAt = t.findIndex((x, k) => k > close && isIdent(x, 'else'));
      bracelessIf = { level: L, result: r };
      if (r === true) out.push({ path: st.path, tokens: t.slice(close + 1, elseAt < 0 ? t.length : elseAt) });
      else if (r === false && elseAt > 0) out.push({ path: st.path, tokens: t.slice(elseAt + 1) });
      else if (r === null) uncertain.push({ path: st.path, tokens: t.slice(close + 1) });
      continue;
    }
    if (isIdent(t[0], 'else')) {
      if (bracelessIf && bracelessIf.level === L && bracelessIf.result === false) out.push({ path: st.path, tokens: t.slice(1) });
      else if (bracelessIf && bracelessIf.level === L && bracelessIf.result === null) uncertain.push({ path: st.path, tokens: t.slice(1) });
      bracelessIf = null;
      continue;
    }
    bracelessIf = null;
    out.push(st);
  }
  return out;
}

/** The name a block head gives its block, for the few heads this file needs to recognise. */
function blockHeadName(t: GradleToken[]): string {
  const last = t[t.length - 1];
  if (isIdent(last)) return last!.value;
  if (isPunct(last, ')')) {
    let depth = 0;
    for (let k = t.length - 1; k >= 0; k--) {
      if (isPunct(t[k], ')')) depth++;
      else if (isPunct(t[k], '(') && --depth === 0) return isIdent(t[k - 1]) ? t[k - 1]!.value : '';
    }
  }
  return '';
}

/**
 * A condition on the project, `( … )` included: `name == 'app'`, `project.name != "x"`,
 * `it.path == ':app'`, `name.startsWith('app')`, `name in ['a', 'b']`. Null when it is anything else.
 */
function condition(tokens: GradleToken[], m: GradleModule): boolean | null {
  let t = tokens;
  if (isPunct(t[0], '(') && matchingClose(t, 0) === t.length - 1) t = t.slice(1, -1);
  let negate = false;
  if (isPunct(t[0], '!')) {
    negate = true;
    t = t.slice(1);
    if (isPunct(t[0], '(') && matchingClose(t, 0) === t.length - 1) t = t.slice(1, -1);
  }
  let k = 0;
  if ((isIdent(t[0], 'project') || isIdent(t[0], 'it')) && isPunct(t[1], '.')) k = 2;
  const prop = t[k];
  if (!isIdent(prop, 'name') && !isIdent(prop, 'path')) return null;
  const actual = prop!.value === 'path' ? m.gradlePath : (m.gradlePath.split(':').filter(Boolean).pop() ?? path.basename(m.dir));
  const rest = t.slice(k + 1);
  let r: boolean | null = null;
  if ((isPunct(rest[0], '==') || isPunct(rest[0], '!=')) && rest.length === 2 && rest[1]!.kind === 'string' && !rest[1]!.interpolated) {
    r = (actual === rest[1]!.value) === isPunct(rest[0], '==');
  } else if (isPunct(rest[0], '.') && isIdent(rest[1]) && ['startsWith', 'endsWith', 'contains'].includes(rest[1]!.value) && isPunct(rest[2], '(') && rest[3]?.kind === 'string' && isPunct(rest[4], ')') && rest.length === 5) {
    const v = rest[3]!.value;
    r = rest[1]!.value === 'startsWith' ? actual.startsWith(v) : rest[1]!.value === 'endsWith' ? actual.endsWith(v) : actual.includes(v);
  } else if (isIdent(rest[0], 'in')) {
    const list = rest.slice(1).filter((x) => !isPunct(x, '[') && !isPunct(x, ']') && !isPunct(x, ',') && !isPunct(x, '(') && !isPunct(x, ')') && !isIdent(x, 'listOf') && !isIdent(x, 'setOf'));
    if (list.length && list.every((x) => x.kind === 'string' && !x.interpolated)) r = list.some((x) => x.value === actual);
  }
  return r === null ? null : r !== negate;
}

/**
 * `subprojects { }`, `allprojects { }`, `project(":app") { }` and `configure(…) { }` at the top of
 * the root script, with the projects each reaches. `configure` understands `subprojects`,
 * `allprojects`, `project(":x")` lists and `subprojects.filter { it.name == "x" }` (or `!=`); any
 * other selection is left out rather than guessed.
 */
function crossProjectBlocks(root: GradleModule): CrossProjectBlock[] {
  const t = root.script.tokens;
  const out: CrossProjectBlock[] = [];
  let depth = 0;
  for (let k = 0; k < t.length; k++) {
    const tok = t[k]!;
    if (isPunct(tok, '{')) depth++;
    else if (isPunct(tok, '}')) depth--;
    if (depth !== 0 || tok.kind !== 'ident' || isPunct(t[k - 1], '.')) continue;
    let open = -1;
    let appliesTo: CrossProjectBlock['appliesTo'] | null = null;
    if ((tok.value === 'subprojects' || tok.value === 'allprojects') && isPunct(t[k + 1], '{')) {
      open = k + 1;
      appliesTo = tok.value === 'subprojects' ? (m, r) => m !== r : () => true;
    } else if (tok.value === 'project' && isPunct(t[k + 1], '(') && t[k + 2]?.kind === 'string' && isPunct(t[k + 3], ')') && isPunct(t[k + 4], '{')) {
      open = k + 4;
      const p = t[k + 2]!.value;
      appliesTo = (m) => m.gradlePath === p;
    } else if (tok.value === 'configure' && isPunct(t[k + 1], '(')) {
      const close = matchingClose(t, k + 1);
      if (close > 0 && isPunct(t[close + 1], '{')) {
        open = close + 1;
        appliesTo = configureSelection(t.slice(k + 2, close));
      }
    }
    if (open < 0 || !appliesTo) continue;
    const end = matchingClose(t, open);
    if (end < 0) continue;
    const start = t[open]!.offset;
    const endOffset = t[end]!.offset;
    const b: CrossProjectBlock = { start, end: endOffset, appliesTo, statements: [] };
    b.statements = root.script.statements.filter((st) => inBlock(st, b));
    out.push(b);
    k = end; // continue after the block's `}`, back at the top level
  }
  return out;
}

function configureSelection(arg: GradleToken[]): CrossProjectBlock['appliesTo'] | null {
  if (arg.length === 1 && isIdent(arg[0], 'subprojects')) return (m, r) => m !== r;
  if (arg.length === 1 && isIdent(arg[0], 'allprojects')) return () => true;
  // subprojects.filter { it.name == "x" } / .findAll { it.name != 'x' }
  if (isIdent(arg[0], 'subprojects') && isPunct(arg[1], '.') && (isIdent(arg[2], 'filter') || isIdent(arg[2], 'findAll')) && isPunct(arg[3], '{')) {
    const body = arg.slice(4, matchingClose(arg, 3));
    if (body.length === 5 && isIdent(body[0], 'it') && isPunct(body[1], '.') && isIdent(body[2], 'name') && (isPunct(body[3], '==') || isPunct(body[3], '!=')) && body[4]!.kind === 'string') {
      const name = body[4]!.value;
      const eq = isPunct(body[3], '==');
      return (m, r) => m !== r && (path.basename(m.dir) === name) === eq;
    }
    return null;
  }
  // project(":a") / [project(':a'), project(':b')] / listOf(project(":a"), …)
  const paths: string[] = [];
  for (let k = 0; k < arg.length; k++) {
    if (isIdent(arg[k], 'project') && isPunct(arg[k + 1], '(') && arg[k + 2]?.kind === 'string' && isPunct(arg[k + 3], ')')) paths.push(arg[k + 2]!.value);
  }
  const rest = arg.filter((x) => !(x.kind === 'punct' || x.kind === 'string' || isIdent(x, 'project') || isIdent(x, 'listOf') || isIdent(x, 'setOf')));
  if (!paths.length || rest.length) return null;
  return (m) => paths.includes(m.gradlePath);
}

// ---- SDK levels from convention plugins and cross-project blocks ----

export interface InheritedSetting {
  resolved: ResolvedValue | null;
  /** Where the setting is written, for "unresolved expression in …". */
  file: string;
}

/**
 * A setting (`targetSdk`, `minSdk`, `compileSdk`) the module does not write itself: from the
 * convention plugins it applies (their own sources and the helpers they call), else from the root
 * script's blocks that configure it.
 */
export function inheritedSetting(ws: Workspace, m: GradleModule, names: string[]): InheritedSetting | null {
  const conv = conventionAssignments(m.conventionSources, names);
  if (conv.length) {
    const constants = m.build.conventions.constants();
    const values = new GradleValues(ws, m);
    // Prefer a value that resolves; report the first one otherwise.
    for (const c of conv) {
      const r = resolveConvention(ws, m, values, constants, c.tokens, c.source, 0);
      if (r) return { resolved: r, file: c.source.file };
    }
    return { resolved: null, file: conv[0]!.source.file };
  }
  const root = m.build.modules.find((x) => x.dir === m.build.root);
  if (!root || root === m) return null;
  for (const b of crossProjectBlocks(root)) {
    if (!b.appliesTo(m, root)) continue;
    for (const st of statementsFor(b, m)) {
      const a = splitAssignment(st.tokens);
      if (!a || !names.includes(a.target[a.target.length - 1]!)) continue;
      const where = [...st.path, ...a.target.slice(0, -1)];
      if (where.some((p) => ['lint', 'lintOptions', 'testOptions', 'productFlavors', 'buildTypes', 'ext', 'extra'].includes(p))) continue;
      return { resolved: new GradleValues(ws, root).resolve(a.value), file: root.buildFile };
    }
  }
  return null;
}

/**
 * A module's own setting that its script cannot resolve alone, because it names a constant of the
 * build's plugin sources (`targetSdk = Versions.TARGET_SDK`, with `object Versions` in buildSrc or an
 * included build, which Kotlin DSL scripts can see).
 */
export function resolveWithPluginSources(ws: Workspace, m: GradleModule, tokens: GradleToken[]): ResolvedValue | null {
  const t = stripConventionWrappers(tokens);
  if (!t.length || !t.every((x) => x.kind === 'ident' || isPunct(x, '.')) || t.length < 3) return null;
  if (!m.build.conventions.includedBuildDirs().length) return null;
  const constants = m.build.conventions.constants();
  const chain = t.filter((x) => x.kind === 'ident').map((x) => x.value);
  const c = constants.get(chain.slice(-2).join('.'));
  return c ? resolveConvention(ws, m, new GradleValues(ws, m), constants, c.tokens, c.source, 1) : null;
}

const CONV_WRAPPERS_CALL = new Set(['get', 'toInt', 'toInteger', 'toString', 'asProvider', 'trim', 'getRequiredVersion', 'toIntOrNull']);
const CONV_WRAPPERS_PROP = new Set(['requiredVersion', 'orNull', 'preferredVersion', 'strictVersion']);

function stripConventionWrappers(tokens: GradleToken[]): GradleToken[] {
  let t = tokens;
  for (let guard = 0; guard < 20; guard++) {
    const n = t.length;
    if (n >= 4 && (isPunct(t[n - 4], '.') || isPunct(t[n - 4], '?.')) && isIdent(t[n - 3]) && CONV_WRAPPERS_CALL.has(t[n - 3]!.value) && isPunct(t[n - 2], '(') && isPunct(t[n - 1], ')')) {
      t = t.slice(0, n - 4);
      continue;
    }
    if (n >= 2 && (isPunct(t[n - 2], '.') || isPunct(t[n - 2], '?.')) && isIdent(t[n - 1]) && CONV_WRAPPERS_PROP.has(t[n - 1]!.value)) {
      t = t.slice(0, n - 2);
      continue;
    }
    const s = stripWrappers(t);
    if (s.length === t.length) return t;
    t = s;
  }
  return t;
}

/**
 * The value of an expression in a convention plugin source: a number or string literal,
 * `libs.versions.x`, `libs.findVersion("x")`, a Gradle property, or a constant declared in the
 * build's plugin sources (`AndroidConfig.TARGET_SDK`).
 */
function resolveConvention(
  ws: Workspace,
  m: GradleModule,
  values: GradleValues,
  constants: Map<string, { tokens: GradleToken[]; source: ConventionSource }>,
  tokens: GradleToken[],
  src: ConventionSource,
  depth: number,
): ResolvedValue | null {
  if (depth > 6 || !tokens.length) return null;
  const t = stripConventionWrappers(tokens);
  const elvis = topLevelIndex(t, '?:');
  if (elvis >= 0) return resolveConvention(ws, m, values, constants, t.slice(0, elvis), src, depth + 1) ?? resolveConvention(ws, m, values, constants, t.slice(elvis + 1), src, depth + 1);
  if (t.length === 1 && (t[0]!.kind === 'number' || (t[0]!.kind === 'string' && !t[0]!.interpolated))) {
    return { value: t[0]!.value, source: ws.relative(src.file), location: { file: src.file, line: t[0]!.line, column: t[0]!.column } };
  }
  const call = (name: string[]) => t.findIndex((x, k) => isIdent(x) && name.includes(x.value) && isPunct(t[k + 1], '(') && t[k + 2]?.kind === 'string' && isPunct(t[k + 3], ')'));
  const fv = call(['findVersion']);
  if (fv >= 0) return catalogVersion(m.build.catalog, t[fv + 2]!.value);
  const prop = call(['gradleProperty', 'property', 'findProperty', 'getProperty']);
  if (prop >= 0) return values.property(t[prop + 2]!.value);
  // libs.versions.x.y
  const chain: string[] = [];
  for (let k = 0; k < t.length; k += 2) {
    if (!isIdent(t[k]) || (k + 1 < t.length && !isPunct(t[k + 1], '.'))) return null;
    chain.push(t[k]!.value);
  }
  if (chain.length > 2 && chain[1] === 'versions') return catalogVersion(m.build.catalogs.get(chain[0]!) ?? m.build.catalog, chain.slice(2).join('.'));
  const key = chain.slice(-2).join('.');
  const c = constants.get(key) ?? (chain.length === 1 ? constants.get(chain[0]!) : undefined);
  if (c && c.tokens !== tokens) return resolveConvention(ws, m, values, constants, c.tokens, c.source, depth + 1);
  return null;
}
