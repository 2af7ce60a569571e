import { describe, expect, it } from 'vitest';
import { doctorJson, locationsOf, type JsonFinding } from '../support/cli.js';

const iosFindings = (findings: JsonFinding[]) => findings.filter((f) => f.ruleId.startsWith('ios/'));
const find = (findings: JsonFinding[], rule: string, where: string) => findings.find((f) => f.ruleId === rule && `${f.file}:${f.line}` === where)!;

describe('correct apps', () => {
  it('a complete background playback app (AVAudioEngine, Now Playing, interruptions, route changes) has no iOS findings', async () => {
    const { findings, raw } = await doctorJson('ios/correct-playback');
    expect(raw.apps.map((a: { name: string }) => a.name)).toEqual(['Podcaster']);
    expect(iosFindings(findings)).toEqual([]);
  });

  it('a Push to Talk app set up as Apple describes has no iOS findings', async () => {
    const { findings, raw } = await doctorJson('ios/ptt-correct');
    expect(raw.apps.map((a: { name: string }) => a.name)).toEqual(['Walkie']);
    expect(iosFindings(findings)).toEqual([]);
  });

  it('audio APIs that appear only in comments and strings produce nothing', async () => {
    const { findings, raw } = await doctorJson('ios/comments-only');
    expect(raw.apps).toHaveLength(1);
    expect(iosFindings(findings)).toEqual([]);
  });
});

describe('ios/background-audio-mode-missing', () => {
  const RULE = 'ios/background-audio-mode-missing';

  it('is an error when the app streams and publishes Now Playing info (call split over lines)', async () => {
    const { findings } = await doctorJson('ios/no-audio-mode-streaming');
    expect(locationsOf(findings, RULE)).toEqual(['Streamer/StreamController.swift:10']);
    const f = find(findings, RULE, 'Streamer/StreamController.swift:10');
    expect(f.severity).toBe('error');
    expect(f.message).toContain('`audio` background mode');
  });

  it('is a warning when the category is the only sign', async () => {
    const { findings } = await doctorJson('ios/no-audio-mode-sfx');
    expect(locationsOf(findings, RULE)).toEqual(['Metronome/Clicker.swift:7']);
    expect(find(findings, RULE, 'Metronome/Clicker.swift:7').severity).toBe('warning');
  });

  it('reads Objective-C setCategory: messages', async () => {
    const { findings } = await doctorJson('ios/objc-player');
    expect(locationsOf(findings, RULE)).toEqual(['Tuner/TunerAudio.m:13']);
  });

  it('stays quiet when `audio` is declared, for Push to Talk apps and for comment-only code', async () => {
    for (const fixture of ['ios/correct-playback', 'ios/avplayer-only', 'ios/ptt-broken', 'ios/comments-only']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, RULE), fixture).toEqual([]);
    }
  });
});

describe('ios/ambient-category', () => {
  const RULE = 'ios/ambient-category';

  it('flags .ambient and .soloAmbient at the category argument in an app that declares `audio`', async () => {
    const { findings } = await doctorJson('ios/ambient-radio');
    expect(locationsOf(findings, RULE)).toEqual(['Radio/RadioSession.swift:13', 'Radio/RadioSession.swift:8']);
    const f = find(findings, RULE, 'Radio/RadioSession.swift:8');
    expect(f).toMatchObject({ severity: 'error', column: 33 });
    expect(f.message).toContain('.ambient is silenced');
  });

  it('skips a game that uses .ambient for sound effects without background intent', async () => {
    const { findings } = await doctorJson('ios/ambient-game');
    expect(locationsOf(findings, RULE)).toEqual([]);
    expect(iosFindings(findings)).toEqual([]);
  });

  it('skips .ambient used as the idle category when the app switches to .playback elsewhere', async () => {
    const { findings } = await doctorJson('ios/options-matrix');
    expect(locationsOf(findings, RULE)).toEqual([]);
  });
});

