// MediaButtonReceiver resolution beyond the androidx / Media3 classes covered in fixtures.test.ts:
// the pre-AndroidX support library receiver, and browser services disabled in the manifest that the
// app switches on at run time. Fixture: fixtures/android/support-media-button (three apps).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorJson, FIXTURES, locationsOf } from '../support/cli.js';

const RULE = 'android/media-button-receiver-unresolvable';
const copies: string[] = [];
afterAll(() => {
  for (const c of copies) fs.rmSync(c, { recursive: true, force: true });
});

describe('android: MediaButtonReceiver from the support library, and services enabled at run time', () => {
  it('reports the support library receiver with no service, not the one whose service handles MEDIA_BUTTON, nor disabled browser services', async () => {
    const { findings } = await doctorJson('android/support-media-button');
    expect(findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([`${RULE} radio/src/main/AndroidManifest.xml:5`]);
    expect(findings[0]!.message).toContain('Support library MediaButtonReceiver `android.support.v4.media.session.MediaButtonReceiver`');
  });

  it('reports the run-time switched app once its services stop declaring the browser action', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-mbr-'));
    copies.push(dir);
    fs.cpSync(path.join(FIXTURES, 'android/support-media-button'), dir, { recursive: true });
    const manifest = path.join(dir, 'switcher/src/main/AndroidManifest.xml');
    const before = fs.readFileSync(manifest, 'utf8');
    const after = before.replace(/<action android:name="android.media.browse.MediaBrowserService" \/>/g, '<action android:name="org.sample.switcher.ENGINE" />');
    expect(after).not.toBe(before);
    fs.writeFileSync(manifest, after);
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, RULE)).toEqual(['radio/src/main/AndroidManifest.xml:5', 'switcher/src/main/AndroidManifest.xml:7']);
  });
});
