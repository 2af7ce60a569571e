// pubspec.yaml and pubspec.lock, read with a real YAML parser (the `yaml` package, loaded only when
// a pubspec exists) so that every value keeps its line and column. Nothing here looks at raw text
// to decide anything.

import { createRequire } from 'node:module';
import path from 'node:path';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';

type YamlModule = typeof import('yaml');
type YamlNode = import('yaml').Node;

let yamlModule: Promise<YamlModule> | null = null;

/** Loads the YAML parser once; it is only needed when the scan holds a pubspec. */
export function loadYaml(): Promise<YamlModule> {
  // Its CommonJS build, through require: the ES module build is a tree of modules that the loader
  // resolves one by one (about 10 ms more).
  yamlModule ??= Promise.resolve().then(() => createRequire(import.meta.url)('yaml') as YamlModule);
  return yamlModule;
}

export interface PubDependency {
  name: string;
  /** The constraint as written (`^0.18.12`, `any`), or null for path / git / sdk dependencies. */
  constraint: string | null;
  /** `dependencies`, `dev_dependencies` or `dependency_overrides`. */
  section: string;
  /** The key of the dependency. */
  location: Location;
  /** `path:` / `git:` / `sdk:` dependencies. */
  source: 'hosted' | 'path' | 'git' | 'sdk';
}

export interface Pubspec {
  file: string;
  dir: string;
  name: string | null;
  /** `flutter: sdk: flutter` under dependencies. */
  isFlutter: boolean;
  dependencies: Map<string, PubDependency>;
  /** `environment: flutter:` constraint, e.g. ">=3.22.0". */
  flutterConstraint: { text: string; location: Location } | null;
  /** Where to report about the app as a whole: the `name` key, else line 1. */
  anchor: Location;
  /** `flutter: plugin:`: a plugin package, never an app. */
  isPlugin: boolean;
  /** Pub workspace root: the member folders under `workspace:` (absolute), else null. */
  workspace: string[] | null;
  /** `resolution: workspace`: a member of a pub workspace. */
  workspaceMember: boolean;
  /** Folders of `path:` dependencies (absolute), by dependency name. */
  pathDependencies: Map<string, string>;
}

export interface LockedPackage {
  name: string;
  version: string;
  location: Location;
}

export interface PubspecLock {
  file: string;
  packages: Map<string, LockedPackage>;
  /** `sdks: flutter:` constraint, e.g. ">=3.24.0": the lowest Flutter the resolved packages allow. */
  flutterSdk: string | null;
}

function parseDoc(ws: Workspace, Y: YamlModule, file: string): { root: YamlNode | null; loc: (offset: number) => Location } | null {
  const t = ws.text(file);
  if (!t) return null;
  const doc = Y.parseDocument(t.text, { keepSourceTokens: false, uniqueKeys: false, strict: false });
  const loc = (offset: number): Location => ({ file, ...t.lines.position(offset) });
  const err = doc.errors[0];
  if (err) {
    const p = t.lines.position(err.pos[0]);
    ws.report({ file, line: p.line, column: p.column, kind: 'parse-error', severity: 'error', message: `invalid YAML: ${err.message.split('\n')[0]}` });
    return null;
  }
  return { root: (doc.contents as YamlNode | null) ?? null, loc };
}

function mapEntries(Y: YamlModule, node: unknown): { key: string; keyNode: YamlNode; value: unknown }[] {
  if (!Y.isMap(node)) return [];
  const out: { key: string; keyNode: YamlNode; value: unknown }[] = [];
  for (const pair of node.items) {
    const k = pair.key;
    if (!Y.isScalar(k) || (typeof k.value !== 'string' && typeof k.value !== 'number')) continue;
    out.push({ key: String(k.value), keyNode: k, value: pair.value });
  }
  return out;
}

function get(Y: YamlModule, node: unknown, key: string): unknown {
  return mapEntries(Y, node).find((e) => e.key === key)?.value;
}

