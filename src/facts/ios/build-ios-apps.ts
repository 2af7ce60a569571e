// Stage 3 (iOS): find the apps, their targets, their Info.plists and entitlements, and
// extract audio facts from each target's sources.
//
// Two layouts are recognised:
// - an Xcode project (*.xcodeproj/project.pbxproj): targets, build settings and file membership
//   come from the project file; the app root is the folder that holds the .xcodeproj;
// - a folder with an Info.plist and no Xcode project above it (partial checkouts, generated
//   projects, small examples): the folder is one target; its sources and .entitlements are the
//   files below it.

import path from 'node:path';
import type { ProjectFile } from '../../discover/find-files.js';
import type { Workspace } from '../../parse/workspace.js';
import { dictGet, isBinaryPlist, plistOf, type PlistValue } from '../../parse/plist.js';
import { pbxprojOf } from '../../parse/pbxproj.js';
import type { BuildSettingRef, IosApp, IosConfiguration, IosTarget, IosTargetRole, LinkedCode, PlistRef } from './ios-model.js';
import { extractIosSourceFacts, IOS_AUDIO_FACTS } from './source-facts.js';
import { isManifestName, LocalPackages, type PackageProductCode } from './swift-package.js';
import { expandSettingValue, readXcodeProject, settingIsYes, settingLookup, type XcodeProject, type XcodeSetting, type XcodeTarget, type XcodeTargetUse } from './xcode-project.js';
import { compareText, FolderIndex, isUnder } from '../../discover/paths.js';

const INFO_PLIST_MARKERS = [
  'CFBundleIdentifier',
  'CFBundleExecutable',
  'CFBundlePackageType',
  'CFBundleName',
  'UIBackgroundModes',
  'UIApplicationSceneManifest',
  'UILaunchStoryboardName',
  'UILaunchScreen',
];

const APPLICATION = 'com.apple.product-type.application';

/** The role of an Xcode target, from its productType (see IosTargetRole). */
export function roleOfProductType(productType: string | null): IosTargetRole {
  if (productType === null) return 'app';
  const t = productType.replace(/^com\.apple\.product-type\./, '');
  // A WatchKit extension (watchOS 2-6) is where the watch app's code and background modes live.
  if (t.startsWith('watchkit')) return 'app';
  if (t.startsWith('application')) return 'app';
  if (t.includes('extension')) return 'extension';
  if (t.startsWith('framework') || t.startsWith('library') || t === 'bundle') return 'library';
  if (t.startsWith('bundle.') && /test/.test(t)) return 'test';
  return 'other';
}

export async function buildIosApps(ws: Workspace): Promise<IosApp[]> {
  const xcode = await xcodeApps(ws);
  const roots = xcode.map((a) => a.root);
  const apps = [...xcode, ...(await folderApps(ws, roots))];
  apps.sort((a, b) => compareText(a.root, b.root) || compareText(a.name, b.name));
  return apps;
}

function isInfoPlistName(name: string): boolean {
  return name === 'Info.plist' || (name.endsWith('-Info.plist') && name !== 'GoogleService-Info.plist');
}


// ---- Xcode projects ----

