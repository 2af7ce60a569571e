// Choosing the Media3 version `add` writes: the app's own version when it has one, else the newest
// release its minSdk and compileSdk allow, else a refusal that names the setting to raise.

import { describe, expect, it } from 'vitest';
import { chooseMedia3, MEDIA3_RELEASES } from '../../src/facts/android/media3-releases.js';

describe('chooseMedia3', () => {
  it('keeps the version the app already uses, so all Media3 modules share one version', () => {
    const c = chooseMedia3({ minSdk: 21, compileSdk: 34, existing: '1.3.1' });
    expect(c).toMatchObject({ ok: true, reason: 'existing', release: { version: '1.3.1' } });
  });

  it('picks the newest release the app allows', () => {
    expect(chooseMedia3({ minSdk: 24, compileSdk: 36, existing: null })).toMatchObject({ ok: true, release: { version: '1.11.0' } });
    // compileSdk 35 rules out 1.10+ (minCompileSdk 36).
    expect(chooseMedia3({ minSdk: 24, compileSdk: 35, existing: null })).toMatchObject({ ok: true, release: { version: '1.9.4' } });
    // minSdk 21 rules out 1.9+ (minSdk 23).
    expect(chooseMedia3({ minSdk: 21, compileSdk: 36, existing: null })).toMatchObject({ ok: true, release: { version: '1.8.1' } });
    expect(chooseMedia3({ minSdk: 21, compileSdk: 34, existing: null })).toMatchObject({ ok: true, release: { version: '1.4.1' } });
    expect(chooseMedia3({ minSdk: 16, compileSdk: 33, existing: null })).toMatchObject({ ok: true, release: { version: '1.1.1' } });
  });

  it('takes unknown levels as allowing everything', () => {
    expect(chooseMedia3({ minSdk: null, compileSdk: null, existing: null })).toMatchObject({ ok: true, release: { version: MEDIA3_RELEASES[0]!.version } });
  });

  it('refuses, naming the setting to raise, when no release fits', () => {
    const c = chooseMedia3({ minSdk: 21, compileSdk: 32, existing: null });
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.raise).toEqual([{ setting: 'compileSdk', to: 33 }]);
      expect(c.message).toContain('raise compileSdk to at least 33');
    }
  });

  it('lists releases newest first, each needing no less than the next older one', () => {
    for (let i = 1; i < MEDIA3_RELEASES.length; i++) {
      const newer = MEDIA3_RELEASES[i - 1]!;
      const older = MEDIA3_RELEASES[i]!;
      expect(newer.minSdk).toBeGreaterThanOrEqual(older.minSdk);
      expect(newer.minCompileSdk).toBeGreaterThanOrEqual(older.minCompileSdk);
    }
  });
});
