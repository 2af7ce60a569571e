// Which Gradle modules are Android apps, and the SDK levels they get from convention plugins and
// the root script: over fixtures shaped like real builds (build-logic, buildSrc precompiled
// scripts, the legacy `android` id, cross-project blocks, no plugin line at all), each with a near
// miss that must stay a library or not be an app.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFiles } from '../../src/discover/find-files.js';
import { Workspace } from '../../src/parse/workspace.js';
import { buildAndroidApps } from '../../src/facts/android/build-android-apps.js';
import { discoverGradleBuilds, type GradleModule } from '../../src/facts/android/gradle-project.js';
import type { AndroidApp } from '../../src/facts/android/android-model.js';
import { doctorJson, FIXTURES, locationsOf, runCli } from '../support/cli.js';
import { variant } from '../support/fixture-copies.js';

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

/** A project written from scratch into a temp folder. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-kind-'));
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

function dirOf(fixtureOrDir: string): string {
  return path.isAbsolute(fixtureOrDir) ? fixtureOrDir : path.join(FIXTURES, fixtureOrDir);
}

async function appsOf(fixtureOrDir: string): Promise<AndroidApp[]> {
  const root = dirOf(fixtureOrDir);
  const found = findFiles(root);
  const ws = new Workspace(root, found.files, found.problems);
  const apps = await buildAndroidApps(ws);
  await ws.dispose();
  return apps;
}

function modulesOf(fixtureOrDir: string): Map<string, GradleModule> {
  const root = dirOf(fixtureOrDir);
  const found = findFiles(root);
  const ws = new Workspace(root, found.files, found.problems);
  const out = new Map<string, GradleModule>();
  for (const b of discoverGradleBuilds(ws)) for (const m of b.modules) out.set(ws.relative(m.dir), m);
  return out;
}

/** The JSON `apps` of a doctor run, and its findings. */
async function doctorApps(fixtureOrDir: string) {
  const run = await doctorJson(fixtureOrDir);
  return { apps: run.raw.apps as { platform: string; name: string; path: string; kindInferred?: string }[], findings: run.findings, stderr: run.stderr };
}

const PERMISSION_RULE = 'android/media-playback-permission-missing';

describe('convention plugin classes in an included build (build-logic)', () => {
  const FIXTURE = 'android/convention-class-plugin';

  it('recognises the app applied through alias(libs.plugins.tune.application) and reads its SDK levels from build-logic', async () => {
    const { apps, findings } = await doctorApps(FIXTURE);
    expect(apps).toEqual([{ platform: 'android', name: 'app', path: 'app' }]);
    const [app] = await appsOf(FIXTURE);
    // targetSdk = libs.findVersion("targetSdk").get().requiredVersion.toInt() in the plugin class.
    expect(app!.targetSdk).toMatchObject({ value: 35, resolved: true, source: 'gradle/libs.versions.toml (versions.targetSdk)' });
    // compileSdk and minSdk come from a helper function in another file the plugin calls.
    expect(app!.compileSdk).toMatchObject({ value: 35, source: 'build-logic/convention/src/main/kotlin/com/tune/build/AndroidDefaults.kt' });
    expect(app!.minSdk).toMatchObject({ value: 26, resolved: true });
    expect(app!.kindInferred).toBeUndefined();
    // The playback module is a library (tune.module applies com.android.library): merged, not an app.
    expect(app!.libraryModules.map((d) => path.basename(d))).toEqual(['playback']);
    // targetSdk 35 >= 34: the mediaPlayback service needs FOREGROUND_SERVICE_MEDIA_PLAYBACK.
    expect(locationsOf(findings, PERMISSION_RULE)).toEqual(['app/src/main/AndroidManifest.xml:2']);
    expect(findings.find((f) => f.ruleId === PERMISSION_RULE)!.message).not.toMatch(/assum/);
  });

  it('near miss: the same build with targetSdk 33 in the catalog has no targetSdk-34 finding', async () => {
    const dir = variant(FIXTURE, { 'gradle/libs.versions.toml': (t) => t.replace('targetSdk = "35"', 'targetSdk = "33"') });
    const [app] = await appsOf(dir);
    expect(app!.targetSdk).toMatchObject({ value: 33, resolved: true });
    const { findings } = await doctorApps(dir);
    expect(locationsOf(findings, PERMISSION_RULE)).toEqual([]);
  });

  it('near miss: when the convention applies com.android.library, the module is a library and no app is recognised', async () => {
    const dir = variant(FIXTURE, {
      'build-logic/convention/src/main/kotlin/TuneApplicationPlugin.kt': (t) => t.replace('apply("com.android.application")', 'apply("com.android.library")'),
    });
    const modules = modulesOf(dir);
    expect(modules.get('app')).toMatchObject({ isApp: false, isLibrary: true });
    expect((await doctorApps(dir)).apps).toEqual([]);
  });

  it('a word in a comment or a string of a plugin source applies nothing', () => {
    // TuneModulePlugin mentions apply("com.android.application") in a KDoc comment and a log string.
    const playback = modulesOf(FIXTURE).get('playback')!;
    expect(playback.pluginIds).toEqual(['tune.module', 'com.android.library', 'org.jetbrains.kotlin.android']);
    expect(playback.isApp).toBe(false);
  });
});

