// Monorepos: Dart code in a local package (path dependency, melos or pub workspace member) counts for
// the app that depends on it, and each Flutter app is judged with its own native folders.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorJson, FIXTURES, locationsOf } from '../support/cli.js';

const RADIO_MANIFEST = 'apps/radio/android/app/src/main/AndroidManifest.xml';
const RADIO_AUDIO = 'packages/radio_audio/lib/radio_audio.dart';

function copy(edit: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-mono-'));
  fs.cpSync(path.join(FIXTURES, 'flutter/melos-radio'), dir, { recursive: true });
  edit(dir);
  return dir;
}

describe('melos monorepo with two apps and two local packages (melos-radio)', () => {
  it('lists the two apps, not the packages', async () => {
    const { raw } = await doctorJson('flutter/melos-radio');
    const flutter = raw.apps.filter((a: any) => a.platform === 'flutter').map((a: any) => a.path);
    expect(flutter).toEqual(['apps/quiz', 'apps/radio']);
  });

  it('the radio app uses audio_service through radio_audio (a melos package named in its dependencies)', async () => {
    const { findings } = await doctorJson('flutter/melos-radio');
    expect(locationsOf(findings, 'ios/background-audio-mode-missing')).toEqual([`${RADIO_AUDIO}:5`]);
    expect(findings.find((f) => f.ruleId === 'ios/background-audio-mode-missing')!.message).toContain('Runner');
    expect(locationsOf(findings, 'flutter/audio-service-activity-missing')).toEqual([`${RADIO_MANIFEST}:7`]);
    expect(locationsOf(findings, 'flutter/audio-service-not-declared')).toEqual([`${RADIO_MANIFEST}:1`, `${RADIO_MANIFEST}:1`]);
  });

  it('near miss: the quiz app (sound effects through a path package, its own native folders) is clean', async () => {
    const { findings } = await doctorJson('flutter/melos-radio');
    expect(findings.filter((f) => f.file.startsWith('apps/quiz') || f.file.startsWith('packages/quiz'))).toEqual([]);
    expect(findings).toHaveLength(4);
  });

  it('a pub workspace (workspace: / resolution: workspace) links the package the same way', async () => {
    const dir = copy((d) => {
      fs.rmSync(path.join(d, 'melos.yaml'));
      fs.appendFileSync(path.join(d, 'pubspec.yaml'), '\nworkspace:\n  - apps/radio\n  - apps/quiz\n  - packages/radio_audio\n  - packages/quiz_sounds\n');
      for (const p of ['apps/radio', 'packages/radio_audio']) fs.appendFileSync(path.join(d, p, 'pubspec.yaml'), '\nresolution: workspace\n');
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'ios/background-audio-mode-missing')).toEqual([`${RADIO_AUDIO}:5`]);
    expect(locationsOf(findings, 'flutter/audio-service-activity-missing')).toEqual([`${RADIO_MANIFEST}:7`]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('near miss: without a workspace, a dependency that merely shares a local package name is a hosted package', async () => {
    const dir = copy((d) => fs.rmSync(path.join(d, 'melos.yaml')));
    const { findings, raw } = await doctorJson(dir);
    expect(findings.filter((f) => f.file.startsWith('apps/radio'))).toEqual([]);
    // radio_audio, no longer anybody's local package, is still not an app: no native folders, no lib/main.dart.
    expect(raw.apps.filter((a: any) => a.platform === 'flutter').map((a: any) => a.path)).toEqual(['apps/quiz', 'apps/radio']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a path dependency links the package without any workspace', async () => {
    const dir = copy((d) => {
      fs.rmSync(path.join(d, 'melos.yaml'));
      const spec = path.join(d, 'apps/radio/pubspec.yaml');
      fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('radio_audio: ^0.1.0', 'radio_audio:\n    path: ../../packages/radio_audio'));
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'flutter/audio-service-activity-missing')).toEqual([`${RADIO_MANIFEST}:7`]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('a Flutter app with a macos/ Runner', () => {
  it('the Dart facts go to the iOS Runner only, not to the macOS one (whose Info.plist has no UIBackgroundModes)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-macos-'));
    fs.cpSync(path.join(FIXTURES, 'flutter/podcast-fixed'), dir, { recursive: true });
    fs.cpSync(path.join(dir, 'ios'), path.join(dir, 'macos'), { recursive: true });
    const plist = path.join(dir, 'macos/Runner/Info.plist');
    fs.writeFileSync(plist, fs.readFileSync(plist, 'utf8').replace(/<key>UIBackgroundModes<\/key>\s*<array>[\s\S]*?<\/array>/, ''));
    const { findings, raw } = await doctorJson(dir);
    expect(raw.apps.filter((a: any) => a.platform === 'ios').map((a: any) => a.path)).toContain('macos/Runner');
    expect(findings).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('a package that depends on the app itself (integration tests, tooling)', () => {
  it('does not turn the app into a library: the app keeps its findings, and the harness adds none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-harness-'));
    fs.cpSync(path.join(FIXTURES, 'flutter/podcast-broken'), dir, { recursive: true });
    fs.mkdirSync(path.join(dir, 'e2e/lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'e2e/pubspec.yaml'), 'name: pod_e2e\npublish_to: none\ndependencies:\n  flutter:\n    sdk: flutter\n  pod_player:\n    path: ../\n');
    fs.writeFileSync(path.join(dir, 'e2e/lib/main.dart'), "import 'package:pod_player/main.dart' as app;\n\nvoid main() => app.main();\n");
    const { findings, raw } = await doctorJson(dir);
    expect(raw.apps.filter((a: any) => a.platform === 'flutter').map((a: any) => a.path)).toContain('.');
    expect(locationsOf(findings, 'flutter/audio-service-activity-missing')).toEqual(['android/app/src/main/AndroidManifest.xml:7']);
    expect(findings.filter((f) => f.file.startsWith('e2e/'))).toEqual([]);
    expect(findings).toHaveLength(7);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