describe('ios/category-option-invalid', () => {
  const RULE = 'ios/category-option-invalid';

  it('reports the tutorial .playback + [.allowBluetooth, .allowAirPlay, .mixWithOthers] twice, at each bad option', async () => {
    const { findings } = await doctorJson('ios/tutorial-radio');
    const hits = findings.filter((f) => f.ruleId === RULE).map((f) => `${f.file}:${f.line}:${f.column}`);
    expect(hits.sort()).toEqual(['Radio/RadioPlayer.swift:8:112', 'Radio/RadioPlayer.swift:8:95']);
    expect(find(findings, RULE, 'Radio/RadioPlayer.swift:8').severity).toBe('error');
    const airplay = findings.find((f) => f.ruleId === RULE && f.column === 112)!;
    expect(airplay.message).toContain('.allowAirPlay is not valid with .playback');
    expect(airplay.fix).toContain('Remove .allowAirPlay');
  });

  it('follows multi-line calls, let constants and raw values, and accepts valid combinations', async () => {
    const { findings } = await doctorJson('ios/options-matrix');
    expect(locationsOf(findings, RULE)).toEqual([
      'Mixer/SessionConfigurations.swift:25', // .playback + .defaultToSpeaker, call split over lines
      'Mixer/SessionConfigurations.swift:31', // .ambient + .mixWithOthers
      'Mixer/SessionConfigurations.swift:35', // let options = [.allowBluetoothA2DP] used with .playback
      'Mixer/SessionConfigurations.swift:40', // CategoryOptions(rawValue: 0x8) = .defaultToSpeaker
      'Mixer/SessionConfigurations.swift:44', // AVAudioSessionCategoryRecord, with: .mixWithOthers
    ]);
    expect(find(findings, RULE, 'Mixer/SessionConfigurations.swift:31').fix).toContain('.ambient always mixes');
  });

  it('reads Objective-C option constants joined with |', async () => {
    const { findings } = await doctorJson('ios/objc-player');
    expect(locationsOf(findings, RULE)).toEqual(['Tuner/TunerAudio.m:15']);
    expect(find(findings, RULE, 'Tuner/TunerAudio.m:15').message).toContain('AVAudioSessionCategoryOptionAllowAirPlay is not valid with AVAudioSessionCategoryPlayback');
  });

  it('accepts valid options (.playAndRecord + speaker/Bluetooth/AirPlay)', async () => {
    for (const fixture of ['ios/recorder-no-mic', 'ios/ptt-correct', 'ios/correct-playback', 'ios/now-playing-mixable']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, RULE), fixture).toEqual([]);
    }
  });
});

describe('Push to Talk rules', () => {
  it('ios/ptt-mix-with-others: flags .mixWithOthers / DuckOthers in PTT apps at the option', async () => {
    const broken = await doctorJson('ios/ptt-broken');
    expect(locationsOf(broken.findings, 'ios/ptt-mix-with-others')).toEqual(['Walkie/ChannelController.swift:11']);
    expect(find(broken.findings, 'ios/ptt-mix-with-others', 'Walkie/ChannelController.swift:11').column).toBe(77);
    const objc = await doctorJson('ios/ptt-objc');
    expect(locationsOf(objc.findings, 'ios/ptt-mix-with-others')).toEqual(['Radio/RadioChannel.m:15']);
  });

  it('ios/ptt-mix-with-others: .playback + .mixWithOthers in an app without PushToTalk is fine', async () => {
    for (const fixture of ['ios/tutorial-radio', 'ios/options-matrix', 'ios/no-audio-mode-streaming']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, 'ios/ptt-mix-with-others'), fixture).toEqual([]);
    }
  });

  it('ios/ptt-background-mode-missing: points at the PushToTalk import', async () => {
    const { findings } = await doctorJson('ios/ptt-broken');
    expect(locationsOf(findings, 'ios/ptt-background-mode-missing')).toEqual(['Walkie/ChannelController.swift:2']);
    for (const fixture of ['ios/ptt-correct', 'ios/ptt-objc', 'ios/no-audio-mode-streaming']) {
      const ok = await doctorJson(fixture);
      expect(locationsOf(ok.findings, 'ios/ptt-background-mode-missing'), fixture).toEqual([]);
    }
  });

  it('ios/ptt-entitlement-missing: both keys missing, then push-to-talk set to false', async () => {
    const broken = await doctorJson('ios/ptt-broken');
    const msgs = broken.findings.filter((f) => f.ruleId === 'ios/ptt-entitlement-missing').map((f) => `${f.file}:${f.line} ${f.message}`);
    expect(msgs).toHaveLength(2);
    expect(msgs.some((m) => m.startsWith('Walkie/ChannelController.swift:2 ') && m.includes('com.apple.developer.push-to-talk'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('Walkie/ChannelController.swift:2 ') && m.includes('aps-environment'))).toBe(true);
    const objc = await doctorJson('ios/ptt-objc');
    expect(locationsOf(objc.findings, 'ios/ptt-entitlement-missing')).toEqual(['Radio/RadioChannel.m:2']);
    expect(find(objc.findings, 'ios/ptt-entitlement-missing', 'Radio/RadioChannel.m:2').message).toContain('is not true');
    const ok = await doctorJson('ios/ptt-correct');
    expect(locationsOf(ok.findings, 'ios/ptt-entitlement-missing')).toEqual([]);
  });

  it('ios/ptt-manual-activation: flags setActive(true) / setActive:YES in PTT apps only', async () => {
    const broken = await doctorJson('ios/ptt-broken');
    expect(locationsOf(broken.findings, 'ios/ptt-manual-activation')).toEqual(['Walkie/ChannelController.swift:12']);
    const objc = await doctorJson('ios/ptt-objc');
    expect(locationsOf(objc.findings, 'ios/ptt-manual-activation')).toEqual(['Radio/RadioChannel.m:17']);
    for (const fixture of ['ios/ptt-correct', 'ios/correct-playback']) {
      const ok = await doctorJson(fixture);
      expect(locationsOf(ok.findings, 'ios/ptt-manual-activation'), fixture).toEqual([]);
    }
  });
});

