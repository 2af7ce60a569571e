// `audiobg add playback-service` on Android modules where the default would not build: a Java-only
// module, a low minSdk or compileSdk, an existing Media3 version, AndroidX switched off. Either the
// result fits the module, or the command refuses with the setting to change and writes nothing.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { doctorJson, FIXTURES, runCli } from '../support/cli.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-add-fit-'));
  temps.push(dir);
  fs.cpSync(path.join(FIXTURES, 'add', name), dir, { recursive: true });
  return dir;
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p).split(path.sep).join('/'), fs.readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k)).sort();
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  fs.writeFileSync(file, next);
}

async function expectRefused(dir: string, args: string[], ...messages: string[]): Promise<string> {
  const before = snapshot(dir);
  const run = await runCli(['add', 'playback-service', '--into', dir, ...args]);
  expect(run.code).toBe(2);
  for (const m of messages) expect(run.stderr).toContain(m);
  expect(changed(before, snapshot(dir))).toEqual([]);
  return run.stderr;
}

describe('the service is written in the module\'s language', () => {
  for (const stack of ['media3', 'platform']) {
    it(`a Java-only module gets PlaybackService.java (${stack}), and doctor reports nothing`, async () => {
      const dir = copyFixture('android-java');
      const run = await runCli(['add', 'playback-service', '--into', dir, '--android-stack', stack]);
      expect(run.code).toBe(0);
      const service = path.join(dir, 'app/src/main/java/com/example/tides/PlaybackService.java');
      expect(fs.existsSync(service)).toBe(true);
      expect(fs.existsSync(service.replace(/\.java$/, '.kt'))).toBe(false);
      const text = fs.readFileSync(service, 'utf8');
      expect(text).toMatch(/^package com\.example\.tides;\n/);
      expect(text).toContain(stack === 'media3' ? 'public class PlaybackService extends MediaSessionService' : 'public class PlaybackService extends Service');
      expect(text).not.toContain('{{');
      expect(run.stdout).toContain('in Java');
      const manifest = fs.readFileSync(path.join(dir, 'app/src/main/AndroidManifest.xml'), 'utf8');
      expect(manifest).toContain('android:name="com.example.tides.PlaybackService"');
      const { findings } = await doctorJson(dir);
      expect(findings).toEqual([]);
    });
  }

  it('--language kotlin on a Java-only module is refused, naming the plugin and the flag', async () => {
    const dir = copyFixture('android-java');
    await expectRefused(dir, ['--language', 'kotlin'], 'does not compile Kotlin', 'org.jetbrains.kotlin.android', '--language kotlin');
  });

  it('--language java is honoured in a Kotlin module', async () => {
    const dir = copyFixture('android-minsdk21');
    const run = await runCli(['add', 'playback-service', '--into', dir, '--language', 'java']);
    expect(run.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'app/src/main/java/net/example/shanty/PlaybackService.java'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'app/src/main/java/net/example/shanty/PlaybackService.kt'))).toBe(false);
  });

  it('never writes a second PlaybackService in the other language, not even with --force', async () => {
    const dir = copyFixture('android-minsdk21');
    expect((await runCli(['add', 'playback-service', '--into', dir])).code).toBe(0);
    for (const extra of [[], ['--force']]) {
      await expectRefused(dir, ['--language', 'java', ...extra], 'app/src/main/java/net/example/shanty/PlaybackService.kt already exists');
    }
  });

  it('near miss: the Kotlin plugin applied through `kotlin-android` gives Kotlin', async () => {
    const dir = copyFixture('android-minsdk21');
    fs.rmSync(path.join(dir, 'app/src/main/java/net/example/shanty/MainActivity.kt'));
    expect((await runCli(['add', 'playback-service', '--into', dir])).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'app/src/main/java/net/example/shanty/PlaybackService.kt'))).toBe(true);
  });

  it('near miss: AGP 9 compiles Kotlin itself, unless android.builtInKotlin=false', async () => {
    const dir = copyFixture('android-java');
    edit(path.join(dir, 'build.gradle.kts'), '"8.7.3"', '"9.0.0"');
    expect((await runCli(['add', 'playback-service', '--into', dir, '--dry-run'])).stdout).toContain('PlaybackService.kt');
    fs.appendFileSync(path.join(dir, 'gradle.properties'), 'android.builtInKotlin=false\n');
    expect((await runCli(['add', 'playback-service', '--into', dir, '--dry-run'])).stdout).toContain('PlaybackService.java');
  });

  it('near miss: kotlin("android") in the plugins block gives Kotlin', async () => {
    const dir = copyFixture('android-java');
    edit(path.join(dir, 'app/build.gradle.kts'), 'id("com.android.application")\n', 'id("com.android.application")\n    kotlin("android")\n');
    expect((await runCli(['add', 'playback-service', '--into', dir, '--dry-run'])).stdout).toContain('PlaybackService.kt');
  });
});

