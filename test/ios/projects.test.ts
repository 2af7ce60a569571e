import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorJson, locationsOf, FIXTURES } from '../support/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-ios-audio-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('Xcode project with two targets sharing a source file', () => {
  it('reports a code finding in the shared file once, and target findings for the target that compiles it', async () => {
    const { findings, raw } = await doctorJson('ios/xcode-two-targets');
    expect(raw.apps.map((a: { name: string }) => a.name)).toEqual(['Walkie']);
    expect(locationsOf(findings, 'ios/category-option-invalid')).toEqual(['Shared/AudioSetup.swift:14']);
    // WalkieLite compiles the shared .playAndRecord setup without a microphone string or `audio` mode.
    expect(locationsOf(findings, 'ios/microphone-usage-missing')).toEqual(['Shared/AudioSetup.swift:6']);
    expect(findings.find((f) => f.ruleId === 'ios/microphone-usage-missing')!.message).toContain('Target "WalkieLite"');
    expect(locationsOf(findings, 'ios/background-audio-mode-missing')).toEqual(['Shared/AudioSetup.swift:6']);
  });

  it('uses pbxproj membership and CODE_SIGN_ENTITLEMENTS for the Push to Talk target', async () => {
    const { findings } = await doctorJson('ios/xcode-two-targets');
    // OldActivation.swift calls setActive(true) but belongs to no target.
    expect(locationsOf(findings, 'ios/ptt-manual-activation')).toEqual([]);
    expect(locationsOf(findings, 'ios/ptt-entitlement-missing')).toEqual([]);
    expect(locationsOf(findings, 'ios/ptt-background-mode-missing')).toEqual([]);
    // The Walkie target gets its microphone string from INFOPLIST_KEY_NSMicrophoneUsageDescription.
    expect(findings.filter((f) => f.ruleId === 'ios/microphone-usage-missing' && f.message.includes('"Walkie"'))).toEqual([]);
  });
});

describe('bad input', () => {
  it('keeps checking around syntax errors, a binary .swift and an empty file', async () => {
    const { findings, raw } = await doctorJson('ios/broken-sources');
    expect(raw.internalErrors).toEqual([]);
    expect(locationsOf(findings, 'audiobg/parse-error')).toEqual(['Jukebox/Asset.swift:1']);
    expect(locationsOf(findings, 'ios/category-option-invalid')).toEqual(['Jukebox/HalfWritten.swift:9']);
    expect(locationsOf(findings, 'ios/session-error-ignored')).toEqual(['Jukebox/HalfWritten.swift:9']);
  });
});

describe('inline suppressions on Swift findings', () => {
  it('a real comment above the call suppresses one option finding; the same text in a string does not', async () => {
    const dir = path.join(tmp, 'suppressed');
    fs.cpSync(path.join(FIXTURES, 'ios/tutorial-radio'), dir, { recursive: true });
    const file = path.join(dir, 'Radio/RadioPlayer.swift');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    // Above setActive: the same words in a string literal, which must not suppress anything.
    lines.splice(8, 0, '        let note = "audiobg-ignore-next-line ios/session-error-ignored -- not a comment"; _ = note');
    // Above setCategory: a real comment.
    lines.splice(7, 0, '        // audiobg-ignore-next-line ios/session-error-ignored -- the tutorial code is kept verbatim for the blog post');
    fs.writeFileSync(file, lines.join('\n'));
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, 'ios/session-error-ignored')).toEqual(['Radio/RadioPlayer.swift:11']);
    expect(locationsOf(findings, 'ios/category-option-invalid')).toEqual(['Radio/RadioPlayer.swift:9', 'Radio/RadioPlayer.swift:9']);
  });
});
