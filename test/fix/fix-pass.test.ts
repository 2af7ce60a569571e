// The fix planner on its own: edits that would overlap wait for the next pass, identical intents
// from two findings are made once, and a fix that cannot be made says why.

import { describe, expect, it } from 'vitest';
import { planFixPass } from '../../src/edit/fixes.js';
import type { Finding } from '../../src/findings/finding.js';
import type { FixIntent } from '../../src/findings/fix-intent.js';

const FILE = '/virtual/Settings.swift';
const SOURCE = 'try s.setCategory(.playback, options: [.allowBluetooth, .defaultToSpeaker, .mixWithOthers])\n';
const MANIFEST = '/virtual/AndroidManifest.xml';
const MANIFEST_TEXT = '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n    <application />\n</manifest>\n';

function finding(ruleId: string, fixes: FixIntent[]): Finding {
  return { ruleId, severity: 'error', message: 'm', location: { file: fixes[0]!.file, line: 1, column: 1 }, why: '', fix: '', docs: [], fingerprint: '', fixes };
}

const files = new Map([
  [FILE, Buffer.from(SOURCE)],
  [MANIFEST, Buffer.from(MANIFEST_TEXT)],
]);
const read = (f: string) => files.get(f) ?? null;

describe('planFixPass', () => {
  it('defers a removal whose range meets one already planned, and the next pass converges', async () => {
    const col = (t: string) => SOURCE.indexOf(t) + 1;
    const a = finding('ios/category-option-invalid', [{ kind: 'swift-remove-option', file: FILE, at: { line: 1, column: col('.allowBluetooth') }, text: '.allowBluetooth' }]);
    const b = finding('ios/category-option-invalid', [{ kind: 'swift-remove-option', file: FILE, at: { line: 1, column: col('.defaultToSpeaker') }, text: '.defaultToSpeaker' }]);
    const first = await planFixPass([a, b], read);
    expect(first.deferred).toBe(1);
    const once = first.files[0]!.content.toString();
    expect(once).toBe('try s.setCategory(.playback, options: [.defaultToSpeaker, .mixWithOthers])\n');
    const second = await planFixPass([finding('ios/category-option-invalid', [{ kind: 'swift-remove-option', file: FILE, at: { line: 1, column: once.indexOf('.defaultToSpeaker') + 1 }, text: '.defaultToSpeaker' }])], (f) =>
      f === FILE ? Buffer.from(once) : read(f),
    );
    expect(second.deferred).toBe(0);
    expect(second.files[0]!.content.toString()).toBe('try s.setCategory(.playback, options: [.mixWithOthers])\n');
  });

  it('makes an identical change once, content edits in one pass, and reports what cannot be done', async () => {
    const perm = (p: string): FixIntent => ({ kind: 'manifest-add-permission', file: MANIFEST, permission: p });
    const pass = await planFixPass(
      [
        finding('android/foreground-service-permission-missing', [perm('android.permission.FOREGROUND_SERVICE')]),
        finding('android/wake-lock-permission-missing', [perm('android.permission.WAKE_LOCK')]),
        finding('android/wake-lock-permission-missing', [perm('android.permission.WAKE_LOCK')]),
        finding('ios/category-option-invalid', [{ kind: 'swift-remove-option', file: FILE, at: { line: 1, column: 3 }, text: '.gone' }]),
      ],
      read,
    );
    expect(pass.deferred).toBe(0);
    expect(pass.files.map((f) => f.content.toString())).toEqual([
      '<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n    <uses-permission android:name="android.permission.FOREGROUND_SERVICE" />\n    <uses-permission android:name="android.permission.WAKE_LOCK" />\n    <application />\n</manifest>\n',
    ]);
    expect(pass.applied).toHaveLength(2);
    expect(pass.skipped).toEqual([{ ruleId: 'ios/category-option-invalid', file: FILE, line: 1, reason: `the option .gone is no longer where it was in ${FILE}` }]);
  });
});
