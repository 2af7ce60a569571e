// Stage 3 output: what audiobg knows about the project, built from parsed files.
// Rules read only this (and the syntax trees it points at); they never touch the disk.

import type { FileProblem } from '../parse/workspace.js';
import type { IosApp } from './ios/ios-model.js';
import type { AndroidApp } from './android/android-model.js';
import type { ExpoApp } from './expo/expo-model.js';
import type { FlutterApp } from './flutter/flutter-model.js';

export interface ProjectModel {
  /** Absolute path of the scan root. */
  root: string;
  ios: IosApp[];
  android: AndroidApp[];
  /** React Native / Expo apps (JS folders); empty for native-only projects. Optional for hand-built models. */
  expo?: ExpoApp[];
  /** Flutter apps (pubspec.yaml folders); their Dart facts are also merged into their ios/ and android/ apps. */
  flutter?: FlutterApp[];
  /** Files that could not be read or parsed while building the model. */
  problems: FileProblem[];
}
