// Local Swift packages: what a Package.swift manifest declares (products, targets, their folders
// and dependencies), read from its Swift syntax tree, and which source files a product brings
// into the app that links it.
//
// Only literal values are understood: `.library(name: "X", targets: ["A"])`,
// `.target(name: "A", dependencies: ["B", .target(name: "C"), .product(name: "P", package: "Q")],
// path: "...", exclude: [...], sources: [...])`, `.package(path: "../Q")`. The declarations are
// collected wherever they are written (inline in `Package(...)` or in variables the call uses).
// A value built at run time (string interpolation, a function call) is skipped, never guessed.

import path from 'node:path';
import type { ProjectFile } from '../../discover/find-files.js';
import type { Workspace } from '../../parse/workspace.js';
import { walk, type SyntaxNode } from '../../parse/tree-sitter.js';
import { compareText, isUnder } from '../../discover/paths.js';

export type PackageTargetDependency =
  | { kind: 'name'; name: string }
  | { kind: 'target'; name: string }
  | { kind: 'product'; name: string; package: string | null };

export interface PackageTarget {
  name: string;
  /** target, executableTarget, testTarget, binaryTarget, systemLibrary, macro, plugin. */
  kind: string;
  /** `path:` as written, relative to the package folder. */
  path: string | null;
  exclude: string[];
  /** `sources:` as written (relative to the target folder); null when absent. */
  sources: string[] | null;
  dependencies: PackageTargetDependency[];
}

export interface SwiftPackageManifest {
  /** Absolute path of Package.swift. */
  file: string;
  /** The package folder. */
  dir: string;
  name: string | null;
  products: { name: string; targets: string[] }[];
  targets: PackageTarget[];
  /** `.package(path:)` dependencies: the identity other manifests use in `.product(package:)`, and the folder. */
  localDependencies: { identity: string; name: string | null; dir: string }[];
}

const TARGET_KINDS = new Set(['target', 'executableTarget', 'testTarget', 'binaryTarget', 'systemLibrary', 'macro', 'plugin']);
/** Folders SwiftPM looks in for a target without `path:` (PackageBuilder's predefined source directories). */
const SOURCE_DIRS = ['Sources', 'Source', 'src', 'srcs'];
const TEST_DIRS = ['Tests', 'Sources', 'Source', 'src', 'srcs'];

function calleeName(call: SyntaxNode): string | null {
  const callee = call.namedChild(0);
  if (!callee) return null;
  if (callee.type === 'simple_identifier') return callee.text;
  if (callee.type === 'prefix_expression' && callee.child(0)?.type === '.') {
    const id = callee.namedChildren.at(-1);
    return id?.type === 'simple_identifier' ? id.text : null;
  }
  if (callee.type === 'navigation_expression') {
    const suffix = callee.namedChildren.at(-1);
    const id = suffix?.type === 'navigation_suffix' ? suffix.namedChildren.at(-1) : null;
    return id?.type === 'simple_identifier' ? id.text : null;
  }
  return null;
}

/** Labeled arguments of a call (the last value wins); unlabeled ones are skipped. */
function labeledArgs(call: SyntaxNode): Map<string, SyntaxNode> {
  const args = new Map<string, SyntaxNode>();
  const suffix = call.namedChildren.find((c) => c.type === 'call_suffix');
  const list = suffix?.namedChildren.find((c) => c.type === 'value_arguments');
  for (const a of list?.namedChildren ?? []) {
    if (a.type !== 'value_argument') continue;
    const label = a.namedChildren.find((c) => c.type === 'value_argument_label');
    const value = a.namedChildren.filter((c) => c.type !== 'value_argument_label' && c.type !== 'comment' && c.type !== 'multiline_comment').at(-1);
    if (label && value) args.set(label.text, value);
  }
  return args;
}

/**
 * Top-level `let name = value` constants of the manifest (`let publicTargets = ["A", "B"]`), so a
 * list or name given through one is understood. `var`s and anything nested are not followed.
 */
type Constants = Map<string, SyntaxNode>;

function topLevelConstants(root: SyntaxNode): Constants {
  const out: Constants = new Map();
  for (const decl of root.namedChildren) {
    if (decl.type !== 'property_declaration' || decl.namedChildren[0]?.text !== 'let') continue;
    const name = decl.namedChildren.find((c) => c.type === 'pattern')?.namedChildren[0];
    const value = decl.namedChildren.at(-1);
    if (name?.type === 'simple_identifier' && value && value.type !== 'pattern') out.set(name.text, value);
  }
  return out;
}

let constants: Constants = new Map();

function deref(node: SyntaxNode | undefined): SyntaxNode | undefined {
  return node?.type === 'simple_identifier' ? constants.get(node.text) : node;
}

/** The text of a plain string literal; null for interpolations and anything else. */
function stringLiteral(node: SyntaxNode | undefined): string | null {
  node = deref(node);
  if (!node || node.type !== 'line_string_literal') return null;
  const parts = node.namedChildren;
  if (parts.some((p) => p.type !== 'line_str_text' && p.type !== 'str_escaped_char')) return null;
  return parts.map((p) => p.text).join('');
}

