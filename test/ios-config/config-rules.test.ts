import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorJson, locationsOf, FIXTURES } from '../support/cli.js';
import { encodeBplist } from './bplist-encoder.js';
import { suggestBackgroundMode } from '../../src/facts/ios/background-mode-values.js';

const UNKNOWN = 'ios/background-mode-unknown';
const IGNORED = 'ios/infoplist-key-ignored';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-ioscfg-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Copy a fixture to a temp folder so a test can change it. */
function copyFixture(name: string): string {
  const dest = path.join(tmp, `${path.basename(name)}-${Math.random().toString(36).slice(2)}`);
  fs.cpSync(path.join(FIXTURES, name), dest, { recursive: true });
  return dest;
}

describe(UNKNOWN, () => {
  it('flags misspelled modes in per-configuration and folder Info.plists, at the value line', async () => {
    const { findings } = await doctorJson('ios-config/background-mode-typos');
    expect(locationsOf(findings, UNKNOWN)).toEqual([
      'ios/Tuner/Info-Release.plist:8',
      'legacy/Info.plist:11',
      'legacy/Info.plist:12',
      'legacy/Info.plist:13',
      'legacy/Info.plist:15',
    ]);
    const byLine = (file: string, line: number) => findings.find((f) => f.ruleId === UNKNOWN && f.file === file && f.line === line)!;
    expect(byLine('ios/Tuner/Info-Release.plist', 8)).toMatchObject({ severity: 'error', column: 3, fix: 'Replace "Audio" with "audio" in ios/Tuner/Info-Release.plist.' });
    expect(byLine('legacy/Info.plist', 11).fix).toContain('with "processing"');
    expect(byLine('legacy/Info.plist', 12).fix).toContain('with "remote-notification"');
    expect(byLine('legacy/Info.plist', 13).fix).toContain('with "push-to-talk"');
    expect(byLine('legacy/Info.plist', 15).message).not.toContain('did you mean');
    expect(byLine('legacy/Info.plist', 15).why).toContain('iOS matches UIBackgroundModes entries exactly');
  });

  it('ignores valid modes, commented-out values, other keys, and Info.plists no target uses', async () => {
    const { findings } = await doctorJson('ios-config/background-mode-typos');
    const lines = locationsOf(findings, UNKNOWN);
    // Info-Release.plist:7 is an XML comment, :13 is BGTaskSchedulerPermittedIdentifiers, legacy:14 is "voip".
    expect(lines).not.toContain('ios/Tuner/Info-Release.plist:7');
    expect(lines).not.toContain('ios/Tuner/Info-Release.plist:13');
    expect(lines).not.toContain('legacy/Info.plist:14');
    expect(lines.filter((l) => l.startsWith('ios/Tuner/Old/'))).toEqual([]);
  });

  it('has no findings in projects whose modes are all valid', async () => {
    for (const fixture of ['ios-config/xcode15-groups', 'ios-config/xcode16-synced', 'ios-config/generate-off-mic-key']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, UNKNOWN)).toEqual([]);
    }
  });

  it('reads a binary Info.plist and reports at line 1', async () => {
    const dir = path.join(tmp, 'binary-app');
    fs.mkdirSync(path.join(dir, 'App'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'App/Info.plist'),
      encodeBplist({ CFBundleIdentifier: 'com.example.binary', UIBackgroundModes: ['audio', 'background-fetch'] }),
    );
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, UNKNOWN)).toEqual(['App/Info.plist:1']);
    expect(findings.find((f) => f.ruleId === UNKNOWN)!.fix).toContain('with "fetch"');
    expect(findings.filter((f) => f.ruleId === 'audiobg/parse-error')).toEqual([]);
  });

  it('reports a truncated binary Info.plist as a parse error and goes on', async () => {
    const dir = path.join(tmp, 'binary-broken');
    fs.mkdirSync(path.join(dir, 'App'), { recursive: true });
    const good = encodeBplist({ UIBackgroundModes: ['audio'] });
    fs.writeFileSync(path.join(dir, 'App/Info.plist'), good.subarray(0, good.length - 7));
    fs.mkdirSync(path.join(dir, 'Other'));
    fs.writeFileSync(path.join(dir, 'Other/Info.plist'), encodeBplist({ CFBundleName: 'Other', UIBackgroundModes: ['Audio'] }));
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'audiobg/parse-error')).toEqual(['App/Info.plist:1']);
    expect(locationsOf(findings, UNKNOWN)).toEqual(['Other/Info.plist:1']);
  });

  it('suggests the intended mode for common mistakes', () => {
    expect(suggestBackgroundMode('background-processing')).toBe('processing');
    expect(suggestBackgroundMode('remote-notifications')).toBe('remote-notification');
    expect(suggestBackgroundMode('ptt')).toBe('push-to-talk');
    expect(suggestBackgroundMode('PushToTalk')).toBe('push-to-talk');
    expect(suggestBackgroundMode('Audio')).toBe('audio');
    expect(suggestBackgroundMode('VoIP')).toBe('voip');
    expect(suggestBackgroundMode('bluetooth_central')).toBe('bluetooth-central');
    expect(suggestBackgroundMode('audoi')).toBe('audio');
    expect(suggestBackgroundMode('teleport')).toBeNull();
  });
});

