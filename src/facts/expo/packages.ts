// Which version of a JS package an app uses: the range declared in package.json (with its
// position) and, when dependencies are installed, the exact version in node_modules/<pkg>/package.json.
// Only folders inside the scanned root are searched for node_modules (a hoisted install above the
// scanned folder is not read), so results do not depend on the machine.

import path from 'node:path';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';
import { readAppJson } from './app-config.js';
import { getProp, propsOf } from './config-value.js';

export interface DeclaredRange {
  range: string;
  location: Location;
  /** dependencies, devDependencies or peerDependencies. */
  field: string;
}

export interface PackageVersion {
  name: string;
  declared: DeclaredRange | null;
  /** The installed copy (node_modules/<name>/package.json), when present. */
  installed: { version: string; dir: string; packageJson: string } | null;
}

export interface PackageJsonFacts {
  file: string;
  dir: string;
  name: string | null;
  dependencies: Map<string, DeclaredRange>;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** package.json read with positions (jsonc-parser, shared with app.json), or null. */
export function readPackageJson(ws: Workspace, file: string): PackageJsonFacts | null {
  return ws.cached(file, 'package-json-facts', () => {
    const v = readAppJson(ws, file);
    if (!v || v.kind !== 'object') return null;
    const dependencies = new Map<string, DeclaredRange>();
    for (const field of DEP_FIELDS) {
      for (const p of propsOf(getProp(v, field))) {
        if (p.value.kind === 'string' && !dependencies.has(p.key)) dependencies.set(p.key, { range: p.value.value, location: p.keyLoc, field });
      }
    }
    const name = getProp(v, 'name');
    return { file, dir: path.dirname(file), name: name?.kind === 'string' ? name.value : null, dependencies };
  });
}

/** node_modules/<name>/package.json from `dir` up to the scan root (Node's lookup, bounded). */
export function installedPackage(ws: Workspace, dir: string, name: string): PackageVersion['installed'] {
  const root = path.resolve(ws.root);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const pkgDir = path.join(d, 'node_modules', ...name.split('/'));
    const file = path.join(pkgDir, 'package.json');
    const text = ws.readOutside(file);
    if (text !== null) {
      try {
        const json = JSON.parse(text) as { version?: unknown };
        if (typeof json.version === 'string') return { version: json.version, dir: pkgDir, packageJson: file };
      } catch {
        // A broken installed package.json: treat the package as not installed.
      }
    }
    if (d === root || !d.startsWith(root) || path.dirname(d) === d) return null;
  }
}

export function packageVersion(ws: Workspace, pkg: PackageJsonFacts | null, dir: string, name: string): PackageVersion {
  return { name, declared: pkg?.dependencies.get(name) ?? null, installed: installedPackage(ws, dir, name) };
}

// ---- versions and ranges ----

export type Version = [number, number, number];

export function parseVersion(text: string): Version | null {
  const m = /^\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(text);
  if (!m) return null;
  const num = (s: string | undefined) => (s === undefined || s === 'x' || s === '*' ? 0 : Number(s));
  return [num(m[1]), num(m[2]), num(m[3])];
}

