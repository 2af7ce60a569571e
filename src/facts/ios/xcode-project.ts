// Reading an Xcode project: native targets, their build configurations and settings, and the
// files each target compiles. Pure data out of the parsed project.pbxproj; no rules here.
//
// Objects used (all in the `objects` dictionary, keyed by 24-hex-digit ids):
//   PBXProject              mainGroup, targets, buildConfigurationList, projectDirPath
//   PBXNativeTarget         name, productType, buildConfigurationList, buildPhases,
//                           fileSystemSynchronizedGroups (Xcode 16, objectVersion 77)
//   XCConfigurationList     buildConfigurations
//   XCBuildConfiguration    name, buildSettings
//   PBXSourcesBuildPhase    files -> PBXBuildFile -> fileRef -> PBXFileReference
//   PBXGroup / PBXVariantGroup  children, path, sourceTree
//   PBXFileSystemSynchronizedRootGroup  path, sourceTree, exceptions
//   PBXFileSystemSynchronizedBuildFileExceptionSet  target, membershipExceptions
//   PBXTargetDependency     target, targetProxy -> PBXContainerItemProxy (containerPortal,
//                           remoteGlobalIDString): the targets a target is built after
//   PBXFrameworksBuildPhase / PBXCopyFilesBuildPhase  files -> PBXBuildFile -> fileRef (a product,
//                           or a PBXReferenceProxy into another .xcodeproj) or productRef (a package product)
//   XCSwiftPackageProductDependency  productName, package -> XCLocalSwiftPackageReference (relativePath)
//                                    or XCRemoteSwiftPackageReference; no package = a local package
//                                    the project or workspace names elsewhere

import path from 'node:path';
import type { Location } from '../../findings/finding.js';
import { pbxEntry, pbxGet, pbxString, pbxStrings, type PbxDict, type PbxProject } from '../../parse/pbxproj.js';

export interface XcodeSetting {
  name: string;
  /** The value as written; an array value is joined with single spaces. */
  value: string;
  /** The items of an array value (or the single string). */
  values: string[];
  /** Where the setting's name is written in project.pbxproj. */
  location: Location;
  /** Where the value starts. */
  valueLocation: Location;
  /** Project-level settings are inherited by every target; target-level ones win. */
  level: 'project' | 'target';
}

export interface XcodeConfiguration {
  name: string;
  /**
   * Effective settings of the configuration, in Xcode's order of precedence (lowest first):
   * project .xcconfig, project build settings, target .xcconfig, target build settings.
   */
  settings: Map<string, XcodeSetting>;
  /** A base .xcconfig (or one it includes) could not be read, so settings may be missing. */
  incomplete: boolean;
}

/**
 * Something a target builds against: another target (this project or another .xcodeproj), a built
 * product named by file only (an implicit dependency Xcode resolves by name across the workspace),
 * or a Swift package product.
 */
export type XcodeTargetUse =
  | { via: XcodeUseKind; kind: 'target'; project: string; id: string }
  | { via: XcodeUseKind; kind: 'product'; project: string; productId: string; name: string | null }
  | { via: XcodeUseKind; kind: 'package'; productName: string; packageDir: string | null; remote: boolean };

/** `dependency`: PBXTargetDependency; `link`: Frameworks phase; `embed`: a Copy Files phase (Embed Frameworks...). */
export type XcodeUseKind = 'dependency' | 'link' | 'embed';

export interface XcodeTarget {
  id: string;
  name: string;
  productType: string | null;
  /** Where `name = ...` of the target is written (falls back to the object's start). */
  anchor: Location;
  configurations: XcodeConfiguration[];
  /** Absolute paths of the files in the Sources build phase and synchronized folders. */
  sourcePaths: string[];
  /** Synchronized folders (absolute) the target compiles, with excluded files (absolute). */
  synchronizedFolders: { folder: string; exceptions: Set<string> }[];
  /** Id of the product file reference (productReference), e.g. the FooKit.framework reference. */
  productRef: string | null;
  /** File name of the product (FooKit.framework, Foo.appex), when written. */
  productFile: string | null;
  /** Targets, products and package products this target depends on, links or embeds. */
  uses: XcodeTargetUse[];
}

