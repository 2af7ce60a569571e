import { describe, expect, it } from 'vitest';
import { categoryFromName, isOptionValid, optionFromName, optionsFromRawValue } from '../../src/facts/ios/audio-session-vocab.js';

describe('audio session vocabulary', () => {
  it('normalises Swift and Objective-C spellings', () => {
    expect(categoryFromName('playAndRecord')).toBe('playAndRecord');
    expect(categoryFromName('AVAudioSessionCategoryPlayAndRecord')).toBe('playAndRecord');
    expect(categoryFromName('AVAudioSessionCategorySoloAmbient')).toBe('soloAmbient');
    expect(categoryFromName('Playback')).toBeNull();
    expect(optionFromName('AVAudioSessionCategoryOptionAllowBluetoothA2DP')).toBe('allowBluetoothA2DP');
    expect(optionFromName('allowBluetoothHFP')).toBe('allowBluetoothHFP');
    expect(optionFromName('allowBluetoothA2dp')).toBeNull();
  });

  it('decodes raw option values, including the mix bit inside interruptSpokenAudioAndMixWithOthers', () => {
    expect(optionsFromRawValue(0x11)).toEqual(['interruptSpokenAudioAndMixWithOthers']);
    expect(optionsFromRawValue(0x1 | 0x40)).toEqual(['mixWithOthers', 'allowAirPlay']);
    expect(optionsFromRawValue(0)).toEqual([]);
    expect(optionsFromRawValue(0x10000)).toBeNull();
  });

  it('follows the option/category table of AVAudioSessionTypes.h', () => {
    expect(isOptionValid('allowAirPlay', 'playback')).toBe(false);
    expect(isOptionValid('allowAirPlay', 'playAndRecord')).toBe(true);
    expect(isOptionValid('allowBluetooth', 'record')).toBe(true);
    expect(isOptionValid('allowBluetoothHFP', 'playback')).toBe(false);
    expect(isOptionValid('defaultToSpeaker', 'playback')).toBe(false);
    expect(isOptionValid('allowBluetoothA2DP', 'playback')).toBe(false);
    expect(isOptionValid('mixWithOthers', 'playback')).toBe(true);
    expect(isOptionValid('mixWithOthers', 'ambient')).toBe(false);
    expect(isOptionValid('interruptSpokenAudioAndMixWithOthers', 'record')).toBe(false);
    expect(isOptionValid('duckOthers', 'ambient')).toBe(true);
    expect(isOptionValid('duckOthers', 'soloAmbient')).toBe(false);
    expect(isOptionValid('duckOthers', 'multiRoute')).toBe(true);
    // Options whose limits Apple does not document are never called invalid.
    expect(isOptionValid('overrideMutedMicrophoneInterruption', 'playback')).toBe(true);
  });
});
