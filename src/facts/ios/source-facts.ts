// Facts about audio extracted from a target's Swift and Objective-C syntax trees.
// Each file is parsed at most once (Workspace caches the tree and these per-file facts); the
// per-file facts are plain data with Locations, merged here into one record per target.
// Only real syntax counts: words inside comments and string literals never become facts.

import type { ProjectFile } from '../../discover/find-files.js';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';
import { defineExtractor } from '../../parse/extractors.js';
import { AUDIO_PREFILTER_WORDS, type AudioApi, type AudioNotification, type CategoryName, type ModeName, type OptionName } from './audio-session-vocab.js';
import { extractSwiftAudioFacts } from './swift-audio-facts.js';
import { extractObjcAudioFacts } from './objc-audio-facts.js';

/**
 * How a failure of setCategory / setActive is handled:
 * - `checked`: Objective-C `error:&err`, or Swift `try` inside a do/catch that does something;
 * - `propagated`: Swift `try` outside a do/catch (the caller sees the error);
 * - `try?`: Swift `try?` (the error is thrown away);
 * - `try!`: Swift `try!` (a failure crashes, loudly);
 * - `empty-catch`: Swift `try` in a do whose every catch block is empty;
 * - `error-nil`: Objective-C `error:nil` / `error:NULL` (or the Swift 1-2 `error: nil`);
 * - `none`: no error handling visible (e.g. a call not marked `try`, an unknown wrapper).
 */
export type ErrorHandling = 'checked' | 'propagated' | 'try?' | 'try!' | 'empty-catch' | 'error-nil' | 'none';

export interface OptionRef {
  option: OptionName;
  /** The option as written (`.allowAirPlay`, `AVAudioSessionCategoryOptionAllowAirPlay`, a raw value...). */
  text: string;
  location: Location;
}

export interface SetCategoryCall {
  /** `js`: a session configured through a React Native / Expo library call (see src/facts/expo); `dart`: through a Flutter package (src/facts/flutter). */
  lang: 'swift' | 'objc' | 'js' | 'dart';
  /** For `js`: the library call that makes the setCategory call, e.g. `TrackPlayer.setupPlayer`. */
  api?: string;
  /** The whole call / message expression. */
  location: Location;
  /** Null when the category expression could not be resolved (a variable, a ternary...). */
  category: CategoryName | null;
  categoryLocation: Location | null;
  mode: ModeName | null;
  modeLocation: Location | null;
  /** The route-sharing policy member, e.g. `longFormAudio`, when written. */
  policy: string | null;
  /** Whether an options argument is present at all (absent = no options). */
  optionsGiven: boolean;
  /** Options known to be in the set, each where it is written. */
  options: OptionRef[];
  /**
   * True when the options argument was fully understood (a literal set, a single option, a
   * `let` constant with such a value, a raw value). False means more options may be set than listed.
   */
  optionsResolved: boolean;
  errorHandling: ErrorHandling;
  enclosingFunction: string | null;
}

/**
 * A session configured through a cross-platform library (React Native / Expo, Flutter) at
 * `location`, before its options are read: no category, mode or options yet, nothing to ignore.
 */
export function librarySession(lang: 'js' | 'dart', api: string, location: Location): SetCategoryCall {
  return {
    lang,
    api,
    location,
    category: null,
    categoryLocation: null,
    mode: null,
    modeLocation: null,
    policy: null,
    optionsGiven: false,
    options: [],
    optionsResolved: true,
    errorHandling: 'none',
    enclosingFunction: null,
  };
}

export interface SetActiveCall {
  lang: 'swift' | 'objc';
  location: Location;
  /** true / false, or null when the argument is not a literal. */
  active: boolean | null;
  errorHandling: ErrorHandling;
  enclosingFunction: string | null;
}

export interface SetModeCall {
  location: Location;
  mode: ModeName | null;
}

export interface ImportRef {
  module: string;
  location: Location;
}

export interface ApiUse {
  api: AudioApi;
  /** The identifier as written. */
  name: string;
  location: Location;
}

export interface NotificationObserver {
  notification: AudioNotification;
  /** The addObserver / publisher / notifications(named:) call. */
  location: Location;
  /** How the handler is attached. */
  handler: 'selector' | 'closure' | 'stream' | 'unknown';
  /** The selector's method name, when attached with #selector / @selector. */
  selector: string | null;
}