export interface XcodeProject {
  /** Absolute path of project.pbxproj. */
  file: string;
  /** Project name: the .xcodeproj folder's name without the extension. */
  name: string;
  /** Folder that holds the .xcodeproj. */
  dir: string;
  /** $(SRCROOT) / $(PROJECT_DIR): dir + projectDirPath. */
  srcRoot: string;
  objectVersion: number | null;
  targets: XcodeTarget[];
  /**
   * Files the project knows about without compiling them into any target: file references
   * left out of every Sources phase, and files a synchronized-folder exception removes.
   * Leaving a file out is a decision, so these are never attached to a target as orphans.
   */
  knownPaths: Set<string>;
  /** Folders of the local Swift packages the project references (XCLocalSwiftPackageReference). */
  localPackageDirs: string[];
}

function location(file: string, loc: { line: number; column: number }): Location {
  return { file, line: loc.line, column: loc.column };
}

interface RawConfiguration {
  name: string;
  settings: Map<string, XcodeSetting>;
  /** The .xcconfig file the configuration is based on (baseConfigurationReference), if any. */
  baseConfigId: string | null;
}

function settingsOf(pbx: PbxProject, configId: string | null, level: XcodeSetting['level']): RawConfiguration | null {
  if (!configId) return null;
  const cfg = pbx.objects.get(configId);
  if (!cfg || pbxString(cfg, 'isa') !== 'XCBuildConfiguration') return null;
  const name = pbxString(cfg, 'name') ?? '';
  const settings = new Map<string, XcodeSetting>();
  const bs = pbxGet(cfg, 'buildSettings');
  if (bs?.type === 'dict') {
    for (const e of bs.entries) {
      const values = pbxStrings(e.value);
      const value = e.value.type === 'string' ? e.value.value : values.join(' ');
      settings.set(e.key, {
        name: e.key,
        value,
        values: e.value.type === 'string' ? [e.value.value] : values,
        location: location(pbx.file, e.keyLoc),
        valueLocation: location(pbx.file, e.value.loc),
        level,
      });
    }
  }
  return { name, settings, baseConfigId: pbxString(cfg, 'baseConfigurationReference') };
}

function configurationsOf(pbx: PbxProject, listId: string | null, level: XcodeSetting['level']): RawConfiguration[] {
  if (!listId) return [];
  const list = pbx.objects.get(listId);
  if (!list) return [];
  return pbxStrings(pbxGet(list, 'buildConfigurations'))
    .map((id) => settingsOf(pbx, id, level))
    .filter((c): c is RawConfiguration => c !== null);
}

// ---- .xcconfig files ----

export interface XcconfigResult {
  settings: Map<string, XcodeSetting>;
  /** An #include (or the file itself) could not be read: some settings may be missing. */
  incomplete: boolean;
}

/**
 * Read an .xcconfig file: `NAME = value` lines, `//` comments, `#include "file"` and
 * `#include? "file"` (relative to the including file). Conditional assignments
 * (`NAME[sdk=iphoneos*] = ...`) are skipped: they apply only to some builds.
 */
