// flutter.targetSdkVersion / flutter.compileSdkVersion resolved from the Flutter version a project
// pins; an unpinned project keeps the newest Flutter's default and the message says why.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorJson, FIXTURES, locationsOf } from '../support/cli.js';
import { flutterSdkDefaults, NEWEST_FLUTTER_DEFAULTS } from '../../src/facts/flutter/sdk-levels.js';

const MANIFEST = 'android/app/src/main/AndroidManifest.xml';

describe('Flutter SDK defaults table', () => {
  it('maps a Flutter version to the FlutterExtension defaults of its release', () => {
    expect(flutterSdkDefaults('2.5.3')).toBeNull();
    expect(flutterSdkDefaults('2.10.5')).toMatchObject({ compileSdk: 31, targetSdk: 31, minSdk: 16 });
    expect(flutterSdkDefaults('3.19.6')).toMatchObject({ compileSdk: 34, targetSdk: 33 });
    expect(flutterSdkDefaults('3.22.0')).toMatchObject({ targetSdk: 34, minSdk: 21 });
    expect(flutterSdkDefaults('3.27.1')).toMatchObject({ compileSdk: 35, targetSdk: 35 });
    expect(flutterSdkDefaults('3.41.0')).toEqual(NEWEST_FLUTTER_DEFAULTS);
  });
});

describe('flutter.targetSdkVersion in android/app/build.gradle', () => {
  it('.fvmrc pins Flutter 3.19: targetSdk 33, so the targetSdk-34 rules stay silent (sdk-pinned-old)', async () => {
    const { findings } = await doctorJson('flutter/sdk-pinned-old');
    expect(locationsOf(findings, 'android/foreground-service-permission-missing')).toEqual([`${MANIFEST}:1`]);
    expect(locationsOf(findings, 'android/wake-lock-permission-missing')).toEqual([`${MANIFEST}:16`]);
    expect(findings.find((f) => f.ruleId === 'android/foreground-service-permission-missing')!.message).toContain('(targetSdk 33)');
    expect(locationsOf(findings, 'android/service-type-missing')).toEqual([]);
    expect(locationsOf(findings, 'android/media-playback-permission-missing')).toEqual([]);
    expect(findings).toHaveLength(2);
  });

  it('.fvm/fvm_config.json pins Flutter 3.24: targetSdk 34 is known, no assumption note (sdk-pinned-new)', async () => {
    const { findings } = await doctorJson('flutter/sdk-pinned-new');
    expect(locationsOf(findings, 'android/service-type-missing')).toEqual([`${MANIFEST}:16`]);
    expect(locationsOf(findings, 'android/media-playback-permission-missing')).toEqual([`${MANIFEST}:1`]);
    const msg = findings.find((f) => f.ruleId === 'android/service-type-missing')!.message;
    expect(msg).toContain('at targetSdk 34');
    expect(msg).not.toContain('could not be resolved');
    expect(findings).toHaveLength(4);
  });

  it('not pinned: the newest default is assumed and the message names the pubspec minimum (service-no-type)', async () => {
    const { findings } = await doctorJson('flutter/service-no-type');
    const msg = findings.find((f) => f.ruleId === 'android/service-type-missing')!.message;
    expect(msg).toContain(`assuming ${NEWEST_FLUTTER_DEFAULTS.targetSdk}: it is flutter.targetSdkVersion`);
    expect(msg).toContain('pubspec.yaml (environment: flutter: ">=3.19.0") only sets a minimum, Flutter 3.19.0, whose default is 33');
  });

  function copyWith(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-sdk-'));
    fs.cpSync(path.join(FIXTURES, 'flutter/service-no-type'), dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  it('.flutter-version and asdf .tool-versions pin the version too; a channel name does not', async () => {
    for (const [files, sdk] of [
      [{ '.flutter-version': '3.16.9\n' }, 33],
      [{ '.tool-versions': 'nodejs 20.1.0\nflutter 3.27.4-stable\n' }, 35],
      [{ '.fvmrc': '{"flutter": "stable"}' }, null],
    ] as const) {
      const dir = copyWith(files);
      const { findings } = await doctorJson(dir);
      const msg = findings.find((f) => f.ruleId === 'android/foreground-service-permission-missing')!.message;
      if (sdk === null) expect(msg).toContain('could not be resolved');
      else expect(msg).toContain(`(targetSdk ${sdk})`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a malformed .fvmrc is a parse warning, and the app is still checked with the assumed level', async () => {
    const dir = copyWith({ '.fvmrc': '{"flutter": ' });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'audiobg/parse-error')).toEqual(['.fvmrc:1']);
    expect(locationsOf(findings, 'android/service-type-missing')).toEqual([`${MANIFEST}:16`]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a .fvmrc in the monorepo folder above the app pins it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-mono-'));
    fs.cpSync(path.join(FIXTURES, 'flutter/service-no-type'), path.join(root, 'apps/player'), { recursive: true });
    fs.writeFileSync(path.join(root, '.fvmrc'), '{"flutter": "3.19.6"}\n');
    const { findings } = await doctorJson(root);
    expect(findings.find((f) => f.ruleId === 'android/foreground-service-permission-missing')!.message).toContain('(targetSdk 33)');
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('Flutter SDK as a git submodule', () => {
  it('says the version is a submodule commit; a .gitmodules without flutter/flutter changes nothing', async () => {
    for (const [gitmodules, expected] of [
      ['[submodule ".flutter"]\n\tpath = .flutter\n\turl = https://github.com/flutter/flutter.git\n', 'the Flutter SDK is the git submodule .flutter'],
      ['[submodule "assets"]\n\tpath = assets\n\turl = https://github.com/example/flutter-assets.git\n', 'no .fvmrc'],
    ]) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-sub-'));
      fs.cpSync(path.join(FIXTURES, 'flutter/service-no-type'), dir, { recursive: true });
      fs.writeFileSync(path.join(dir, '.gitmodules'), gitmodules);
      const { findings } = await doctorJson(dir);
      expect(findings.find((f) => f.ruleId === 'android/service-type-missing')!.message).toContain(expected);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
