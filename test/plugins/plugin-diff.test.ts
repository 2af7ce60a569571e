// The comparison of npm run test:plugins, fed made-up plugin results: it must pass on what the table
// predicts and fail, naming package, version, options and key, on anything else. (The real plugins
// run only in `npm run test:plugins`, which needs the npm registry.)

import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { createDiff, OPTIONS } from '../../scripts/plugin-diff.mjs';
import * as effects from '../../src/facts/expo/plugin-effects.js';
import * as versions from '../../src/facts/expo/packages.js';

interface Snapshot {
  backgroundModes: string[];
  usage: Record<string, string>;
  entitlements: Record<string, unknown>;
  permissions: string[];
  services: { name: string; types: string[]; removed: boolean }[];
}
const snap = (over: Partial<Snapshot> = {}): Snapshot => ({ backgroundModes: [], usage: {}, entitlements: {}, permissions: ['android.permission.INTERNET'], services: [], ...over });

const CONTROLS = 'expo.modules.audio.service.AudioControlsService';
const RECORDING = 'expo.modules.audio.service.AudioRecordingService';
const FGS = ['android.permission.FOREGROUND_SERVICE', 'android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK'];
const libXml = '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><uses-permission android:name="android.permission.RECORD_AUDIO"/><uses-permission android:name="android.permission.MODIFY_AUDIO_SETTINGS"/></manifest>';

/** What expo-audio 56.x really does with `{}` (background playback on by default). */
function expoAudioProbe(overrideCase?: (c: { plain: Snapshot; seeded: Snapshot }) => void) {
  const plain = snap({ backgroundModes: ['audio'], permissions: ['android.permission.INTERNET', ...FGS], services: [{ name: CONTROLS, types: ['mediaPlayback'], removed: false }] });
  const seeded = snap({ backgroundModes: ['audio'], permissions: ['android.permission.INTERNET', ...FGS], services: [{ name: CONTROLS, types: [], removed: false }] });
  const c = { plain, seeded };
  overrideCase?.(c);
  return {
    version: '56.0.0',
    hasAppPlugin: true,
    libraryManifestXml: libXml,
    baseline: [snap(), snap({ backgroundModes: ['audio'] })],
    cases: [{ options: {}, ...c }],
    seedServices: [CONTROLS, RECORDING],
  };
}

describe('test:plugins comparison', () => {
  it('passes when the plugin does what the table predicts', () => {
    const d = createDiff(effects, versions);
    d.compareVersionResult('expo-audio', { version: '56.0.0', why: 'newest' }, expoAudioProbe());
    expect(d.state.failures).toEqual([]);
    expect(d.state.passed).toBeGreaterThan(5);
  });

  it('fails with package, version, options and key when a new version stops adding the service', () => {
    const d = createDiff(effects, versions);
    d.compareVersionResult('expo-audio', { version: '56.0.0', why: 'newest' }, expoAudioProbe((c) => {
      c.plain.services = [];
      c.plain.permissions = ['android.permission.INTERNET'];
    }));
    expect(d.state.failed).toBe(2);
    expect(d.state.failures.join('\n')).toContain('expo-audio@56.0.0 options {} key android.application.service');
    expect(d.state.failures.join('\n')).toContain('key android.uses-permission: table predicts android.permission.FOREGROUND_SERVICE, android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK the plugin does not add');
  });

  it('fails when the plugin stops adding `audio`, and when it starts writing entitlements', () => {
    const d = createDiff(effects, versions);
    d.compareVersionResult('expo-audio', { version: '56.0.0', why: 'newest' }, expoAudioProbe((c) => {
      c.plain.backgroundModes = [];
      c.plain.entitlements = { 'com.apple.developer.playable-content': true };
    }));
    expect(d.state.failures.map((f: string) => f.split(':')[0])).toEqual([
      'expo-audio@56.0.0 options {} key ios.UIBackgroundModes(audio) base without audio',
      'expo-audio@56.0.0 options {} key ios.entitlements',
    ]);
  });

  it('fails when a package gains or loses its app.plugin.js, and on library manifest services', () => {
    const d = createDiff(effects, versions);
    d.compareVersionResult('react-native-track-player', { version: '4.1.2', why: 'newest' }, {
      version: '4.1.2', hasAppPlugin: true, libraryManifestXml: '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application><service android:name="com.doublesymmetry.trackplayer.service.MusicService"/></application></manifest>',
      baseline: [snap(), snap()], cases: [], seedServices: [],
    });
    const text = d.state.failures.join('\n');
    expect(text).toContain('key app.plugin.js: the package has app.plugin.js, the table says it has none');
    expect(text).toContain('key library AndroidManifest.xml uses-permission');
    expect(text).toContain('key library AndroidManifest.xml service');
  });

  it('picks the version on each side of every boundary, releases before prereleases, and the newest', () => {
    const d = createDiff(effects, versions);
    const published = ['6.3.0', '6.4.0', '6.4.1', '6.4.5', '6.5.0', '6.19.3', '7.0.0-beta.9', '7.0.0-beta.11', '7.0.0-alpha.2'];
    const picks = d.pickVersions('react-native-video', published, '6.19.3') as { version: string; why: string }[];
    expect(picks.map((p) => p.version).sort()).toEqual(['6.19.3', '6.4.0', '6.4.1', '6.4.5', '6.5.0', '7.0.0-beta.11'].sort());
    expect(picks.find((p) => p.version === '6.19.3')!.why).toBe('below 7.0.0, newest');
  });

  it('has option sets for every package in the table', () => {
    expect(Object.keys(OPTIONS).sort()).toEqual([...effects.AUDIO_PACKAGES].sort());
  });
});