export function readXcconfig(file: string, readText: (abs: string) => string | null, level: XcodeSetting['level'], depth = 0, seen = new Set<string>()): XcconfigResult {
  const settings = new Map<string, XcodeSetting>();
  if (seen.has(file) || depth > 16) return { settings, incomplete: false };
  seen.add(file);
  const text = readText(file);
  if (text === null) return { settings, incomplete: true };
  let incomplete = false;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const include = /^\s*#include(\?)?\s*"([^"]+)"/.exec(raw);
    if (include) {
      const optional = include[1] === '?';
      const target = include[2]!;
      if (target.startsWith('<')) return;
      const inc = readXcconfig(path.resolve(path.dirname(file), target), readText, level, depth + 1, seen);
      if (inc.incomplete && !optional) incomplete = true;
      for (const [k, v] of inc.settings) settings.set(k, v);
      return;
    }
    const line = raw.replace(/\/\/.*$/, '');
    const m = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^\]]*\])?\s*=\s*(.*?)\s*;?\s*$/.exec(line);
    if (!m || m[3]) return;
    const name = m[2]!;
    const value = m[4]!;
    const col = m[1]!.length + 1;
    const valueCol = raw.indexOf(value, col - 1 + name.length) + 1 || col;
    settings.set(name, {
      name,
      value,
      values: value.split(/\s+/).filter(Boolean),
      location: { file, line: i + 1, column: col },
      valueLocation: { file, line: i + 1, column: valueCol },
      level,
    });
  });
  return { settings, incomplete };
}

/**
 * Resolves file references to absolute paths through the group tree.
 * Only paths inside the checkout can be resolved: `<group>`, `SOURCE_ROOT` and `<absolute>`.
 * Build-product and SDK references (BUILT_PRODUCTS_DIR, SDKROOT, DEVELOPER_DIR) resolve to null.
 */
class PathResolver {
  private readonly parent = new Map<string, string>();
  private readonly memo = new Map<string, string | null>();

  constructor(
    private readonly pbx: PbxProject,
    private readonly srcRoot: string,
  ) {
    for (const [id, obj] of pbx.objects) {
      const isa = pbxString(obj, 'isa');
      if (isa === 'PBXGroup' || isa === 'PBXVariantGroup' || isa === 'XCVersionGroup') {
        for (const child of pbxStrings(pbxGet(obj, 'children'))) if (!this.parent.has(child)) this.parent.set(child, id);
      }
    }
  }

  resolve(id: string, seen = new Set<string>()): string | null {
    if (this.memo.has(id)) return this.memo.get(id)!;
    // A group that contains itself, or a chain of groups no real project has: give up on it.
    if (seen.has(id) || seen.size > 256) return null;
    seen.add(id);
    const obj = this.pbx.objects.get(id);
    let result: string | null = null;
    if (obj) {
      const p = pbxString(obj, 'path');
      const tree = pbxString(obj, 'sourceTree') ?? '<group>';
      if (tree === '<absolute>') result = p;
      else if (tree === 'SOURCE_ROOT') result = p === null ? this.srcRoot : path.resolve(this.srcRoot, p);
      else if (tree === '<group>') {
        const parentId = this.parent.get(id);
        // The main group (and any group not listed as a child) sits at $(SRCROOT).
        const base = parentId ? this.resolve(parentId, seen) : this.srcRoot;
        result = base === null ? null : p === null ? base : path.resolve(base, p);
      } else result = null;
    }
    this.memo.set(id, result);
    return result;
  }
}

function isCompilable(p: string): boolean {
  return /\.(swift|m|mm|h)$/i.test(p);
}

/**
 * Read the project. `filesUnder(folder)` lists the discovered files under a folder
 * (for synchronized folders, whose content is not listed in the project file).
 */
