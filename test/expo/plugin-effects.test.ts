// The per-version plugin and manifest facts, version ranges, and react-native-audio-api end to end.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PLUGIN_EFFECTS, rangeFor, rangeForBounds, type OptionReader } from '../../src/facts/expo/plugin-effects.js';
import { parseVersion, rangeBounds } from '../../src/facts/expo/packages.js';
import { doctorJson, locationsOf } from '../support/cli.js';

const entry = { file: '/app/app.json', line: 3, column: 5 };
function options(values: Record<string, boolean | string[]>): OptionReader {
  return {
    entry,
    bool: (n) => ({ value: typeof values[n] === 'boolean' ? (values[n] as boolean) : undefined, location: n in values ? entry : null }),
    strings: (n) => ({ value: Array.isArray(values[n]) ? (values[n] as string[]) : undefined, location: n in values ? entry : null }),
  };
}
const run = (pkg: keyof typeof PLUGIN_EFFECTS, version: string, values: Record<string, boolean | string[]> = {}) => rangeFor(pkg, parseVersion(version)!).plugin!(options(values));

describe('expo-audio', () => {
  it('before 55.0.6 the plugin adds `audio` only for enableBackgroundRecording; from 55.0.6 enableBackgroundPlayback defaults to true', () => {
    expect(run('expo-audio', '1.0.16').iosAudio).toBeNull();
    expect(run('expo-audio', '1.1.1').iosAudio).toBeNull();
    expect(run('expo-audio', '55.0.5').iosAudio).toBeNull();
    expect(run('expo-audio', '1.1.1', { enableBackgroundRecording: true }).iosAudio?.action).toBe('add');
    expect(run('expo-audio', '55.0.6').iosAudio?.action).toBe('add');
    expect(run('expo-audio', '58.0.2').androidServices.map((s) => s.name)).toEqual(['expo.modules.audio.service.AudioControlsService']);
    const off = run('expo-audio', '56.0.0', { enableBackgroundPlayback: false });
    expect(off.iosAudio).toBeNull();
    expect(off.androidServices).toEqual([]);
    expect(off.androidServicesRemoved.map((s) => s.name)).toEqual(['expo.modules.audio.service.AudioControlsService', 'expo.modules.audio.service.AudioRecordingService']);
  });

  it("the library's own manifest declares the playback service from 1.1.0 until 55.0.6, when the plugin takes over", () => {
    const services = (v: string) => rangeFor('expo-audio', parseVersion(v)!).libraryManifest.services.map((s) => s.name);
    expect(services('1.0.16')).toEqual([]);
    expect(services('1.1.0')).toContain('expo.modules.audio.service.AudioControlsService');
    expect(services('55.0.5')).toContain('expo.modules.audio.service.AudioControlsService');
    expect(services('55.0.6')).toEqual([]);
  });
});

describe('expo-video, react-native-video, react-native-audio-api', () => {
  it('expo-video 1.2.3+ removes `audio` when its options are false, and does nothing when they are unset', () => {
    expect(run('expo-video', '1.2.0').iosAudio?.action).toBe('add');
    expect(run('expo-video', '2.2.3').iosAudio).toBeNull();
    expect(run('expo-video', '2.2.3', { supportsPictureInPicture: false }).iosAudio?.action).toBe('remove');
    expect(run('expo-video', '2.2.3', { supportsBackgroundPlayback: true }).iosAudio?.action).toBe('add');
    expect(run('expo-video', '2.2.3', { supportsBackgroundPlayback: true }).androidServices).toEqual([]);
    expect(run('expo-video', '3.0.12', { supportsBackgroundPlayback: true }).androidServices.map((s) => s.types)).toEqual([['mediaPlayback']]);
  });

  // The four cases below were found by npm run test:plugins against the published packages.
  it('corrections from the differential test: rn-video has a plugin from 6.4.1, audio-api 0.11.0 keeps the old service, expo-video 1.2.3 the old class', () => {
    expect(rangeFor('react-native-video', parseVersion('6.4.1')!).plugin).not.toBeNull();
    expect(run('react-native-audio-api', '0.11.0').androidServices.map((s) => s.name)).toEqual(['com.swmansion.audioapi.system.MediaNotificationManager$AudioForegroundService']);
    expect(run('react-native-audio-api', '0.11.1').androidServices.map((s) => s.name)).toEqual(['com.swmansion.audioapi.system.CentralizedForegroundService']);
    expect(rangeFor('expo-video', parseVersion('1.2.3')!).libraryManifest.services[0]!.name).toBe('expo.modules.video.ExpoVideoPlaybackService');
    expect(rangeFor('expo-video', parseVersion('1.2.4')!).libraryManifest.services[0]!.name).toBe('expo.modules.video.playbackService.ExpoVideoPlaybackService');
    expect(run('expo-audio', '55.0.6', {}).androidServicesRemoved.map((s) => s.name)).toEqual(['expo.modules.audio.service.AudioRecordingService']);
    expect(run('expo-audio', '55.0.6', { enableBackgroundRecording: true }).androidServicesRemoved).toEqual([]);
  });

  it('react-native-video 6.x: enableBackgroundAudio false leaves UIBackgroundModes alone; no plugin before 6.4.1', () => {
    expect(rangeFor('react-native-video', parseVersion('6.4.0')!).plugin).toBeNull();
    expect(run('react-native-video', '6.19.3', { enableBackgroundAudio: false }).iosAudio).toBeNull();
    expect(run('react-native-video', '6.19.3', { enableBackgroundAudio: true }).iosAudio?.action).toBe('add');
  });

  it('react-native-audio-api: 0.6.4 defaults lack FOREGROUND_SERVICE_MEDIA_PLAYBACK; an androidPermissions option replaces the defaults', () => {
    const perms = (v: string, o = {}) => run('react-native-audio-api', v, o).androidPermissions.map((p) => p.name);
    expect(perms('0.6.4')).toEqual(['android.permission.FOREGROUND_SERVICE', 'android.permission.WAKE_LOCK']);
    expect(perms('0.6.5')).toEqual(['android.permission.FOREGROUND_SERVICE', 'android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK']);
    expect(perms('0.13.6', { androidPermissions: ['android.permission.RECORD_AUDIO'] })).toEqual(['android.permission.RECORD_AUDIO']);
    expect(run('react-native-audio-api', '0.13.6', { iosBackgroundMode: false }).iosAudio).toBeNull();
  });

  it('every range cites the versions and files it was written from, and ranges tile the version line', () => {
    for (const [pkg, ranges] of Object.entries(PLUGIN_EFFECTS)) {
      expect(ranges[0]!.from, pkg).toBeNull();
      expect(ranges[ranges.length - 1]!.until, pkg).toBeNull();
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from, pkg).toBe(ranges[i - 1]!.until);
      for (const r of ranges) expect(r.read).toMatch(new RegExp(`^${pkg} \\d`));
    }
  });
});