async function xcodeApps(ws: Workspace): Promise<IosApp[]> {
  const pbxFiles = ws
    .filesOfKind('pbxproj')
    .filter((f) => path.basename(path.dirname(f.path)).toLowerCase().endsWith('.xcodeproj'))
    .sort((a, b) => compareText(a.path, b.path));
  if (pbxFiles.length === 0) return [];
  const compilable = ws.filesOfKind('swift', 'objc');
  const filesUnder = (folder: string) => compilable.filter((f) => isUnder(f.path, folder)).map((f) => f.path);

  const projects: { file: ProjectFile; project: XcodeProject | null }[] = pbxFiles.map((file) => {
    const pbx = pbxprojOf(ws, file);
    if (!pbx) return { file, project: null };
    try {
      return { file, project: readXcodeProject(pbx, filesUnder, (abs) => ws.readOutside(abs)) };
    } catch (e) {
      // The file parsed but its objects do not form a project we can follow: say so, carry on.
      ws.report({ file: file.path, kind: 'parse-error', severity: 'error', message: `could not read the Xcode project structure: ${(e as Error).message}` });
      return { file, project: null };
    }
  });

  // Source membership first, across all projects, so orphans can be attached afterwards.
  const claimed = new Set<string>();
  const membership = new Map<string, ProjectFile[]>(); // key: pbxproj path + target id
  for (const { project } of projects) {
    if (!project) continue;
    for (const p of project.knownPaths) claimed.add(p);
    for (const t of project.targets) {
      const files: ProjectFile[] = [];
      for (const p of t.sourcePaths) {
        const f = ws.file(p);
        if (f) {
          files.push(f);
          claimed.add(p);
        }
      }
      membership.set(`${project.file}#${t.id}`, files);
    }
  }
  // Local Swift packages: the folders the projects reference (XCLocalSwiftPackageReference, or a
  // folder reference to a package) and those inside a project's folder. Their files belong to the
  // package, which the apps that link its products pick up below; they are never orphans.
  const packages = new LocalPackages(ws);
  const packageDirs = packages.packageDirs();
  const packageOwned = new Set<string>();
  for (const d of packageDirs) {
    const m = await packages.manifest(d);
    for (const t of m?.targets ?? []) for (const f of packages.targetFiles(m!, t)) packageOwned.add(f.path);
  }

  // A Swift/ObjC file the project does not mention at all but that sits under its folder (a file
  // added on disk but not to the project, a folder the project file does not describe): attach it
  // to the first application target of the innermost such project, so source rules still see it.
  // Files the project lists but leaves out of every target stay out.
  const byDepth = projects
    .filter((p) => p.project)
    .sort((a, b) => b.project!.dir.length - a.project!.dir.length);
  for (const f of compilable) {
    // A local Swift package's manifest is build description, not app code.
    if (claimed.has(f.path) || isManifestName(path.basename(f.path)) || packageOwned.has(f.path)) continue;
    for (const { project } of byDepth) {
      if (!isUnder(f.path, project!.dir)) continue;
      const app = project!.targets.find((t) => t.productType === APPLICATION) ?? project!.targets.find((t) => roleOfProductType(t.productType) === 'app');
      if (!app) continue;
      membership.get(`${project!.file}#${app.id}`)!.push(f);
      claimed.add(f.path);
      break;
    }
  }

  // Every target's sources, handed to the parsing workers in the order the targets ask for them.
  ws.prefetch(
    projects.flatMap(({ project }) => (project ? project.targets.flatMap((t) => [...(membership.get(`${project.file}#${t.id}`) ?? [])].sort((a, b) => compareText(a.path, b.path))) : [])),
    IOS_AUDIO_FACTS,
  );
  const apps: IosApp[] = [];
  const built: BuiltTarget[] = [];
  for (const { file, project } of projects) {
    // A project file that does not parse is reported as a parse error; its folder is then
    // checked as if it had no project (Info.plist folders), so the rest is not lost.
    if (!project) continue;
    const targets: IosTarget[] = [];
    for (const t of project.targets) {
      const sources = membership.get(`${project.file}#${t.id}`) ?? [];
      sources.sort((a, b) => compareText(a.path, b.path));
      const configurations: IosConfiguration[] = t.configurations.map((c) => {
        const lookup = settingLookup(project, t, c);
        const resolvePath = (s: XcodeSetting | undefined): string | null => {
          if (!s || s.value.trim() === '') return null;
          const expanded = expandSettingValue(s.value.trim(), lookup);
          return path.resolve(project.srcRoot, expanded);
        };
        const infoPlistPath = resolvePath(c.settings.get('INFOPLIST_FILE'));
        const entitlementsPath = resolvePath(c.settings.get('CODE_SIGN_ENTITLEMENTS'));
        const settings: BuildSettingRef[] = [...c.settings.values()].map((s) => ({
          name: s.name,
          value: s.value,
          values: s.values,
          configuration: c.name,
          location: s.location,
          valueLocation: s.valueLocation,
          level: s.level,
        }));
        return {
          name: c.name,
          infoPlistPath,
          infoPlist: null,
          generatesInfoPlist: settingIsYes(c.settings.get('GENERATE_INFOPLIST_FILE')),
          entitlementsPath,
          entitlements: null,
          settings,
          settingsIncomplete: c.incomplete,
        };
      });
      const infoPlists = refsFor(ws, configurations, 'infoPlistPath');
      const entitlements = refsFor(ws, configurations, 'entitlementsPath');
      for (const c of configurations) {
        c.infoPlist = infoPlists.find((r) => r.file.path === c.infoPlistPath) ?? null;
        c.entitlements = entitlements.find((r) => r.file.path === c.entitlementsPath) ?? null;
      }
      const target: IosTarget = {
        name: t.name,
        role: roleOfProductType(t.productType),
        productType: t.productType,
        infoPlists,
        generatesInfoPlist: configurations.some((c) => c.generatesInfoPlist),
        buildSettings: configurations.flatMap((c) => c.settings),
        entitlements,
        sources,
        code: await extractIosSourceFacts(ws, sources),
        anchor: t.anchor,
        configurations,
      };
      targets.push(target);
      built.push({ project, xcode: t, target });
    }
    apps.push({ name: project.name, root: project.dir, pbxproj: file, targets });
  }
  await linkLibraries(ws, apps, built, packages, packageDirs);
  return apps;
}

