// Questions the Flutter rules ask, answered the same way for every rule.

import type { ProjectModel } from '../project-model.js';
import type { FlutterApp, PackageUse } from './flutter-model.js';
import type { FlutterAudioPackage } from './packages.js';

export function flutterApps(project: ProjectModel): FlutterApp[] {
  return project.flutter ?? [];
}

export function packageUse(app: FlutterApp, name: FlutterAudioPackage): PackageUse | undefined {
  return app.packages.find((p) => p.name === name);
}

/** "audio_service 0.18.12 (pubspec.lock)" / "audio_service ^0.18.0 (declared; no pubspec.lock)". */
export function packageLabel(p: PackageUse): string {
  if (p.versionSource === 'locked') return `${p.name} ${p.version} (pubspec.lock)`;
  if (p.versionSource === 'declared') return `${p.name} ${p.version} (the lowest version pubspec.yaml allows; no pubspec.lock)`;
  return `${p.name} (version unknown)`;
}