export function compareVersion(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function versionText(v: Version): string {
  return v.join('.');
}

/**
 * The versions a range allows, as [lowest, upper) where upper is exclusive (null: no upper bound).
 * Supports exact versions, ^, ~, x-ranges, >=, and unions with ||. Null for tags, URLs and
 * anything else: the version is then unknown.
 */
export function rangeBounds(range: string): { low: Version; high: Version | null } | null {
  const parts = range.split('||').map((p) => p.trim()).filter(Boolean);
  if (!parts.length) return null;
  let low: Version | null = null;
  let high: Version | null | undefined;
  for (const part of parts) {
    const b = singleBounds(part);
    if (!b) return null;
    if (!low || compareVersion(b.low, low) < 0) low = b.low;
    if (high === undefined) high = b.high;
    else if (high !== null) high = b.high === null ? null : compareVersion(b.high, high) > 0 ? b.high : high;
  }
  return { low: low!, high: high ?? null };
}

function singleBounds(part: string): { low: Version; high: Version | null } | null {
  const p = part.replace(/^npm:[^@]+@/, '').trim();
  if (p === '*' || p === '' || p === 'x' || p === 'latest') return null;
  const cmp = /^(>=|>|<=|<|=)?\s*(.+?)(?:\s+(<|<=)\s*(.+))?$/.exec(p);
  if (!cmp) return null;
  const op = cmp[1] ?? '';
  let rest = cmp[2]!;
  let kind: '^' | '~' | '' = '';
  if (rest.startsWith('^') || rest.startsWith('~')) {
    kind = rest[0] as '^' | '~';
    rest = rest.slice(1).replace(/^>/, '');
  }
  if (!/^v?\d/.test(rest)) return null;
  const v = parseVersion(rest);
  if (!v) return null;
  const pieces = rest.replace(/^v/, '').split(/[-+]/)[0]!.split('.');
  const wild = (i: number) => pieces[i] === undefined || pieces[i] === 'x' || pieces[i] === '*';
  if (op === '>=' || op === '>') {
    const upper = cmp[4] ? parseVersion(cmp[4]) : null;
    return { low: v, high: upper };
  }
  if (op === '<' || op === '<=') return { low: [0, 0, 0], high: v };
  if (kind === '^') {
    if (v[0] > 0 || wild(1)) return { low: v, high: [v[0] + 1, 0, 0] };
    if (v[1] > 0 || wild(2)) return { low: v, high: [0, v[1] + 1, 0] };
    return { low: v, high: [0, 0, v[2] + 1] };
  }
  if (kind === '~') return { low: v, high: wild(1) ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0] };
  if (wild(1)) return { low: v, high: [v[0] + 1, 0, 0] };
  if (wild(2)) return { low: v, high: [v[0], v[1] + 1, 0] };
  return { low: v, high: [v[0], v[1], v[2] + 1] };
}

/** Whether `v` is in [from, until). */
export function inRange(v: Version, from: string | null, until: string | null): boolean {
  if (from && compareVersion(v, parseVersion(from)!) < 0) return false;
  if (until && compareVersion(v, parseVersion(until)!) >= 0) return false;
  return true;
}

/**
 * AndroidManifest.xml files of the React Native libraries an Android build links: for an android/
 * folder inside a React Native app, each `dependencies` entry of the app's package.json whose
 * installed copy has android/src/main/AndroidManifest.xml (what autolinking adds to the build, and
 * what the manifest merger then merges into the app).
 */
export function linkedLibraryManifests(ws: Workspace, buildRoot: string): { name: string; file: string; dir: string }[] {
  const root = path.resolve(ws.root);
  for (let d = path.resolve(buildRoot); d === root || d.startsWith(root + path.sep); d = path.dirname(d)) {
    const pkgFile = path.join(d, 'package.json');
    const pkg = ws.file(pkgFile) ? readPackageJson(ws, pkgFile) : null;
    if (pkg && (pkg.dependencies.has('react-native') || pkg.dependencies.has('expo'))) {
      const out: { name: string; file: string; dir: string }[] = [];
      for (const [name, dep] of pkg.dependencies) {
        if (dep.field !== 'dependencies') continue;
        for (let n = d; n === root || n.startsWith(root + path.sep); n = path.dirname(n)) {
          const dir = path.join(n, 'node_modules', ...name.split('/'));
          const file = path.join(dir, 'android', 'src', 'main', 'AndroidManifest.xml');
          if (ws.readOutside(file) !== null) {
            out.push({ name, file, dir });
            break;
          }
          if (n === root) break;
        }
      }
      return out;
    }
    if (d === root) break;
  }
  return [];
}
