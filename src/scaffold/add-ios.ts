// `audiobg add playback-service|ptt-service` for an existing iOS app: write the service next to
// the target's sources and patch what the target needs (background modes, microphone text,
// entitlements), reusing the doctor's own model of the project to find the target.

import fs from 'node:fs';
import path from 'node:path';
import { findFiles } from '../discover/find-files.js';
import { Workspace } from '../parse/workspace.js';
import { buildIosApps } from '../facts/ios/build-ios-apps.js';
import type { IosApp, IosTarget } from '../facts/ios/ios-model.js';
import { readXcodeProject, type XcodeProject, type XcodeTarget } from '../facts/ios/xcode-project.js';
import { pbxGet, pbxprojOf, pbxString, pbxStrings, type PbxProject } from '../parse/pbxproj.js';
import { UsageError } from '../config/load-config.js';
import { applyEdits, type TextEdit } from '../edit/text-edit.js';
import { addBuildSetting, addSourceFile, addSyncedMembershipException, sourceFileRefs } from '../edit/pbxproj-edit.js';
import { emptyPlist, ensureArrayStrings, ensureKey, stringValueXml } from '../edit/plist-edit.js';
import { isBinaryPlist } from '../parse/plist.js';
import type { PlanEntry } from './apply-plan.js';
import { renderString, templatesRoot } from './render.js';
import { buildVars, deriveTypeName } from './variables.js';

export type ServiceKind = 'playback-service' | 'ptt-service';

export interface AddPlan {
  /** Folder the plan's paths are relative to. */
  root: string;
  entries: PlanEntry[];
  /** What the plan does, one line each, for the summary. */
  actions: string[];
  /** Steps the user must take by hand (things audiobg could not do safely). */
  manualSteps: string[];
  /** How to use what was added; shown once, after the files are written. */
  hints: string[];
}

const APPLICATION = 'com.apple.product-type.application';

const SERVICE_FILES: Record<ServiceKind, { template: string; file: string }> = {
  'playback-service': { template: 'playback', file: 'AudioPlaybackService.swift' },
  'ptt-service': { template: 'ptt', file: 'PushToTalkService.swift' },
};

export async function planAddIos(into: string, kind: ServiceKind, targetName?: string): Promise<AddPlan> {
  const found = findFiles(into);
  const ws = new Workspace(found.root, found.files, found.problems);
  try {
    const apps = await buildIosApps(ws);
    const candidates = apps.flatMap((app) =>
      app.targets.filter((t) => (t.productType === APPLICATION || t.productType === null) && t.role !== 'library').map((target) => ({ app, target })),
    );
    const chosen = pickTarget(candidates, targetName, into);
    return planForTarget(ws, chosen.app, chosen.target, kind);
  } finally {
    await ws.dispose();
  }
}

function pickTarget(candidates: { app: IosApp; target: IosTarget }[], name: string | undefined, into: string) {
  if (!candidates.length) throw new UsageError(`no iOS app target found under ${into} (looked for an .xcodeproj or a folder with an Info.plist)`);
  if (name) {
    const hit = candidates.find((c) => c.target.name === name);
    if (!hit) throw new UsageError(`no app target named "${name}"; the app targets are: ${candidates.map((c) => c.target.name).join(', ')}`);
    return hit;
  }
  if (candidates.length > 1) {
    throw new UsageError(`several app targets found (${candidates.map((c) => c.target.name).join(', ')}); pick one with --target <name>`);
  }
  return candidates[0]!;
}

function rel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

function readText(abs: string): string {
  return fs.readFileSync(abs, 'utf8');
}