export function readXcodeProject(
  pbx: PbxProject,
  filesUnder: (folder: string) => string[],
  readText: (absPath: string) => string | null = () => null,
): XcodeProject {
  const xcodeproj = path.dirname(pbx.file);
  const dir = path.dirname(xcodeproj);
  const name = path.basename(xcodeproj).replace(/\.xcodeproj$/i, '');
  const project = pbx.rootObject ? pbx.objects.get(pbx.rootObject) : undefined;
  const projectDirPath = pbxString(project, 'projectDirPath') ?? '';
  const srcRoot = projectDirPath ? path.resolve(dir, projectDirPath) : dir;
  const resolver = new PathResolver(pbx, srcRoot);

  const projectConfigs = configurationsOf(pbx, pbxString(project, 'buildConfigurationList'), 'project');

  const knownPaths = new Set<string>();
  for (const [id, obj] of pbx.objects) {
    if (pbxString(obj, 'isa') !== 'PBXFileReference') continue;
    const p = resolver.resolve(id);
    if (p) knownPaths.add(p);
  }

  const localPackageDirs: string[] = [];
  for (const obj of pbx.objects.values()) {
    if (pbxString(obj, 'isa') !== 'XCLocalSwiftPackageReference') continue;
    const rel = pbxString(obj, 'relativePath') ?? pbxString(obj, 'path');
    if (rel) localPackageDirs.push(path.resolve(dir, rel));
  }
  const uses = usesReader(pbx, dir, resolver);

  const targets: XcodeTarget[] = [];
  for (const targetId of pbxStrings(pbxGet(project, 'targets'))) {
    const t = pbx.objects.get(targetId);
    if (!t || pbxString(t, 'isa') !== 'PBXNativeTarget') continue;
    const tName = pbxString(t, 'name') ?? pbxString(t, 'productName') ?? targetId;
    const nameEntry = pbxEntry(t, 'name');
    const anchor = location(pbx.file, nameEntry ? nameEntry.keyLoc : t.loc);

    const targetConfigs = configurationsOf(pbx, pbxString(t, 'buildConfigurationList'), 'target');
    const configurations: XcodeConfiguration[] = targetConfigs.map((tc) => {
      const merged = new Map<string, XcodeSetting>();
      let incomplete = false;
      const pc = projectConfigs.find((c) => c.name === tc.name);
      const base = (id: string | null, level: XcodeSetting['level']) => {
        if (!id) return;
        const p = resolver.resolve(id);
        if (!p) return;
        const x = readXcconfig(p, readText, level);
        incomplete ||= x.incomplete;
        for (const [k, v] of x.settings) merged.set(k, v);
      };
      base(pc?.baseConfigId ?? null, 'project');
      if (pc) for (const [k, v] of pc.settings) merged.set(k, v);
      base(tc.baseConfigId, 'target');
      for (const [k, v] of tc.settings) merged.set(k, v);
      return { name: tc.name, settings: merged, incomplete };
    });

    const sources = new Set<string>();
    for (const phaseId of pbxStrings(pbxGet(t, 'buildPhases'))) {
      const phase = pbx.objects.get(phaseId);
      if (!phase || pbxString(phase, 'isa') !== 'PBXSourcesBuildPhase') continue;
      for (const buildFileId of pbxStrings(pbxGet(phase, 'files'))) {
        const ref = pbxString(pbx.objects.get(buildFileId), 'fileRef');
        if (!ref) continue;
        const refObj = pbx.objects.get(ref);
        const isa = pbxString(refObj, 'isa');
        if (isa === 'PBXVariantGroup') {
          // A localised group: its children are the real files.
          for (const child of pbxStrings(pbxGet(refObj, 'children'))) {
            const p = resolver.resolve(child);
            if (p && isCompilable(p)) sources.add(p);
          }
          continue;
        }
        const p = resolver.resolve(ref);
        if (p && isCompilable(p)) sources.add(p);
      }
    }

    const synchronizedFolders: XcodeTarget['synchronizedFolders'] = [];
    for (const groupId of pbxStrings(pbxGet(t, 'fileSystemSynchronizedGroups'))) {
      const group = pbx.objects.get(groupId);
      const folder = resolver.resolve(groupId);
      if (!group || !folder) continue;
      const exceptions = new Set<string>();
      for (const exId of pbxStrings(pbxGet(group, 'exceptions'))) {
        const ex = pbx.objects.get(exId);
        if (!ex) continue;
        const exIsa = pbxString(ex, 'isa');
        // A build-file exception set names the target it applies to; files listed there are
        // NOT members of that target even though they sit in the folder.
        if (exIsa === 'PBXFileSystemSynchronizedBuildFileExceptionSet') {
          if (pbxString(ex, 'target') !== targetId) continue;
        } else if (exIsa === 'PBXFileSystemSynchronizedGroupBuildPhaseMembershipExceptionSet') {
          const phaseId = pbxString(ex, 'buildPhase');
          if (!phaseId || !pbxStrings(pbxGet(t, 'buildPhases')).includes(phaseId)) continue;
        } else continue;
        for (const rel of pbxStrings(pbxGet(ex, 'membershipExceptions'))) {
          exceptions.add(path.resolve(folder, rel));
          knownPaths.add(path.resolve(folder, rel));
        }
      }
      synchronizedFolders.push({ folder, exceptions });
      for (const f of filesUnder(folder)) {
        if (!isCompilable(f)) continue;
        if (exceptions.has(f) || [...exceptions].some((x) => f.startsWith(x + path.sep))) continue;
        sources.add(f);
      }
    }

    const productRef = pbxString(t, 'productReference');
    const productPath = productRef ? pbxString(pbx.objects.get(productRef), 'path') : null;
    targets.push({
      id: targetId,
      name: tName,
      productType: pbxString(t, 'productType'),
      anchor,
      configurations,
      sourcePaths: [...sources].sort(),
      synchronizedFolders,
      productRef,
      productFile: productPath ? path.basename(productPath) : null,
      uses: uses(t),
    });
  }
  return { file: pbx.file, name, dir, srcRoot, objectVersion: pbx.objectVersion, targets, knownPaths, localPackageDirs };
}

