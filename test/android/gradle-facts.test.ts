import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFiles } from '../../src/discover/find-files.js';
import { Workspace } from '../../src/parse/workspace.js';
import { buildAndroidApps } from '../../src/facts/android/build-android-apps.js';
import type { AndroidApp } from '../../src/facts/android/android-model.js';
import { lexGradle, parseGradle } from '../../src/parse/gradle.js';
import { parseProperties } from '../../src/parse/properties.js';
import { FIXTURES } from '../support/cli.js';

const tmpRoots: string[] = [];
afterAll(() => {
  for (const r of tmpRoots) fs.rmSync(r, { recursive: true, force: true });
});

/** Write a small project to a temp folder and build the Android model from it. */
async function appsOf(files: Record<string, string>): Promise<{ apps: AndroidApp[]; ws: Workspace }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-android-'));
  tmpRoots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return modelOf(root);
}

async function modelOf(root: string): Promise<{ apps: AndroidApp[]; ws: Workspace }> {
  const found = findFiles(root);
  const ws = new Workspace(root, found.files, found.problems);
  const apps = await buildAndroidApps(ws);
  await ws.dispose();
  return { apps, ws };
}

const MANIFEST = '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application/></manifest>\n';

describe('gradle lexer', () => {
  it('drops comments (registering them), keeps strings whole and tracks lines', () => {
    const { tokens, comments } = lexGradle('// targetSdk = 99\nandroid { /* targetSdk = 98 */ targetSdk = 34 }\nval s = "targetSdk = 97"\n', true);
    const idents = tokens.filter((t) => t.kind === 'ident').map((t) => t.value);
    expect(idents).toEqual(['android', 'targetSdk', 'val', 's']);
    expect(tokens.find((t) => t.kind === 'number')).toMatchObject({ value: '34', line: 2 });
    expect(tokens.find((t) => t.kind === 'string')).toMatchObject({ value: 'targetSdk = 97', line: 3 });
    expect(comments.map((c) => c.line)).toEqual([1, 2]);
  });

  it('nests Kotlin block comments and marks string templates', () => {
    const { tokens } = lexGradle('/* a /* b */ c */ x = "lib:$v"', true);
    expect(tokens.map((t) => t.kind)).toEqual(['ident', 'punct', 'string']);
    expect(tokens[2]!.interpolated).toBe(true);
  });

  it('splits statements and names the enclosing blocks', () => {
    const script = parseGradle("android {\n  defaultConfig {\n    targetSdkVersion 34\n  }\n  productFlavors { create('free') { targetSdk = 30 } }\n}\n");
    const paths = script.statements.filter((s) => !s.blockHead).map((s) => `${s.path.join('/')}: ${s.tokens.map((t) => t.value).join(' ')}`);
    expect(paths).toEqual(['android/defaultConfig: targetSdkVersion 34', 'android/productFlavors/free: targetSdk = 30']);
  });

  it('keeps a call split over lines as one statement', () => {
    const script = parseGradle('implementation(\n  "androidx.media3:media3-exoplayer:1.4.0"\n)\n', true);
    expect(script.statements).toHaveLength(1);
  });
});

describe('gradle.properties parser', () => {
  it('reads keys with lines, separators and continuations, and keeps # / ! comments', () => {
    const p = parseProperties('# comment\nA=1\n  B : two\nC three \\\n  four\n! other\n');
    expect(p.entries.get('A')).toMatchObject({ value: '1', line: 2 });
    expect(p.entries.get('B')).toMatchObject({ value: 'two', line: 3 });
    expect(p.entries.get('C')!.value).toBe('three four');
    expect(p.comments.map((c) => c.line)).toEqual([1, 6]);
  });
});

