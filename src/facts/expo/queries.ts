// Questions the rules ask about React Native / Expo apps, answered the same way for every rule.

import type { Location } from '../../findings/finding.js';
import type { ProjectModel } from '../project-model.js';
import { MIXABLE_OPTIONS } from '../ios/audio-session-vocab.js';
import type { OptionRef } from '../ios/source-facts.js';
import { boolOf, getProp, getPropRecord } from './config-value.js';
import type { AndroidService, ExpoApp, JsSession, LibraryUse } from './expo-model.js';
import type { JsCall } from './js-facts.js';
import { PERMISSION_FGS, PERMISSION_FGS_MEDIA, SERVICE_PREFIXES, type AudioPackage } from './plugin-effects.js';

export function expoApps(project: ProjectModel): ExpoApp[] {
  return project.expo ?? [];
}

/** Every audio-session configuration made from JS, across apps. */
export function jsSessions(project: ProjectModel): JsSession[] {
  return expoApps(project).flatMap((a) => a.sessions);
}

export interface Intent {
  library: AudioPackage;
  /** What the code does, for messages: "`shouldPlayInBackground: true`". */
  what: string;
  location: Location;
  call: JsCall;
}

/** A JS option set to true on this platform, with where its key is written. */
function trueOption(call: JsCall, key: string, platform: 'ios' | 'android'): Location | null {
  const opts = platform === 'ios' ? call.options : call.androidOptions;
  if (boolOf(getProp(opts, key)) !== true) return null;
  return getPropRecord(opts, key)?.keyLoc ?? call.location;
}

/** Signs in the JS code that audio must keep playing in the background on this platform. */
export function backgroundIntents(app: ExpoApp, platform: 'ios' | 'android'): Intent[] {
  const out: Intent[] = [];
  for (const call of app.js.calls) {
    if (call.kind === 'audio-mode' && call.library === 'expo-audio') {
      const loc = trueOption(call, 'shouldPlayInBackground', platform);
      if (loc) out.push({ library: call.library, what: `\`shouldPlayInBackground: true\` (${call.api})`, location: loc, call });
    } else if (call.kind === 'audio-mode' && call.library === 'expo-av') {
      const loc = trueOption(call, 'staysActiveInBackground', platform);
      if (loc) out.push({ library: call.library, what: `\`staysActiveInBackground: true\` (${call.api})`, location: loc, call });
    } else if (call.kind === 'setup-player') {
      out.push({ library: call.library, what: `react-native-track-player (${call.api}())`, location: call.location, call });
    } else if (call.kind === 'background-flag' && (call.library === 'expo-video' || platform === 'ios')) {
      const v = platform === 'ios' ? call.options : call.androidOptions;
      if (v?.kind === 'boolean' && !v.value) continue;
      out.push({ library: call.library, what: `\`${call.api.replace(/ =$/, ' = true')}\``, location: call.location, call });
    } else if (call.kind === 'lock-screen' && call.library === 'react-native-audio-api') {
      out.push({ library: call.library, what: `${call.api}() (lock-screen controls)`, location: call.location, call });
    }
  }
  return out;
}

/** Lock-screen / Now Playing uses: explicit calls, and react-native-track-player, which always publishes Now Playing. */
export function nowPlayingUses(app: ExpoApp): { what: string; location: Location }[] {
  const out: { what: string; location: Location }[] = [];
  for (const call of app.js.calls) {
    if (call.kind === 'lock-screen') out.push({ what: call.api, location: call.location });
    else if (call.kind === 'setup-player') out.push({ what: 'react-native-track-player', location: call.location });
  }
  return out;
}

/** Where the app shows it is a Push to Talk app: the entitlement or the background mode. */
export function pttEvidence(app: ExpoApp): Location | null {
  const ent = app.ios.entitlements.get('com.apple.developer.push-to-talk');
  if (ent) {
    const v = ent.value;
    const on = typeof v === 'boolean' ? v : typeof v === 'string' ? true : v.kind === 'boolean' ? v.value : v.kind !== 'null';
    if (on) return ent.location;
  }
  const mode = app.ios.backgroundModes.get('push-to-talk');
  return mode?.location ?? null;
}

/** For a call whose options come through the app's wrapper functions: the library call and the wrapper calls in between. */
export function viaRelated(call: JsCall): { location: Location; message: string }[] {
  return call.via.map((v, i) => ({ location: v.location, message: i === 0 ? `${call.api} receives these options here, through the app's wrapper` : `the options pass ${v.text} here` }));
}

export function mixableJsOptions(s: JsSession): OptionRef[] {
  return s.options.filter((o) => MIXABLE_OPTIONS.includes(o.option));
}

export function library(app: ExpoApp, name: AudioPackage): LibraryUse | undefined {
  return app.libraries.find((l) => l.name === name);
}

/** The library's own services in the effective Android app. */
export function libraryServices(app: ExpoApp, lib: AudioPackage): AndroidService[] {
  const prefixes = SERVICE_PREFIXES[lib];
  return app.android.services.filter((s) => prefixes.some((p) => s.name.startsWith(p)));
}

export function hasAndroidPermission(app: ExpoApp, name: string): boolean {
  return app.android.permissions.has(name) && !app.android.blocked.has(name);
}

export { PERMISSION_FGS, PERMISSION_FGS_MEDIA };

/** "app.json" / "app.config.ts": the file users edit. */
export function configFileName(app: ExpoApp): string {
  return app.config ? app.config.primary.split(/[\\/]/).pop()! : 'the app config';
}

/** The sentence for apps whose native folders `expo prebuild` regenerates. */
export function prebuildNote(app: ExpoApp, platform: 'ios' | 'android'): string {
  if (app.workflow !== 'prebuild') return '';
  const folder = platform === 'ios' ? 'ios/' : 'android/';
  const has = platform === 'ios' ? app.native.ios.length > 0 : app.native.android.length > 0;
  if (!has) return '';
  return ` ${folder} is generated from ${configFileName(app)} by \`expo prebuild\`, which overwrites hand edits there: make the change in ${configFileName(app)} and run \`npx expo prebuild --clean\`.`;
}
