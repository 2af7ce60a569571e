// The audio session each JS library call ends up configuring, in the shape of a setCategory call,
// from what the libraries' native code does with the options (read from their published sources):
// - expo-audio (ios/AudioModule.swift setAudioMode): without playsInSilentMode the category is
//   .ambient (.soloAmbient for doNotMix) with no options; otherwise .playback (.playAndRecord with
//   allowsRecording) plus .mixWithOthers / .duckOthers from interruptionMode, default 'mixWithOthers';
// - expo-av (ios/EXAV/EXAV.m _updateAudioSessionCategoryForAudioSessionMode): the same mapping
//   with playsInSilentModeIOS / allowsRecordingIOS / interruptionModeIOS (default MixWithOthers = 0),
//   except that a call keeps the keys it omits from the previous call;
// - react-native-track-player (ios/RNTrackPlayer/RNTrackPlayer.swift): setupPlayer's iosCategory
//   (default .playback), iosCategoryMode, iosCategoryOptions, iosCategoryPolicy, applied with try?;
// - react-native-audio-api (AudioSessionManager.mm): setAudioSessionOptions' iosCategory, iosMode, iosOptions.

import type { Location } from '../../findings/finding.js';
import { categoryFromName, modeFromName, optionFromName, type CategoryName, type OptionName } from '../ios/audio-session-vocab.js';
import { librarySession, type OptionRef } from '../ios/source-facts.js';
import { boolOf, getProp, getPropRecord, type ConfigValue } from './config-value.js';
import type { JsSession } from './expo-model.js';
import type { JsCall } from './js-facts.js';

function keyLoc(opts: ConfigValue | null, key: string): Location | null {
  return getPropRecord(opts, key)?.keyLoc ?? null;
}

function base(call: JsCall): JsSession {
  return { ...librarySession('js', call.api, call.location), lang: 'js', library: call.library, call };
}

const EXPO_AV_MODES: Record<number, 'mixWithOthers' | 'doNotMix' | 'duckOthers'> = { 0: 'mixWithOthers', 1: 'doNotMix', 2: 'duckOthers' };

/** The interruption mode of an expo-audio / expo-av call: a name, undefined (not set) or null (unreadable). */
function interruption(call: JsCall, key: string): { mode: 'mixWithOthers' | 'doNotMix' | 'duckOthers' | undefined | null; loc: Location | null } {
  const v = getProp(call.options, key);
  const loc = keyLoc(call.options, key);
  if (v === undefined || v.kind === 'null') return { mode: undefined, loc: null };
  if (v.kind === 'string') {
    if (v.value === 'doNotMixPersistent') return { mode: 'doNotMix', loc };
    if (v.value === 'mixWithOthers' || v.value === 'doNotMix' || v.value === 'duckOthers') return { mode: v.value, loc };
  }
  if (v.kind === 'number' && EXPO_AV_MODES[v.value]) return { mode: EXPO_AV_MODES[v.value], loc };
  return { mode: null, loc };
}

function modeCall(call: JsCall, keys: { silent: string; recording: string; interruption: string }, omittedKeepsPrevious: boolean): JsSession {
  const s = base(call);
  const opts = call.options;
  if (!opts || opts.kind !== 'object') {
    s.optionsResolved = false;
    return s;
  }
  const silent = boolOf(getProp(opts, keys.silent));
  const recording = boolOf(getProp(opts, keys.recording));
  const im = interruption(call, keys.interruption);
  if (typeof silent === 'object' || (silent === undefined && omittedKeepsPrevious)) {
    s.optionsResolved = false;
    return s;
  }
  if (silent !== true) {
    s.category = im.mode === 'doNotMix' ? 'soloAmbient' : im.mode === null ? null : 'ambient';
    s.categoryLocation = keyLoc(opts, keys.silent);
    return s;
  }
  if (typeof recording === 'object' || (recording === undefined && omittedKeepsPrevious)) {
    s.optionsResolved = false;
    return s;
  }
  s.category = recording ? 'playAndRecord' : 'playback';
  s.categoryLocation = keyLoc(opts, keys.silent);
  s.optionsGiven = true;
  if (im.mode === null || (im.mode === undefined && omittedKeepsPrevious)) {
    s.optionsResolved = false;
  } else if (im.mode === undefined) {
    s.options.push({ option: 'mixWithOthers', text: `${call.api} without \`${keys.interruption}\` (its default is mixWithOthers)`, location: opts.loc });
  } else if (im.mode !== 'doNotMix') {
    s.options.push({ option: im.mode, text: `\`${keys.interruption}\` ${im.mode}`, location: im.loc ?? opts.loc });
  }
  return s;
}

