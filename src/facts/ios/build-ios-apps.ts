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
import { dictGet, isBinaryPlist, plistOf } from '../../parse/plist.js';
import { pbxprojOf } from '../../parse/pbxproj.js';
import type { BuildSettingRef, IosApp, IosConfiguration, IosTarget, PlistRef } from './ios-model.js';
import { extractIosSourceFacts } from './source-facts.js';
import { expandSettingValue, readXcodeProject, settingIsYes, settingLookup, type XcodeProject, type XcodeSetting } from './xcode-project.js';

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

export async function buildIosApps(ws: Workspace): Promise<IosApp[]> {
  const xcode = await xcodeApps(ws);
  const roots = xcode.map((a) => a.root);
  const apps = [...xcode, ...(await folderApps(ws, roots))];
  apps.sort((a, b) => a.root.localeCompare(b.root) || a.name.localeCompare(b.name));
  return apps;
}

function isInfoPlistName(name: string): boolean {
  return name === 'Info.plist' || (name.endsWith('-Info.plist') && name !== 'GoogleService-Info.plist');
}

function isUnder(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

// ---- Xcode projects ----

async function xcodeApps(ws: Workspace): Promise<IosApp[]> {
  const pbxFiles = ws
    .filesOfKind('pbxproj')
    .filter((f) => path.basename(path.dirname(f.path)).toLowerCase().endsWith('.xcodeproj'))
    .sort((a, b) => a.path.localeCompare(b.path));
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
  // A Swift/ObjC file the project does not mention at all but that sits under its folder (a file
  // added on disk but not to the project, a local package, a folder the project file does not
  // describe): attach it to the first application target of the innermost such project, so
  // source rules still see it. Files the project lists but leaves out of every target stay out.
  const byDepth = projects
    .filter((p) => p.project)
    .sort((a, b) => b.project!.dir.length - a.project!.dir.length);
  for (const f of compilable) {
    // A local Swift package's manifest is build description, not app code.
    if (claimed.has(f.path) || path.basename(f.path) === 'Package.swift') continue;
    for (const { project } of byDepth) {
      if (!isUnder(f.path, project!.dir)) continue;
      const app = project!.targets.find((t) => t.productType === APPLICATION) ?? project!.targets[0];
      if (!app) continue;
      membership.get(`${project!.file}#${app.id}`)!.push(f);
      claimed.add(f.path);
      break;
    }
  }

  const apps: IosApp[] = [];
  for (const { file, project } of projects) {
    // A project file that does not parse is reported as a parse error; its folder is then
    // checked as if it had no project (Info.plist folders), so the rest is not lost.
    if (!project) continue;
    const targets: IosTarget[] = [];
    for (const t of project.targets) {
      const sources = membership.get(`${project.file}#${t.id}`) ?? [];
      sources.sort((a, b) => a.path.localeCompare(b.path));
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
      targets.push({
        name: t.name,
        productType: t.productType,
        infoPlists,
        generatesInfoPlist: configurations.some((c) => c.generatesInfoPlist),
        buildSettings: configurations.flatMap((c) => c.settings),
        entitlements,
        sources,
        code: await extractIosSourceFacts(ws, sources),
        anchor: t.anchor,
        configurations,
      });
    }
    apps.push({ name: project.name, root: project.dir, pbxproj: file, targets });
  }
  return apps;
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
  const claimed = new Set<string>();
  const apps: IosApp[] = [];
  for (const plist of infoPlists) {
    const dir = path.dirname(plist.path);
    const inDir = (f: ProjectFile) => isUnder(f.path, dir) && !claimed.has(f.path) && !insideXcode(f.path);
    const sources = ws.filesOfKind('swift', 'objc').filter(inDir);
    const entFiles = ws.filesOfKind('entitlements').filter(inDir);
    for (const f of [...sources, ...entFiles]) claimed.add(f.path);
    const ref = (file: ProjectFile): PlistRef => ({ file, configurations: [], doc: plistOf(ws, file) });
    const name = path.basename(dir);
    const target: IosTarget = {
      name,
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