function stringArray(node: SyntaxNode | undefined): string[] {
  node = deref(node);
  if (!node || node.type !== 'array_literal') return [];
  return node.namedChildren.map((c) => stringLiteral(c)).filter((s): s is string => s !== null);
}

function dependencyOf(node: SyntaxNode): PackageTargetDependency | null {
  const s = stringLiteral(node);
  if (s !== null) return { kind: 'name', name: s };
  if (node.type !== 'call_expression') return null;
  const fn = calleeName(node);
  const args = labeledArgs(node);
  const name = stringLiteral(args.get('name'));
  if (!name) return null;
  if (fn === 'target') return { kind: 'target', name };
  if (fn === 'product') return { kind: 'product', name, package: stringLiteral(args.get('package')) };
  if (fn === 'byName') return { kind: 'name', name };
  return null;
}

/** Reads the declarations of a manifest's syntax tree. */
export function manifestFromTree(file: string, root: SyntaxNode): SwiftPackageManifest {
  const dir = path.dirname(file);
  const manifest: SwiftPackageManifest = { file, dir, name: null, products: [], targets: [], localDependencies: [] };
  // Read synchronously below; reset before returning so no tree outlives the call.
  constants = topLevelConstants(root);
  try {
    walkManifest(root, manifest, dir);
  } finally {
    constants = new Map();
  }
  return manifest;
}

function walkManifest(root: SyntaxNode, manifest: SwiftPackageManifest, dir: string): void {
  walk(root, (n) => {
    if (n.type !== 'call_expression') return true;
    const fn = calleeName(n);
    const args = labeledArgs(n);
    if (fn === 'Package') {
      manifest.name = stringLiteral(args.get('name'));
      return true;
    }
    if (fn === 'library') {
      const name = stringLiteral(args.get('name'));
      if (name) manifest.products.push({ name, targets: stringArray(args.get('targets')) });
      return false;
    }
    if (fn === 'package') {
      const p = stringLiteral(args.get('path'));
      if (p) {
        const abs = path.resolve(dir, p);
        // SwiftPM names a path dependency after its folder; `.package(name:path:)` (tools 5.2-5.8) could rename it.
        manifest.localDependencies.push({ identity: path.basename(abs).toLowerCase(), name: stringLiteral(args.get('name')), dir: abs });
      }
      return false;
    }
    if (fn && TARGET_KINDS.has(fn)) {
      const name = stringLiteral(args.get('name'));
      // `.target(name:)` with nothing else inside a dependencies list is a reference, handled below.
      if (!name) return false;
      const deps = args.get('dependencies');
      manifest.targets.push({
        name,
        kind: fn,
        path: stringLiteral(args.get('path')),
        exclude: stringArray(args.get('exclude')),
        sources: args.has('sources') ? stringArray(args.get('sources')) : null,
        dependencies: deref(deps)?.type === 'array_literal' ? deref(deps)!.namedChildren.map(dependencyOf).filter((d): d is PackageTargetDependency => d !== null) : [],
      });
      return false;
    }
    return true;
  });
}


/**
 * The local packages of a workspace: manifests parsed on demand (each at most once), and the
 * Swift / Objective-C files that a product of a package compiles, following its targets'
 * dependencies inside the package and into other local (path) packages.
 */
export class LocalPackages {
  private readonly manifests = new Map<string, Promise<SwiftPackageManifest | null>>();
  private readonly compilable: ProjectFile[];

