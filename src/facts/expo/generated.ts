// Findings of the native rules inside the ios/ and android/ folders that `expo prebuild` generates
// from the app config: a hand edit there is overwritten by the next prebuild, so the finding is
// reported at the app-config line that controls the generated file, with the generated place as a
// related location.

import path from 'node:path';
import type { FindingDraft, Location } from '../../findings/finding.js';
import type { ProjectModel } from '../project-model.js';
import { deepestLocation, getPath } from './config-value.js';
import type { ExpoApp } from './expo-model.js';
import { configFileName, expoApps } from './queries.js';
import { isUnder } from '../../discover/paths.js';


/** The app-config path that produces a generated native configuration file, or null for other files. */
function controllingPath(file: string): { path: string[]; label: string } | null {
  const name = path.basename(file);
  if (name === 'Info.plist' || name.endsWith('-Info.plist')) return { path: ['ios', 'infoPlist'], label: 'expo.ios.infoPlist' };
  if (name.endsWith('.entitlements')) return { path: ['ios', 'entitlements'], label: 'expo.ios.entitlements' };
  if (name === 'project.pbxproj' || name.endsWith('.xcconfig')) return { path: ['ios'], label: 'expo.ios' };
  if (name === 'AndroidManifest.xml') return { path: ['android', 'permissions'], label: 'expo.android.permissions' };
  if (name.startsWith('build.gradle') || name === 'gradle.properties') return { path: ['android'], label: 'expo.android' };
  return null;
}

export function generatedOwner(project: ProjectModel, file: string): { app: ExpoApp; folder: 'ios' | 'android' } | null {
  for (const app of expoApps(project)) {
    if (app.workflow !== 'prebuild' || !app.config) continue;
    for (const folder of ['ios', 'android'] as const) {
      if (isUnder(file, path.join(app.root, folder))) return { app, folder };
    }
  }
  return null;
}

/**
 * For a finding inside a generated Info.plist / entitlements file: the app-config value that
 * produced the flagged key (and array item, when the same string is written there).
 */
function plistValueLocation(app: ExpoApp, at: Location): Location | null {
  for (const ios of app.native.ios) {
    for (const t of ios.targets) {
      for (const [refs, base] of [[t.infoPlists, ['ios', 'infoPlist']], [t.entitlements, ['ios', 'entitlements']]] as const) {
        const ref = refs.find((r) => r.file.path === at.file);
        if (!ref?.doc || ref.doc.root.type !== 'dict') continue;
        const entries = ref.doc.root.entries;
        const idx = entries.findIndex((e, i) => e.keyLoc.line <= at.line && (i + 1 >= entries.length || entries[i + 1]!.keyLoc.line > at.line));
        const entry = entries[idx];
        if (!entry) return null;
        const configValue = getPath(app.config!.expo, [...base, entry.key]);
        const item = entry.value.type === 'array' ? entry.value.items.find((v) => v.loc.line === at.line) : undefined;
        if (item && item.type === 'string' && configValue?.kind === 'array') {
          const same = configValue.items.find((v) => v.kind === 'string' && v.value === item.value);
          if (same) return same.loc;
        }
        return deepestLocation(app.config!.expo, [...base, entry.key]);
      }
    }
  }
  return null;
}

/** Move a native finding in a generated configuration file to the app-config line that controls it. */
export function relocateGenerated(project: ProjectModel, draft: FindingDraft): FindingDraft {
  const owner = generatedOwner(project, draft.location.file);
  if (!owner) return draft;
  const ctl = controllingPath(draft.location.file);
  if (!ctl) return draft;
  const config = owner.app.config!;
  const target: Location = plistValueLocation(owner.app, draft.location) ?? deepestLocation(config.expo, ctl.path) ?? config.anchor;
  const file = configFileName(owner.app);
  // A fix that names the generated file is rewritten to name the app-config entry instead.
  const generatedRel = path.relative(owner.app.root, draft.location.file).split(path.sep).join('/');
  const fix = draft.fix?.split(generatedRel).join(`${ctl.label} in ${file}`);
  return {
    ...draft,
    ...(fix !== undefined ? { fix } : {}),
    message: `${draft.message} (In the generated ${owner.folder}/ folder: \`expo prebuild\` writes it from ${ctl.label} in ${file} and overwrites hand edits there, so fix it in ${file}.)`,
    location: target,
    related: [{ location: draft.location, message: `generated ${owner.folder}/ file where the problem shows` }, ...(draft.related ?? [])],
  };
}