async function planForTarget(ws: Workspace, app: IosApp, target: IosTarget, kind: ServiceKind): Promise<AddPlan> {
  const root = ws.root;
  const plan: AddPlan = { root, entries: [], actions: [], manualSteps: [], hints: [] };
  const service = SERVICE_FILES[kind];

  // Where the project keeps its sources, and how the new file joins the target.
  let pbx: PbxProject | null = null;
  let xcodeTarget: XcodeTarget | undefined;
  if (app.pbxproj) {
    pbx = pbxprojOf(ws, app.pbxproj);
    if (!pbx) throw new UsageError(`${rel(root, app.pbxproj.path)} could not be parsed; run "audiobg doctor" to see where`);
    const project: XcodeProject = readXcodeProject(pbx, () => [], (abs) => ws.readOutside(abs));
    xcodeTarget = project.targets.find((t) => t.name === target.name);
  }
  const synced = xcodeTarget?.synchronizedFolders[0]?.folder;
  const firstSource = target.sources.find((f) => f.kind === 'swift') ?? target.sources[0];
  const plistDir = target.infoPlists[0] ? path.dirname(target.infoPlists[0].file.path) : undefined;
  const destDir = synced ?? (firstSource ? path.dirname(firstSource.path) : plistDir ?? app.root);
  const dest = path.join(destDir, service.file);

  const pbxEdits: TextEdit[] = [];
  const already = target.sources.find((f) => path.basename(f.path) === service.file);
  if (already && already.path !== dest) {
    plan.actions.push(`${service.file} already exists at ${rel(root, already.path)}; not adding a second one`);
  } else {
    const vars = targetVars(target);
    const templateFile = path.join(templatesRoot(), 'ios', service.template, '{{swiftTypeName}}', service.file);
    const content = renderString(fs.readFileSync(templateFile, 'utf8'), vars, templateFile);
    plan.entries.push({ path: rel(root, dest), content: Buffer.from(content), source: `templates/ios/${service.template}`, mode: 'new' });
    plan.actions.push(`write ${rel(root, dest)}`);

    if (pbx && xcodeTarget && !synced && !already) {
      const text = readText(pbx.file);
      const beside = firstSource ? sourceFileRefs(pbx, xcodeTarget.id).find((id) => refPathMatches(pbx!, id, firstSource.path)) : undefined;
      const added = beside ? addSourceFile(pbx, text, xcodeTarget.id, beside, service.file) : null;
      if (added) {
        pbxEdits.push(...added.edits);
        plan.actions.push(`add ${service.file} to target ${target.name} in ${rel(root, pbx.file)}`);
      } else {
        plan.manualSteps.push(`In Xcode, add ${rel(root, dest)} to the ${target.name} target (File > Add Files…); audiobg could not find a safe place for it in project.pbxproj.`);
      }
    }
  }

  // Info.plist: the background modes and, for PTT, the microphone text.
  const modes = kind === 'ptt-service' ? ['audio', 'push-to-talk'] : ['audio'];
  if (!target.infoPlists.length) {
    plan.manualSteps.push(
      `Target ${target.name} has no Info.plist file (Xcode generates it, and build settings cannot declare background modes): ` +
        `in Signing & Capabilities add Background Modes and tick ${modes.map((m) => `"${m}"`).join(' and ')}.`,
    );
  }
  for (const ref of target.infoPlists) {
    const bytes = fs.readFileSync(ref.file.path);
    if (isBinaryPlist(bytes)) {
      plan.manualSteps.push(`${rel(root, ref.file.path)} is a binary plist; add ${modes.join(', ')} to UIBackgroundModes in Xcode.`);
      continue;
    }
    const text = bytes.toString('utf8');
    let next = ensureArrayStrings(text, 'UIBackgroundModes', modes);
    if (kind === 'ptt-service' && !micTextInBuildSettings(target)) {
      next = ensureKey(next, 'NSMicrophoneUsageDescription', stringValueXml('Your voice is sent to the channel while you hold the Talk button.'));
    }
    if (next !== text) {
      plan.entries.push(patchEntry(root, ref.file.path, text, next));
      const mic = kind === 'ptt-service' && next.includes('NSMicrophoneUsageDescription') && !text.includes('NSMicrophoneUsageDescription');
      plan.actions.push(`update ${rel(root, ref.file.path)} (UIBackgroundModes${mic ? ', NSMicrophoneUsageDescription' : ''})`);
    }
  }

  if (kind === 'ptt-service') planEntitlements(plan, pbx, xcodeTarget, target, destDir, pbxEdits);
  plan.hints.push(
    kind === 'ptt-service'
      ? 'Create PushToTalkService in your app delegate and call start() in application(_:didFinishLaunchingWithOptions:): iOS launches the app in the background to restore channels, before any view exists. (A SwiftUI app gets a delegate with @UIApplicationDelegateAdaptor.)'
      : 'Create one AudioPlaybackService for the app (for example a @StateObject in your App) and give it your media; until then it looks for sample.wav in the app bundle.',
  );
  if (pbx && pbxEdits.length) {
    const text = readText(pbx.file);
    plan.entries.push(patchEntry(root, pbx.file, text, applyEdits(text, pbxEdits)));
  }
  return plan;
}

