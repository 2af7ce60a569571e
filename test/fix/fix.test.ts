// `audiobg doctor --fix` and `--fix-dry-run`: for every fixable rule, on a copy of a fixture,
// the fix makes exactly the promised change, leaves every other byte alone (CRLF, tabs, comments),
// is idempotent, and doctor no longer reports the finding; the dry run writes nothing.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { FIXTURES, REPO_ROOT, runCli } from '../support/cli.js';
import { snapshot } from '../support/fixture-copies.js';

// The SARIF schema the core SARIF tests use (beside the repository; required under CI).
const SCHEMA_PATH = path.resolve(REPO_ROOT, '../shared/reference/sarif/sarif-schema-2.1.0.json');
const SKIP_SCHEMA = !fs.existsSync(SCHEMA_PATH) && !process.env.CI;

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function copy(fixture: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-fix-'));
  made.push(root);
  const dest = path.join(root, path.basename(fixture));
  fs.cpSync(path.join(FIXTURES, fixture), dest, { recursive: true });
  return dest;
}

function changedFiles(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => !before.get(k)?.equals(after.get(k) ?? Buffer.alloc(0)) || !after.has(k)).sort();
}

const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

async function doctor(dir: string, extra: string[] = []) {
  const run = await runCli(['doctor', dir, '--format', 'json', ...extra]);
  return { ...run, findings: JSON.parse(run.stdout).findings as { ruleId: string; file: string; line: number; fixable: boolean }[] };
}

/** Fix, then check the second run changes nothing and the rules are silent. */
async function fixTwice(dir: string, gone: string[]) {
  const before = snapshot(dir);
  const first = await runCli(['doctor', dir, '--fix']);
  expect(first.code, first.stderr).not.toBe(2);
  const after = snapshot(dir);
  const second = await runCli(['doctor', dir, '--fix']);
  expect(snapshot(dir)).toEqual(after);
  expect(second.stdout).toContain('nothing to fix automatically; no file was changed');
  const { findings } = await doctor(dir);
  for (const id of gone) expect(findings.filter((f) => f.ruleId === id)).toEqual([]);
  return { first, before, after, findings };
}

