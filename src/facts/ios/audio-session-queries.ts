// Questions the iOS audio rules ask about a target, answered from its source facts and its
// effective Info.plist. Kept here so that every rule answers them the same way.

import type { Location } from '../../findings/finding.js';
import { MIXABLE_OPTIONS, type AudioApi, type CategoryName } from './audio-session-vocab.js';
import { backgroundModes } from './effective-config.js';
import type { IosApp, IosTarget, IosTargetRole, LinkedCode } from './ios-model.js';
import type { ProjectModel } from '../project-model.js';
import type { ApiUse, OptionRef, SetCategoryCall } from './source-facts.js';
import { compareText } from '../../discover/paths.js';

export function roleOf(target: IosTarget): IosTargetRole {
  return target.role ?? 'app';
}

/**
 * The targets judged as apps: each with its own Info.plist and entitlements, and its code together
 * with the framework / library / package code it links. Frameworks and packages are judged only
 * through these; app extensions, test bundles and tools are not apps.
 */
export function* appTargets(project: ProjectModel): Generator<{ app: IosApp; target: IosTarget }> {
  for (const app of project.ios) for (const target of app.targets) if (roleOf(target) === 'app') yield { app, target };
}

/** Apps and app extensions: the targets that run code in a process of their own. */
export function* runningTargets(project: ProjectModel): Generator<{ app: IosApp; target: IosTarget }> {
  for (const app of project.ios) {
    for (const target of app.targets) {
      const role = roleOf(target);
      if (role === 'app' || role === 'extension') yield { app, target };
    }
  }
}

/** The linked framework or package a file of the target's code comes from; null for the target's own files. */
export function linkedOrigin(target: IosTarget, file: string): LinkedCode | null {
  if (!target.linked?.length || target.sources.some((f) => f.path === file)) return null;
  return target.linked.find((l) => l.files.includes(file)) ?? null;
}

/** Module names of the code linked into the target (its own frameworks and packages, not third-party binaries). */
export function linkedModules(target: IosTarget): Set<string> {
  return new Set((target.linked ?? []).flatMap((l) => l.modules));
}

/** `framework "PlayerKit"`, `Swift package module "PlayerCore"` (the package target that holds `file`). */
export function linkedLabel(l: LinkedCode, file?: string): string {
  if (l.kind === 'package') return `Swift package module "${(file && l.fileModules?.get(file)) ?? l.name}"`;
  return `${l.kind === 'framework' ? 'framework' : 'library'} "${l.name}"`;
}