describe('precompiled script plugins in buildSrc', () => {
  const FIXTURE = 'android/precompiled-script-plugin';

  it('follows radio.app → radio.app-base → com.android.application and resolves SDK levels there', async () => {
    const { apps, findings } = await doctorApps(FIXTURE);
    expect(apps).toEqual([{ platform: 'android', name: 'mobile', path: 'mobile' }]);
    const [app] = await appsOf(FIXTURE);
    // targetSdk = RadioSdk.TARGET: a constant of an object in buildSrc.
    expect(app!.targetSdk).toMatchObject({ value: 34, resolved: true, source: 'buildSrc/src/main/kotlin/RadioSdk.kt' });
    // compileSdk = providers.gradleProperty("radio.compileSdk"): from gradle.properties.
    expect(app!.compileSdk).toMatchObject({ value: 35, source: 'gradle.properties (radio.compileSdk)' });
    // The module's own minSdk wins over the convention's RadioSdk.MIN.
    expect(app!.minSdk).toMatchObject({ value: 24, source: 'mobile/build.gradle.kts' });
    expect(locationsOf(findings, PERMISSION_RULE)).toEqual(['mobile/src/main/AndroidManifest.xml:2']);
  });

  it('near miss: the player module applies a library convention through a constant id and stays a library', () => {
    const player = modulesOf(FIXTURE).get('player')!;
    expect(player.pluginIds).toContain('com.android.library');
    expect(player).toMatchObject({ isApp: false, isLibrary: true, kindInferred: null });
    expect(modulesOf(FIXTURE).get('buildSrc')).toMatchObject({ buildLogic: true, isApp: false });
  });

  it("a module's own targetSdk wins, even when it names a constant of buildSrc (RadioSdk.MIN)", async () => {
    const dir = variant(FIXTURE, { 'mobile/build.gradle.kts': (t) => t.replace('        minSdk = 24\n', '        minSdk = 24\n        targetSdk = RadioSdk.MIN\n') });
    const [app] = await appsOf(dir);
    expect(app!.targetSdk).toMatchObject({ value: 23, resolved: true, source: 'buildSrc/src/main/kotlin/RadioSdk.kt' });
    expect(app!.targetSdk.location?.line).toBe(4);
  });

  it('near miss: with RadioSdk.TARGET = 33 the targetSdk-34 rule stays silent', async () => {
    const dir = variant(FIXTURE, { 'buildSrc/src/main/kotlin/RadioSdk.kt': (t) => t.replace('TARGET = 34', 'TARGET = 33') });
    const [app] = await appsOf(dir);
    expect(app!.targetSdk).toMatchObject({ value: 33, resolved: true });
    expect(locationsOf((await doctorApps(dir)).findings, PERMISSION_RULE)).toEqual([]);
  });
});

describe("the legacy 'android' plugin id", () => {
  const FIXTURE = 'android/legacy-android-id';

  it("takes apply plugin: 'android' for an application and 'android-library' for a library", async () => {
    const { apps } = await doctorApps(FIXTURE);
    expect(apps).toEqual([{ platform: 'android', name: 'Podcaster', path: 'Podcaster' }]);
    const [app] = await appsOf(FIXTURE);
    expect(app!.targetSdk).toMatchObject({ value: 19, resolved: true });
    expect(app!.minSdk).toMatchObject({ value: 14 });
    expect(modulesOf(FIXTURE).get('shared')).toMatchObject({ isApp: false, isLibrary: true });
  });

  it("near miss: a module switched to 'android-library' is not promoted by its manifest's components", async () => {
    const dir = variant(FIXTURE, { 'Podcaster/build.gradle': (t) => t.replace("apply plugin: 'android'", "apply plugin: 'android-library'") });
    expect((await doctorApps(dir)).apps).toEqual([]);
  });
});