  constructor(private readonly ws: Workspace) {
    // Sorted by path, so the files under a folder are one contiguous run (found by binary search).
    this.compilable = ws
      .filesOfKind('swift', 'objc')
      .filter((f) => !isManifestName(path.basename(f.path)))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Compilable files under a folder, without a scan of every file. */
  private filesUnder(dir: string): ProjectFile[] {
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    let lo = 0;
    let hi = this.compilable.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compilable[mid]!.path < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: ProjectFile[] = [];
    for (let i = lo; i < this.compilable.length && this.compilable[i]!.path.startsWith(prefix); i++) out.push(this.compilable[i]!);
    return out;
  }

  /** Folders that hold a Package.swift in the scan. */
  packageDirs(): string[] {
    return this.ws
      .filesOfKind('swift')
      .filter((f) => path.basename(f.path) === 'Package.swift')
      .map((f) => path.dirname(f.path));
  }

  hasManifest(dir: string): boolean {
    return this.ws.file(path.join(dir, 'Package.swift')) !== undefined;
  }

  manifest(dir: string): Promise<SwiftPackageManifest | null> {
    const file = path.join(dir, 'Package.swift');
    let pending = this.manifests.get(file);
    if (!pending) {
      pending = (async () => {
        if (!this.ws.file(file)) return null;
        try {
          return await this.ws.withTree(file, 'swift', (root) => manifestFromTree(file, root));
        } catch (e) {
          this.ws.report({ file, kind: 'parse-error', severity: 'warning', message: `could not read the package manifest: ${(e as Error).message}` });
          return null;
        }
      })();
      this.manifests.set(file, pending);
    }
    return pending;
  }

  /** The folder of a target (explicit `path:`, or the first predefined source folder that has files). */
  targetDir(m: SwiftPackageManifest, t: PackageTarget): string {
    if (t.path !== null) return path.resolve(m.dir, t.path);
    const roots = t.kind === 'testTarget' ? TEST_DIRS : SOURCE_DIRS;
    for (const r of roots) {
      const d = path.join(m.dir, r, t.name);
      if (this.filesUnder(d).length > 0) return d;
    }
    return path.join(m.dir, roots[0]!, t.name);
  }

  /** Source files of one package target. */
  targetFiles(m: SwiftPackageManifest, t: PackageTarget): ProjectFile[] {
    if (t.kind === 'binaryTarget' || t.kind === 'plugin' || t.kind === 'macro') return [];
    const dir = this.targetDir(m, t);
    const excluded = t.exclude.map((e) => path.resolve(dir, e));
    const only = t.sources?.map((s) => path.resolve(dir, s)) ?? null;
    return this.filesUnder(dir).filter((f) => {
      if (excluded.some((x) => f.path === x || isUnder(f.path, x))) return false;
      if (only && !only.some((x) => f.path === x || isUnder(f.path, x))) return false;
      return true;
    });
  }

  /**
   * Files a product brings in: its targets and, transitively, the targets they depend on in this
   * package and the products of local path packages they use. Null when the package has no such product.
   */
  async productFiles(dir: string, productName: string, seen = new Set<string>()): Promise<PackageProductCode | null> {
    const m = await this.manifest(dir);
    if (!m) return null;
    const product = m.products.find((p) => p.name === productName);
    if (!product) return null;
    const files = new Map<string, ProjectFile>();
    const modules: string[] = [];
    const fileModules = new Map<string, string>();
    const packageDirs = [dir];
    const visitTarget = async (name: string): Promise<void> => {
      const key = `${m.file}#${name}`;
      if (seen.has(key)) return;
      seen.add(key);
      const t = m.targets.find((x) => x.name === name);
      if (!t) return;
      modules.push(t.name);
      for (const f of this.targetFiles(m, t)) {
        files.set(f.path, f);
        fileModules.set(f.path, t.name);
      }
      for (const d of t.dependencies) {
        if (d.kind === 'target') await visitTarget(d.name);
        else if (d.kind === 'name') {
          // By name: a target of this package, else a product of one of its dependencies.
          if (m.targets.some((x) => x.name === d.name)) await visitTarget(d.name);
          else await visitProduct(d.name, null);
        } else await visitProduct(d.name, d.package);
      }
    };
    const visitProduct = async (name: string, pkg: string | null): Promise<void> => {
      const candidates = m.localDependencies.filter((l) => pkg === null || l.identity === pkg.toLowerCase() || l.name === pkg);
      for (const dep of candidates) {
        const sub = await this.productFiles(dep.dir, name, seen);
        if (!sub) continue;
        for (const f of sub.files) files.set(f.path, f);
        for (const [k, v] of sub.fileModules) fileModules.set(k, v);
        modules.push(...sub.modules);
        packageDirs.push(...sub.packageDirs);
        return;
      }
    };
    for (const t of product.targets) await visitTarget(t);
    return { files: [...files.values()].sort((a, b) => compareText(a.path, b.path)), modules, fileModules, packageDirs: [...new Set(packageDirs)] };
  }

  /** Packages (by folder) that declare a product of this name, nearest to `near` first. */
  async packagesWithProduct(productName: string, near: string): Promise<string[]> {
    const out: string[] = [];
    for (const d of this.packageDirs()) {
      const file = this.ws.file(path.join(d, 'Package.swift'));
      // Cheap text test first: a manifest that never mentions the name cannot declare it.
      if (!file || !this.ws.mentions(file, [productName])) continue;
      const m = await this.manifest(d);
      if (m?.products.some((p) => p.name === productName)) out.push(d);
    }
    const distance = (d: string) => path.relative(near, d).split(path.sep).length;
    return out.sort((a, b) => distance(a) - distance(b) || compareText(a, b));
  }
}

export interface PackageProductCode {
  files: ProjectFile[];
  /** Names of the package targets (modules) the product compiles. */
  modules: string[];
  /** The module each file belongs to. */
  fileModules: Map<string, string>;
  /** Folders of the packages the product draws code from (its own first). */
  packageDirs: string[];
}

/** Package.swift and its version-specific variants (Package@swift-5.9.swift). */
export function isManifestName(name: string): boolean {
  return name === 'Package.swift' || /^Package@swift-[\d.]+\.swift$/.test(name);
}