describe('minSdk and compileSdk', () => {
  it('minSdk 21 + compileSdk 34 gets Media3 1.4.1, the newest release that fits', async () => {
    const dir = copyFixture('android-minsdk21');
    const run = await runCli(['add', 'playback-service', '--into', dir]);
    expect(run.code).toBe(0);
    const script = fs.readFileSync(path.join(dir, 'app/build.gradle'), 'utf8');
    expect(script).toContain("implementation 'androidx.media3:media3-exoplayer:1.4.1'");
    expect(script).toContain("implementation 'androidx.media3:media3-session:1.4.1'");
    expect(run.stdout).toContain('minSdk 21 and compileSdk 34');
    const { findings } = await doctorJson(dir);
    expect(findings).toEqual([]);
  });

  it('compileSdk 32 is refused, naming compileSdk 33; nothing is written', async () => {
    const dir = copyFixture('android-minsdk21');
    edit(path.join(dir, 'app/build.gradle'), 'compileSdk 34', 'compileSdk 32');
    await expectRefused(dir, [], 'compileSdk to at least 33', 'app/build.gradle:');
    await expectRefused(dir, ['--android-stack', 'platform'], 'minSdk 21');
  });

  it('the framework-only service refuses minSdk below 23 and compileSdk below 33, naming the setting', async () => {
    const dir = copyFixture('android-minsdk21');
    await expectRefused(dir, ['--android-stack', 'platform'], 'minSdk 21', 'minSdk 23', 'defaultConfig');
    edit(path.join(dir, 'app/build.gradle'), 'appMinSdk = 21', 'appMinSdk = 23');
    edit(path.join(dir, 'app/build.gradle'), 'compileSdk 34', 'compileSdk 32');
    await expectRefused(dir, ['--android-stack', 'platform'], 'compileSdk 32', 'compileSdk 33');
  });

  it('near miss: minSdk 23 takes the framework-only service', async () => {
    const dir = copyFixture('android-minsdk21');
    edit(path.join(dir, 'app/build.gradle'), 'appMinSdk = 21', 'appMinSdk = 23');
    expect((await runCli(['add', 'playback-service', '--into', dir, '--android-stack', 'platform'])).code).toBe(0);
  });
});