describe("plugins applied from the root script's cross-project blocks", () => {
  const FIXTURE = 'android/subprojects-plugins';

  it('reads project(":x") {}, configure(subprojects.findAll {}) {} and an SDK level set in subprojects {}', async () => {
    const { apps, findings } = await doctorApps(FIXTURE);
    expect(apps).toEqual([{ platform: 'android', name: 'jukebox', path: 'jukebox' }]);
    const [app] = await appsOf(FIXTURE);
    // targetSdkVersion rootProject.ext.targetSdk inside subprojects { afterEvaluate { android { … } } }.
    expect(app!.targetSdk).toMatchObject({ value: 34, resolved: true, source: 'build.gradle' });
    expect(app!.compileSdk).toMatchObject({ value: 34 });
    expect(locationsOf(findings, PERMISSION_RULE)).toEqual(['jukebox/src/main/AndroidManifest.xml:2']);
    // The application plugin under `if (project.hasProperty('standalone'))` does not make :audio an app.
    expect(modulesOf(FIXTURE).get('audio')).toMatchObject({ isApp: false, isLibrary: true });
  });

  it('near miss: when the root script gives every subproject the library plugin, there is no app', async () => {
    const dir = variant(FIXTURE, {
      'build.gradle': (t) => t.replace("project(':jukebox') {\n    apply plugin: 'com.android.application'", "project(':jukebox') {\n    apply plugin: 'com.android.library'"),
    });
    const modules = modulesOf(dir);
    expect(modules.get('jukebox')).toMatchObject({ isApp: false, isLibrary: true });
    // The root module itself does not take the plugins it gives its subprojects.
    expect(modules.get('.') ?? modules.get(path.basename(dir))).toMatchObject({ isApp: false, isLibrary: false });
    expect((await doctorApps(dir)).apps).toEqual([]);
  });

  it("evaluates conditions on the project's name in subprojects {}, with and without braces", () => {
    const LIB = '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application><service android:name=".S"/></application></manifest>\n';
    const dir = project({
      'settings.gradle': "include ':phone', ':watch', ':data', ':ui', ':extra'\n",
      'build.gradle': [
        'subprojects {',
        "    if (project.name == 'phone') {",
        "        apply plugin: 'com.android.application'",
        "    } else if (name.startsWith('wat')) {",
        "        apply plugin: 'com.android.application'",
        '    } else {',
        "        apply plugin: 'com.android.library'",
        '    }',
        "    if (it.path in [':data', ':ui']) apply plugin: 'kotlin-android' else apply plugin: 'maven-publish'",
        '    plugins.withId("com.android.library") {',
        "        apply plugin: 'com.android.application'",
        '    }',
        '}',
        '',
      ].join('\n'),
      'phone/build.gradle': '',
      'watch/build.gradle': '',
      'data/build.gradle': '',
      'data/src/main/AndroidManifest.xml': LIB,
      'ui/build.gradle': '',
      'extra/build.gradle': '',
    });
    const modules = modulesOf(dir);
    const kinds = Object.fromEntries([...modules].filter(([k]) => k !== '.' && !k.startsWith('audiobg-kind-')).map(([k, m]) => [k, `${m.isApp ? 'app' : m.isLibrary ? 'library' : '?'} ${m.pluginIds.join(',')}`]));
    expect(kinds).toEqual({
      phone: 'app com.android.application,maven-publish',
      watch: 'app com.android.application,maven-publish',
      data: 'library com.android.library,kotlin-android',
      ui: 'library com.android.library,kotlin-android',
      extra: 'library com.android.library,maven-publish',
    });
  });

  it('near miss: a library plugin under a condition it cannot evaluate keeps a module with components from being promoted', () => {
    const dir = project({
      'settings.gradle': "include ':data'\n",
      'build.gradle': "subprojects {\n    if (project.hasProperty('asApp')) {\n        apply plugin: 'com.android.application'\n    } else {\n        apply plugin: 'com.android.library'\n    }\n}\n",
      'data/build.gradle': '',
      'data/src/main/AndroidManifest.xml': '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application><service android:name=".S"/></application></manifest>\n',
    });
    expect(modulesOf(dir).get('data')).toMatchObject({ isApp: false, isLibrary: false, kindInferred: null });
  });

  it('reads allprojects {} and configure(subprojects.filter { it.name == "x" }) {} in the Kotlin DSL', async () => {
    const dir = project({
      'settings.gradle.kts': 'include(":tv", ":core")\n',
      'build.gradle.kts': [
        'allprojects {',
        '    repositories { google() }',
        '}',
        'configure(subprojects.filter { it.name == "tv" }) {',
        '    apply(plugin = "com.android.application")',
        '}',
        'configure(subprojects.filter { it.name != "tv" }) {',
        '    apply(plugin = "com.android.library")',
        '}',
        '',
      ].join('\n'),
      'tv/build.gradle.kts': 'android {\n    namespace = "com.tv"\n    defaultConfig { targetSdk = 34 }\n}\n',
      'core/build.gradle.kts': 'android { namespace = "com.tv.core" }\n',
      'core/src/main/AndroidManifest.xml': '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application><service android:name=".Sync"/></application></manifest>\n',
    });
    const apps = await appsOf(dir);
    expect(apps.map((a) => [a.name, a.targetSdk.value, a.kindInferred])).toEqual([['tv', 34, undefined]]);
  });
});