/** Reads what a native target depends on, links and embeds (see XcodeTargetUse). */
function usesReader(pbx: PbxProject, dir: string, resolver: PathResolver): (target: PbxDict) => XcodeTargetUse[] {
  const obj = (id: string | null) => (id ? pbx.objects.get(id) : undefined);
  const isa = (id: string | null) => pbxString(obj(id), 'isa');
  // The project a container proxy points into: this one, or another .xcodeproj by its file reference.
  const portalProject = (portalId: string | null): string | null => {
    if (!portalId) return null;
    if (portalId === pbx.rootObject || isa(portalId) === 'PBXProject') return pbx.file;
    const p = resolver.resolve(portalId);
    return p && /\.xcodeproj$/i.test(p) ? path.join(p, 'project.pbxproj') : null;
  };
  const proxyUse = (proxyId: string | null, via: XcodeUseKind, name: string | null): XcodeTargetUse | null => {
    const proxy = obj(proxyId);
    if (pbxString(proxy, 'isa') !== 'PBXContainerItemProxy') return null;
    const project = portalProject(pbxString(proxy, 'containerPortal'));
    const remote = pbxString(proxy, 'remoteGlobalIDString');
    if (!project || !remote) return null;
    // proxyType 2 points at a product file reference, 1 at a target.
    if (pbxString(proxy, 'proxyType') === '2') return { via, kind: 'product', project, productId: remote, name: name ?? pbxString(proxy, 'remoteInfo') };
    return { via, kind: 'target', project, id: remote };
  };
  const packageUse = (depId: string | null, via: XcodeUseKind): XcodeTargetUse | null => {
    const dep = obj(depId);
    if (pbxString(dep, 'isa') !== 'XCSwiftPackageProductDependency') return null;
    const productName = pbxString(dep, 'productName');
    // Build-tool plugins run at build time; their code is not part of the app.
    if (!productName || productName.startsWith('plugin:')) return null;
    const pkgId = pbxString(dep, 'package');
    const pkgIsa = isa(pkgId);
    if (pkgIsa === 'XCRemoteSwiftPackageReference') return { via, kind: 'package', productName, packageDir: null, remote: true };
    if (pkgIsa === 'XCLocalSwiftPackageReference') {
      const rel = pbxString(obj(pkgId), 'relativePath') ?? pbxString(obj(pkgId), 'path');
      return { via, kind: 'package', productName, packageDir: rel ? path.resolve(dir, rel) : null, remote: false };
    }
    return { via, kind: 'package', productName, packageDir: null, remote: false };
  };
  const buildFileUse = (buildFileId: string, via: XcodeUseKind): XcodeTargetUse | null => {
    const bf = obj(buildFileId);
    const productRef = pbxString(bf, 'productRef');
    if (productRef) return packageUse(productRef, via);
    const ref = pbxString(bf, 'fileRef');
    const refIsa = isa(ref);
    const refPath = pbxString(obj(ref), 'path');
    const name = refPath ? path.basename(refPath) : null;
    if (refIsa === 'PBXReferenceProxy') return proxyUse(pbxString(obj(ref), 'remoteRef'), via, name);
    if (refIsa === 'PBXFileReference' && ref) return { via, kind: 'product', project: pbx.file, productId: ref, name };
    return null;
  };

  return (t) => {
    const out: XcodeTargetUse[] = [];
    const push = (u: XcodeTargetUse | null) => {
      if (u) out.push(u);
    };
    for (const depId of pbxStrings(pbxGet(t, 'dependencies'))) {
      const dep = obj(depId);
      if (pbxString(dep, 'isa') !== 'PBXTargetDependency') continue;
      const local = pbxString(dep, 'target');
      if (local) push({ via: 'dependency', kind: 'target', project: pbx.file, id: local });
      else push(proxyUse(pbxString(dep, 'targetProxy'), 'dependency', null));
    }
    for (const phaseId of pbxStrings(pbxGet(t, 'buildPhases'))) {
      const phaseIsa = isa(phaseId);
      const via: XcodeUseKind | null = phaseIsa === 'PBXFrameworksBuildPhase' ? 'link' : phaseIsa === 'PBXCopyFilesBuildPhase' ? 'embed' : null;
      if (!via) continue;
      for (const bf of pbxStrings(pbxGet(obj(phaseId), 'files'))) push(buildFileUse(bf, via));
    }
    for (const depId of pbxStrings(pbxGet(t, 'packageProductDependencies'))) push(packageUse(depId, 'link'));
    return out;
  };
}

