// What each stable Media3 release asks of the app that depends on it.
//
// Read from the releases' own build settings (androidx/media at each release tag: `constants.gradle`
// up to 1.10, `gradle/libs.versions.toml` from 1.11). Every Media3 library module sets its AAR
// metadata's `minCompileSdk` to the compileSdk it was built with, so an app whose compileSdk is
// lower fails `checkDebugAarMetadata`; and its `minSdk`, which an app with a lower minSdk fails at
// manifest merging. All Media3 modules of one app must share one version.

export interface Media3Release {
  version: string;
  /** The lowest minSdk an app may have. */
  minSdk: number;
  /** The lowest compileSdk an app may have (the AAR metadata's minCompileSdk). */
  minCompileSdk: number;
}

/** Newest first. */
export const MEDIA3_RELEASES: readonly Media3Release[] = [
  { version: '1.11.0', minSdk: 23, minCompileSdk: 36 },
  { version: '1.10.1', minSdk: 23, minCompileSdk: 36 },
  { version: '1.10.0', minSdk: 23, minCompileSdk: 36 },
  { version: '1.9.4', minSdk: 23, minCompileSdk: 35 },
  { version: '1.9.3', minSdk: 23, minCompileSdk: 35 },
  { version: '1.9.2', minSdk: 23, minCompileSdk: 35 },
  { version: '1.9.1', minSdk: 23, minCompileSdk: 35 },
  { version: '1.9.0', minSdk: 23, minCompileSdk: 35 },
  { version: '1.8.1', minSdk: 21, minCompileSdk: 35 },
  { version: '1.8.0', minSdk: 21, minCompileSdk: 35 },
  { version: '1.7.1', minSdk: 21, minCompileSdk: 35 },
  { version: '1.6.1', minSdk: 21, minCompileSdk: 35 },
  { version: '1.6.0', minSdk: 21, minCompileSdk: 35 },
  { version: '1.5.1', minSdk: 21, minCompileSdk: 35 },
  { version: '1.5.0', minSdk: 21, minCompileSdk: 35 },
  { version: '1.4.1', minSdk: 19, minCompileSdk: 34 },
  { version: '1.4.0', minSdk: 19, minCompileSdk: 34 },
  { version: '1.3.1', minSdk: 19, minCompileSdk: 34 },
  { version: '1.3.0', minSdk: 19, minCompileSdk: 34 },
  { version: '1.2.1', minSdk: 16, minCompileSdk: 34 },
  { version: '1.2.0', minSdk: 16, minCompileSdk: 34 },
  { version: '1.1.1', minSdk: 16, minCompileSdk: 33 },
  { version: '1.1.0', minSdk: 16, minCompileSdk: 33 },
  { version: '1.0.2', minSdk: 16, minCompileSdk: 33 },
  { version: '1.0.1', minSdk: 16, minCompileSdk: 33 },
  { version: '1.0.0', minSdk: 16, minCompileSdk: 33 },
];

export function media3Release(version: string): Media3Release | undefined {
  return MEDIA3_RELEASES.find((r) => r.version === version);
}

export type Media3Choice =
  | { ok: true; release: Media3Release; reason: 'existing' | 'newest-that-fits' }
  /** `raise` names each setting that must go up for the newest release to fit. */
  | { ok: false; message: string; raise: { setting: 'minSdk' | 'compileSdk'; to: number }[] };

/**
 * The Media3 version `add` should use: the one the app already depends on (all modules must share
 * it), else the newest release the app's minSdk and compileSdk allow. Unknown levels are taken as
 * allowing everything (the caller says they were assumed).
 */
export function chooseMedia3(app: { minSdk: number | null; compileSdk: number | null; existing: string | null }): Media3Choice {
  if (app.existing) {
    const known = media3Release(app.existing);
    const release = known ?? { version: app.existing, minSdk: 0, minCompileSdk: 0 };
    return { ok: true, release, reason: 'existing' };
  }
  const fits = (r: Media3Release) => (app.minSdk === null || app.minSdk >= r.minSdk) && (app.compileSdk === null || app.compileSdk >= r.minCompileSdk);
  const best = MEDIA3_RELEASES.find(fits);
  if (best) return { ok: true, release: best, reason: 'newest-that-fits' };
  const oldest = MEDIA3_RELEASES[MEDIA3_RELEASES.length - 1]!;
  const raise: { setting: 'minSdk' | 'compileSdk'; to: number }[] = [];
  if (app.compileSdk !== null && app.compileSdk < oldest.minCompileSdk) raise.push({ setting: 'compileSdk', to: oldest.minCompileSdk });
  if (app.minSdk !== null && app.minSdk < oldest.minSdk) raise.push({ setting: 'minSdk', to: oldest.minSdk });
  const what = raise.map((r) => `${r.setting} to at least ${r.to}`).join(' and ');
  return {
    ok: false,
    raise,
    message: `no Media3 release fits this module (minSdk ${app.minSdk ?? '?'}, compileSdk ${app.compileSdk ?? '?'}): raise ${what}, or use --android-stack platform, which needs no Media3`,
  };
}