describe('version ranges', () => {
  it('bounds of common range forms', () => {
    expect(rangeBounds('~55.0.10')).toEqual({ low: [55, 0, 10], high: [55, 1, 0] });
    expect(rangeBounds('^4.1.1')).toEqual({ low: [4, 1, 1], high: [5, 0, 0] });
    expect(rangeBounds('^0.6.4')).toEqual({ low: [0, 6, 4], high: [0, 7, 0] });
    expect(rangeBounds('3.2.0')).toEqual({ low: [3, 2, 0], high: [3, 2, 1] });
    expect(rangeBounds('>=1.1.0')).toEqual({ low: [1, 1, 0], high: null });
    expect(rangeBounds('1.x || 2.x')).toEqual({ low: [1, 0, 0], high: [3, 0, 0] });
    expect(rangeBounds('latest')).toBeNull();
    expect(rangeBounds('github:doublesymmetry/react-native-track-player')).toBeNull();
  });

  it('a range decides the behaviour only when all the versions it allows behave alike', () => {
    expect(rangeForBounds('expo-audio', [55, 0, 10], [55, 1, 0])?.from).toBe('55.0.6');
    expect(rangeForBounds('expo-audio', [55, 0, 0], [56, 0, 0])).toBeNull();
    expect(rangeForBounds('expo-audio', [1, 1, 1], [1, 2, 0])?.from).toBe('1.1.0');
    expect(rangeForBounds('react-native-track-player', [4, 1, 1], [5, 0, 0])?.from).toBe('4.0.0');
  });
});

describe('react-native-audio-api in an Expo app (doctor)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const app = (version: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-audioapi-'));
    dirs.push(dir);
    const put = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    put('package.json', JSON.stringify({ name: 'synth', dependencies: { expo: '~54.0.0', 'react-native': '0.81.4', 'react-native-audio-api': version } }, null, 2));
    put('app.json', '{\n  "expo": {\n    "name": "Synth",\n    "plugins": ["react-native-audio-api"]\n  }\n}\n');
    put(
      'src/engine.ts',
      [
        "import { AudioManager } from 'react-native-audio-api';",
        '',
        'export function start() {',
        '  AudioManager.setAudioSessionOptions({',
        "    iosCategory: 'playback',",
        "    iosOptions: ['allowBluetoothA2DP'],",
        '  });',
        "  AudioManager.setLockScreenInfo({ title: 'Synth' });",
        '}',
      ].join('\n'),
    );
    return dir;
  };

  it('0.6.4 (pinned): the default plugin permissions lack FOREGROUND_SERVICE_MEDIA_PLAYBACK; allowBluetoothA2DP is invalid with playback', async () => {
    const { findings } = await doctorJson(app('0.6.4'));
    expect(locationsOf(findings, 'expo/android-media-playback-missing')).toEqual(['app.json:4']);
    expect(locationsOf(findings, 'expo/background-audio-mode-missing')).toEqual([]);
    expect(locationsOf(findings, 'ios/category-option-invalid')).toEqual(['src/engine.ts:6']);
  });

  it('0.6.5 (pinned): the defaults include both permissions', async () => {
    const { findings } = await doctorJson(app('0.6.5'));
    expect(locationsOf(findings, 'expo/android-media-playback-missing')).toEqual([]);
  });
});