describe('Android manifest fixes', () => {
  const EXPECTED = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<manifest xmlns:android="http://schemas.android.com/apk/res/android">',
    '',
    '\t<!-- Radio streams from the network only -->',
    '\t<uses-permission android:name="android.permission.INTERNET" />',
    '\t<uses-permission android:name="android.permission.FOREGROUND_SERVICE" />',
    '\t<uses-permission android:name="android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK" />',
    '\t<uses-permission android:name="android.permission.WAKE_LOCK" />',
    '',
    '\t<application android:label="Radio">',
    '\t\t<service android:name=".StationService" android:foregroundServiceType="mediaPlayback" android:exported="true">',
    '\t\t\t<intent-filter>',
    '\t\t\t\t<action android:name="androidx.media3.session.MediaSessionService" />',
    '\t\t\t</intent-filter>',
    '\t\t</service>',
    '\t\t<!-- the settings screen -->',
    '\t\t<activity android:name=".SettingsActivity" android:exported="false" />',
    '\t</application>',
    '</manifest>',
    '',
  ].join('\r\n');
  const RULES = [
    'android/foreground-service-permission-missing',
    'android/media-playback-permission-missing',
    'android/wake-lock-permission-missing',
    'android/service-type-missing',
    'android/session-service-intent-filter-missing',
    'android/session-service-not-exported',
  ];
  const MANIFEST = 'app/src/main/AndroidManifest.xml';

  it('adds the permissions, the service type, the intent filter and exported, CRLF and tabs kept', async () => {
    const dir = copy('fix/android-media3');
    const found = await doctor(dir);
    for (const id of RULES) expect(found.findings.find((f) => f.ruleId === id)?.fixable, id).toBe(true);
    expect(found.findings.find((f) => f.ruleId === 'android/audio-focus-not-requested')?.fixable).toBe(false);

    const { first, before, after, findings } = await fixTwice(dir, RULES);
    expect(changedFiles(before, after)).toEqual([MANIFEST]);
    expect(read(dir, MANIFEST)).toBe(EXPECTED);
    expect(first.stdout).toMatch(/^audiobg: fixed 6 findings \(\d+ changes in 1 file: app\/src\/main\/AndroidManifest\.xml\)$/m);
    // Audio focus needs judgement: it stays reported (a warning, so the run passes).
    expect(findings.map((f) => f.ruleId)).toEqual(['android/audio-focus-not-requested']);
    expect(first.code).toBe(0);
  });

  it('--fix-dry-run prints the diff, writes nothing and exits as if fixed', async () => {
    const dir = copy('fix/android-media3');
    const before = snapshot(dir);
    const run = await runCli(['doctor', dir, '--fix-dry-run']);
    expect(snapshot(dir)).toEqual(before);
    expect(run.stdout).toContain(`--- a/${MANIFEST}\n+++ b/${MANIFEST}\n`);
    expect(run.stdout).toContain('+\t<uses-permission android:name="android.permission.WAKE_LOCK" />\r\n');
    expect(run.stdout).toContain('-\t\t<service android:name=".StationService" />\r\n');
    expect(run.stderr).toContain('would fix 6 findings');
    expect(run.stderr).toContain('nothing was written (--fix-dry-run)');
    expect(run.code).toBe(0);
  });

  it('edits a symlinked manifest through the link, which stays a link', async () => {
    const dir = copy('fix/android-media3');
    const real = path.join(dir, 'shared/RadioManifest.xml');
    fs.mkdirSync(path.dirname(real));
    fs.renameSync(path.join(dir, MANIFEST), real);
    fs.symlinkSync(path.relative(path.dirname(path.join(dir, MANIFEST)), real), path.join(dir, MANIFEST));
    const run = await runCli(['doctor', dir, '--fix', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(fs.lstatSync(path.join(dir, MANIFEST)).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe(EXPECTED);
  });

  it('keeps the file mode, and refuses a read-only file: exit 2, file named, nothing written', async () => {
    const dir = copy('fix/android-media3');
    fs.chmodSync(path.join(dir, MANIFEST), 0o640);
    await runCli(['doctor', dir, '--fix']);
    expect(fs.statSync(path.join(dir, MANIFEST)).mode & 0o777).toBe(0o640);

    const ro = copy('fix/ios-player');
    fs.chmodSync(path.join(ro, 'Tuner/Info.plist'), 0o444);
    const before = snapshot(ro);
    const run = await runCli(['doctor', ro, '--fix']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Tuner/Info.plist is read-only');
    expect(run.stderr).toContain('nothing was changed');
    // The Swift file had its own fixes: they are not written either.
    expect(snapshot(ro)).toEqual(before);
  });

  it('machine-readable output stays clean: the summary goes to stderr', async () => {
    const dir = copy('fix/android-media3');
    const run = await runCli(['doctor', dir, '--fix', '--format', 'json']);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(run.stderr).toMatch(/^audiobg: fixed 6 findings/m);
  });

  it('without --fix, the log says how many findings --fix would correct', async () => {
    const run = await runCli(['doctor', copy('fix/android-media3'), '--format', 'json']);
    expect(run.stderr).toContain('audiobg: 6 findings have an automatic fix: run with --fix (or --fix-dry-run to see the diff first)');
    const clean = await runCli(['doctor', copy('fix/expo-turned-off'), '--fix', '--format', 'json']);
    expect(clean.stderr).not.toContain('automatic fix:');
  });
});

describe('iOS fixes', () => {
  it('adds `audio` to the Info.plist and removes invalid options on the syntax tree', async () => {
    const dir = copy('fix/ios-player');
    const swiftBefore = read(dir, 'Tuner/AudioSetup.swift');
    const { first, before, after, findings } = await fixTwice(dir, ['ios/background-audio-mode-missing']);
    expect(changedFiles(before, after)).toEqual(['Tuner/AudioSetup.swift', 'Tuner/Info.plist']);
    expect(read(dir, 'Tuner/Info.plist')).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
        '<plist version="1.0">',
        '<dict>',
        '\t<key>CFBundleIdentifier</key>',
        '\t<string>$(PRODUCT_BUNDLE_IDENTIFIER)</string>',
        '\t<!-- shown under the app icon -->',
        '\t<key>CFBundleName</key>',
        '\t<string>Tuner</string>',
        '\t<key>UIBackgroundModes</key>',
        '\t<array>',
        '\t\t<string>audio</string>',
        '\t</array>',
        '</dict>',
        '</plist>',
        '',
      ].join('\r\n'),
    );
    const expected = swiftBefore
      // An element of a multi-line list goes with its separator; the comment on its neighbour stays.
      .replace('                .defaultToSpeaker,\n', '')
      // A list of one becomes [], and so does a lone option.
      .replace('options: [.allowBluetooth])', 'options: [])')
      .replace('options: .defaultToSpeaker)', 'options: [])');
    expect(read(dir, 'Tuner/AudioSetup.swift')).toBe(expected);
    expect(read(dir, 'Tuner/AudioSetup.swift')).toContain('.duckOthers, // lower other apps instead of stopping them\n                .mixWithOthers,\n');
    // The near miss (valid options, no space after the comma) is untouched.
    expect(read(dir, 'Tuner/AudioSetup.swift')).toContain('options: [.mixWithOthers,.duckOthers])');
    // The option with a comment beside it is left, and the log says why.
    expect(findings.filter((f) => f.ruleId === 'ios/category-option-invalid').map((f) => f.line)).toEqual([27]); // line 28 before the fix
    expect(first.stderr).toMatch(/not fixed: Tuner\/AudioSetup\.swift:28 ios\/category-option-invalid: a comment sits beside \.allowBluetooth/);
  });

  it('removes an invalid option from an Objective-C `A | B` argument, a lone one becoming 0', async () => {
    const dir = copy('fix/ios-objc');
    const before = read(dir, 'Deck/DeckAudio.m');
    await fixTwice(dir, ['ios/category-option-invalid']);
    expect(read(dir, 'Deck/DeckAudio.m')).toBe(
      before
        .replace('withOptions:AVAudioSessionCategoryOptionDefaultToSpeaker | AVAudioSessionCategoryOptionMixWithOthers\n', 'withOptions:AVAudioSessionCategoryOptionMixWithOthers\n')
        .replace('withOptions:AVAudioSessionCategoryOptionAllowBluetooth error:', 'withOptions:0 error:'),
    );
    // The near miss keeps its options, spacing included.
    expect(read(dir, 'Deck/DeckAudio.m')).toContain('withOptions:AVAudioSessionCategoryOptionMixWithOthers|AVAudioSessionCategoryOptionDuckOthers\n');
  });

  it('respells an unknown background mode only when the intended one is certain', async () => {
    const dir = copy('fix/ios-typo');
    const plistBefore = read(dir, 'Clock/Info.plist');
    const { findings } = await fixTwice(dir, []);
    expect(read(dir, 'Clock/Info.plist')).toBe(
      plistBefore.replace('\t\t<string>Audio</string>', '\t\t<string>audio</string>').replace('<string>remote-notifications</string>', '<string>remote-notification</string>'),
    );
    // The commented-out value stays as written; "teleport" has no certain meaning and stays reported.
    expect(read(dir, 'Clock/Info.plist')).toContain('<!-- <string>Audio</string> is how the first release spelled it -->');
    expect(findings.filter((f) => f.ruleId === 'ios/background-mode-unknown').map((f) => f.line)).toEqual([13]);
  });

  it('adds push-to-talk and the Push to Talk entitlements', async () => {
    const dir = copy('fix/ios-ptt');
    const plist = read(dir, 'Talk/Info.plist');
    const ent = read(dir, 'Talk/Talk.entitlements');
    await fixTwice(dir, ['ios/ptt-background-mode-missing', 'ios/ptt-entitlement-missing']);
    expect(read(dir, 'Talk/Info.plist')).toBe(plist.replace('\t\t<string>audio</string>\n', '\t\t<string>audio</string>\n\t\t<string>push-to-talk</string>\n'));
    expect(read(dir, 'Talk/Talk.entitlements')).toBe(ent.replace('\t<false/>\n', '\t<true/>\n\t<key>aps-environment</key>\n\t<string>development</string>\n'));
  });
});

describe('a target whose Info.plist Xcode generates', () => {
  it('creates an Info.plist beside the project and points INFOPLIST_FILE at it in every configuration', async () => {
    const dir = copy('fix/ios-generated');
    const pbx = read(dir, 'Stream.xcodeproj/project.pbxproj');
    const { before, after } = await fixTwice(dir, ['ios/background-audio-mode-missing']);
    expect(changedFiles(before, after)).toEqual(['Stream-Info.plist', 'Stream.xcodeproj/project.pbxproj']);
    expect(read(dir, 'Stream-Info.plist')).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
        '<plist version="1.0">',
        '<dict>',
        '\t<key>UIBackgroundModes</key>',
        '\t<array>',
        '\t\t<string>audio</string>',
        '\t</array>',
        '</dict>',
        '</plist>',
        '',
      ].join('\n'),
    );
    const added = read(dir, 'Stream.xcodeproj/project.pbxproj');
    expect(added.replaceAll('\t\t\t\tINFOPLIST_FILE = Stream-Info.plist;\n', '')).toBe(pbx);
    expect(added.split('INFOPLIST_FILE = Stream-Info.plist;').length - 1).toBe(2); // Debug and Release
  });
});

