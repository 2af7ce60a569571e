// Android half of the harness: compile the generated Kotlin against the real framework classes
// (Robolectric's android-all) and Media3 stubs generated from api.txt, prove that the compile
// check rejects wrong code, and run the framework-only ("platform") service under Robolectric.

import fs from 'node:fs';
import path from 'node:path';
import { generateStubs } from '../media3-stubs/generate-stubs.mjs';
import { ANDROID_SDKS, java, javaFeature, runJobs } from './jvm.mjs';
import { HARNESS_APP_ID } from './generate.mjs';
import { APPS_DIR, CACHE_DIR, MEDIA3_API_TXT, hashFiles, indent, listFiles, run, sha256, writeFile } from './util.mjs';

/** compileSdk / minSdk / targetSdk of a generated app (from app/build.gradle.kts). */
export function sdkLevels(appDir) {
  const text = fs.readFileSync(path.join(appDir, 'app/build.gradle.kts'), 'utf8');
  const num = (key) => {
    const m = new RegExp(`\\b${key}\\s*=\\s*(\\d+)`).exec(text);
    return m ? Number(m[1]) : null;
  };
  return { compileSdk: num('compileSdk'), minSdk: num('minSdk'), targetSdk: num('targetSdk') };
}

/** The lowest minSdk the framework-only service supports (PLATFORM_MIN_SDK in src/scaffold/add-android.ts). */
export const LOW_SDK = 23;

/**
 * Picks the framework jars: compile against compileSdk; run on the newest level <= targetSdk this
 * JDK can run, and on LOW_SDK.
 */
export async function chooseSdks(levels) {
  const compile = ANDROID_SDKS[levels.compileSdk];
  if (!compile) return { ok: false, problem: `compileSdk ${levels.compileSdk} has no android-all jar known to the harness (known: ${Object.keys(ANDROID_SDKS).join(', ')}); add it to ANDROID_SDKS in test/apps/lib/jvm.mjs` };
  const feature = await javaFeature();
  const runnable = Object.entries(ANDROID_SDKS)
    .map(([api, v]) => ({ api: Number(api), ...v }))
    .filter((s) => s.api <= (levels.targetSdk ?? levels.compileSdk) && s.java <= feature)
    .sort((a, b) => b.api - a.api);
  if (!runnable.length) return { ok: false, problem: `no Robolectric SDK runs on Java ${feature}` };
  const low = { api: LOW_SDK, ...ANDROID_SDKS[LOW_SDK] };
  return { ok: true, compile, compileApi: levels.compileSdk, runtime: runnable[0], low, javaFeature: feature };
}

// ------------------------------------------------------------------ resources (aapt2)

/**
 * What AGP's manifest merger and aapt2 do before compiling: give the manifest its package (from
 * `namespace`), compile res/, link against the framework resources, and write R.java plus an
 * APK holding the binary manifest, resources.arsc and res/raw files. Robolectric loads that APK.
 */
export async function linkResources(tc, appDir, outDir, levels) {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const manifestSrc = fs.readFileSync(path.join(appDir, 'app/src/main/AndroidManifest.xml'), 'utf8');
  if (/<manifest\b[^>]*\spackage\s*=/.test(manifestSrc)) {
    return { ok: false, output: 'AndroidManifest.xml declares package=; with AGP 8+ the package comes from namespace in build.gradle.kts and AGP rejects the attribute' };
  }
  const merged = manifestSrc.replace(/<manifest\b/, `<manifest package="${HARNESS_APP_ID}"`);
  const mergedManifest = path.join(outDir, 'AndroidManifest.xml');
  writeFile(mergedManifest, merged);
  const compiled = path.join(outDir, 'compiled-res.zip');
  let r = await run(tc.aapt2, ['compile', '--dir', path.join(appDir, 'app/src/main/res'), '-o', compiled]);
  if (r.code !== 0) return { ok: false, output: `aapt2 compile failed:\n${r.stdout}${r.stderr}` };
  const apk = path.join(outDir, 'app.apk');
  const gen = path.join(outDir, 'gen');
  r = await run(tc.aapt2, [
    'link',
    '-o',
    apk,
    '-I',
    tc.androidAll,
    '--manifest',
    mergedManifest,
    '--java',
    gen,
    '--min-sdk-version',
    String(levels.minSdk),
    '--target-sdk-version',
    String(levels.targetSdk),
    '--version-code',
    '1',
    '--version-name',
    '1.0',
    '--auto-add-overlay',
    compiled,
  ]);
  if (r.code !== 0) return { ok: false, output: `aapt2 link failed:\n${r.stdout}${r.stderr}` };
  return { ok: true, apk, mergedManifest, rJava: listFiles(gen, (f) => f.endsWith('.java')), output: r.stdout + r.stderr };
}

// ------------------------------------------------------------------ compiler jobs

const KOTLINC_COMMON = ['-no-stdlib', '-no-reflect', '-jvm-target', '17'];

export function kotlincJob(name, { sources, classpath, out, module }) {
  return {
    name,
    kind: 'kotlinc',
    args: [...KOTLINC_COMMON, '-module-name', module ?? name, '-classpath', classpath.join(path.delimiter), '-d', out, ...sources],
  };
}