describe('targetSdk resolution', () => {
  it('reads the fixtures: version catalog, gradle.properties, rootProject.ext, dashed catalog key, unresolved', async () => {
    const cases: [string, number, boolean][] = [
      ['android/media3-clean', 35, true],
      ['android/library-manifest', 34, true],
      ['android/legacy-java', 34, true],
      ['android/kotlin-start-foreground', 34, true],
      ['android/media3-no-type', 33, true],
      ['android/unresolved-target', 36, false],
    ];
    for (const [fixture, value, resolved] of cases) {
      const { apps } = await modelOf(path.join(FIXTURES, fixture));
      expect(apps.map((a) => [a.name, a.targetSdk.value, a.targetSdk.resolved]), fixture).toEqual([['app', value, resolved]]);
    }
  });

  it('prefers defaultConfig over flavours and ignores commented values (Groovy)', async () => {
    const { apps } = await appsOf({
      'settings.gradle': "include ':app'\n",
      'app/build.gradle': [
        "plugins { id 'com.android.application' }",
        'android {',
        '  productFlavors { free { targetSdkVersion 30 } }',
        '  defaultConfig {',
        '    // targetSdkVersion 99',
        '    targetSdkVersion 33',
        '  }',
        '}',
      ].join('\n'),
      'app/src/main/AndroidManifest.xml': MANIFEST,
    });
    expect(apps[0]!.targetSdk).toMatchObject({ value: 33, resolved: true });
  });

  it('follows project.properties, ext maps in the root script and Kotlin extra', async () => {
    const groovy = await appsOf({
      'settings.gradle': "include ':app'\n",
      'gradle.properties': 'TARGET_SDK=35\n',
      'app/build.gradle': "apply plugin: 'com.android.application'\nandroid { defaultConfig { targetSdkVersion project.properties['TARGET_SDK'] as Integer } }\n",
      'app/src/main/AndroidManifest.xml': MANIFEST,
    });
    expect(groovy.apps[0]!.targetSdk).toMatchObject({ value: 35, resolved: true, source: 'gradle.properties (TARGET_SDK)' });

    const map = await appsOf({
      'settings.gradle': "include ':app'\n",
      'build.gradle': 'ext.versions = [sdk: [target: 31, compile: 34]]\n',
      'app/build.gradle': "apply plugin: 'com.android.application'\nandroid { defaultConfig { targetSdkVersion rootProject.ext.versions.sdk.target } }\n",
      'app/src/main/AndroidManifest.xml': MANIFEST,
    });
    expect(map.apps[0]!.targetSdk).toMatchObject({ value: 31, resolved: true });

    const kts = await appsOf({
      'settings.gradle.kts': 'include(":app")\n',
      'build.gradle.kts': 'val targetSdkVersion by extra(32)\n',
      'app/build.gradle.kts': 'plugins { id("com.android.application") }\nandroid { defaultConfig { targetSdk = rootProject.extra["targetSdkVersion"] as Int } }\n',
      'app/src/main/AndroidManifest.xml': MANIFEST,
    });
    expect(kts.apps[0]!.targetSdk).toMatchObject({ value: 32, resolved: true });
  });

  it('reads scripts applied with apply from:', async () => {
    const { apps } = await appsOf({
      'settings.gradle': "include ':app'\n",
      'common.gradle': 'android { defaultConfig { targetSdkVersion 34 } }\n',
      'app/build.gradle': "apply plugin: 'com.android.application'\napply from: '../common.gradle'\n",
      'app/src/main/AndroidManifest.xml': MANIFEST,
    });
    expect(apps[0]!.targetSdk).toMatchObject({ value: 34, resolved: true });
  });
});

describe('modules and apps', () => {
  it('does not treat `apply false` in the root script as an app, and detects alias() apps', async () => {
    const { apps } = await modelOf(path.join(FIXTURES, 'android/media3-clean'));
    expect(apps.map((a) => a.gradlePath)).toEqual([':app']);
    expect(apps[0]!.media3?.version).toBe('1.5.1');
    expect(apps[0]!.namespace).toBe('com.example.player');
  });

  it('follows project dependencies, and falls back to the whole build without them', async () => {
    const deps = await modelOf(path.join(FIXTURES, 'android/library-manifest'));
    expect(deps.apps[0]!.libraryResolution).toBe('project-dependencies');
    expect(deps.apps[0]!.libraryModules.map((m) => path.basename(m))).toEqual(['playback']);

    const fallback = await appsOf({
      'settings.gradle': "include ':app', ':lib'\n",
      'app/build.gradle': "apply plugin: 'com.android.application'\n",
      'app/src/main/AndroidManifest.xml': MANIFEST,
      'lib/build.gradle': "apply plugin: 'com.android.library'\n",
      'lib/src/main/AndroidManifest.xml': '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><uses-permission android:name="android.permission.WAKE_LOCK"/></manifest>\n',
    });
    expect(fallback.apps[0]!.libraryResolution).toBe('whole-build');
    expect([...fallback.apps[0]!.manifest.permissions.keys()]).toEqual(['android.permission.WAKE_LOCK']);
  });

  it('reads the Media3 version from a catalog library used through a bundle, and counts WorkManager permissions', async () => {
    const { apps } = await modelOf(path.join(FIXTURES, 'android/kotlin-start-foreground'));
    expect(apps[0]!.media3?.version).toBe('1.9.2');
    expect(apps[0]!.implicitPermissions.map((p) => p.permission)).toEqual(['android.permission.WAKE_LOCK']);

    const work = await appsOf({
      'settings.gradle': "include ':app'\n",
      'app/build.gradle': "apply plugin: 'com.android.application'\ndependencies { implementation 'androidx.work:work-runtime-ktx:2.9.0' }\n",
      'app/src/main/AndroidManifest.xml': MANIFEST,
    });
    expect(work.apps[0]!.implicitPermissions.map((p) => p.permission)).toContain('android.permission.FOREGROUND_SERVICE');
  });

  it('registers Gradle and properties comments for inline suppressions', async () => {
    const { ws } = await modelOf(path.join(FIXTURES, 'android/library-manifest'));
    expect(ws.comments(path.join(FIXTURES, 'android/library-manifest/gradle.properties'))?.map((c) => c.line)).toEqual([1]);
    expect(ws.comments(path.join(FIXTURES, 'android/media3-no-type/app/build.gradle.kts'))).toBeUndefined();
    const noType = await modelOf(path.join(FIXTURES, 'android/media3-no-type'));
    expect(noType.ws.comments(path.join(FIXTURES, 'android/media3-no-type/app/build.gradle.kts'))?.map((c) => c.line)).toEqual([15]);
  });
});