describe('Expo app config fixes (app.json only)', () => {
  it('adds UIBackgroundModes to ios.infoPlist in the file\'s own indentation', async () => {
    const dir = copy('fix/expo-app');
    const before = read(dir, 'app.json');
    await fixTwice(dir, ['expo/background-audio-mode-missing']);
    expect(read(dir, 'app.json')).toBe(
      before.replace(
        '\t\t\t\t"ITSAppUsesNonExemptEncryption": false\n',
        '\t\t\t\t"ITSAppUsesNonExemptEncryption": false,\n\t\t\t\t"UIBackgroundModes": [\n\t\t\t\t\t"audio"\n\t\t\t\t]\n',
      ),
    );
  });

  it('turns a plugin option written false back on', async () => {
    const dir = copy('fix/expo-turned-off');
    const before = read(dir, 'app.json');
    await fixTwice(dir, ['expo/background-audio-mode-missing']);
    expect(read(dir, 'app.json')).toBe(before.replace('"enableBackgroundPlayback": false', '"enableBackgroundPlayback": true'));
  });

  it('never edits the ios/ folder `expo prebuild` generates', async () => {
    const dir = copy('expo/prebuild-generated');
    const before = snapshot(dir);
    const run = await runCli(['doctor', dir, '--fix', '--format', 'json']);
    expect(snapshot(dir)).toEqual(before);
    expect(run.stderr).toContain('ios/RadioNight/Info.plist is generated by `expo prebuild`, so the fix belongs in the app config');
  });

  it('leaves a dynamic app.config.ts alone and says so', async () => {
    const dir = copy('expo/dynamic-config-ts');
    const before = snapshot(dir);
    const run = await runCli(['doctor', dir, '--fix', '--format', 'json']);
    expect(snapshot(dir)).toEqual(before);
    expect(run.stderr).toMatch(/not fixed automatically: .*app\.config\.ts is a dynamic app config; --fix only edits app\.json/);
    expect(run.code).toBe(1);
  });
});