// ---- frameworks, libraries and packages, judged through the apps that use them ----

interface BuiltTarget {
  project: XcodeProject;
  xcode: XcodeTarget;
  target: IosTarget;
}

interface PackageLibrary {
  dir: string;
  target: IosTarget;
  /** Project whose IosApp lists the package's target. */
  owner: string | null;
}

/**
 * For every app and extension target: follow its target dependencies, linked and embedded
 * products and package products (transitively through frameworks and libraries) and fold the
 * code they compile into the target's facts. Each library target learns its hosts. A local
 * package becomes one library target of its own (so code-level rules see it even when nothing
 * links it) in the project that first uses it, or the project whose folder holds it.
 */
async function linkLibraries(ws: Workspace, apps: IosApp[], built: BuiltTarget[], packages: LocalPackages, packageDirs: string[]): Promise<void> {
  const byId = new Map<string, BuiltTarget>();
  const byProduct = new Map<string, BuiltTarget>();
  const byProductFile = new Map<string, BuiltTarget[]>();
  for (const b of built) {
    byId.set(`${b.project.file}#${b.xcode.id}`, b);
    if (b.xcode.productRef) byProduct.set(`${b.project.file}#${b.xcode.productRef}`, b);
    if (b.xcode.productFile && b.target.role === 'library') {
      const list = byProductFile.get(b.xcode.productFile) ?? [];
      list.push(b);
      byProductFile.set(b.xcode.productFile, list);
    }
  }
  const projectOf = new Map(built.map((b) => [b.project.file, b.project]));

  const packageLibs = new Map<string, PackageLibrary>();
  const packageLib = async (dir: string, owner: string | null): Promise<PackageLibrary | null> => {
    let lib = packageLibs.get(dir);
    if (lib) {
      lib.owner ??= owner;
      return lib;
    }
    const m = await packages.manifest(dir);
    if (!m) return null;
    const files = new Map<string, ProjectFile>();
    for (const t of m.targets) {
      if (t.kind === 'testTarget') continue;
      for (const f of packages.targetFiles(m, t)) files.set(f.path, f);
    }
    const sources = [...files.values()].sort((a, b) => compareText(a.path, b.path));
    lib = {
      dir,
      owner,
      target: {
        name: m.name ?? path.basename(dir),
        role: 'library',
        productType: null,
        infoPlists: [],
        generatesInfoPlist: false,
        buildSettings: [],
        entitlements: [],
        sources,
        code: await extractIosSourceFacts(ws, sources),
        anchor: { file: m.file, line: 1, column: 1 },
        configurations: [],
        hosts: [],
      },
    };
    packageLibs.set(dir, lib);
    return lib;
  };

  // Packages a project names: by XCLocalSwiftPackageReference, or as a folder reference (Xcode 14 and older).
  const referencedPackages = (project: XcodeProject): string[] => [
    ...project.localPackageDirs.filter((d) => packages.hasManifest(d)),
    ...packageDirs.filter((d) => project.knownPaths.has(d)),
  ];

  type Node = { kind: 'target'; built: BuiltTarget } | { kind: 'package'; libs: PackageLibrary[]; product: string; code: PackageProductCode };
  const resolve = async (from: BuiltTarget, u: XcodeTargetUse): Promise<Node | null> => {
    if (u.kind === 'target') {
      const b = byId.get(`${u.project}#${u.id}`);
      return b ? { kind: 'target', built: b } : null;
    }
    if (u.kind === 'product') {
      const b = byProduct.get(`${u.project}#${u.productId}`);
      if (b) return { kind: 'target', built: b };
      // An implicit dependency: a product another project of the scan builds, matched by file name
      // as Xcode does across a workspace. Only when exactly one library target makes it.
      const named = u.name ? byProductFile.get(u.name) ?? [] : [];
      return named.length === 1 ? { kind: 'target', built: named[0]! } : null;
    }
    if (u.remote) return null;
    const key = `${from.project.file}#${u.packageDir ?? ''}#${u.productName}`;
    if (!packageNodes.has(key)) packageNodes.set(key, resolvePackage(from.project, u.packageDir, u.productName));
    return packageNodes.get(key)!;
  };
  const packageNodes = new Map<string, Promise<Node | null>>();
  const resolvePackage = async (project: XcodeProject, packageDir: string | null, productName: string): Promise<Node | null> => {
    // A product without a package reference comes from a package the project (or its workspace)
    // names elsewhere: the project's own folder references first, then any package of the scan
    // that declares the product, nearest first.
    const tryDirs = async (dirs: string[]): Promise<Node | null> => {
      for (const dir of dirs) {
        const code = await packages.productFiles(dir, productName);
        if (!code) continue;
        // Every package the product draws code from gets the app as a host.
        const libs: PackageLibrary[] = [];
        for (const d of code.packageDirs) {
          const lib = await packageLib(d, project.file);
          if (lib) libs.push(lib);
        }
        if (libs.length > 0) return { kind: 'package', libs, product: productName, code };
      }
      return null;
    };
    if (packageDir) return tryDirs([packageDir]);
    return (await tryDirs(referencedPackages(project))) ?? (await tryDirs(await packages.packagesWithProduct(productName, project.dir)));
  };

  for (const host of built) {
    if (host.target.role !== 'app' && host.target.role !== 'extension') continue;
    const linked: LinkedCode[] = [];
    const files = new Map<string, ProjectFile>();
    const seen = new Set<string>();
    const hostLabel = host.target.name;
    const visit = async (from: BuiltTarget, depth: number): Promise<void> => {
      if (depth > 32) return;
      for (const u of from.xcode.uses) {
        const node = await resolve(from, u);
        if (!node) continue;
        if (node.kind === 'package') {
          const key = `pkg:${node.libs[0]!.dir}#${node.product}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const { code } = node;
          linked.push({ name: node.product, kind: 'package', via: 'link', modules: code.modules, files: code.files.map((f) => f.path), fileModules: code.fileModules });
          for (const f of code.files) files.set(f.path, f);
          for (const lib of node.libs) if (!lib.target.hosts!.includes(hostLabel)) lib.target.hosts!.push(hostLabel);
          continue;
        }
        const lib = node.built;
        // Apps, extensions and tests a target depends on are separate processes, not linked code.
        if (lib.target.role !== 'library' || lib === host) continue;
        const key = `${lib.project.file}#${lib.xcode.id}`;
        if (seen.has(key)) {
          const known = linked.find((l) => l.name === lib.target.name && l.kind !== 'package');
          if (known && u.via === 'embed' && from === host) known.via = 'embed';
          continue;
        }
        seen.add(key);
        const module = lib.xcode.productFile ? lib.xcode.productFile.replace(/\.[^.]+$/, '').replace(/^lib/, '') : lib.target.name;
        linked.push({
          name: lib.target.name,
          kind: lib.target.productType?.includes('framework') ? 'framework' : 'library',
          via: u.via === 'embed' && from === host ? 'embed' : 'link',
          modules: [...new Set([lib.target.name, module])],
          files: lib.target.sources.map((f) => f.path),
        });
        for (const f of lib.target.sources) files.set(f.path, f);
        lib.target.hosts ??= [];
        if (!lib.target.hosts.includes(hostLabel)) lib.target.hosts.push(hostLabel);
        await visit(lib, depth + 1);
      }
    };
    await visit(host, 0);
    host.target.linked = linked;
    const own = new Set(host.target.sources.map((f) => f.path));
    const extra = [...files.values()].filter((f) => !own.has(f.path));
    if (extra.length > 0) host.target.code = await extractIosSourceFacts(ws, [...host.target.sources, ...extra]);
  }
  for (const b of built) if (b.target.role === 'library') b.target.hosts ??= [];

  // Packages inside a project's folder that nothing links still get their code checked.
  const innermost = [...projectOf.values()].sort((a, b) => b.dir.length - a.dir.length);
  for (const dir of packageDirs) {
    if (packageLibs.has(dir)) continue;
    const holder = innermost.find((p) => isUnder(dir, p.dir) || dir === p.dir);
    if (holder) await packageLib(dir, holder.file);
  }
  for (const lib of [...packageLibs.values()].sort((a, b) => compareText(a.dir, b.dir))) {
    const app = apps.find((a) => a.pbxproj?.path === lib.owner);
    if (app && lib.target.sources.length > 0) app.targets.push(lib.target);
  }
}

/** One PlistRef per distinct file, listing the configurations that use it. Files outside the checkout are skipped. */
function refsFor(ws: Workspace, configs: IosConfiguration[], key: 'infoPlistPath' | 'entitlementsPath'): PlistRef[] {
  const refs: PlistRef[] = [];
  for (const c of configs) {
    const p = c[key];
    if (!p) continue;
    let ref = refs.find((r) => r.file.path === p);
    if (!ref) {
      const file = ws.file(p);
      // Xcode accepts any name for these files; a `.plist` entitlements file is still entitlements.
      if (!file || (file.kind !== 'plist' && file.kind !== 'entitlements')) continue;
      ref = { file, configurations: [], doc: plistOf(ws, file) };
      refs.push(ref);
    }
    ref.configurations.push(c.name);
  }
  return refs;
}

// ---- folders with an Info.plist and no Xcode project ----

/**
 * Without a project file the Info.plist tells what the folder builds: a framework
 * (CFBundlePackageType FMWK) has no app to judge it through here; an NSExtension dictionary
 * marks an app extension. Anything else is taken for an app.
 */
function folderRole(root: PlistValue | undefined): IosTargetRole {
  const type = dictGet(root, 'CFBundlePackageType')?.value;
  if (type?.type === 'string' && type.value.trim() === 'FMWK') return 'library';
  if (dictGet(root, 'NSExtension')) return 'extension';
  return 'app';
}

async function folderApps(ws: Workspace, xcodeRoots: string[]): Promise<IosApp[]> {
  const insideXcode = (p: string) => xcodeRoots.some((r) => isUnder(p, r));
  const candidates = ws
    .filesOfKind('plist')
    .filter((f) => isInfoPlistName(path.basename(f.path)) && !f.path.includes('.xcodeproj' + path.sep) && !insideXcode(f.path));
  const infoPlists: ProjectFile[] = [];
  for (const f of candidates) {
    const doc = plistOf(ws, f);
    if (!doc) {
      // A malformed Info.plist still marks an app folder; its problem is already reported.
      const bytes = ws.bytes(f);
      if (bytes && (isBinaryPlist(bytes) || ws.mentions(f, ['<plist']))) infoPlists.push(f);
      continue;
    }
    if (INFO_PLIST_MARKERS.some((k) => dictGet(doc.root, k))) infoPlists.push(f);
  }
  // Deepest folders first, so a nested target (an extension) claims its own files.
  infoPlists.sort((a, b) => b.path.length - a.path.length);
  // Each folder's files by binary search, not by testing every file once per folder.
  const compilable = new FolderIndex(ws.filesOfKind('swift', 'objc'));
  const entitlementFiles = new FolderIndex(ws.filesOfKind('entitlements'));
  const prefetched = new Set<ProjectFile>();
  for (const plist of infoPlists) for (const f of compilable.under(path.dirname(plist.path))) if (!insideXcode(f.path)) prefetched.add(f);
  ws.prefetch(
    ws.filesOfKind('swift', 'objc').filter((f) => prefetched.has(f)),
    IOS_AUDIO_FACTS,
  );
  const claimed = new Set<string>();
  const apps: IosApp[] = [];
  for (const plist of infoPlists) {
    const dir = path.dirname(plist.path);
    const inDir = (f: ProjectFile) => !claimed.has(f.path) && !insideXcode(f.path);
    const sources = compilable.under(dir).filter(inDir);
    const entFiles = entitlementFiles.under(dir).filter(inDir);
    for (const f of [...sources, ...entFiles]) claimed.add(f.path);
    const ref = (file: ProjectFile): PlistRef => ({ file, configurations: [], doc: plistOf(ws, file) });
    const name = path.basename(dir);
    const target: IosTarget = {
      name,
      role: folderRole(plistOf(ws, plist)?.root),
      productType: null,
      infoPlists: [ref(plist)],
      generatesInfoPlist: false,
      buildSettings: [],
      entitlements: entFiles.map(ref),
      sources,
      code: await extractIosSourceFacts(ws, sources),
      anchor: { file: plist.path, line: 1, column: 1 },
    };
    apps.push({ name, root: dir, pbxproj: null, targets: [target] });
  }
  return apps;
}
