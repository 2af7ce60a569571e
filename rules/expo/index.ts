import type { Rule } from '../../src/engine/rule.js';
import androidMediaPlaybackMissing from './android-media-playback-missing.js';
import backgroundAudioModeMissing from './background-audio-mode-missing.js';
import configUnresolved from './config-unresolved.js';
import silentModeRequired from './silent-mode-required.js';
import trackPlayerIosOptionsIgnored from './track-player-ios-options-ignored.js';

// One import per rule file in this folder, kept in id order.
export const expoRules: Rule[] = [androidMediaPlaybackMissing, backgroundAudioModeMissing, configUnresolved, silentModeRequired, trackPlayerIosOptionsIgnored];