describe('--fix with a baseline', () => {
  it('fixes only the findings the baseline does not accept', async () => {
    const dir = copy('fix/ios-typo');
    const baseline = path.join(dir, 'audiobg-baseline.json');
    await runCli(['doctor', dir, '--baseline', baseline]);
    const plist = path.join(dir, 'Clock/Info.plist');
    fs.writeFileSync(plist, fs.readFileSync(plist, 'utf8').replace('<string>fetch</string>', '<string>fetch</string>\n\t\t<string>VoIP</string>'));
    const run = await runCli(['doctor', dir, '--fix', '--baseline', baseline]);
    const text = fs.readFileSync(plist, 'utf8');
    expect(text).toContain('<string>voip</string>');
    expect(text).toContain('\t\t<string>Audio</string>'); // baselined: left as it is
    expect(run.stdout).toContain('fixed 1 finding');
  });
});

describe('rules, explain and SARIF', () => {
  it('rules and explain say which rules are fixable', async () => {
    const rules = await runCli(['rules', '--json']);
    const fixable = (JSON.parse(rules.stdout) as { id: string; fixable?: boolean }[]).filter((r) => r.fixable).map((r) => r.id);
    expect(fixable).toEqual(
      expect.arrayContaining(['ios/background-audio-mode-missing', 'ios/category-option-invalid', 'android/wake-lock-permission-missing', 'expo/background-audio-mode-missing']),
    );
    expect(fixable).not.toContain('ios/interruption-not-handled');
    expect((await runCli(['explain', 'android/service-type-missing'])).stdout).toContain('Fixable: `audiobg doctor --fix`');
    expect((await runCli(['explain', 'ios/interruption-not-handled'])).stdout).toContain('Not fixed automatically');
  });

  it('SARIF results carry the fix as artifactChanges/replacements that reproduce --fix', async () => {
    const dir = copy('fix/ios-player');
    const run = await runCli(['doctor', dir, '--format', 'sarif']);
    const log = JSON.parse(run.stdout);
    const results = log.runs[0].results as any[];
    const mode = results.find((r) => r.ruleId === 'ios/background-audio-mode-missing');
    const change = mode.fixes[0].artifactChanges[0];
    expect(change.artifactLocation).toEqual({ uri: 'Tuner/Info.plist', uriBaseId: '%SRCROOT%' });
    const rep = change.replacements[0];
    const original = read(dir, 'Tuner/Info.plist');
    const applied = original.slice(0, rep.deletedRegion.charOffset) + (rep.insertedContent?.text ?? '') + original.slice(rep.deletedRegion.charOffset + rep.deletedRegion.charLength);
    await runCli(['doctor', dir, '--fix']);
    expect(read(dir, 'Tuner/Info.plist')).toBe(applied);
    // A finding without an automatic fix has no fixes[]; one whose fix cannot be made neither.
    const commented = results.find((r) => r.ruleId === 'ios/category-option-invalid' && r.locations[0].physicalLocation.region.startLine === 28);
    expect(commented).toBeDefined();
    expect(commented.fixes).toBeUndefined();
  });

  it.skipIf(SKIP_SCHEMA)('SARIF with fixes[] validates against the SARIF 2.1.0 schema', async () => {
    const { id, ...rest } = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'));
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
    const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile({ ...rest, $schema: 'http://json-schema.org/draft-07/schema#', $id: id });
    for (const fixture of ['fix/android-media3', 'fix/ios-player', 'fix/expo-app']) {
      const log = JSON.parse((await runCli(['doctor', copy(fixture), '--format', 'sarif'])).stdout);
      expect((log.runs[0].results as any[]).some((r) => r.fixes?.length)).toBe(true);
      validate(log);
      expect(validate.errors ?? []).toEqual([]);
    }
    // Not vacuous: a replacement without its deleted region is rejected.
    const log = JSON.parse((await runCli(['doctor', copy('fix/ios-ptt'), '--format', 'sarif'])).stdout);
    delete (log.runs[0].results as any[]).find((r) => r.fixes)!.fixes[0].artifactChanges[0].replacements[0].deletedRegion;
    expect(validate(log)).toBe(false);
  });
});