describe('the Media3 version the build already uses', () => {
  it('keeps 1.5.1 from the version catalog and declares the new library there', async () => {
    const dir = copyFixture('android-catalog');
    const before = snapshot(dir);
    const run = await runCli(['add', 'playback-service', '--into', dir]);
    expect(run.code).toBe(0);
    const after = snapshot(dir);
    expect(changed(before, after)).toEqual([
      'app/build.gradle.kts',
      'app/src/main/AndroidManifest.xml',
      'app/src/main/kotlin/dev/example/ferry/PlaybackService.kt',
      'gradle/libs.versions.toml',
    ]);
    const catalog = parseToml(after.get('gradle/libs.versions.toml')!) as { versions: Record<string, string>; libraries: Record<string, unknown> };
    expect(catalog.versions.media3).toBe('1.5.1');
    expect(catalog.libraries['androidx-media3-session']).toEqual({ group: 'androidx.media3', name: 'media3-session', version: { ref: 'media3' } });
    const script = after.get('app/build.gradle.kts')!;
    expect(script).toContain('    implementation(libs.androidx.media3.exoplayer)\n    implementation(libs.androidx.media3.session)\n}');
    expect(script).not.toContain('androidx.media3:');
    expect(run.stdout).toContain('1.5.1, the version the build already uses');
    const again = await runCli(['add', 'playback-service', '--into', dir]);
    expect(again.stdout).toContain('Nothing to do');
  });

  it('near miss: a module that declares dependencies as literals gets literals', async () => {
    const dir = copyFixture('android-catalog');
    edit(path.join(dir, 'app/build.gradle.kts'), '    implementation(libs.androidx.core.ktx)\n', '    implementation("androidx.core:core-ktx:1.13.1")\n');
    expect((await runCli(['add', 'playback-service', '--into', dir])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'app/build.gradle.kts'), 'utf8')).toContain('implementation("androidx.media3:media3-session:1.5.1")');
    expect(fs.readFileSync(path.join(dir, 'gradle/libs.versions.toml'), 'utf8')).not.toContain('media3-session');
  });

  it('two different Media3 versions in one build are refused, naming both; nothing is written', async () => {
    const dir = copyFixture('android-mixed');
    await expectRefused(dir, [], '1.4.1 (app/build.gradle:', '1.5.1 (visuals/build.gradle:', 'share one version');
  });
});

describe('AndroidX', () => {
  it('android.useAndroidX=false is refused, not flipped', async () => {
    const dir = copyFixture('android-minsdk21');
    edit(path.join(dir, 'gradle.properties'), 'android.useAndroidX=true', 'android.useAndroidX=false');
    await expectRefused(dir, [], 'gradle.properties:1 sets android.useAndroidX=false', '--android-stack platform');
  });

  it('near miss: the framework-only service needs no AndroidX', async () => {
    const dir = copyFixture('android-java');
    edit(path.join(dir, 'gradle.properties'), 'android.useAndroidX=true', 'android.useAndroidX=false');
    expect((await runCli(['add', 'playback-service', '--into', dir, '--android-stack', 'platform'])).code).toBe(0);
  });

  it('adds android.useAndroidX=true to a gradle.properties that lacks it', async () => {
    const dir = copyFixture('android-java');
    edit(path.join(dir, 'gradle.properties'), 'android.useAndroidX=true\n', '');
    expect((await runCli(['add', 'playback-service', '--into', dir])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'gradle.properties'), 'utf8')).toBe('org.gradle.jvmargs=-Xmx2048m\nandroid.useAndroidX=true\n');
  });
});

describe('the "Next:" hint', () => {
  for (const [fixture, stack, file] of [
    ['android-java', 'media3', 'app/src/main/java/com/example/tides/PlaybackService.java'],
    ['android-java', 'platform', 'app/src/main/java/com/example/tides/PlaybackService.java'],
    ['android-catalog', 'media3', 'app/src/main/kotlin/dev/example/ferry/PlaybackService.kt'],
  ] as const) {
    it(`names only files of the project and the ${stack} stack (${fixture})`, async () => {
      const dir = copyFixture(fixture);
      const run = await runCli(['add', 'playback-service', '--into', dir, '--android-stack', stack]);
      expect(run.code).toBe(0);
      const hint = run.stdout.split('\n').find((l) => l.startsWith('Next:'))!;
      expect(hint).toContain(file);
      expect(hint).not.toMatch(/templates\/|MainActivity/);
      if (stack === 'media3') expect(hint).toContain('MediaController');
      else expect(hint).toMatch(/ACTION_PLAY[\s\S]*res\/raw\/sample\.wav/);
      // Every project path the hint names exists after the run.
      for (const p of hint.match(/app\/src\/[\w/.-]+\.\w+/g) ?? []) expect(fs.existsSync(path.join(dir, p))).toBe(true);
      expect(hint).toContain(fixture === 'android-java' ? 'PlaybackService.class' : 'PlaybackService::class.java');
    });
  }
});