describe(IGNORED, () => {
  it('flags INFOPLIST_KEY_UIBackgroundModes and a miscased declared key, at the setting line', async () => {
    const { findings } = await doctorJson('ios-config/generated-background-mode');
    expect(locationsOf(findings, IGNORED)).toEqual([
      'Stream.xcodeproj/project.pbxproj:158',
      'Stream.xcodeproj/project.pbxproj:175',
      'Stream.xcodeproj/project.pbxproj:177',
    ]);
    const at = (line: number) => findings.find((f) => f.ruleId === IGNORED && f.line === line)!;
    expect(at(158)).toMatchObject({ severity: 'error', column: 5 });
    expect(at(158).message).toContain('INFOPLIST_KEY_UIBackgroundModes is silently ignored');
    expect(at(177).message).toContain('"audio", "remote-notification"');
    expect(at(158).fix).toContain('create one and set INFOPLIST_FILE');
    expect(at(175).fix).toBe('Rename the setting to INFOPLIST_KEY_NSMicrophoneUsageDescription.');
    // The correctly spelled declared key on line 156 is fine.
    expect(findings.some((f) => f.ruleId === IGNORED && f.line === 156)).toBe(false);
  });

  it('warns about INFOPLIST_KEY_ audio keys when the Info.plist is not generated and lacks the key', async () => {
    const { findings } = await doctorJson('ios-config/generate-off-mic-key');
    expect(locationsOf(findings, IGNORED)).toEqual([
      'Recorder.xcodeproj/project.pbxproj:107',
      'Recorder.xcodeproj/project.pbxproj:129',
      'Recorder.xcodeproj/project.pbxproj:141',
    ]);
    for (const f of findings.filter((x) => x.ruleId === IGNORED)) expect(f.severity).toBe('warning');
    const at = (line: number) => findings.find((f) => f.ruleId === IGNORED && f.line === line)!;
    // Project-level INFOPLIST_KEY_UIBackgroundModes: dead but harmless, the Info.plist has "audio".
    expect(at(107).message).toContain('harmless here only because');
    expect(at(129).message).toContain('GENERATE_INFOPLIST_FILE is NO');
    expect(at(141).message).toContain('GENERATE_INFOPLIST_FILE is not set');
  });

  it('is quiet for honoured generated keys and for dead keys the Info.plist already has', async () => {
    // xcode16-synced: GENERATE_INFOPLIST_FILE = YES, INFOPLIST_KEY_NSMicrophoneUsageDescription, modes in Info.plist.
    // xcode15-groups: no INFOPLIST_KEY_ settings at all, GENERATE_INFOPLIST_FILE = NO.
    for (const fixture of ['ios-config/xcode16-synced', 'ios-config/xcode15-groups', 'ios-config/background-mode-typos']) {
      const { findings } = await doctorJson(fixture);
      expect(locationsOf(findings, IGNORED)).toEqual([]);
    }
  });

  it('stays quiet when GENERATE_INFOPLIST_FILE = NO but the Info.plist has the microphone key', async () => {
    const dir = copyFixture('ios-config/generate-off-mic-key');
    const plist = path.join(dir, 'Recorder/Info.plist');
    fs.writeFileSync(
      plist,
      fs.readFileSync(plist, 'utf8').replace('\t<key>UIBackgroundModes</key>', '\t<key>NSMicrophoneUsageDescription</key>\n\t<string>Record memos.</string>\n\t<key>UIBackgroundModes</key>'),
    );
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, IGNORED)).toEqual(['Recorder.xcodeproj/project.pbxproj:107']);
  });

  it('ignores the setting name in a comment and honours an inline suppression in project.pbxproj', async () => {
    const dir = copyFixture('ios-config/generated-background-mode');
    const pbx = path.join(dir, 'Stream.xcodeproj/project.pbxproj');
    const lines = fs.readFileSync(pbx, 'utf8').split('\n');
    // Line 158 (index 157) is the Debug INFOPLIST_KEY_UIBackgroundModes; put a suppression above it
    // and a commented-out copy of the setting; the Release one (now line 177 + 2) stays.
    lines.splice(
      157,
      0,
      '\t\t\t\t/* INFOPLIST_KEY_UIBackgroundModes = audio; */',
      '\t\t\t\t/* audiobg-ignore-next-line ios/infoplist-key-ignored -- tracked in JIRA-12 */',
    );
    fs.writeFileSync(pbx, lines.join('\n'));
    const { findings, raw } = await doctorJson(dir);
    expect(locationsOf(findings, IGNORED)).toEqual(['Stream.xcodeproj/project.pbxproj:177', 'Stream.xcodeproj/project.pbxproj:179']);
    expect(raw.summary.suppressed).toBe(1);
    expect(locationsOf(findings, 'audiobg/unused-suppression')).toEqual([]);
  });

  it('reports a broken project.pbxproj as a parse error at the line, and still checks the Info.plist', async () => {
    const { findings } = await doctorJson('ios-config/broken-pbxproj');
    expect(locationsOf(findings, 'audiobg/parse-error')).toEqual(['Broken.xcodeproj/project.pbxproj:132']);
    expect(locationsOf(findings, IGNORED)).toEqual([]);
    expect(locationsOf(findings, UNKNOWN)).toEqual(['Broken/Info.plist:9']);
  });
});

describe(`${IGNORED} in .xcconfig files`, () => {
  it('reports INFOPLIST_KEY_UIBackgroundModes once, at the shared .xcconfig line', async () => {
    const { findings } = await doctorJson('ios-config/xcconfig-app');
    expect(locationsOf(findings, IGNORED)).toEqual(['Config/Shared.xcconfig:6']);
    expect(findings.find((f) => f.ruleId === IGNORED)!.severity).toBe('error');
  });
});
