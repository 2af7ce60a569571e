// The Flutter side of the project model: one FlutterApp per pubspec.yaml that depends on the Flutter
// SDK, with the versions of its audio packages, the audio facts of its Dart code and its native
// ios/ and android/ apps (which the iOS and Android rules check, with the Dart facts merged in).

import type { Location } from '../../findings/finding.js';
import type { AndroidApp } from '../android/android-model.js';
import type { IosApp } from '../ios/ios-model.js';
import type { SetCategoryCall } from '../ios/source-facts.js';
import type { DartCall, DartClass, DartValue } from './dart-facts.js';
import type { FlutterAudioPackage } from './packages.js';

export interface PackageUse {
  name: FlutterAudioPackage;
  /** The version audiobg reasons with: pubspec.lock's, else the lowest the constraint allows. */
  version: string | null;
  versionSource: 'locked' | 'declared' | 'unknown';
  /** The dependency in pubspec.yaml, else the entry in pubspec.lock (a transitive dependency). */
  location: Location;
  /** True when pubspec.yaml lists it (not only pulled in by another package). */
  direct: boolean;
}

export interface AudioServiceConfigUse {
  /** The AudioServiceConfig(...) construction. */
  value: Extract<DartValue, { kind: 'object' }>;
  /** The AudioService.init call that receives it, if it could be followed there. */
  init: DartCall | null;
}

export interface LauncherActivity {
  /** android:name as written, and resolved against the manifest package / namespace. */
  rawName: string;
  name: string;
  location: Location;
  /** The Kotlin/Java file named after the class in the app module, when there is one. */
  classFile: string | null;
  /** Whether that file mentions "Service" at all (it cannot extend AudioServiceActivity otherwise). */
  classFileMentionsService: boolean;
}

export interface FlutterApp {
  name: string;
  root: string;
  pubspec: string;
  lock: string | null;
  packages: PackageUse[];
  native: { ios: IosApp[]; android: AndroidApp[] };
  dart: {
    parsedFiles: string[];
    calls: DartCall[];
    classes: DartClass[];
    audioServiceConfigs: AudioServiceConfigUse[];
    /** Top-level `main` functions. */
    mains: Location[];
    /** Constructions of the audio types the facts keep (AudioSource, AudioPlayer, ...), with the packages their file imports. */
    objects: { value: Extract<DartValue, { kind: 'object' }>; imports: string[] }[];
    /** The package imports of each parsed file. */
    imports: Map<string, string[]>;
  };
  /** Audio-session configurations made from Dart, as setCategory calls (also merged into the Runner targets). */
  sessions: DartSession[];
  /** The launcher activity of each Android app (same order as native.android); null when none is found. */
  launchers: (LauncherActivity | null)[];
  /** Where to report about the app as a whole (the `name` key of pubspec.yaml). */
  anchor: Location;
}

export interface DartSession extends SetCategoryCall {
  lang: 'dart';
  package: FlutterAudioPackage;
}