export function byPosition(a: Location, b: Location): number {
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

export function apiUses(target: IosTarget, apis: readonly AudioApi[]): ApiUse[] {
  return target.code.apis.filter((u) => apis.includes(u.api)).sort((a, b) => byPosition(a.location, b.location));
}

export function firstApiUse(target: IosTarget, apis: readonly AudioApi[]): ApiUse | null {
  return apiUses(target, apis)[0] ?? null;
}

/** Where the target shows it uses the PushToTalk framework (the import first), or null. */
export function pttEvidence(target: IosTarget): Location | null {
  const imp = target.code.imports.filter((i) => i.module === 'PushToTalk').sort((a, b) => byPosition(a.location, b.location))[0];
  if (imp) return imp.location;
  return firstApiUse(target, ['PTChannelManager'])?.location ?? null;
}

export function isPttTarget(target: IosTarget): boolean {
  return pttEvidence(target) !== null;
}

/** CallKit apps get their session activated by the system in provider(_:didActivate:). */
export function usesCallKit(target: IosTarget): boolean {
  return target.code.apis.some((u) => u.api === 'CallKit') || target.code.imports.some((i) => i.module === 'CallKit');
}

export function categoryCalls(target: IosTarget, categories: readonly CategoryName[]): SetCategoryCall[] {
  return target.code.setCategory
    .filter((c) => c.category !== null && categories.includes(c.category))
    .sort((a, b) => byPosition(a.location, b.location));
}

/** Calls that set a category which keeps playing on lock: `.playback` and `.playAndRecord`. */
export function playbackCategoryCalls(target: IosTarget): SetCategoryCall[] {
  return categoryCalls(target, ['playback', 'playAndRecord']);
}

export function mixableOptions(call: SetCategoryCall): OptionRef[] {
  return call.options.filter((o) => MIXABLE_OPTIONS.includes(o.option));
}

export interface IntentSign {
  what: string;
  location: Location;
}

const NOW_PLAYING_APIS: readonly AudioApi[] = ['MPNowPlayingInfoCenter', 'MPRemoteCommandCenter', 'MPNowPlayingSession'];

export function nowPlayingUses(target: IosTarget): ApiUse[] {
  return apiUses(target, NOW_PLAYING_APIS);
}

/**
 * Signs in the code that the app means to keep playing in the background: lock-screen controls,
 * a streaming player, spoken-audio / long-form configuration, Push to Talk. Sorted by position.
 */
export function backgroundIntent(target: IosTarget): IntentSign[] {
  const signs: IntentSign[] = [];
  const first = (apis: AudioApi[], what: string) => {
    const u = firstApiUse(target, apis);
    if (u) signs.push({ what, location: u.location });
  };
  first(['MPNowPlayingInfoCenter', 'MPNowPlayingSession'], 'publishes Now Playing information');
  first(['MPRemoteCommandCenter'], 'registers lock-screen remote commands');
  first(['beginReceivingRemoteControlEvents'], 'receives remote-control events');
  first(['AVPlayer', 'AVQueuePlayer'], 'streams with AVPlayer');
  const spoken = [...target.code.setCategory.filter((c) => c.mode === 'spokenAudio').map((c) => c.location), ...target.code.setMode.filter((m) => m.mode === 'spokenAudio').map((m) => m.location)].sort(byPosition)[0];
  if (spoken) signs.push({ what: 'configures the .spokenAudio mode for long-form speech', location: spoken });
  const longForm = target.code.setCategory.filter((c) => c.policy === 'longFormAudio' || c.policy === 'longForm').sort((a, b) => byPosition(a.location, b.location))[0];
  if (longForm) signs.push({ what: 'uses the .longFormAudio route-sharing policy', location: longForm.location });
  const ptt = pttEvidence(target);
  if (ptt) signs.push({ what: 'uses the PushToTalk framework', location: ptt });
  return signs.sort((a, b) => byPosition(a.location, b.location));
}

/** Playback engines that do not pause, resume or follow route changes on their own (unlike AVPlayer). */
export const MANUAL_ENGINES: readonly AudioApi[] = ['AVAudioPlayer', 'AVAudioEngine', 'AVAudioPlayerNode', 'AudioUnit', 'AudioQueue'];

/** Engines that start on the session as it is, and do not activate it the way AVPlayer / AVAudioPlayer do. */
export const LOW_LEVEL_ENGINES: readonly AudioApi[] = ['AVAudioEngine', 'AVAudioPlayerNode', 'AudioUnit', 'AudioQueue'];

/** The target plays audio that should survive backgrounding: a lock-proof category or the `audio` mode. */
export function playsInBackground(target: IosTarget): boolean {
  return playbackCategoryCalls(target).length > 0 || backgroundModes(target).has('audio');
}

/**
 * Targets that play in the background with an engine that handles neither interruptions nor
 * route changes by itself (anything but AVPlayer), with the first use of that engine: the scope of
 * the interruption and route-change rules.
 */
export function* backgroundManualEngineTargets(project: ProjectModel): Generator<{ target: IosTarget; engine: ApiUse }> {
  for (const { target } of appTargets(project)) {
    if (!playsInBackground(target)) continue;
    const engine = firstApiUse(target, MANUAL_ENGINES);
    if (engine) yield { target, engine };
  }
}

/** True when the target has Info.plist files but none could be parsed (the parse error is reported already). */
export function infoPlistUnreadable(target: IosTarget): boolean {
  return target.infoPlists.length > 0 && target.infoPlists.every((r) => !r.doc) && !target.generatesInfoPlist;
}

export function apiLabel(u: ApiUse): string {
  switch (u.api) {
    case 'AudioUnit':
      return 'the audio unit';
    case 'AudioQueue':
    case 'AudioQueueInput':
      return 'the audio queue';
    default:
      return u.name;
  }
}

/**
 * A filter that lets each source position through once. A file compiled into several targets
 * has the same facts in each; a code finding about it should be reported once.
 */
export function oncePerLocation(): (l: Location, extra?: string) => boolean {
  const seen = new Set<string>();
  return (l, extra = '') => {
    const k = `${l.file}:${l.line}:${l.column}:${extra}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
}