describe('a module whose script applies no plugin but sets applicationId', () => {
  const FIXTURE = 'android/application-id-no-plugin';

  it('is an app, and the summary says the kind was inferred and why', async () => {
    const { apps, findings } = await doctorApps(FIXTURE);
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ platform: 'android', name: 'station', path: 'station' });
    expect(apps[0]!.kindInferred).toMatch(/applies no plugin.*applicationId/);
    expect(locationsOf(findings, PERMISSION_RULE)).toEqual(['station/src/main/AndroidManifest.xml:2']);
    const pretty = await runCli(['doctor', path.join(FIXTURES, FIXTURE)]);
    expect(pretty.stdout).toContain('android station [app kind inferred]');
    expect(pretty.stdout).toMatch(/station was taken for an app because its build script applies no plugin, but it sets applicationId/);
  });

  it('near miss: applicationId in a comment or a string does not make a module an app', () => {
    expect(modulesOf(FIXTURE).get('toolkit')).toMatchObject({ isApp: false, kindInferred: null });
  });
});

describe('last resort: a module whose manifest declares components', () => {
  const FIXTURE = 'android/manifest-declared-app';

  it('is an app when no plugin says otherwise, with the reason in the JSON apps entry', async () => {
    const { apps, findings } = await doctorApps(FIXTURE);
    expect(apps.map((a) => a.name)).toEqual(['walkman']);
    expect(apps[0]!.kindInferred).toMatch(/org\.acme\.walkman-conventions.*<activity>, <service>/);
    const [app] = await appsOf(FIXTURE);
    expect(app!.targetSdk).toMatchObject({ value: 34, resolved: true });
    expect(locationsOf(findings, PERMISSION_RULE)).toEqual(['walkman/src/main/AndroidManifest.xml:2']);
  });

  it('near misses: a library-named plugin, a module another depends on, and a manifest without components', () => {
    const modules = modulesOf(FIXTURE);
    expect(modules.get('catalog')).toMatchObject({ isApp: false, isLibrary: true }); // org.acme.shared-library
    expect(modules.get('widgets')).toMatchObject({ isApp: false }); // :walkman depends on it
    expect(modules.get('resources')).toMatchObject({ isApp: false }); // <application/> declares nothing
  });

  it('near miss: without components in <application>, no app is recognised (and the CLI says so)', async () => {
    const dir = variant(FIXTURE, {
      'walkman/src/main/AndroidManifest.xml': (t) => t.replace(/<activity[\s\S]*<\/service>/, ''),
    });
    const { apps, stderr } = await doctorApps(dir);
    expect(apps).toEqual([]);
    expect(stderr).toContain('no iOS or Android app was recognised');
  });
});