describe('ios/microphone-usage-missing', () => {
  const RULE = 'ios/microphone-usage-missing';

  it('points at the AVAudioRecorder use when the purpose string is missing', async () => {
    const { findings } = await doctorJson('ios/recorder-no-mic');
    expect(locationsOf(findings, RULE)).toEqual(['Dictaphone/Recorder.swift:4']);
    expect(find(findings, RULE, 'Dictaphone/Recorder.swift:4').message).toContain('AVAudioRecorder');
  });

  it('counts .playAndRecord and Push to Talk as microphone use', async () => {
    const { findings } = await doctorJson('ios/ptt-broken');
    expect(locationsOf(findings, RULE)).toEqual(['Walkie/ChannelController.swift:11']);
  });

  it('is satisfied by NSMicrophoneUsageDescription, and ignores recorders in comments', async () => {
    for (const fixture of ['ios/recorder-with-mic', 'ios/ptt-correct', 'ios/ptt-objc', 'ios/comments-only']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, RULE), fixture).toEqual([]);
    }
  });
});

describe('ios/session-not-activated', () => {
  const RULE = 'ios/session-not-activated';

  it('flags an AVAudioEngine app that never calls setActive(true)', async () => {
    const { findings } = await doctorJson('ios/engine-no-handlers');
    expect(locationsOf(findings, RULE)).toEqual(['Synth/SynthEngine.swift:8']);
  });

  it('does not flag AVPlayer-only apps (AVFoundation activates the session) or PTT apps', async () => {
    for (const fixture of ['ios/avplayer-only', 'ios/ptt-correct', 'ios/correct-playback']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, RULE), fixture).toEqual([]);
    }
  });
});

describe('ios/session-error-ignored', () => {
  const RULE = 'ios/session-error-ignored';

  it('flags try?, an empty catch and error:nil / NULL, including a call split over lines', async () => {
    const { findings } = await doctorJson('ios/error-handling');
    expect(locationsOf(findings, RULE)).toEqual([
      'Audiobooks/LegacyAudio.m:7', // setCategory:... error:nil
      'Audiobooks/LegacyAudio.m:8', // setActive:YES error:NULL
      'Audiobooks/SessionSetup.swift:11', // try inside do { } catch { }
      'Audiobooks/SessionSetup.swift:14', // try? over five lines
      'Audiobooks/SessionSetup.swift:9', // try? setCategory
    ]);
    expect(find(findings, RULE, 'Audiobooks/SessionSetup.swift:9').message).toMatch(/^`try\?` discards a setCategory failure/);
    expect(find(findings, RULE, 'Audiobooks/SessionSetup.swift:11').message).toMatch(/^The empty catch block/);
  });

  it('leaves do/catch with logging, try!, propagation, deactivation and error:&err alone', async () => {
    const { findings } = await doctorJson('ios/correct-playback');
    expect(locationsOf(findings, RULE)).toEqual([]);
  });

  it('flags the tutorial try? calls', async () => {
    const { findings } = await doctorJson('ios/tutorial-radio');
    expect(locationsOf(findings, RULE)).toEqual(['Radio/RadioPlayer.swift:8', 'Radio/RadioPlayer.swift:9']);
  });
});

describe('ios/interruption-not-handled', () => {
  const RULE = 'ios/interruption-not-handled';

  it('flags an AVAudioEngine app without an interruption observer, at the engine', async () => {
    const { findings } = await doctorJson('ios/engine-no-handlers');
    expect(locationsOf(findings, RULE)).toEqual(['Synth/SynthEngine.swift:4']);
  });

  it('flags an .ended branch that resumes without setActive(true), not a gesture .ended', async () => {
    const { findings } = await doctorJson('ios/interruption-resume');
    expect(locationsOf(findings, RULE)).toEqual(['Ambience/LoopPlayer.swift:28']);
    const objc = await doctorJson('ios/objc-player');
    expect(locationsOf(objc.findings, RULE)).toEqual(['Tuner/TunerAudio.m:35']);
  });

  it('does not flag AVPlayer-only apps, a handler that reactivates, or a correct PTT app', async () => {
    for (const fixture of ['ios/avplayer-only', 'ios/correct-playback', 'ios/ptt-correct', 'ios/ambient-game']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, RULE), fixture).toEqual([]);
    }
  });
});