export function javacJob(name, { sources, classpath, out }) {
  const cp = classpath.length ? ['-cp', classpath.join(path.delimiter)] : [];
  return { name, kind: 'javac', args: ['-nowarn', '-encoding', 'UTF-8', '-proc:none', '-d', out, ...cp, ...sources] };
}

/** Compiler messages worth showing: errors first, then warnings. */
export function compilerErrors(log) {
  return log
    .split('\n')
    .filter((l) => /\b(error|e):|^e: |error:/.test(l))
    .join('\n');
}

// ------------------------------------------------------------------ Media3 stubs

/** Generates the stub sources (or reuses the cached, already compiled stubs). */
export function prepareMedia3Stubs(tc) {
  const generator = path.join(APPS_DIR, 'media3-stubs/generate-stubs.mjs');
  const handwritten = listFiles(path.join(APPS_DIR, 'media3-stubs/handwritten'), (f) => f.endsWith('.java'));
  const key = sha256(hashFiles([MEDIA3_API_TXT, generator, ...handwritten]), path.basename(tc.androidAllForJavac));
  const dir = path.join(CACHE_DIR, 'media3-stubs', key);
  const classes = path.join(dir, 'classes');
  const done = path.join(dir, 'compiled.json');
  if (fs.existsSync(done)) return { classes, cached: true, job: null, summary: JSON.parse(fs.readFileSync(done, 'utf8')), done };
  fs.rmSync(dir, { recursive: true, force: true });
  const { files, notes, classCount, memberCount } = generateStubs(fs.readFileSync(MEDIA3_API_TXT, 'utf8'));
  const srcDir = path.join(dir, 'src');
  for (const [rel, src] of files) writeFile(path.join(srcDir, rel), src);
  const sources = [...listFiles(srcDir, (f) => f.endsWith('.java')), ...handwritten];
  const argfile = path.join(dir, 'sources.txt');
  writeFile(argfile, sources.join('\n') + '\n');
  const job = javacJob('media3-stubs', { sources: [`@@${argfile}`], classpath: [tc.androidAllForJavac, ...tc.androidLibs], out: classes });
  return { classes, cached: false, job, summary: { classCount, memberCount, files: files.size, notes }, done };
}

// ------------------------------------------------------------------ negative compile tests

/**
 * Each variant changes one spot of a Kotlin file that compiles, and must then fail to compile with
 * the compiler's own message. `find` must occur exactly once in the file.
 */
export const PROBE_VARIANTS = [
  {
    name: 'misspelled Media3 method',
    find: '.setHandleAudioBecomingNoisy(true)',
    replace: '.setHandleAudioBecomingNoisey(true)',
    expect: /unresolved reference 'setHandleAudioBecomingNoisey'/i,
  },
  {
    name: 'wrong argument type',
    find: '.setAudioAttributes(attributes, true)',
    replace: '.setAudioAttributes(attributes, "true")',
    expect: /argument type mismatch: actual type is 'String', but 'Boolean' was expected/i,
  },
  {
    name: 'missing override',
    find: 'override fun onGetSession(controllerInfo: MediaSession.ControllerInfo): MediaSession? = session',
    replace: '',
    expect: /class 'ProbeService' is not abstract and does not implement abstract (base class )?member:?[\s\S]{0,200}onGetSession/i,
  },
  {
    name: 'unstable (@UnstableApi) Media3 API',
    find: 'val player = ExoPlayer.Builder(this)',
    replace: 'val player = ExoPlayer.Builder(this).setLoadControl(androidx.media3.exoplayer.DefaultLoadControl())',
    expect: /unresolved reference '(setLoadControl|DefaultLoadControl)'/i,
  },
  {
    name: 'nullable Media3 return used as non-null',
    find: 'val title: CharSequence? = player.mediaMetadata.title',
    replace: 'val title: CharSequence = player.mediaMetadata.title',
    expect: /initializer type mismatch: expected 'CharSequence', actual 'CharSequence\?'/i,
  },
];