function planEntitlements(
  plan: AddPlan,
  pbx: PbxProject | null,
  xcodeTarget: XcodeTarget | undefined,
  target: IosTarget,
  destDir: string,
  pbxEdits: TextEdit[],
): void {
  const root = plan.root;
  const apply = (text: string) =>
    ensureKey(ensureKey(text, 'com.apple.developer.push-to-talk', '<true/>'), 'aps-environment', stringValueXml('development'));
  if (target.entitlements.length) {
    for (const ref of target.entitlements) {
      const text = readText(ref.file.path);
      const next = apply(text);
      if (next !== text) {
        plan.entries.push(patchEntry(root, ref.file.path, text, next));
        plan.actions.push(`update ${rel(root, ref.file.path)} (Push to Talk and push notification entitlements)`);
      }
    }
    return;
  }
  const file = path.join(destDir, `${deriveTypeName(target.name, 'app.app')}.entitlements`);
  plan.entries.push({ path: rel(root, file), content: Buffer.from(apply(emptyPlist())), source: 'generated', mode: 'new' });
  plan.actions.push(`write ${rel(root, file)}`);
  if (pbx && xcodeTarget) {
    const text = readText(pbx.file);
    const value = path.relative(path.dirname(path.dirname(pbx.file)), file).split(path.sep).join('/');
    const edits = addBuildSetting(pbx, text, xcodeTarget.id, 'CODE_SIGN_ENTITLEMENTS', value);
    if (edits.length) {
      pbxEdits.push(...edits);
      plan.actions.push(`set CODE_SIGN_ENTITLEMENTS for target ${target.name} in ${rel(root, pbx.file)}`);
    }
    // In an Xcode 16 synchronized folder every file joins the target unless excepted; an
    // entitlements file must not be copied into the app, so it gets the exception init writes.
    const synced = xcodeTarget.synchronizedFolders.find((f) => file.startsWith(f.folder + path.sep));
    if (synced) {
      const groupId = syncedGroupId(pbx, xcodeTarget.id, synced.folder);
      const exception = groupId ? addSyncedMembershipException(pbx, text, xcodeTarget.id, groupId, path.relative(synced.folder, file).split(path.sep).join('/')) : null;
      if (exception === null) {
        plan.manualSteps.push(`In Xcode, untick target membership of ${rel(root, file)} for ${target.name}: it must not be copied into the app.`);
      } else if (exception.length) {
        pbxEdits.push(...exception);
        plan.actions.push(`keep ${path.basename(file)} out of the ${target.name} build (synchronized folder exception) in ${rel(root, pbx.file)}`);
      }
    }
  } else {
    plan.manualSteps.push(`Point the target's Code Signing Entitlements setting at ${rel(root, file)}.`);
  }
}

/** The synchronized root group of a target whose folder is `folder` (matched by its last path component). */
function syncedGroupId(pbx: PbxProject, targetId: string, folder: string): string | null {
  const ids = pbxStrings(pbxGet(pbx.objects.get(targetId), 'fileSystemSynchronizedGroups')).filter((id) => {
    const g = pbx.objects.get(id);
    const p = pbxString(g, 'path') ?? pbxString(g, 'name');
    return p !== null && path.basename(p) === path.basename(folder);
  });
  return ids.length === 1 ? ids[0]! : null;
}

/**
 * Xcode merges `INFOPLIST_KEY_NSMicrophoneUsageDescription` into the built Info.plist; a second
 * value written into the file would conflict with it, so a target that sets it in any
 * configuration already has the text.
 */
function micTextInBuildSettings(target: IosTarget): boolean {
  const lists = [target.buildSettings, ...(target.configurations ?? []).map((c) => c.settings)];
  return lists.some((settings) => settings.some((s) => s.name === 'INFOPLIST_KEY_NSMicrophoneUsageDescription' && s.value.trim() !== ''));
}

/** Template variables for code dropped into an existing target: its own name and bundle id. */
function targetVars(target: IosTarget) {
  const settings = target.configurations?.[0]?.settings ?? target.buildSettings;
  const setting = (name: string) => settings.find((s) => s.name === name)?.value;
  const plistString = (key: string) => {
    for (const ref of target.infoPlists) {
      const v = ref.doc?.root.type === 'dict' ? ref.doc.root.entries.find((e) => e.key === key)?.value : undefined;
      if (v?.type === 'string' && !v.value.includes('$(')) return v.value;
    }
    return undefined;
  };
  const rawId = setting('PRODUCT_BUNDLE_IDENTIFIER') ?? plistString('CFBundleIdentifier');
  // Only a literal, valid identifier is used as the logging subsystem; anything else gets a neutral one.
  const bundleId = rawId && /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(rawId) ? rawId : 'app.audio';
  const name = setting('INFOPLIST_KEY_CFBundleDisplayName') ?? plistString('CFBundleDisplayName') ?? target.name;
  const vars = buildVars(name, bundleId);
  vars.swiftTypeName = deriveTypeName(target.name, bundleId);
  return vars;
}

function refPathMatches(pbx: PbxProject, refId: string, abs: string): boolean {
  const ref = pbx.objects.get(refId);
  const p = ref?.entries.find((e) => e.key === 'path');
  return p?.value.type === 'string' && path.basename(p.value.value) === path.basename(abs);
}

function patchEntry(root: string, abs: string, original: string, next: string): PlanEntry {
  return { path: rel(root, abs), content: Buffer.from(next), original: Buffer.from(original), source: 'patch', mode: 'patch' };
}
