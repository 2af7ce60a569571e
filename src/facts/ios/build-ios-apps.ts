// Stage 3 (iOS): find the apps, their targets, their Info.plists and entitlements, and
// extract audio facts from each target's sources.
//
// Two layouts are recognised:
// - an Xcode project (*.xcodeproj/project.pbxproj): targets, build settings and file membership
//   come from the project file;
// - a folder with an Info.plist and no Xcode project above it (partial checkouts, generated
//   projects, small examples): the folder is one target; its sources and .entitlements are the
//   files below it.

import path from 'node:path';
import type { ProjectFile } from '../../discover/find-files.js';
import type { Workspace } from '../../parse/workspace.js';
import { dictGet, plistOf } from '../../parse/plist.js';
import type { IosApp, IosTarget, PlistRef } from './ios-model.js';
import { extractIosSourceFacts } from './source-facts.js';

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

export async function buildIosApps(ws: Workspace): Promise<IosApp[]> {
  const apps: IosApp[] = [];
  apps.push(...(await folderApps(ws)));
  return apps;
}

function isInfoPlistName(name: string): boolean {
  return name === 'Info.plist' || (name.endsWith('-Info.plist') && name !== 'GoogleService-Info.plist');
}

function isUnder(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function folderApps(ws: Workspace): Promise<IosApp[]> {
  const candidates = ws
    .filesOfKind('plist')
    .filter((f) => isInfoPlistName(path.basename(f.path)) && !f.path.includes('.xcodeproj' + path.sep));
  const infoPlists: ProjectFile[] = [];
  for (const f of candidates) {
    const doc = plistOf(ws, f);
    if (!doc) {
      // A malformed Info.plist still marks an app folder; its problem is already reported.
      if (ws.mentions(f, ['<plist', 'bplist'])) infoPlists.push(f);
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
    const inDir = (f: ProjectFile) => isUnder(f.path, dir) && !claimed.has(f.path);
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
  apps.sort((a, b) => a.root.localeCompare(b.root));
  return apps;
}
