// Flutter apps end to end: the Dart facts feed the iOS and Android rules, and the flutter/* rules
// fire at the Dart / manifest line; each fixture has a near miss beside it that must stay clean.

import { describe, expect, it } from 'vitest';
import { doctorJson, locationsOf, runCli, FIXTURES } from '../support/cli.js';
import path from 'node:path';

const MAIN = 'lib/main.dart';
const MANIFEST = 'android/app/src/main/AndroidManifest.xml';

describe('audio_service app with every mistake (podcast-broken)', () => {
  it('reports the iOS rules at the Dart lines, with the Runner Info.plist as related location', async () => {
    const { findings, raw } = await doctorJson('flutter/podcast-broken');
    expect(raw.apps).toContainEqual({ platform: 'flutter', name: 'pod_player', path: '.' });
    expect(locationsOf(findings, 'ios/background-audio-mode-missing')).toEqual([`${MAIN}:13`]);
    const bg = findings.find((f) => f.ruleId === 'ios/background-audio-mode-missing')!;
    expect(bg.severity).toBe('error');
    expect((bg as any).related.map((r: any) => r.file)).toContain('ios/Runner/Info.plist');
    expect(locationsOf(findings, 'ios/category-option-invalid')).toEqual([`${MAIN}:16`]);
    expect(findings.find((f) => f.ruleId === 'ios/category-option-invalid')!.message).toContain('AVAudioSessionCategoryOptions.allowAirPlay is not valid with AVAudioSessionCategory.playback');
    expect(locationsOf(findings, 'ios/now-playing-mixable')).toEqual([`${MAIN}:16`]);
  });

  it('reports the flutter/* rules with their files and lines; comments and strings naming the APIs do not count', async () => {
    const { findings } = await doctorJson('flutter/podcast-broken');
    // androidStopForegroundOnPause comes from a top-level const (kStopOnPause = false).
    expect(locationsOf(findings, 'flutter/audio-service-config-invalid')).toEqual([`${MAIN}:22`]);
    expect(locationsOf(findings, 'flutter/audio-service-activity-missing')).toEqual([`${MANIFEST}:7`]);
    expect(locationsOf(findings, 'flutter/audio-service-not-declared')).toEqual([`${MANIFEST}:1`, `${MANIFEST}:1`]);
    const messages = findings.filter((f) => f.ruleId === 'flutter/audio-service-not-declared').map((f) => f.message);
    expect(messages.some((m) => m.includes('<service android:name="com.ryanheise.audioservice.AudioService">'))).toBe(true);
    expect(messages.some((m) => m.includes('MediaButtonReceiver'))).toBe(true);
    // The comment on line 6 and the string on line 31 mention the APIs and produce nothing there.
    expect(findings.filter((f) => f.file === MAIN && (f.line === 6 || f.line === 31))).toEqual([]);
    expect(findings).toHaveLength(7);
  });

  it('every output format carries the Dart location', async () => {
    const dir = path.join(FIXTURES, 'flutter/podcast-broken');
    const gh = await runCli(['doctor', dir, '--format', 'github']);
    expect(gh.stdout).toContain('file=lib/main.dart,line=22');
    const sarif = JSON.parse((await runCli(['doctor', dir, '--format', 'sarif'])).stdout);
    const locs = sarif.runs[0].results.map((r: any) => `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`);
    expect(locs).toContain('lib/main.dart:13');
    const pretty = await runCli(['doctor', dir]);
    expect(pretty.stdout).toContain('flutter pod_player');
  });
});