function scalarText(Y: YamlModule, node: unknown): string | null {
  if (!Y.isScalar(node)) return null;
  const v = node.value;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

const startOf = (n: YamlNode): number => n.range?.[0] ?? 0;

export async function readPubspec(ws: Workspace, file: string): Promise<Pubspec | null> {
  return ws.cached(file, 'flutter-pubspec', async () => {
    const Y = await loadYaml();
    const parsed = parseDoc(ws, Y, file);
    if (!parsed) return null;
    const { root, loc } = parsed;
    const dependencies = new Map<string, PubDependency>();
    const pathDependencies = new Map<string, string>();
    for (const section of ['dependencies', 'dev_dependencies', 'dependency_overrides']) {
      for (const e of mapEntries(Y, get(Y, root, section))) {
        let constraint: string | null = null;
        let source: PubDependency['source'] = 'hosted';
        if (e.value === null || e.value === undefined || Y.isScalar(e.value)) {
          constraint = scalarText(Y, e.value) ?? 'any';
        } else if (Y.isMap(e.value)) {
          const p = scalarText(Y, get(Y, e.value, 'path'));
          if (p && section !== 'dev_dependencies') pathDependencies.set(e.key, path.resolve(path.dirname(file), p));
          if (get(Y, e.value, 'path') !== undefined) source = 'path';
          else if (get(Y, e.value, 'git') !== undefined) source = 'git';
          else if (get(Y, e.value, 'sdk') !== undefined) source = 'sdk';
          constraint = scalarText(Y, get(Y, e.value, 'version'));
        }
        const dep: PubDependency = { name: e.key, constraint, section, location: loc(startOf(e.keyNode)), source };
        // An override wins over the declaration; a dev dependency does not replace a runtime one.
        if (section === 'dependency_overrides' || !dependencies.has(e.key)) dependencies.set(e.key, dep);
      }
    }
    const flutterDep = get(Y, get(Y, root, 'dependencies'), 'flutter');
    const isFlutter = Y.isMap(flutterDep) && scalarText(Y, get(Y, flutterDep, 'sdk')) === 'flutter';
    const envFlutter = mapEntries(Y, get(Y, root, 'environment')).find((e) => e.key === 'flutter');
    const envText = envFlutter ? scalarText(Y, envFlutter.value) : null;
    const nameEntry = mapEntries(Y, root).find((e) => e.key === 'name');
    return {
      file,
      dir: path.dirname(file),
      name: nameEntry ? scalarText(Y, nameEntry.value) : null,
      isFlutter,
      dependencies,
      flutterConstraint: envFlutter && envText ? { text: envText, location: loc(startOf(envFlutter.keyNode)) } : null,
      anchor: nameEntry ? loc(startOf(nameEntry.keyNode)) : { file, line: 1, column: 1 },
      isPlugin: get(Y, get(Y, root, 'flutter'), 'plugin') !== undefined,
      workspace: Y.isSeq(get(Y, root, 'workspace'))
        ? (get(Y, root, 'workspace') as import('yaml').YAMLSeq).items.flatMap((i) => {
            const t = scalarText(Y, i);
            return t ? [path.resolve(path.dirname(file), t)] : [];
          })
        : null,
      workspaceMember: scalarText(Y, get(Y, root, 'resolution')) === 'workspace',
      pathDependencies,
    };
  });
}

export async function readPubspecLock(ws: Workspace, file: string): Promise<PubspecLock | null> {
  return ws.cached(file, 'flutter-pubspec-lock', async () => {
    const Y = await loadYaml();
    const parsed = parseDoc(ws, Y, file);
    if (!parsed) return null;
    const { root, loc } = parsed;
    const packages = new Map<string, LockedPackage>();
    for (const e of mapEntries(Y, get(Y, root, 'packages'))) {
      const version = scalarText(Y, get(Y, e.value, 'version'));
      if (version) packages.set(e.key, { name: e.key, version, location: loc(startOf(e.keyNode)) });
    }
    return { file, packages, flutterSdk: scalarText(Y, get(Y, get(Y, root, 'sdks'), 'flutter')) };
  });
}