// ---- build setting values ----

/**
 * Expand $(NAME) and ${NAME} references in a build setting value with the given settings.
 * `$(inherited)` becomes empty. Unknown names stay as written, so a caller can tell the
 * value could not be fully resolved. Modifiers such as `$(NAME:lower)` are not applied.
 */
export function expandSettingValue(value: string, lookup: (name: string) => string | undefined, depth = 0): string {
  if (depth > 8) return value;
  return value.replace(/\$\(([A-Za-z0-9_]+)(:[^)]*)?\)|\$\{([A-Za-z0-9_]+)(:[^}]*)?\}/g, (whole, a: string | undefined, _m1, b: string | undefined) => {
    const name = (a ?? b)!;
    if (name === 'inherited') return '';
    const v = lookup(name);
    if (v === undefined) return whole;
    return expandSettingValue(v, lookup, depth + 1);
  });
}

/** A lookup for one configuration of a target: its settings plus the values Xcode defines itself. */
export function settingLookup(project: XcodeProject, target: XcodeTarget, config: XcodeConfiguration): (name: string) => string | undefined {
  return (name) => {
    switch (name) {
      case 'SRCROOT':
      case 'PROJECT_DIR':
      case 'SOURCE_ROOT':
        return project.srcRoot;
      case 'TARGET_NAME':
      case 'TARGETNAME':
        return target.name;
      case 'PROJECT_NAME':
        return project.name;
      case 'CONFIGURATION':
        return config.name;
      case 'PRODUCT_NAME':
        return config.settings.get('PRODUCT_NAME')?.value ?? target.name;
      default:
        return config.settings.get(name)?.value;
    }
  };
}

/** Boolean build setting spelling: YES / NO (Xcode also accepts true/false, 1/0). */
export function settingIsYes(s: XcodeSetting | undefined): boolean {
  if (!s) return false;
  return /^(yes|true|1)$/i.test(s.value.trim());
}
