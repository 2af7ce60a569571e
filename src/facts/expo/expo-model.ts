// The React Native / Expo side of the project model: one ExpoApp per JS app folder (a package.json
// that depends on react-native or expo, or a folder with an Expo app config), with its resolved app
// config, the versions of the audio libraries it uses, what their config plugins and manifests give
// the native apps, and the audio facts of its JS/TS sources. Plain data with locations.

import type { Location } from '../../findings/finding.js';
import type { AndroidApp } from '../android/android-model.js';
import type { IosApp } from '../ios/ios-model.js';
import type { SetCategoryCall } from '../ios/source-facts.js';
import type { AppConfigRead } from './app-config.js';
import type { ConfigValue, Unresolved } from './config-value.js';
import type { JsAudioFacts, JsCall } from './js-facts.js';
import type { PackageVersion } from './packages.js';
import type { AudioPackage, Reason, VersionRange } from './plugin-effects.js';

/**
 * - `managed`: an Expo app without native folders in the checkout: `expo prebuild` / EAS generate them from the app config;
 * - `prebuild`: an Expo app config with native settings (plugins, ios, android) and generated native folders checked in;
 * - `bare`: native folders maintained by hand (plain React Native, or Expo modules without native settings in the app config).
 */
export type Workflow = 'managed' | 'prebuild' | 'bare';

export interface ExpoApp {
  /** Display name: package.json `name`, else the folder name. */
  name: string;
  /** Absolute folder of the JS app. */
  root: string;
  packageJson: string | null;
  workflow: Workflow;
  /** The app config, or null when the folder has none (a bare React Native app). */
  config: AppConfigRead | null;
  /** Audio libraries the app depends on (declared or installed), with the behaviour of their version. */
  libraries: LibraryUse[];
  /** Entries of `plugins` (audio libraries and others), in order. */
  plugins: PluginEntry[];
  /** Native apps found under the app folder (ios/, android/). */
  native: { ios: IosApp[]; android: AndroidApp[] };
  /** The iOS app as the build will produce it. */
  ios: IosView;
  /** The Android app as the build will produce it. */
  android: AndroidView;
  js: JsAudioFacts;
  /** Audio-session configurations made from JS, in the form the shared iOS rules read. */
  sessions: JsSession[];
  /** Values that matter for the audio rules but cannot be read statically. */
  unresolved: UnresolvedNote[];
  /** Libraries the app changes with patch-package (`patches/<name>+<version>.patch`): their own behaviour cannot be assumed. */
  patchedPackages: PatchedPackage[];
}

export interface PatchedPackage {
  name: string;
  version: string | null;
  file: string;
}

export interface LibraryUse {
  name: AudioPackage;
  version: PackageVersion;
  /** The version audiobg reasons with: the installed one, else the declared range's lowest. */
  effectiveVersion: string | null;
  /** How that version is known. */
  versionSource: 'installed' | 'declared' | 'unknown';
  /** The published behaviour of that version; null when the version (range) does not decide it. */
  behaviour: VersionRange | null;
  /** Where to point at the version: the dependency in package.json, else the installed package.json. */
  location: Location | null;
  /** The library's own AndroidManifest.xml when installed. */
  manifestFile: string | null;
}

export interface PluginEntry {
  /** The plugin as written (a package name, a path). */
  name: string;
  /** The package it resolves to, when it is one of the audio libraries. */
  library: AudioPackage | null;
  location: Location;
  options: ConfigValue | null;
}

/** Where a value of the effective native config comes from. */
export interface Origin {
  kind: 'app-config' | 'plugin' | 'library-manifest' | 'native';
  /** e.g. "ios.infoPlist.UIBackgroundModes", "expo-audio 56.0.0 plugin (enableBackgroundPlayback defaults to true)". */
  text: string;
  location: Location | null;
}

export interface IosView {
  /** `app-config`: resolved from the app config and plugins; `native`: read from the ios/ project; `none`: no iOS app to judge. */
  source: 'app-config' | 'native' | 'none';
  /** Effective UIBackgroundModes with where each comes from. */
  backgroundModes: Map<string, Origin>;
  /** Modes a plugin takes out again (e.g. expo-video with its options false). */
  removedModes: Map<string, Origin>;
  /** Effective entitlements (app config `ios.entitlements`, or the native entitlements files). */
  entitlements: Map<string, { value: ConfigValue | string | boolean; location: Location | null }>;
  /** Set when the modes cannot be known statically. */
  unknown: Unresolved | null;
  /** Why each audio library does not provide the `audio` mode (only libraries that do not), with the line to fix. */
  whyNoAudio: Map<AudioPackage, Reason>;
  /** The config line that controls the background modes (where to report and fix). */
  control: Location;
  /** What `control` is, for messages: "ios.infoPlist.UIBackgroundModes", "the Info.plist", ... */
  controlLabel: string;
}

export interface AndroidService {
  name: string;
  types: string[];
  origin: Origin;
}

export interface AndroidView {
  source: 'app-config' | 'native' | 'none';
  permissions: Map<string, Origin>;
  /** `android.blockedPermissions` / tools:node="remove". */
  blocked: Map<string, Location>;
  services: AndroidService[];
  unknown: Unresolved | null;
  /** targetSdk when known (expo-build-properties, or the native build); null: the SDK's default. */
  targetSdk: number | null;
  /** Why a library's playback service or permissions are missing (a plugin option turned off, an old version...). */
  whyNoService: Map<AudioPackage, Reason>;
  control: Location;
  controlLabel: string;
  /** Libraries whose Android manifest cannot be known (not installed, no readable version), with why: their service is not checked. */
  unknownLibraries: Map<string, string>;
}

/** A session configuration made by a JS library call, in the shape of a setCategory call. */
export interface JsSession extends SetCategoryCall {
  lang: 'js';
  library: AudioPackage;
  call: JsCall;
}

export interface UnresolvedNote {
  /** What could not be read, e.g. "ios.infoPlist.UIBackgroundModes", "the version of expo-audio". */
  what: string;
  reason: string;
  location: Location;
  /** Which checks are skipped because of it. */
  consequence: string;
}

export type { Reason };
