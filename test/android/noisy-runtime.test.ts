// android/becoming-noisy-in-manifest stays silent when the app pauses on AUDIO_BECOMING_NOISY some
// other way (ExoPlayer's setHandleAudioBecomingNoisy(true), or a receiver registered at run time):
// the manifest entry is dead but costs nothing. Fixture: fixtures/android/noisy-runtime.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorJson, FIXTURES, locationsOf } from '../support/cli.js';

const RULE = 'android/becoming-noisy-in-manifest';
const copies: string[] = [];
afterAll(() => {
  for (const c of copies) fs.rmSync(c, { recursive: true, force: true });
});

function edited(rel: string, edit: (t: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-noisy-'));
  copies.push(dir);
  fs.cpSync(path.join(FIXTURES, 'android/noisy-runtime'), dir, { recursive: true });
  const file = path.join(dir, rel);
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(file, after);
  return dir;
}

describe('android: a manifest AUDIO_BECOMING_NOISY receiver when the app handles noisy at run time', () => {
  it('reports only the app that neither lets ExoPlayer handle noisy nor registers a receiver', async () => {
    const { findings } = await doctorJson('android/noisy-runtime');
    expect(findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual([`${RULE} ignored/src/main/AndroidManifest.xml:13`]);
  });

  it('reports the ExoPlayer app once it turns noisy handling off', async () => {
    const dir = edited('handled/src/main/java/org/sample/handled/SongService.kt', (t) => t.replace('setHandleAudioBecomingNoisy(true)', 'setHandleAudioBecomingNoisy(false)'));
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, RULE)).toEqual(['handled/src/main/AndroidManifest.xml:13', 'ignored/src/main/AndroidManifest.xml:13']);
  });

  it('reports the run-time receiver app once its IntentFilter is for another action', async () => {
    const dir = edited('registered/src/main/java/org/sample/registered/SongService.kt', (t) => t.replace('AudioManager.ACTION_AUDIO_BECOMING_NOISY', 'AudioManager.ACTION_HEADSET_PLUG'));
    const { findings } = await doctorJson(dir);
    expect(locationsOf(findings, RULE)).toEqual(['ignored/src/main/AndroidManifest.xml:13', 'registered/src/main/AndroidManifest.xml:13']);
  });
});