describe('ios/route-change-not-handled', () => {
  const RULE = 'ios/route-change-not-handled';

  it('flags an engine app with no route-change observer, at the engine', async () => {
    const { findings } = await doctorJson('ios/engine-no-handlers');
    expect(locationsOf(findings, RULE)).toEqual(['Synth/SynthEngine.swift:4']);
  });

  it('flags an observer that never checks .oldDeviceUnavailable, at the observer', async () => {
    const { findings } = await doctorJson('ios/interruption-resume');
    expect(locationsOf(findings, RULE)).toEqual(['Ambience/LoopPlayer.swift:18']);
  });

  it('does not flag AVPlayer-only apps or apps that pause on .oldDeviceUnavailable', async () => {
    for (const fixture of ['ios/avplayer-only', 'ios/correct-playback', 'ios/ptt-correct']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, RULE), fixture).toEqual([]);
    }
  });
});

describe('Now Playing rules', () => {
  it('ios/now-playing-missing: background .playback, non-mixable, no Now Playing', async () => {
    const { findings } = await doctorJson('ios/avplayer-only');
    expect(locationsOf(findings, 'ios/now-playing-missing')).toEqual(['Lectures/LecturePlayer.swift:8']);
    expect(find(findings, 'ios/now-playing-missing', 'Lectures/LecturePlayer.swift:8').severity).toBe('warning');
  });

  it('ios/now-playing-missing: never asks a mixable session, a PTT app or an app with Now Playing', async () => {
    for (const fixture of ['ios/tutorial-radio', 'ios/now-playing-mixable', 'ios/correct-playback', 'ios/ptt-correct', 'ios/interruption-resume']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, 'ios/now-playing-missing'), fixture).toEqual([]);
    }
  });

  it('ios/now-playing-mixable: remote commands with .duckOthers, at the option', async () => {
    const { findings } = await doctorJson('ios/now-playing-mixable');
    expect(locationsOf(findings, 'ios/now-playing-mixable')).toEqual(['Meditation/GuidedSession.swift:8']);
    expect(find(findings, 'ios/now-playing-mixable', 'Meditation/GuidedSession.swift:8').column).toBe(98);
  });

  it('ios/now-playing-mixable: mixable without Now Playing, or Now Playing without mixing, is fine', async () => {
    for (const fixture of ['ios/tutorial-radio', 'ios/correct-playback']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, 'ios/now-playing-mixable'), fixture).toEqual([]);
    }
  });
});

describe('ios/category-not-set', () => {
  const RULE = 'ios/category-not-set';

  it('flags a background audio app that keeps the default .soloAmbient (a setCategory in a comment does not count)', async () => {
    const { findings } = await doctorJson('ios/category-not-set');
    expect(locationsOf(findings, RULE)).toEqual(['Audiobook/BookPlayer.swift:5']);
    expect(find(findings, RULE, 'Audiobook/BookPlayer.swift:5')).toMatchObject({ severity: 'error', column: 26 });
  });

  it('stays quiet when a library may configure the session, or when a category is set', async () => {
    for (const fixture of ['ios/category-set-by-library', 'ios/correct-playback', 'ios/avplayer-only', 'ios/ptt-correct', 'ios/interruption-resume']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, RULE), fixture).toEqual([]);
    }
  });
});

describe('ios/category-mode-invalid', () => {
  const RULE = 'ios/category-mode-invalid';

  it('flags .voiceChat with .playback at the mode argument, and accepts documented pairs', async () => {
    const { findings } = await doctorJson('ios/options-matrix');
    expect(locationsOf(findings, RULE)).toEqual(['Mixer/SessionConfigurations.swift:67']);
    expect(find(findings, RULE, 'Mixer/SessionConfigurations.swift:67')).toMatchObject({ severity: 'warning', column: 74 });
  });

  it('accepts .voiceChat with .playAndRecord and .spokenAudio with .playback', async () => {
    for (const fixture of ['ios/ptt-correct', 'ios/correct-playback', 'ios/error-handling']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, RULE), fixture).toEqual([]);
    }
  });
});