/** Variants of the generated Media3 service itself (applied only when the spot exists). */
export const GENERATED_VARIANTS = [
  {
    name: 'generated PlaybackService without its onGetSession override',
    find: /override fun onGetSession\(/,
    replace: 'fun onGetSessionRenamed(',
    expect: /class 'PlaybackService' is not abstract and does not implement abstract (base class )?member:?[\s\S]{0,200}onGetSession/i,
  },
];

/**
 * Behaviour bugs planted in a copy of the generated platform service: the Robolectric tests must
 * catch each one (the named test fails) while the other tests still pass. A mutation whose spot
 * is gone from the template is skipped, not failed.
 */
export const SERVICE_MUTATIONS = [
  { name: 'ignores a permanent focus loss', find: 'AudioManager.AUDIOFOCUS_LOSS -> pause()', replace: 'AudioManager.AUDIOFOCUS_LOSS -> Unit', test: 'permanentFocusLossPausesAndDoesNotResumeByItself' },
  { name: 'removes the notification on pause', find: 'stopForeground(Service.STOP_FOREGROUND_DETACH)', replace: 'stopForeground(Service.STOP_FOREGROUND_REMOVE)', test: 'pauseLeavesTheForegroundButKeepsTheNotification' },
  { name: 'removes the notification on pause below Android 7', find: 'stopForeground(false)', replace: 'stopForeground(true)', test: 'pauseLeavesTheForegroundButKeepsTheNotification', sdk: 'low' },
  { name: 'leaks the player in onDestroy', find: 'player?.release()', replace: 'Unit', test: 'onDestroyReleasesThePlayerAndTheSession' },
];

/**
 * The same bugs planted in the Java service, on the newest SDK only (the pre-Android 7 path is
 * proven on the Kotlin service; the clean Java service passes the same tests on SDK 23).
 */
export const JAVA_SERVICE_MUTATIONS = [
  { name: 'ignores a permanent focus loss', find: 'case AudioManager.AUDIOFOCUS_LOSS:\n                pause();', replace: 'case AudioManager.AUDIOFOCUS_LOSS:\n                Log.d(TAG, "ignored");', test: 'permanentFocusLossPausesAndDoesNotResumeByItself' },
  { name: 'removes the notification on pause', find: 'stopForeground(Service.STOP_FOREGROUND_DETACH)', replace: 'stopForeground(Service.STOP_FOREGROUND_REMOVE)', test: 'pauseLeavesTheForegroundButKeepsTheNotification' },
  { name: 'leaks the player in onDestroy', find: 'player.release();', replace: '// released nowhere', test: 'onDestroyReleasesThePlayerAndTheSession' },
];

export function applyVariant(text, v) {
  if (typeof v.find === 'string') {
    const count = text.split(v.find).length - 1;
    if (count !== 1) return { ok: false, problem: `the probe text ${JSON.stringify(v.find)} occurs ${count} times (expected once)` };
    return { ok: true, text: text.replace(v.find, v.replace) };
  }
  if (!v.find.test(text)) return { ok: false, problem: `no match for ${v.find}` };
  return { ok: true, text: text.replace(v.find, v.replace) };
}

// ------------------------------------------------------------------ Robolectric

/** Runs the Robolectric tests once per SDK in `runtimes` (one JVM); test names end in "[api]". */
export async function runRobolectric(tc, { appClasses, rClasses, shimClasses, testClasses, harnessDir, link, runtimes, workDir, appName }) {
  const resources = path.join(workDir, 'test-resources');
  // What AGP writes for unit tests with includeAndroidResources = true.
  writeFile(
    path.join(resources, 'com/android/tools/test_config.properties'),
    [
      `android_resource_apk=${link.apk}`,
      `android_merged_manifest=${link.mergedManifest}`,
      `android_custom_package=${HARNESS_APP_ID}`,
      '',
    ].join('\n'),
  );
  writeFile(path.join(resources, 'robolectric.properties'), `sdk=${runtimes.map((r) => r.api).join(',')}\n`);
  // The app name as typed (UTF-8), for the test that compares it with the notification title.
  writeFile(path.join(resources, 'audiobg-app-name.txt'), appName);
  const resultsFile = path.join(workDir, 'junit-results.txt');
  fs.mkdirSync(path.join(workDir, 'tmp'), { recursive: true });
  // Like AGP's unit-test classpath, which carries the compileSdk android.jar: Robolectric needs
  // framework classes outside its sandbox too (its Config class, JUnit's reflection), and the
  // sandbox falls back to them for classes newer than the SDK it runs (shadows written for newer
  // SDKs mention such classes). The copy readable by this JVM is used; Robolectric's sandbox loads
  // the instrumented jar of the runtime SDK itself.
  const cp = [resources, testClasses, appClasses, rClasses, shimClasses, ...tc.robolectric, tc.kotlinStdlib, harnessDir, tc.androidAllForJavac];
  const r = await java(
    cp,
    [
      'audiobg.harness.JUnitMain',
      resultsFile,
      ...listFiles(testClasses, (f) => /Test\.class$/.test(f)).map((f) => path.relative(testClasses, f).replace(/\.class$/, '').split(path.sep).join('.')),
    ],
    {
      jvmArgs: [
        '-Xmx1500m',
        // Robolectric fetches nothing: the instrumented framework jar was prefetched by Maven.
        '-Drobolectric.offline=true',
        // Every test name carries its SDK, also for the newest (Robolectric leaves it off there by default).
        '-Drobolectric.alwaysIncludeVariantMarkersInTestName=true',
        `-Drobolectric.dependency.dir=${tc.instrumentedDir}`,
        `-Djava.io.tmpdir=${path.join(workDir, 'tmp')}`,
      ],
    },
  );
  const lines = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8').split('\n') : [];
  const tests = [];
  for (const line of lines) {
    const m = /^(PASS|FAIL|SKIP) (\S+)(.*)$/.exec(line);
    if (m) tests.push({ status: m[1], name: m[2], detail: m[3].trim() });
    else if (line.startsWith('  ') && tests.length) tests[tests.length - 1].detail += `\n${line.slice(2)}`;
  }
  return { code: r.code, tests, output: r.stdout + r.stderr, ms: r.ms };
}

export { indent };
