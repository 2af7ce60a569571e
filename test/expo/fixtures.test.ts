// React Native / Expo apps end to end: each rule's trigger and near miss, with exact file:line.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorJson, FIXTURES, locationsOf, type JsonFinding } from '../support/cli.js';

const BG = 'expo/background-audio-mode-missing';
const ANDROID = 'expo/android-media-playback-missing';
const SILENT = 'expo/silent-mode-required';
const UNRESOLVED = 'expo/config-unresolved';
const find = (findings: JsonFinding[], rule: string) => findings.find((f) => f.ruleId === rule)!;

describe('managed Expo, app.json: the same config with an old and a new expo-audio', () => {
  it('expo-audio 1.1.1 (installed): its plugin does not add `audio`, reported at the `ios` line of app.json', async () => {
    const { findings, raw } = await doctorJson('expo/managed-old-plugin');
    expect(raw.apps).toEqual([{ platform: 'expo', name: 'podcast-lite', path: '.' }]);
    expect(locationsOf(findings, BG)).toEqual(['app.json:6']);
    const f = find(findings, BG);
    expect(f.severity).toBe('error');
    expect(f.message).toContain('`shouldPlayInBackground: true`');
    expect(f.message).toContain('expo-audio 1.1.1 (installed)');
    expect(f.message).toContain('55.0.6');
    expect(f.fix).toContain('"UIBackgroundModes": ["audio"]');
    // 1.1.1's own AndroidManifest.xml declares AudioControlsService and both permissions.
    expect(locationsOf(findings, ANDROID)).toEqual([]);
    expect(findings).toHaveLength(1);
  });

  it('expo-audio 56.0.0 (installed): enableBackgroundPlayback defaults to true, so the same app is clean', async () => {
    const { findings, code } = await doctorJson('expo/managed-new-plugin');
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('an inline suppression in app.json (a JSON comment) silences the finding', async () => {
    const dir = copyFixture('expo/managed-old-plugin');
    const appJson = path.join(dir, 'app.json');
    const text = fs.readFileSync(appJson, 'utf8').replace('    "ios": {', '    // audiobg-ignore-next-line expo/background-audio-mode-missing -- set by our CI prebuild step\n    "ios": {');
    fs.writeFileSync(appJson, text);
    const { findings, raw } = await doctorJson(dir);
    expect(findings).toEqual([]);
    expect(raw.summary.suppressed).toBe(1);
  });
});

describe('managed Expo, app.config.ts as a function of ({ config })', () => {
  it('reports at the plugin option that turns background playback off, for iOS and Android', async () => {
    const { findings } = await doctorJson('expo/dynamic-config-ts');
    expect(locationsOf(findings, BG)).toEqual(['app.config.ts:5']);
    expect(locationsOf(findings, ANDROID)).toEqual(['app.config.ts:5']);
    expect(find(findings, BG).message).toContain('`enableBackgroundPlayback: false` turns it off');
    // UIBackgroundModes comes from app.json through `...config.ios?.infoPlist`: the message names that file.
    expect(find(findings, BG).message).toContain('ios.infoPlist.UIBackgroundModes in app.json');
    expect(find(findings, ANDROID).message).toContain('the expo-audio playback service');
  });

  it('expo/silent-mode-required: only the call without playsInSilentMode, not the one with it nor comments and strings', async () => {
    const { findings } = await doctorJson('expo/dynamic-config-ts');
    // src/stream.ts sets playsInSilentMode: true through a constant; src/help.ts only mentions the call in a comment and a string.
    expect(locationsOf(findings, SILENT)).toEqual(['src/jingles.ts:6']);
    expect(find(findings, SILENT).fix).toContain('playsInSilentMode: true');
    expect(locationsOf(findings, UNRESOLVED)).toEqual([]);
  });
});

describe('bare React Native with react-native-track-player', () => {
  it('4.1.2: the service comes from the library manifest, so Android is clean; iOS lacks `audio` in the Info.plist', async () => {
    const { findings, raw } = await doctorJson('expo/bare-rntp');
    expect(raw.apps.map((a: { platform: string }) => a.platform)).toEqual(['ios', 'android', 'expo']);
    expect(locationsOf(findings, BG)).toEqual(['ios/Podcast/Info.plist:9']);
    expect(locationsOf(findings, ANDROID)).toEqual([]);
    // The native Android rules judge the merged manifest, library included.
    expect(findings.filter((f) => f.ruleId.startsWith('android/'))).toEqual([]);
  });

  it('ios/category-option-invalid and ios/now-playing-mixable report at the JS option', async () => {
    const { findings } = await doctorJson('expo/bare-rntp');
    expect(locationsOf(findings, 'ios/category-option-invalid')).toEqual(['src/player.ts:6']);
    const invalid = find(findings, 'ios/category-option-invalid');
    expect(invalid.message).toContain("'allowAirPlay' in iosCategoryOptions is not valid with 'playback', the category TrackPlayer.setupPlayer uses when none is given");
    expect(invalid.fix).toContain("only be set explicitly with 'playAndRecord'");
    expect(locationsOf(findings, 'ios/now-playing-mixable')).toEqual(['src/player.ts:7']);
    expect(locationsOf(findings, 'expo/track-player-ios-options-ignored')).toEqual(['src/player.ts:12']);
  });

  it('a patch-package patch of react-native-track-player: no updateOptions finding, a note on the patch instead', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-rntp-patch-'));
    try {
      fs.cpSync(path.join(FIXTURES, 'expo/bare-rntp'), dir, { recursive: true });
      fs.mkdirSync(path.join(dir, 'patches'));
      // The patch's content is never read as code; its name says which library the app changed.
      fs.writeFileSync(path.join(dir, 'patches/react-native-track-player+4.1.1.patch'), 'diff --git a/x b/x\n');
      const { findings } = await doctorJson(dir);
      expect(locationsOf(findings, 'expo/track-player-ios-options-ignored')).toEqual([]);
      expect(locationsOf(findings, UNRESOLVED)).toEqual(['patches/react-native-track-player+4.1.1.patch:1']);
      expect(find(findings, UNRESOLVED).message).toContain('the app patches it with patch-package');
      // Checks about the app's own options still run.
      expect(locationsOf(findings, 'ios/category-option-invalid')).toEqual(['src/player.ts:6']);

      // Near miss: a patch of an unrelated library changes nothing.
      fs.renameSync(path.join(dir, 'patches/react-native-track-player+4.1.1.patch'), path.join(dir, 'patches/@acme+charts+2.0.0.patch'));
      const other = await doctorJson(dir);
      expect(locationsOf(other.findings, 'expo/track-player-ios-options-ignored')).toEqual(['src/player.ts:12']);
      expect(locationsOf(other.findings, UNRESOLVED)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('3.2.0: MusicService has no mediaPlayback type and FOREGROUND_SERVICE_MEDIA_PLAYBACK is missing at targetSdk 34', async () => {
    const { findings } = await doctorJson('expo/bare-rntp-old');
    expect(locationsOf(findings, ANDROID)).toEqual(['android/app/src/main/AndroidManifest.xml:1']);
    const f = find(findings, ANDROID);
    expect(f.message).toContain('`MusicService`');
    expect(f.message).toContain('FOREGROUND_SERVICE_MEDIA_PLAYBACK');
    expect(f.message).toContain('react-native-track-player 3.2.0 (installed)');
    // Near misses: `audio` is in the Info.plist; PlayAndRecord accepts AllowAirPlay and DefaultToSpeaker;
    // updateOptions gets only Android options.
    expect(locationsOf(findings, BG)).toEqual([]);
    expect(locationsOf(findings, 'ios/category-option-invalid')).toEqual([]);
    expect(locationsOf(findings, 'expo/track-player-ios-options-ignored')).toEqual([]);
    expect(findings).toHaveLength(1);
  });
});

describe('expo-av', () => {
  it('staysActiveInBackground with playsInSilentModeIOS: false is flagged; the call with true is not', async () => {
    const { findings } = await doctorJson('expo/expo-av-app');
    expect(locationsOf(findings, SILENT)).toEqual(['src/audio.js:6']);
    expect(find(findings, SILENT).fix).toBe('Set `playsInSilentModeIOS: true` here.');
    // app.json declares `audio`: no iOS finding.
    expect(locationsOf(findings, BG)).toEqual([]);
  });

  it('has no Android playback service in any version: reported at the JS call', async () => {
    const { findings } = await doctorJson('expo/expo-av-app');
    expect(locationsOf(findings, ANDROID)).toEqual(['src/audio.js:5']);
    expect(find(findings, ANDROID).fix).toContain('expo-audio');
  });
});

describe('a bare app whose track player version cannot be known', () => {
  it('a git dependency, not installed: no Android service verdict, an info note at package.json instead', async () => {
    const { findings } = await doctorJson('expo/bare-rntp-git-fork');
    expect(locationsOf(findings, ANDROID)).toEqual([]);
    expect(locationsOf(findings, UNRESOLVED)).toEqual(['package.json:8']);
    expect(find(findings, UNRESOLVED).message).toContain('github:example-audio/track-player-fork#car-support');
    expect(findings).toHaveLength(1);
  });

  it('near miss: a declared version range (2.x, not installed) is judged by what that version publishes', async () => {
    const { findings } = await doctorJson('expo/bare-rntp-declared-v2');
    expect(locationsOf(findings, ANDROID)).toEqual(['android/app/src/main/AndroidManifest.xml:1']);
    expect(locationsOf(findings, UNRESOLVED)).toEqual([]);
  });
});

describe('app config `platforms`', () => {
  it('an app listed for iOS only gets no Android checks: prebuild never generates an Android project', async () => {
    const { findings } = await doctorJson('expo/platforms-ios-only');
    expect(locationsOf(findings, ANDROID)).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('near miss: the same app listing android as well is checked for its playback service', async () => {
    const { findings } = await doctorJson('expo/platforms-both');
    expect(locationsOf(findings, ANDROID)).toEqual(['src/radio.js:5']);
  });
});

describe('shared iOS rules on JS configurations', () => {
  it('ios/ptt-mix-with-others: the default interruptionMode in a Push to Talk app, not the doNotMix call', async () => {
    const { findings } = await doctorJson('expo/ptt-walkie');
    expect(locationsOf(findings, 'ios/ptt-mix-with-others')).toEqual(['src/channel.ts:4']);
    expect(find(findings, 'ios/ptt-mix-with-others').message).toContain('without `interruptionMode` (its default is mixWithOthers)');
    expect(findings).toHaveLength(1);
  });

  it('ios/now-playing-mixable: lock-screen controls with mixWithOthers; not the ambient preview mode', async () => {
    const { findings } = await doctorJson('expo/lock-screen-mixable');
    expect(locationsOf(findings, 'ios/now-playing-mixable')).toEqual(['src/book-player.tsx:10']);
    expect(findings).toHaveLength(1);
  });
});

describe('plugins that remove the mode, generated folders, values that cannot be read', () => {
  it('expo-video 2.2.3 removes `audio` when supportsPictureInPicture is false: reported at that option', async () => {
    const { findings } = await doctorJson('expo/video-pip-removes');
    expect(locationsOf(findings, BG)).toEqual(['app.json:14']);
    expect(find(findings, BG).message).toContain('`p.staysActiveInBackground = true`');
    // expo-video 2.2.3's own manifest declares its mediaPlayback service and both permissions.
    expect(locationsOf(findings, ANDROID)).toEqual([]);
  });

  it('a native finding in a generated ios/ folder is reported at the app.json value that produces it', async () => {
    const { findings } = await doctorJson('expo/prebuild-generated');
    expect(locationsOf(findings, 'ios/background-mode-unknown')).toEqual(['app.json:8']);
    const f = find(findings, 'ios/background-mode-unknown');
    expect(f.column).toBe(40);
    expect(f.message).toContain('`expo prebuild`');
    expect(f.message).toContain('overwrites hand edits');
    expect(f.fix).toContain('expo.ios.infoPlist in app.json');
    expect(findings).toHaveLength(1);
  });

  it('a value behind process.env is reported as unresolved, and the rule that needs it does not guess', async () => {
    const { findings } = await doctorJson('expo/unresolved-config');
    expect(locationsOf(findings, UNRESOLVED)).toEqual(['app.config.js:9']);
    expect(find(findings, UNRESOLVED).severity).toBe('info');
    expect(find(findings, UNRESOLVED).message).toContain('IS_STORE_BUILD');
    expect(locationsOf(findings, BG)).toEqual([]);
    // android.permissions is literal: the Android check runs and react-native-track-player 4.1.2 (declared, not installed) brings its service.
    expect(locationsOf(findings, ANDROID)).toEqual([]);
  });

  it('a version range that spans a behaviour change, without node_modules, is unresolved rather than guessed', async () => {
    const dir = copyFixture('expo/managed-new-plugin');
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true });
    const pkg = path.join(dir, 'package.json');
    fs.writeFileSync(pkg, fs.readFileSync(pkg, 'utf8').replace('"expo-audio": "~56.0.0"', '"expo-audio": "^55.0.0"'));
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, BG)).toEqual([]);
    expect(locationsOf(findings, UNRESOLVED)).toEqual(['package.json:7']);
    expect(find(findings, UNRESOLVED).message).toContain('"^55.0.0"');
  });

  it('a pinned range without node_modules uses the behaviour of the versions it allows', async () => {
    const dir = copyFixture('expo/managed-old-plugin');
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true });
    const { findings } = await doctorJson(dir);
    // "~1.1.1" allows 1.1.x only: the plugin never adds `audio`; the published manifest brings the service.
    expect(locationsOf(findings, BG)).toEqual(['app.json:6']);
    expect(find(findings, BG).message).toContain('expo-audio ~1.1.1 (declared in package.json; not installed)');
    expect(locationsOf(findings, ANDROID)).toEqual([]);
  });
});

// ---- helpers ----

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function copyFixture(rel: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-expo-'));
  tmpDirs.push(dir);
  fs.cpSync(path.join(FIXTURES, rel), dir, { recursive: true });
  return dir;
}
