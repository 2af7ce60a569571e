// `audiobg add` on fixture projects: what it writes, what it patches (and nothing else, byte for
// byte), and that a second run changes nothing.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { doctorJson, FIXTURES, runCli } from '../support/cli.js';
import { parseXml } from '../../src/parse/xml.js';
import { parsePbxproj } from '../../src/parse/pbxproj.js';
import { snapshot } from '../support/fixture-copies.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-add-'));
  temps.push(dir);
  fs.cpSync(path.join(FIXTURES, 'add', name), dir, { recursive: true });
  return dir;
}

/** The original must be the patched text with the added lines taken out: nothing else moved. */
function expectOnlyAddedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const added: string[] = [];
  let i = 0;
  for (const line of b) {
    if (i < a.length && line === a[i]) i++;
    else added.push(line);
  }
  expect(i).toBe(a.length);
  return added;
}

function changedFiles(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => !before.get(n)?.equals(after.get(n) ?? Buffer.alloc(0)) || !after.has(n)).sort();
}

describe('audiobg add playback-service on an Xcode 16 project with synchronized folders', () => {
  it('writes the service into the synchronized folder, patches Info.plist and leaves project.pbxproj alone', async () => {
    const dir = copyFixture('ios-synced');
    const before = snapshot(dir);
    const run = await runCli(['add', 'playback-service', '--into', dir]);
    expect(run.code).toBe(0);
    const after = snapshot(dir);
    expect(changedFiles(before, after)).toEqual(['Podcast/AudioPlaybackService.swift', 'Podcast/Info.plist']);
    const added = expectOnlyAddedLines(before.get('Podcast/Info.plist')!.toString(), after.get('Podcast/Info.plist')!.toString());
    expect(added).toEqual(['\t<key>UIBackgroundModes</key>', '\t<array>', '\t\t<string>audio</string>', '\t</array>']);
    // The service is the template's (the same reference implementation init writes), rendered
    // with the target's own bundle id.
    const template = fs.readFileSync(path.join(FIXTURES, '../templates/ios/playback/{{swiftTypeName}}/AudioPlaybackService.swift'), 'utf8');
    const written = after.get('Podcast/AudioPlaybackService.swift')!.toString();
    expect(written).toContain('Logger(subsystem: "com.example.podcast"');
    expect(written.split('\n').length).toBe(template.split('\n').length);
    expect(written).not.toContain('{{');
    // The background-mode finding that the fixture had is gone.
    const { findings } = await doctorJson(dir);
    expect(findings.filter((f) => f.ruleId === 'ios/background-audio-mode-missing')).toEqual([]);
  });

  it('changes nothing on a second run and says so', async () => {
    const dir = copyFixture('ios-synced');
    await runCli(['add', 'playback-service', '--into', dir]);
    const once = snapshot(dir);
    const again = await runCli(['add', 'playback-service', '--into', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
    expect(changedFiles(once, snapshot(dir))).toEqual([]);
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const dir = copyFixture('ios-synced');
    const before = snapshot(dir);
    const run = await runCli(['add', 'playback-service', '--into', dir, '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('+\t<key>UIBackgroundModes</key>');
    expect(run.stdout).toContain('create');
    expect(run.stdout).toContain('Nothing was written');
    expect(changedFiles(before, snapshot(dir))).toEqual([]);
  });

  it('ptt-service creates the entitlements and points every configuration of the app target at them', async () => {
    const dir = copyFixture('ios-synced');
    const before = snapshot(dir);
    const run = await runCli(['add', 'ptt-service', '--into', dir]);
    expect(run.code).toBe(0);
    const after = snapshot(dir);
    expect(changedFiles(before, after)).toEqual([
      'Podcast.xcodeproj/project.pbxproj',
      'Podcast/Info.plist',
      'Podcast/Podcast.entitlements',
      'Podcast/PushToTalkService.swift',
    ]);
    const pbx = after.get('Podcast.xcodeproj/project.pbxproj')!.toString();
    const added = expectOnlyAddedLines(before.get('Podcast.xcodeproj/project.pbxproj')!.toString(), pbx);
    expect(added).toEqual([
      // The entitlements file sits in the synchronized folder: excepted from the target's members,
      // in the sorted list, as Xcode itself writes it.
      '\t\t\t\tPodcast.entitlements,',
      '\t\t\t\tCODE_SIGN_ENTITLEMENTS = Podcast/Podcast.entitlements;',
      '\t\t\t\tCODE_SIGN_ENTITLEMENTS = Podcast/Podcast.entitlements;',
    ]);
    const lines = pbx.split('\n');
    const at = lines.indexOf('\t\t\t\tPodcast.entitlements,');
    expect(lines.slice(at - 1, at + 2)).toEqual(['\t\t\t\tInfo.plist,', '\t\t\t\tPodcast.entitlements,', '\t\t\t\tPreview/PreviewData.swift,']);
    // Build settings stay sorted by name, so Xcode does not rewrite the lines on opening.
    for (const [i, line] of lines.entries()) {
      if (!line.includes('CODE_SIGN_ENTITLEMENTS')) continue;
      const key = (l: string) => l.trim().split(' ')[0]!;
      expect(key(lines[i - 1]!) < 'CODE_SIGN_ENTITLEMENTS').toBe(true);
      expect(key(lines[i + 1]!) > 'CODE_SIGN_ENTITLEMENTS' || lines[i + 1]!.trim() === '};').toBe(true);
    }
    expect(() => parsePbxproj(pbx)).not.toThrow();
    const ent = after.get('Podcast/Podcast.entitlements')!.toString();
    expect(ent).toContain('<key>com.apple.developer.push-to-talk</key>');
    expect(ent).toContain('<key>aps-environment</key>');
    const plist = after.get('Podcast/Info.plist')!.toString();
    expect(plist).toContain('<string>push-to-talk</string>');
    // The target sets INFOPLIST_KEY_NSMicrophoneUsageDescription, which Xcode merges: no second text.
    expect(plist).not.toContain('NSMicrophoneUsageDescription');
    expect(run.stdout).not.toContain('templates/');
    const { findings } = await doctorJson(dir);
    const ptt = findings.filter((f) => f.ruleId.startsWith('ios/ptt-') || f.ruleId === 'ios/microphone-usage-missing');
    expect(ptt).toEqual([]);
  });
});

describe('Push to Talk and self-activated playback in one target', () => {
  it('refuses a playback service in a Push to Talk target, naming where PushToTalk is used, and writes nothing', async () => {
    const dir = copyFixture('ios-synced');
    expect((await runCli(['add', 'ptt-service', '--into', dir])).code).toBe(0);
    const before = snapshot(dir);
    const run = await runCli(['add', 'playback-service', '--into', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/target Podcast is a Push to Talk app \(PushToTalk used at Podcast\/PushToTalkService\.swift:\d+\)/);
    expect(run.stderr).toContain('ios/ptt-manual-activation');
    expect(changedFiles(before, snapshot(dir))).toEqual([]);
  });

  it('refuses Push to Talk in a target that activates its session itself, naming the call', async () => {
    const dir = copyFixture('ios-groups');
    const before = snapshot(dir);
    const run = await runCli(['add', 'ptt-service', '--into', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('setActive(true) at Radio/Audio/Player.swift:11');
    expect(changedFiles(before, snapshot(dir))).toEqual([]);
  });

  it('near miss: a second ptt-service run into its own PTT target is fine', async () => {
    const dir = copyFixture('ios-synced');
    expect((await runCli(['add', 'ptt-service', '--into', dir])).code).toBe(0);
    const again = await runCli(['add', 'ptt-service', '--into', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to do');
  });
});

describe('audiobg add ptt-service without a microphone text in build settings', () => {
  it('writes NSMicrophoneUsageDescription into Info.plist', async () => {
    const dir = copyFixture('ios-synced');
    const pbxFile = path.join(dir, 'Podcast.xcodeproj/project.pbxproj');
    const pbxText = fs.readFileSync(pbxFile, 'utf8');
    const withoutMic = pbxText.split('\n').filter((l) => !l.includes('INFOPLIST_KEY_NSMicrophoneUsageDescription')).join('\n');
    expect(withoutMic).not.toBe(pbxText);
    fs.writeFileSync(pbxFile, withoutMic);
    expect((await runCli(['add', 'ptt-service', '--into', dir])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'Podcast/Info.plist'), 'utf8')).toContain('<key>NSMicrophoneUsageDescription</key>');
  });
});

describe('audiobg add playback-service on an Xcode project that lists its files', () => {
  it('adds the file to the group and the Sources phase, and audio to the Info.plist that lacks it', async () => {
    const dir = copyFixture('ios-groups');
    const before = snapshot(dir);
    const run = await runCli(['add', 'playback-service', '--into', dir]);
    expect(run.code).toBe(0);
    const after = snapshot(dir);
    expect(changedFiles(before, after)).toEqual(['Radio.xcodeproj/project.pbxproj', 'Radio/AudioPlaybackService.swift', 'Radio/Info-Release.plist']);
    const pbxBefore = before.get('Radio.xcodeproj/project.pbxproj')!.toString();
    const pbxAfter = after.get('Radio.xcodeproj/project.pbxproj')!.toString();
    const added = expectOnlyAddedLines(pbxBefore, pbxAfter);
    expect(added).toHaveLength(4);
    expect(added.filter((l) => l.includes('isa = PBXBuildFile'))).toHaveLength(1);
    expect(added.filter((l) => l.includes('isa = PBXFileReference') && l.includes('path = AudioPlaybackService.swift'))).toHaveLength(1);
    expect(added.filter((l) => /^\t\t\t\t[0-9A-F]{24} \/\* AudioPlaybackService\.swift( in Sources)? \*\/,$/.test(l))).toHaveLength(2);
    // New objects go where Xcode puts them: each section is sorted by object id.
    const section = (isa: string) => pbxAfter.split('\n').filter((l) => l.includes(`isa = ${isa};`)).map((l) => l.trim().slice(0, 24));
    for (const isa of ['PBXBuildFile', 'PBXFileReference']) expect(section(isa)).toEqual([...section(isa)].sort());
    // Info-Debug already declared audio; only Release changes.
    expect(expectOnlyAddedLines(before.get('Radio/Info-Release.plist')!.toString(), after.get('Radio/Info-Release.plist')!.toString())).toEqual([
      '\t\t<string>audio</string>',
    ]);
    // The doctor's own model now sees the service compiled into the Radio target.
    const { findings, raw } = await doctorJson(dir);
    expect(raw.apps.map((a: { name: string }) => a.name)).toContain('Radio');
    expect(findings.filter((f) => f.ruleId === 'ios/background-audio-mode-missing')).toEqual([]);

    const again = await runCli(['add', 'playback-service', '--into', dir]);
    expect(again.stdout).toContain('Nothing to do');
    expect(changedFiles(after, snapshot(dir))).toEqual([]);
  });
});

describe('audiobg add playback-service on a Gradle app module', () => {
  it('writes the Media3 service into the namespace package and patches manifest and build script only by adding lines', async () => {
    const dir = copyFixture('android-app');
    const before = snapshot(dir);
    const run = await runCli(['add', 'playback-service', '--into', dir]);
    expect(run.code).toBe(0);
    const after = snapshot(dir);
    expect(changedFiles(before, after)).toEqual([
      'app/build.gradle',
      'app/src/main/AndroidManifest.xml',
      'app/src/main/java/org/example/radio/PlaybackService.kt',
      // The fixture has no gradle.properties; Media3 needs AndroidX switched on.
      'gradle.properties',
    ]);
    expect(after.get('gradle.properties')!.toString()).toContain('android.useAndroidX=true\n');
    expect(after.get('app/src/main/java/org/example/radio/PlaybackService.kt')!.toString()).toMatch(/^package org\.example\.radio\n/);
    const manifestAdded = expectOnlyAddedLines(before.get('app/src/main/AndroidManifest.xml')!.toString(), after.get('app/src/main/AndroidManifest.xml')!.toString());
    expect(manifestAdded).toContain('\t<uses-permission android:name="android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK" />');
    expect(manifestAdded).toContain('\t\t\tandroid:foregroundServiceType="mediaPlayback">');
    // The manifest has no tools namespace, so no tools: attribute may be copied in.
    expect(manifestAdded.some((l) => l.includes('tools:'))).toBe(false);
    expect(() => parseXml(after.get('app/src/main/AndroidManifest.xml')!.toString())).not.toThrow();
    const gradleAdded = expectOnlyAddedLines(before.get('app/build.gradle')!.toString(), after.get('app/build.gradle')!.toString());
    expect(gradleAdded).toEqual([
      "    implementation 'androidx.media3:media3-exoplayer:1.11.0'",
      "    implementation 'androidx.media3:media3-session:1.11.0'",
    ]);
    const { findings } = await doctorJson(dir);
    expect(findings.filter((f) => f.ruleId.startsWith('android/'))).toEqual([]);

    const again = await runCli(['add', 'playback-service', '--into', dir]);
    expect(again.stdout).toContain('Nothing to do');
    expect(changedFiles(after, snapshot(dir))).toEqual([]);
  });

  it('keeps CRLF line endings in the files it patches', async () => {
    const dir = copyFixture('android-app');
    const manifest = path.join(dir, 'app/src/main/AndroidManifest.xml');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace(/\n/g, '\r\n'));
    expect((await runCli(['add', 'playback-service', '--into', dir, '--android-stack', 'platform'])).code).toBe(0);
    const text = fs.readFileSync(manifest, 'utf8');
    expect(text.split('\r\n').length - 1).toBe(text.split('\n').length - 1);
    expect(fs.existsSync(path.join(dir, 'app/src/main/res/raw/sample.wav'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'app/src/main/res/values/playback_strings.xml'))).toBe(true);
    // The framework-only stack needs no new Gradle dependency.
    expect(fs.readFileSync(path.join(dir, 'app/build.gradle'), 'utf8')).not.toContain('media3');
  });

  it('never overwrites a read-only manifest: exit 2, one line naming it, nothing written anywhere', async () => {
    const dir = copyFixture('android-app');
    const manifest = path.join(dir, 'app/src/main/AndroidManifest.xml');
    fs.chmodSync(manifest, 0o444);
    const before = snapshot(dir);
    for (const extra of [[], ['--force']]) {
      const run = await runCli(['add', 'playback-service', '--into', dir, ...extra]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('app/src/main/AndroidManifest.xml is read-only');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(changedFiles(before, snapshot(dir))).toEqual([]);
    }
  });

  it('patches a symlinked build script through the link and keeps it a link', async () => {
    const dir = copyFixture('android-app');
    const script = path.join(dir, 'app/build.gradle');
    fs.renameSync(script, path.join(dir, 'app/shared.gradle'));
    fs.symlinkSync('shared.gradle', script);
    expect((await runCli(['add', 'playback-service', '--into', dir])).code).toBe(0);
    expect(fs.lstatSync(script).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'app/shared.gradle'), 'utf8')).toContain('androidx.media3:media3-session');
  });

  it('refuses to add a second media service next to an existing one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-add-'));
    temps.push(dir);
    fs.cpSync(path.join(FIXTURES, 'examples/podcast-player/android'), dir, { recursive: true });
    const before = snapshot(dir);
    const run = await runCli(['add', 'playback-service', '--into', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('already has a media playback service, com.example.podcast.PodcastService');
    expect(changedFiles(before, snapshot(dir))).toEqual([]);
  });

  /** The android-app fixture with one more service class, declared without any intent filter. */
  function withService(className: string, source: string): string {
    const dir = copyFixture('android-app');
    fs.writeFileSync(path.join(dir, `app/src/main/java/org/example/radio/${className}.kt`), source);
    const manifest = path.join(dir, 'app/src/main/AndroidManifest.xml');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('\t</application>', `\t\t<service android:name=".${className}" android:exported="false"/>\n\t</application>`));
    return dir;
  }

  it('recognises an existing playback service by its class, not only by an intent filter', async () => {
    const browser = withService(
      'StreamService',
      'package org.example.radio\n\nimport androidx.media.MediaBrowserServiceCompat\n\nabstract class StreamService : MediaBrowserServiceCompat()\n',
    );
    const run = await runCli(['add', 'playback-service', '--into', browser]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('already has a media playback service, org.example.radio.StreamService');
    expect(run.stderr).toContain('MediaBrowserServiceCompat');

    const framework = withService(
      'TunerService',
      [
        'package org.example.radio',
        '',
        'import android.app.Service',
        'import android.content.Intent',
        'import android.media.MediaPlayer',
        '',
        'class TunerService : Service() {',
        '    private val player = MediaPlayer()',
        '    override fun onBind(intent: Intent?) = null',
        '    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {',
        '        startForeground(1, buildNotification())',
        '        player.start()',
        '        return START_STICKY',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    const second = await runCli(['add', 'playback-service', '--into', framework]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('org.example.radio.TunerService');
    // --force adds it anyway.
    expect((await runCli(['add', 'playback-service', '--into', framework, '--force'])).code).toBe(0);
  });

  it('near miss: a foreground service without a player is not a rival', async () => {
    const dir = withService(
      'SyncService',
      [
        'package org.example.radio',
        '',
        'import android.app.Service',
        'import android.content.Intent',
        '',
        'class SyncService : Service() {',
        '    override fun onBind(intent: Intent?) = null',
        '    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {',
        '        startForeground(2, progressNotification())',
        '        return START_NOT_STICKY',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    expect((await runCli(['add', 'playback-service', '--into', dir])).code).toBe(0);
  });

  it('adds into an app whose plugins come from a convention plugin, at the Media3 version the build already uses', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-add-'));
    temps.push(dir);
    fs.cpSync(path.join(FIXTURES, 'android/convention-class-plugin'), dir, { recursive: true });
    // Take the library module's session service away, so the app has none.
    const lib = path.join(dir, 'playback/src/main/AndroidManifest.xml');
    fs.writeFileSync(lib, fs.readFileSync(lib, 'utf8').replace(/\s*<service[\s\S]*?<\/service>/, ''));
    const run = await runCli(['add', 'playback-service', '--into', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('androidx.media3 1.5.1, the version the build already uses');
    const script = fs.readFileSync(path.join(dir, 'app/build.gradle.kts'), 'utf8');
    expect(script).toContain('androidx.media3:media3-session:1.5.1');
    const { findings } = await doctorJson(dir);
    expect(findings.filter((f) => f.ruleId.startsWith('android/'))).toEqual([]);
  });

  it('says which flag to use when the folder holds both platforms', async () => {
    const run = await runCli(['add', 'playback-service', '--into', path.join(FIXTURES, 'examples/podcast-player'), '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--platform ios|android');
  });
});