describe('near miss: the same app set up as the packages document (podcast-fixed)', () => {
  it('is clean', async () => {
    const { findings, code } = await doctorJson('flutter/podcast-fixed');
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('the AudioService <service> declared without type or permissions (service-no-type)', () => {
  it('the Android rules know the plugin class: type, FOREGROUND_SERVICE and WAKE_LOCK', async () => {
    const { findings } = await doctorJson('flutter/service-no-type');
    expect(locationsOf(findings, 'android/service-type-missing')).toEqual([`${MANIFEST}:16`]);
    expect(locationsOf(findings, 'android/foreground-service-permission-missing')).toEqual([`${MANIFEST}:1`]);
    expect(locationsOf(findings, 'android/wake-lock-permission-missing')).toEqual([`${MANIFEST}:16`]);
    // At the assumed targetSdk 36 the playback service also needs FOREGROUND_SERVICE_MEDIA_PLAYBACK.
    expect(locationsOf(findings, 'android/media-playback-permission-missing')).toEqual([`${MANIFEST}:1`]);
    // flutter.targetSdkVersion cannot be read: the newest level is assumed and the message says so.
    expect(findings.find((f) => f.ruleId === 'android/service-type-missing')!.message).toContain('targetSdk could not be resolved; assuming 36');
    expect(findings).toHaveLength(4);
  });
});

describe('just_audio_background', () => {
  it('init after runApp and not awaited: reported at the init call (jab-late)', async () => {
    const { findings } = await doctorJson('flutter/jab-late');
    expect(locationsOf(findings, 'flutter/background-init-missing')).toEqual([`${MAIN}:8`]);
    expect(findings).toHaveLength(1);
  });

  it('near miss: awaited before runApp (jab-ok)', async () => {
    const { findings } = await doctorJson('flutter/jab-ok');
    expect(findings).toEqual([]);
  });
});

describe('bad input', () => {
  it('a malformed pubspec.yaml is a parse error at its line, and the native apps are still checked', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-'));
    fs.cpSync(path.join(FIXTURES, 'flutter/podcast-broken'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'pubspec.yaml'), 'name: pod_player\ndependencies:\n  flutter: [sdk: flutter\n');
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'audiobg/parse-error').map((l) => l.split(':')[0])).toContain('pubspec.yaml');
    // The Runner and the Android app are still checked as native apps (no Dart facts without a pubspec).
    expect(findings.some((f) => f.ruleId.startsWith('flutter/'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('just_audio sources without a MediaItem tag (jab-untagged)', () => {
  it('reports untagged and string-tagged sources and setUrl without tag, at their lines', async () => {
    const { findings } = await doctorJson('flutter/jab-untagged');
    expect(locationsOf(findings, 'flutter/media-item-tag-missing')).toEqual(['lib/playlist.dart:11', 'lib/playlist.dart:16', 'lib/playlist.dart:22']);
    expect(findings.find((f) => f.line === 22)!.message).toContain('tagged with a string');
    // The comment (line 4), the string (line 5), tagged sources and a tagged clip's child (lines 27-36) are clean.
    expect(findings).toHaveLength(3);
  });

  it('near miss: the same code in an app without just_audio_background (just-audio-plain)', async () => {
    const { findings } = await doctorJson('flutter/just-audio-plain');
    expect(findings).toEqual([]);
  });
});

describe('regressions from real apps', () => {
  const tmpCopy = async (fixture: string, edit: (dir: string) => void) => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-reg-'));
    fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
    edit(dir);
    return { dir, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
  };

  it('a stray MainActivity.java without the app package does not hide the real MainActivity.kt (audio_service#937)', async () => {
    const fs = await import('node:fs');
    const { dir, done } = await tmpCopy('flutter/podcast-broken', (d) => {
      const java = path.join(d, 'android/app/src/main/java/com/example/podcast');
      fs.mkdirSync(java, { recursive: true });
      fs.writeFileSync(path.join(java, 'MainActivity.java'), 'import com.ryanheise.audioservice.AudioServiceFragmentActivity;\nclass MainActivity extends AudioServiceFragmentActivity {\n}\n');
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'flutter/audio-service-activity-missing')).toEqual([`${MANIFEST}:7`]);
    done();
  });

  it('near miss: just_audio_background listed but unused (the app runs its own AudioService handler)', async () => {
    const fs = await import('node:fs');
    const { dir, done } = await tmpCopy('flutter/jab-untagged', (d) => {
      fs.writeFileSync(
        path.join(d, 'lib/main.dart'),
        "import 'package:audio_service/audio_service.dart';\nimport 'package:flutter/material.dart';\n\nFuture<void> main() async {\n  await AudioService.init(builder: () => BaseAudioHandler(), config: const AudioServiceConfig());\n  runApp(const Placeholder());\n}\n",
      );
    });
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'flutter/media-item-tag-missing')).toEqual([]);
    expect(locationsOf(findings, 'flutter/background-init-missing')).toEqual([]);
    done();
  });
});

describe('flutter_sound 8 openAudioSession with an explicit category (flutter-sound-player)', () => {
  it('feeds the Runner: background-audio-mode-missing at the Dart call; the recorder without category and the comment/string do not count', async () => {
    const { findings } = await doctorJson('flutter/flutter-sound-player');
    expect(locationsOf(findings, 'ios/background-audio-mode-missing')).toEqual(['lib/main.dart:10']);
    expect(findings.find((f) => f.ruleId === 'ios/background-audio-mode-missing')!.message).toContain('AVAudioSessionCategory.playback');
    expect(findings).toHaveLength(1);
  });

  it('near miss: the same app with the audio background mode is clean', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-sound-'));
    fs.cpSync(path.join(FIXTURES, 'flutter/flutter-sound-player'), dir, { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'flutter/podcast-fixed/ios/Runner/Info.plist'), path.join(dir, 'ios/Runner/Info.plist'));
    const { findings } = await doctorJson(dir);
    expect(findings).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('audio_service 0.17 API (audio-service-017)', () => {
  it('AudioService.start / AudioServiceBackground.setMediaItem count as Now Playing use: clean', async () => {
    const { findings } = await doctorJson('flutter/audio-service-017');
    expect(findings).toEqual([]);
  });

  it('near miss: without them, the music() session has no Now Playing controls (now-playing-missing at the Dart line)', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-017-'));
    fs.cpSync(path.join(FIXTURES, 'flutter/audio-service-017'), dir, { recursive: true });
    const main = path.join(dir, 'lib/main.dart');
    fs.writeFileSync(
      main,
      fs
        .readFileSync(main, 'utf8')
        .replace('await AudioService.start(backgroundTaskEntrypoint: _entrypoint);', 'await _player0.play();')
        .replace("    await AudioServiceBackground.setMediaItem(const MediaItem(id: 'live', album: 'Radio', title: 'Live'));\n", ''),
    );
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'ios/now-playing-missing')).toEqual(['lib/main.dart:20']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the category set from Dart feeds ios/ambient-category', () => {
  it('AVAudioSessionCategory.ambient in an app that declares background audio is reported at the Dart line; .playback is not', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-flutter-ambient-'));
    try {
      fs.cpSync(path.join(FIXTURES, 'flutter/podcast-fixed'), dir, { recursive: true });
      const main = path.join(dir, MAIN);
      const text = fs.readFileSync(main, 'utf8');
      const line = text.split('\n').findIndex((l) => l.includes('AVAudioSessionCategory.playback')) + 1;
      expect(line).toBeGreaterThan(0);
      // Near miss first: the fixture as it is (playback) reports no category problem.
      const clean = await doctorJson(dir);
      expect(locationsOf(clean.findings, 'ios/ambient-category')).toEqual([]);

      fs.writeFileSync(main, text.replace('AVAudioSessionCategory.playback', 'AVAudioSessionCategory.ambient'));
      const { findings } = await doctorJson(dir);
      expect(locationsOf(findings, 'ios/ambient-category')).toEqual([`${MAIN}:${line}`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