describe('convention plugin details', () => {
  it('reads a Groovy plugin class in buildSrc registered with the Groovy gradlePlugin DSL', async () => {
    const dir = project({
      'settings.gradle': "include ':player'\n",
      'buildSrc/build.gradle': [
        "plugins { id 'groovy-gradle-plugin' }",
        'gradlePlugin {',
        '    plugins {',
        '        playerApp {',
        "            id = 'org.example.player-app'",
        "            implementationClass = 'org.example.PlayerAppPlugin'",
        '        }',
        '    }',
        '}',
        '',
      ].join('\n'),
      'buildSrc/src/main/groovy/org/example/PlayerAppPlugin.groovy': [
        'package org.example',
        'import org.gradle.api.Plugin',
        'import org.gradle.api.Project',
        'class PlayerAppPlugin implements Plugin<Project> {',
        '    void apply(Project project) {',
        "        project.pluginManager.apply 'com.android.application'",
        '        project.android {',
        '            compileSdk 34',
        '            defaultConfig { targetSdk 34 }',
        '        }',
        '    }',
        '}',
        '',
      ].join('\n'),
      'player/build.gradle': "plugins { id 'org.example.player-app' }\nandroid { namespace 'org.example.player' }\n",
    });
    const apps = await appsOf(dir);
    expect(apps.map((a) => [a.name, a.targetSdk.value, a.targetSdk.resolved, a.compileSdk?.value])).toEqual([['player', 34, true, 34]]);
  });

  it("follows plugins applied by class: the build's own (apply<X>()) and the Android plugin's (AppPlugin::class.java)", () => {
    const dir = project({
      'settings.gradle.kts': 'pluginManagement { includeBuild("conventions") }\ninclude(":phone", ":core")\n',
      'conventions/settings.gradle.kts': 'rootProject.name = "conventions"\n',
      'conventions/build.gradle.kts': [
        'plugins { `kotlin-dsl` }',
        'gradlePlugin {',
        '    plugins {',
        '        create("phone") { id = "acme.phone"; implementationClass = "acme.PhonePlugin" }',
        '        create("core") { id = "acme.core"; implementationClass = "acme.CorePlugin" }',
        '    }',
        '}',
        '',
      ].join('\n'),
      'conventions/src/main/kotlin/acme/PhonePlugin.kt': [
        'package acme',
        'class PhonePlugin : Plugin<Project> {',
        '    override fun apply(target: Project) {',
        '        target.apply<BasePlugin>()',
        '        target.plugins.apply(com.android.build.gradle.AppPlugin::class.java)',
        '    }',
        '}',
        '',
      ].join('\n'),
      'conventions/src/main/kotlin/acme/BasePlugin.kt': 'package acme\nclass BasePlugin : Plugin<Project> {\n    override fun apply(target: Project) {\n        target.pluginManager.apply("org.jetbrains.kotlin.android")\n    }\n}\n',
      'conventions/src/main/java/acme/CorePlugin.java': [
        'package acme;',
        'public class CorePlugin implements Plugin<Project> {',
        '    @Override',
        '    public void apply(Project project) {',
        '        project.getPluginManager().apply("com.android.library");',
        '    }',
        '}',
        '',
      ].join('\n'),
      'phone/build.gradle.kts': 'plugins { id("acme.phone") }\n',
      'core/build.gradle.kts': 'plugins { id("acme.core") }\n',
    });
    const modules = modulesOf(dir);
    expect(modules.get('phone')!.pluginIds).toEqual(['acme.phone', 'org.jetbrains.kotlin.android', 'com.android.application']);
    expect(modules.get('phone')).toMatchObject({ isApp: true, kindInferred: null });
    expect(modules.get('core')).toMatchObject({ isApp: false, isLibrary: true });
  });

  it('survives malformed plugin sources and an includeBuild(".") of the build itself', async () => {
    const dir = project({
      'settings.gradle.kts': 'pluginManagement { includeBuild("logic") }\nincludeBuild(".")\ninclude(":app")\n',
      'logic/build.gradle.kts': 'gradlePlugin { plugins { register("x") { id = "acme.app"; implementationClass = "AcmeApp" } } \n',
      'logic/src/main/kotlin/AcmeApp.kt': 'class AcmeApp : Plugin<Project> { override fun apply(t: Project) { t.pluginManager.apply("com.android.application") /* unterminated\n',
      'logic/src/main/kotlin/broken.gradle.kts': 'plugins { id("com.android.library\n',
      'app/build.gradle.kts': 'plugins { id("acme.app") }\nandroid { defaultConfig { targetSdk = 34 } }\n',
    });
    const apps = await appsOf(dir);
    expect(apps.map((a) => [a.name, a.targetSdk.value, a.kindInferred])).toEqual([['app', 34, undefined]]);
  });

  it('reads the version catalog a settings file declares under another name', async () => {
    const dir = project({
      'settings.gradle.kts': [
        'dependencyResolutionManagement {',
        '    versionCatalogs {',
        '        create("tools") { from(files("gradle/tools.versions.toml")) }',
        '    }',
        '}',
        'include(":app")',
        '',
      ].join('\n'),
      'gradle/tools.versions.toml': '[versions]\ntarget = "34"\n[plugins]\nandroid-app = { id = "com.android.application", version = "8.7.0" }\n',
      'app/build.gradle.kts': 'plugins {\n    alias(tools.plugins.android.app)\n}\nandroid {\n    defaultConfig { targetSdk = tools.versions.target.get().toInt() }\n}\n',
    });
    const modules = modulesOf(dir);
    expect(modules.get('app')!.pluginIds).toEqual(['com.android.application']);
    expect(modules.get('app')!.isApp).toBe(true);
  });

  it('reads catalog plugins written id(libs.plugins.x.get().pluginId) and apply(plugin = libs.plugins.x.get().pluginId)', () => {
    const dir = project({
      'settings.gradle.kts': 'include(":app", ":lib")\n',
      'gradle/libs.versions.toml': '[plugins]\nandroid-app = { id = "com.android.application", version = "8.7.0" }\nandroid-lib = "com.android.library:8.7.0"\n',
      'app/build.gradle.kts': 'plugins {\n    id(libs.plugins.android.app.get().pluginId)\n}\n',
      'lib/build.gradle.kts': 'apply(plugin = libs.plugins.android.lib.get().pluginId)\n',
    });
    const modules = modulesOf(dir);
    expect(modules.get('app')).toMatchObject({ pluginIds: ['com.android.application'], isApp: true });
    expect(modules.get('lib')).toMatchObject({ pluginIds: ['com.android.library'], isLibrary: true });
  });

  it("does not promote a library whose plugin comes from an 'apply from:' script", async () => {
    const SERVICE = '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application><service android:name=".Player"/></application></manifest>\n';
    const dir = project({
      'settings.gradle': "include ':app', ':lib', ':other'\n",
      'gradle/android-library.gradle': "apply plugin: 'com.android.library'\n",
      'app/build.gradle': "apply plugin: 'com.android.application'\nandroid { defaultConfig { targetSdkVersion 34 } }\n",
      'lib/build.gradle': 'apply from: "$rootDir/gradle/android-library.gradle"\n',
      'lib/src/main/AndroidManifest.xml': SERVICE,
      // A folder audiobg cannot compute: nothing is applied, and the module stays unknown.
      'other/build.gradle': 'apply from: "$sharedDir/android-library.gradle"\n',
    });
    const modules = modulesOf(dir);
    expect(modules.get('lib')).toMatchObject({ isApp: false, isLibrary: true });
    expect(modules.get('other')).toMatchObject({ isApp: false, isLibrary: false });
    expect((await appsOf(dir)).map((a) => a.name)).toEqual(['app']);
  });

  it('resolves a level the root script sets with extra.apply { set(…) } in a script it applies with rootProject.file(…)', async () => {
    const dir = project({
      'settings.gradle.kts': 'include(":app")\n',
      'build.gradle.kts': 'apply(from = rootProject.file("sdk-levels.gradle.kts"))\n',
      'sdk-levels.gradle.kts': 'extra.apply {\n    set("targetSdkVersion", 34)\n    set("minSdkVersion", 26)\n}\n',
      'app/build.gradle.kts': [
        'plugins { id("com.android.application") }',
        'android {',
        '    defaultConfig.apply {',
        '        targetSdk = project.property("targetSdkVersion") as Int',
        '        minSdk = project.property("minSdkVersion") as Int',
        '    }',
        '}',
        '',
      ].join('\n'),
    });
    const [app] = await appsOf(dir);
    expect(app!.targetSdk).toMatchObject({ value: 34, resolved: true, source: 'sdk-levels.gradle.kts' });
    expect(app!.minSdk).toMatchObject({ value: 26 });
  });

  it('keeps the "assumed newest" fallback when a convention plugin writes a level it cannot resolve', async () => {
    const dir = variant('android/precompiled-script-plugin', {
      'buildSrc/src/main/kotlin/radio.app.gradle.kts': (t) => t.replace('targetSdk = RadioSdk.TARGET', 'targetSdk = computeTarget(project)'),
    });
    const [app] = await appsOf(dir);
    expect(app!.targetSdk).toMatchObject({ value: 36, resolved: false });
    expect(app!.targetSdk.source).toMatch(/^unresolved expression in buildSrc\/src\/main\/kotlin\/radio\.app\.gradle\.kts/);
  });
});
