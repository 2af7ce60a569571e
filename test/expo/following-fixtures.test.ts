// End to end on apps that pass audio options the way real React Native apps do: through their own
// wrapper functions, and with Platform-conditional spreads. Each trigger has its near miss.

import { describe, expect, it } from 'vitest';
import { doctorJson, locationsOf } from '../support/cli.js';

const MIXABLE = 'ios/now-playing-mixable';
const INVALID = 'ios/category-option-invalid';

describe('wrappers of TrackPlayer.setupPlayer', () => {
  it('reports the mixing option at the call site of the wrapper, with the library call as a related location', async () => {
    const { findings, raw } = await doctorJson('expo/rntp-wrappers');
    // LiveRadio: `bootPlayer` (a re-export alias, imported through the tsconfig `@audio` path);
    // Episodes: a method of an exported class instance. Audiobook calls the same wrapper with a clean literal.
    expect(locationsOf(findings, MIXABLE)).toEqual(['src/screens/Episodes.tsx:7', 'src/screens/LiveRadio.tsx:8']);
    const live = raw.findings.find((f: { file: string }) => f.file === 'src/screens/LiveRadio.tsx');
    expect(live.message).toContain("'mixWithOthers' in iosCategoryOptions");
    expect(live.related.map((r: { file: string; line: number }) => `${r.file}:${r.line}`)).toEqual(['src/screens/LiveRadio.tsx:7', 'src/audio/player-setup.ts:7']);
    // A same-named method of another object, and a wrapper nobody calls, configure nothing.
    expect(findings).toHaveLength(2);
  });
});

describe('Platform-conditional options', () => {
  it('a spread that is {} on iOS keeps the iOS keys; an iOS-only spread adds its option; a bounded unknown spread hides only its keys', async () => {
    const { findings } = await doctorJson('expo/rntp-platform-spreads');
    expect(locationsOf(findings, MIXABLE)).toEqual(['src/player/devices.ts:8', 'src/player/music.ts:8']);
    expect(locationsOf(findings, INVALID)).toEqual(['src/player/speaker.ts:8']);
    // Near misses: the Android-only mixing option (speaker.ts:17) and the options a run-time spread may replace (devices.ts:16).
    expect(findings).toHaveLength(3);
  });

  it('expo-av flags written per platform: Android is judged on its own value, iOS on its own', async () => {
    const { findings } = await doctorJson('expo/av-platform-flags');
    // ambience.js asks for background playback on iOS only, with playsInSilentModeIOS true there: clean.
    expect(locationsOf(findings, 'expo/android-media-playback-missing')).toEqual(['src/night.js:7']);
    expect(locationsOf(findings, 'expo/silent-mode-required')).toEqual(['src/night.js:8']);
    expect(findings).toHaveLength(2);
  });
});
