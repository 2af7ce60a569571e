// ts-morph costs ~0.4 s to load: native-only runs, and JS apps with nothing for it to read, never load it.
// (vitest runs each test file in a fresh module context, so the flag starts false here.)

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsMorphLoaded } from '../../src/facts/expo/ts-loader.js';
import { doctorJson } from '../support/cli.js';

describe('lazy ts-morph', () => {
  it('is not loaded for native iOS and Android projects', async () => {
    await doctorJson('ios/correct-playback');
    await doctorJson('android/media3-clean');
    await doctorJson('examples/podcast-player');
    expect(tsMorphLoaded()).toBe(false);
  });

  it('is not loaded for an app.json-only Expo app whose sources never mention an audio library', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-lazy-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "x", "dependencies": { "expo": "~56.0.0", "react-native": "0.81.4" } }');
      fs.writeFileSync(path.join(dir, 'app.json'), '{ "expo": { "name": "X" } }');
      fs.writeFileSync(path.join(dir, 'App.tsx'), 'export default function App() { return null; }\n');
      const { raw } = await doctorJson(dir);
      expect(raw.apps).toEqual([{ platform: 'expo', name: 'x', path: '.' }]);
      expect(tsMorphLoaded()).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is loaded once an app has JS that mentions an audio library', async () => {
    await doctorJson('expo/managed-new-plugin');
    expect(tsMorphLoaded()).toBe(true);
  });
});