function stringOption<T>(opts: ConfigValue | null, key: string, conv: (s: string) => T | null): { value: T | null; loc: Location | null; given: boolean } {
  const v = getProp(opts, key);
  if (v === undefined || v.kind === 'null') return { value: null, loc: null, given: false };
  return { value: v.kind === 'string' ? conv(v.value) : null, loc: keyLoc(opts, key) ?? v.loc, given: true };
}

function optionList(s: JsSession, value: ConfigValue | undefined, library: string): void {
  if (value === undefined || value.kind === 'null') return;
  s.optionsGiven = true;
  if (value.kind !== 'array') {
    s.optionsResolved = false;
    return;
  }
  if (value.unknown.length) s.optionsResolved = false;
  for (const item of value.items) {
    const opt: OptionName | null = item.kind === 'string' ? optionFromName(item.value) : null;
    if (!opt) {
      if (item.kind !== 'string') s.optionsResolved = false;
      continue;
    }
    s.options.push({ option: opt, text: `'${(item as { value: string }).value}'${library === 'react-native-track-player' ? ' in iosCategoryOptions' : ' in iosOptions'}`, location: item.loc } satisfies OptionRef);
  }
}

function setupPlayer(call: JsCall): JsSession {
  const s = base(call);
  s.errorHandling = 'try?';
  const opts = call.options;
  if (opts && opts.kind !== 'object') {
    s.optionsResolved = false;
    return s;
  }
  const cat = stringOption<CategoryName>(opts, 'iosCategory', categoryFromName);
  s.category = cat.given ? cat.value : 'playback';
  s.categoryLocation = cat.loc;
  const mode = stringOption(opts, 'iosCategoryMode', modeFromName);
  s.mode = mode.value;
  s.modeLocation = mode.loc;
  const policy = getProp(opts, 'iosCategoryPolicy');
  s.policy = policy?.kind === 'string' ? policy.value : null;
  optionList(s, getProp(opts, 'iosCategoryOptions'), call.library);
  return s;
}

function sessionOptions(call: JsCall): JsSession {
  const s = base(call);
  const opts = call.options;
  if (!opts || opts.kind !== 'object') {
    s.optionsResolved = false;
    return s;
  }
  const cat = stringOption<CategoryName>(opts, 'iosCategory', categoryFromName);
  s.category = cat.value;
  s.categoryLocation = cat.loc;
  const mode = stringOption(opts, 'iosMode', modeFromName);
  s.mode = mode.value;
  s.modeLocation = mode.loc;
  optionList(s, getProp(opts, 'iosOptions'), call.library);
  return s;
}

export function deriveSessions(calls: JsCall[]): JsSession[] {
  const out: JsSession[] = [];
  // expo-av keeps omitted keys from the previous call: an omitted key is a default only when no call sets it.
  const avCalls = calls.filter((c) => c.library === 'expo-av' && c.kind === 'audio-mode');
  const avSets = (key: string) => avCalls.some((c) => getProp(c.options, key) !== undefined);
  for (const call of calls) {
    if (call.kind === 'audio-mode' && call.library === 'expo-audio') {
      out.push(modeCall(call, { silent: 'playsInSilentMode', recording: 'allowsRecording', interruption: 'interruptionMode' }, false));
    } else if (call.kind === 'audio-mode' && call.library === 'expo-av') {
      const keys = { silent: 'playsInSilentModeIOS', recording: 'allowsRecordingIOS', interruption: 'interruptionModeIOS' };
      const keeps = avCalls.length > 1 && Object.values(keys).some((k) => avSets(k) && getProp(call.options, k) === undefined);
      out.push(modeCall(call, keys, keeps));
    } else if (call.kind === 'setup-player') {
      out.push(setupPlayer(call));
    } else if (call.kind === 'session-options') {
      out.push(sessionOptions(call));
    }
  }
  return out;
}