/** A playback (re)start inside the `.ended` branch of an interruption handler. */
export interface InterruptionResume {
  /** The play()/start() call. */
  location: Location;
  /** setActive(true) runs earlier in the same handler. */
  reactivatedBefore: boolean;
  /** Names of functions called earlier in the branch (one of them may reactivate the session). */
  callsBefore: string[];
  handlerFunction: string | null;
}

export interface IosSourceFacts {
  /** Files that were parsed (those that passed the cheap text prefilter). */
  parsedFiles: string[];
  imports: ImportRef[];
  setCategory: SetCategoryCall[];
  setActive: SetActiveCall[];
  setMode: SetModeCall[];
  apis: ApiUse[];
  observers: NotificationObserver[];
  /** References to the `.oldDeviceUnavailable` route-change reason. */
  oldDeviceUnavailable: Location[];
  /** Implementations of PTChannelManagerDelegate `channelManager(_:didActivate:)`. */
  pttDidActivate: Location[];
  interruptionResumes: InterruptionResume[];
  /** Functions (by name) whose body calls setActive(true). */
  activatingFunctions: string[];
  /**
   * Every call that may set a category, whatever its receiver: any `setCategory` call or message
   * and the C `AudioSessionSetProperty`. Used to decide that a target never sets one.
   */
  categorySetters: Location[];
}

export function emptySourceFacts(): IosSourceFacts {
  return {
    parsedFiles: [],
    imports: [],
    setCategory: [],
    setActive: [],
    setMode: [],
    apis: [],
    observers: [],
    oldDeviceUnavailable: [],
    pttDidActivate: [],
    interruptionResumes: [],
    activatingFunctions: [],
    categorySetters: [],
  };
}


/** Facts of one Swift or Objective-C file, as plain data (kept by the fact cache, made by parsing workers too). */
export const IOS_AUDIO_FACTS = defineExtractor('ios-audio-facts', async (ws: Workspace, file: ProjectFile): Promise<IosSourceFacts | null> => {
  if (file.kind !== 'swift' && file.kind !== 'objc') return null;
  if (!ws.mentions(file, AUDIO_PREFILTER_WORDS)) return null;
  const lang = file.kind === 'swift' ? 'swift' : 'objc';
  try {
    const facts = await ws.withTree(file, lang, (root) => (lang === 'swift' ? extractSwiftAudioFacts(file.path, root) : extractObjcAudioFacts(file.path, root)));
    facts?.parsedFiles.push(file.path);
    return facts;
  } catch (e) {
    // An extractor bug must not take the run down; the file is reported and the rest is checked.
    ws.report({ file: file.path, kind: 'parse-error', severity: 'warning', message: `audio facts could not be extracted: ${(e as Error).message}` });
    return null;
  }
});

/** Facts of one file, cached in the workspace so a file shared by several targets is parsed once. */
export async function fileAudioFacts(ws: Workspace, file: ProjectFile): Promise<IosSourceFacts | null> {
  return ws.extract(file, IOS_AUDIO_FACTS);
}

export async function extractIosSourceFacts(ws: Workspace, files: ProjectFile[]): Promise<IosSourceFacts> {
  const merged = emptySourceFacts();
  for (const file of files) {
    const facts = await fileAudioFacts(ws, file);
    if (facts) mergeInto(merged, facts);
  }
  merged.activatingFunctions = [...new Set(merged.activatingFunctions)];
  return merged;
}

function mergeInto(into: IosSourceFacts, from: IosSourceFacts): void {
  into.parsedFiles.push(...from.parsedFiles);
  into.imports.push(...from.imports);
  into.setCategory.push(...from.setCategory);
  into.setActive.push(...from.setActive);
  into.setMode.push(...from.setMode);
  into.apis.push(...from.apis);
  into.observers.push(...from.observers);
  into.oldDeviceUnavailable.push(...from.oldDeviceUnavailable);
  into.pttDidActivate.push(...from.pttDidActivate);
  into.interruptionResumes.push(...from.interruptionResumes);
  into.activatingFunctions.push(...from.activatingFunctions);
  into.categorySetters.push(...from.categorySetters);
}
