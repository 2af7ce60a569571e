// Stage 3: turn parsed files into facts about each app in the project.

import type { Workspace } from '../parse/workspace.js';
import type { ProjectModel } from './project-model.js';
import { buildIosApps } from './ios/build-ios-apps.js';
import { buildAndroidApps } from './android/build-android-apps.js';
import { buildExpoApps } from './expo/build-expo-apps.js';
import { buildFlutterApps } from './flutter/build-flutter-apps.js';
import { prepareFlutterVersions } from './flutter/sdk-levels.js';

export async function buildProjectModel(ws: Workspace): Promise<ProjectModel> {
  // Before the Android apps: `flutter.targetSdkVersion` in their build scripts depends on the Flutter version.
  await prepareFlutterVersions(ws);
  const [ios, android] = await Promise.all([buildIosApps(ws), buildAndroidApps(ws)]);
  // After the native apps: a React Native / Expo app is judged together with its ios/ and android/ folders.
  const expo = await buildExpoApps(ws, ios, android);
  // Flutter apps likewise; what their Dart code configures is merged into their Runner / app facts.
  const flutter = await buildFlutterApps(ws, ios, android);
  return { root: ws.root, ios, android, expo, flutter, problems: ws.problems };
}
