#!/usr/bin/env node
// npm run test:apps — proves that the apps `audiobg init` generates compile and run, as far as this
// machine allows:
//   - iOS (every template): Swift parses with tree-sitter-swift (no ERROR/MISSING node), plists,
//     entitlements and other data files parse, project.pbxproj parses, its references exist and
//     every Swift file is compiled by the app target;
//   - every combination: `audiobg doctor` reports nothing; Kotlin parses with tree-sitter;
//   - Android (both stacks): the Kotlin sources compile with the Kotlin compiler against the real
//     framework classes (Robolectric's android-all for the app's compileSdk) and, for Media3,
//     against stubs generated from Media3's api.txt; deliberately wrong variants must fail;
//   - `audiobg add` into Java-only modules (the generated apps with their Kotlin removed) writes a
//     Java service: doctor reports nothing, it compiles with javac (Media3: against the stubs);
//   - Android platform stack: the generated PlaybackService, Kotlin and Java, runs under
//     Robolectric (JUnit) on SDK 23 (the lowest minSdk it supports) and on the newest SDK the JDK runs.
// Needs Node 20, a compiled dist/ (npm run test:apps compiles it first), a JDK 17+ and Maven for
// the Android part. Without a JDK or Maven (or without ../shared/reference/media3/api.txt for the
// Media3 part) those parts are skipped with a message, unless CI is set: then they fail.
// Ends with the line "N passed, N failed".
//
// Environment: AUDIOBG_KEEP_APPS=1 keeps the generated apps and build output; AUDIOBG_APPS_CACHE
// moves the cache (default test/apps/.cache, git-ignored); AUDIOBG_MAVEN_OFFLINE=1 runs Maven offline.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_NAME, COMBOS, HARNESS_APP_ID, cli, describeFindings, doctor, generate } from '../test/apps/lib/generate.mjs';
import { dataFileProblems, iosSelfTests, treeSitterProblems, xcodeProjectProblems } from '../test/apps/lib/ios.mjs';
import { INSTALL_HINT, detectJvmTools, harnessClasses, prepareToolchain, resolveMaven, runJobs } from '../test/apps/lib/jvm.mjs';
import {
  GENERATED_VARIANTS,
  PROBE_VARIANTS,
  SERVICE_MUTATIONS,
  JAVA_SERVICE_MUTATIONS,
  LOW_SDK,
  applyVariant,
  javacJob,
  kotlincJob,
  chooseSdks,
  compilerErrors,
  linkResources,
  prepareMedia3Stubs,
  runRobolectric,
  sdkLevels,
} from '../test/apps/lib/android.mjs';
import { APPS_DIR, MEDIA3_API_TXT, REPO_ROOT, Results, listFiles, seconds, writeFile } from '../test/apps/lib/util.mjs';

const CI = Boolean(process.env.CI);
const results = new Results();
const timings = [];
const started = Date.now();

function phase(title) {
  process.stdout.write(`\n== ${title}\n`);
  const t = Date.now();
  return () => timings.push([title, Date.now() - t]);
}

/** A prerequisite is missing: skip with a message, or fail when CI is set. */
function missing(name, message) {
  if (CI) results.fail(name, `${message}\n(CI is set, so this fails instead of being skipped)`);
  else results.skip(name, message);
}

async function main() {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/src/cli/main.js'))) {
    results.fail('compiled CLI present', 'dist/ is missing: run "npx tsc -p tsconfig.json" first (npm run test:apps does)');
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-apps-'));
  process.stdout.write(`generated apps and build output: ${work}\n`);

  // ------------------------------------------------------------ generate
  let done = phase('generate every combination with audiobg init');
  const apps = {};
  for (const combo of COMBOS) {
    const dir = path.join(work, 'apps', combo.key);
    const g = await generate(combo, dir);
    if (results.check(`${combo.key}: audiobg init`, g.ok, g.output)) apps[combo.key] = dir;
  }
  done();

  // ------------------------------------------------------------ doctor + syntax (no JVM needed)
  done = phase('audiobg doctor and syntax checks');
  for (const combo of COMBOS) {
    const dir = apps[combo.key];
    if (!dir) continue;
    const d = await doctor(dir);
    if (d.findings === null) results.fail(`${combo.key}: audiobg doctor runs`, d.output);
    else results.check(`${combo.key}: audiobg doctor reports nothing`, d.findings.length === 0 && d.code === 0, `exit ${d.code}\n${describeFindings(d.findings)}`);
    const data = await dataFileProblems(dir);
    results.check(`${combo.key}: plist/entitlements/XML/JSON files parse`, data.problems.length === 0, data.problems.join('\n'), `${data.checked.length} files`);
    if (combo.platform !== 'ios') {
      const kt = await treeSitterProblems(dir, 'kotlin', '.kt');
      results.check(`${combo.key}: Kotlin parses with tree-sitter (no ERROR/MISSING)`, kt.files.length > 0 && kt.problems.length === 0, kt.files.length ? kt.problems.join('\n') : 'no .kt files generated', `${kt.files.length} files`);
    }
  }
  done();

  done = phase('audiobg add into Java-only modules');
  for (const stack of ['media3', 'platform']) {
    const from = apps[`android-${stack}`];
    if (!from) continue;
    const r = await addJavaService(from, path.join(work, 'apps', `add-java-${stack}`), stack);
    if (!results.check(`add-java-${stack}: audiobg add playback-service writes PlaybackService.java into a Java-only module`, r.ok, r.output, r.ok ? path.relative(r.dir, r.service) : '')) continue;
    apps[`add-java-${stack}`] = r.dir;
    const d = await doctor(r.dir);
    if (d.findings === null) results.fail(`add-java-${stack}: audiobg doctor runs`, d.output);
    else results.check(`add-java-${stack}: audiobg doctor reports nothing`, d.findings.length === 0 && d.code === 0, `exit ${d.code}\n${describeFindings(d.findings)}`);
    const jv = await treeSitterProblems(r.dir, 'java', '.java');
    results.check(`add-java-${stack}: Java parses with tree-sitter (no ERROR/MISSING)`, jv.files.length > 0 && jv.problems.length === 0, jv.problems.join('\n'), `${jv.files.length} files`);
  }
  done();

  done = phase('iOS structure');
  for (const combo of COMBOS.filter((c) => c.platform !== 'android')) {
    const dir = apps[combo.key];
    if (!dir) continue;
    const iosDir = combo.platform === 'both' ? path.join(dir, 'ios') : dir;
    const swift = await treeSitterProblems(iosDir, 'swift', '.swift');
    results.check(`${combo.key}: Swift parses with tree-sitter-swift (no ERROR/MISSING)`, swift.files.length > 0 && swift.problems.length === 0, swift.files.length ? swift.problems.join('\n') : 'no .swift files generated', `${swift.files.length} files`);
    const xc = await xcodeProjectProblems(iosDir);
    results.check(`${combo.key}: project.pbxproj parses, references exist, every Swift file is in the app target`, xc.problems.length === 0, xc.problems.join('\n'), xc.notes.join('; '));
  }
  if (apps['ios-playback']) {
    for (const t of await iosSelfTests(apps['ios-playback'], path.join(work, 'selftest'))) results.check(`iOS checks bite: ${t.name}`, t.ok, t.detail);
  }
  done();

  // ------------------------------------------------------------ Android
  await android(apps, work);

  if (process.env.AUDIOBG_KEEP_APPS || results.count('fail') > 0) process.stdout.write(`\n(kept ${work} for inspection)\n`);
  else fs.rmSync(work, { recursive: true, force: true });
}

/**
 * A Java-only module from a generated app: its Kotlin sources removed, AGP 9's built-in Kotlin
 * switched off, then `audiobg add playback-service` without --language (the manifest already
 * declares the service, so add leaves it and writes the service in the module's language).
 */
async function addJavaService(from, dir, stack) {
  fs.cpSync(from, dir, { recursive: true });
  for (const f of listFiles(path.join(dir, 'app/src/main'), (x) => x.endsWith('.kt'))) fs.rmSync(f);
  fs.appendFileSync(path.join(dir, 'gradle.properties'), 'android.builtInKotlin=false\n');
  const r = await cli(['add', 'playback-service', '--into', dir, '--android-stack', stack]);
  const output = `audiobg add playback-service --into ${dir} --android-stack ${stack}\nexit ${r.code}\n${r.stdout}${r.stderr}`;
  const services = listFiles(path.join(dir, 'app/src/main'), (x) => /PlaybackService\.(java|kt)$/.test(x));
  const ok = r.code === 0 && services.length === 1 && services[0].endsWith('.java');
  return { ok, dir, service: services[0], output: ok ? output : `${output}\nservice files: ${services.join(', ') || 'none'}` };
}

async function android(apps, work) {
  const media3Dir = apps['android-media3'];
  const platformDir = apps['android-platform'];
  if (!media3Dir && !platformDir) return;

  let done = phase('Android toolchain (JDK, Maven Central artefacts)');
  const tools = await detectJvmTools();
  if (!tools.ok) {
    missing('Android compile and Robolectric checks', `${tools.problem}: ${INSTALL_HINT}`);
    done();
    return;
  }
  process.stdout.write(`  JDK ${tools.javaFeature}, Maven ${tools.mvnVersion}\n`);
  const hasApi = fs.existsSync(MEDIA3_API_TXT);
  if (!hasApi) missing('Media3 compile checks', `Media3's API signature file is not at ${MEDIA3_API_TXT} (it sits beside the repository as ../shared/reference/media3/api.txt); the Media3 stack cannot be compiled without it`);

  const levels = sdkLevels(platformDir ?? media3Dir);
  for (const dir of [media3Dir, platformDir].filter(Boolean)) {
    const l = sdkLevels(dir);
    if (l.compileSdk !== levels.compileSdk || l.targetSdk !== levels.targetSdk) {
      results.fail('both stacks share SDK levels', `${path.basename(dir)} has compileSdk ${l.compileSdk}/targetSdk ${l.targetSdk}, the other ${levels.compileSdk}/${levels.targetSdk}; the harness compiles both against one framework jar`);
    }
  }
  const sdks = await chooseSdks(levels);
  if (!sdks.ok) {
    results.fail('framework jars for the app\'s SDK levels', sdks.problem);
    done();
    return;
  }
  process.stdout.write(
    `  compileSdk ${levels.compileSdk} -> org.robolectric:android-all:${sdks.compile.compile}; ` +
      `targetSdk ${levels.targetSdk}, Java ${sdks.javaFeature} -> Robolectric runs SDK ${sdks.runtime.api} (${sdks.runtime.runtime}) and SDK ${sdks.low.api} (${sdks.low.runtime})\n`,
  );
  const mvn = await resolveMaven({ androidAll: sdks.compile.compile, robolectricSdk: sdks.runtime.runtime, robolectricLowSdk: sdks.low.runtime });
  if (!mvn.ok) {
    results.fail('Maven resolves the harness dependencies', mvn.output);
    done();
    return;
  }
  process.stdout.write(`  Maven: ${mvn.cached ? 'classpaths cached' : `resolved in ${seconds(mvn.ms)}`}\n`);
  const junitJar = mvn.cps.robolectric.find((f) => /[\\/]junit[\\/]junit[\\/]4[^\\/]*[\\/]junit-4[^\\/]*\.jar$/.test(f));
  const harness = await harnessClasses(junitJar);
  if (!harness.ok) {
    results.fail('harness Java helpers compile', harness.output);
    done();
    return;
  }
  const tc = await prepareToolchain(mvn.cps, harness.dir);
  if (!tc.ok) {
    results.fail('toolchain prepared (aapt2, framework jars)', tc.problems.join('\n'));
    done();
    return;
  }
  done();

  // ------------------------------------------------------------ resources
  done = phase('Android resources (aapt2 compile + link)');
  const build = path.join(work, 'build');
  const stacks = [
    ['media3', media3Dir],
    ['platform', platformDir],
  ].filter(([, d]) => d);
  const links = {};
  for (const [stack, dir] of stacks) {
    // The platform service is linked as part of an app with the lowest minSdk it supports, so that
    // Robolectric may run it on that SDK too (the resources do not depend on minSdk).
    const link = await linkResources(tc, dir, path.join(build, stack, 'res'), stack === 'platform' ? { ...levels, minSdk: Math.min(levels.minSdk, LOW_SDK) } : levels);
    if (results.check(`android-${stack}: aapt2 compiles and links res/ and the manifest`, link.ok, link.output, link.ok ? `R.java + app.apk` : '')) links[stack] = link;
  }
  done();

  // ------------------------------------------------------------ compile jobs (one JVM)
  done = phase('Android compilation (javac + kotlinc in one JVM)');
  const jobs = [];
  const frameworkCp = [tc.androidAllForJavac, tc.kotlinStdlib];
  const shimsOut = path.join(build, 'shims');
  const shimSources = listFiles(path.join(APPS_DIR, 'android-shims'), (f) => f.endsWith('.java'));
  jobs.push(javacJob('androidx-core-shims', { sources: shimSources, classpath: [tc.androidAllForJavac], out: shimsOut }));

  let stubs = null;
  if (hasApi) {
    try {
      stubs = prepareMedia3Stubs(tc);
      if (stubs.job) jobs.push(stubs.job);
    } catch (e) {
      results.fail('Media3 stubs generated from api.txt', e.stack ?? String(e));
    }
  }
  const kotlinJob = (name, sources, classpath, out) => kotlincJob(name, { sources, classpath, out });
  const appOut = {};
  for (const [stack, dir] of stacks) {
    const link = links[stack];
    if (!link) continue;
    if (stack === 'media3' && !stubs) continue;
    const rOut = path.join(build, stack, 'r-classes');
    jobs.push(javacJob(`${stack}-R`, { sources: link.rJava, classpath: [], out: rOut }));
    const sources = listFiles(path.join(dir, 'app/src/main'), (f) => f.endsWith('.kt'));
    const cp = [...frameworkCp, ...tc.androidLibs, shimsOut, rOut, ...(stack === 'media3' ? [stubs.classes] : [])];
    appOut[stack] = { classes: path.join(build, stack, 'classes'), r: rOut, cp, sources };
    jobs.push(kotlinJob(`${stack}-app`, sources, cp, appOut[stack].classes));
  }
  // The Java services `add` wrote: javac against the same framework jar, R and (Media3) stubs.
  for (const [stack] of stacks) {
    const dir = apps[`add-java-${stack}`];
    if (!dir || !appOut[stack]) continue;
    const sources = listFiles(path.join(dir, 'app/src/main'), (f) => f.endsWith('.java'));
    const cp = [tc.androidAllForJavac, ...tc.androidLibs, appOut[stack].r, ...(stack === 'media3' ? [stubs.classes] : [])];
    appOut[`${stack}-java`] = { classes: path.join(build, `${stack}-java`, 'classes'), r: appOut[stack].r, cp, sources, java: true };
    jobs.push(javacJob(`${stack}-java-app`, { sources, classpath: cp, out: appOut[`${stack}-java`].classes }));
  }
  const testSources = listFiles(path.join(APPS_DIR, 'robolectric'), (f) => f.endsWith('.kt'));
  const robolectricRuns = [];
  // The tests are compiled once, against the Kotlin service: they reach the service only through
  // its class, intents, the constants (inlined) and reflection, so the same classes run against the
  // Java service, which has the same class name and members.
  const testClasses = path.join(build, 'platform', 'test-classes');
  if (appOut.platform) jobs.push(kotlinJob('platform-robolectric-tests', testSources, [tc.androidAllForJavac, ...tc.robolectric, tc.kotlinStdlib, appOut.platform.classes, appOut.platform.r, shimsOut], testClasses));
  for (const key of ['platform', 'platform-java']) {
    const app = appOut[key];
    if (!app || !appOut.platform) continue;
    const language = app.java ? 'Java' : 'Kotlin';
    app.tests = testClasses;
    const run = { key, language, app, mutant: null };
    robolectricRuns.push(run);
    // A copy of the service with behaviour bugs planted, to show the Robolectric tests catch them.
    const serviceFile = app.sources.find((f) => /PlaybackService\.(kt|java)$/.test(f));
    let mutated = serviceFile ? fs.readFileSync(serviceFile, 'utf8') : '';
    const planted = [];
    for (const m of app.java ? JAVA_SERVICE_MUTATIONS : SERVICE_MUTATIONS) {
      const a = applyVariant(mutated, m);
      if (a.ok) {
        mutated = a.text;
        planted.push(m);
      } else results.skip(`Robolectric tests catch a planted bug (${language}): ${m.name}`, `the generated service no longer has the spot this mutation edits (${a.problem})`);
    }
    if (planted.length) {
      const file = path.join(build, `${key}-mutant`, 'src', path.basename(serviceFile));
      writeFile(file, mutated);
      run.mutant = { classes: path.join(build, `${key}-mutant`, 'classes'), planted, job: `${key}-mutant-app` };
      const others = app.sources.filter((f) => f !== serviceFile);
      jobs.push(app.java ? javacJob(run.mutant.job, { sources: [file, ...others], classpath: app.cp, out: run.mutant.classes }) : kotlinJob(run.mutant.job, [file, ...others], app.cp, run.mutant.classes));
    }
  }
  // Negative tests: a probe that compiles, then variants that must not.
  const probeCp = stubs ? [...frameworkCp, ...tc.androidLibs, stubs.classes] : null;
  const negatives = [];
  if (stubs) {
    const probeText = fs.readFileSync(path.join(APPS_DIR, 'negative/Media3Probe.kt'), 'utf8');
    const variants = [{ name: 'baseline', text: probeText, expectOk: true }];
    for (const v of PROBE_VARIANTS) {
      const a = applyVariant(probeText, v);
      if (!a.ok) results.fail(`negative compile: ${v.name} (variant applies)`, a.problem);
      else variants.push({ name: v.name, text: a.text, expect: v.expect });
    }
    const generatedService = media3Dir ? listFiles(path.join(media3Dir, 'app/src/main'), (f) => f.endsWith('PlaybackService.kt'))[0] : null;
    for (const v of GENERATED_VARIANTS) {
      if (!generatedService || !appOut.media3) continue;
      const a = applyVariant(fs.readFileSync(generatedService, 'utf8'), v);
      if (!a.ok) {
        results.skip(`negative compile: ${v.name}`, `the generated service no longer has the spot this variant edits (${a.problem})`);
        continue;
      }
      variants.push({ name: v.name, text: a.text, expect: v.expect, generated: true });
    }
    variants.forEach((v, i) => {
      const dir = path.join(build, 'negative', String(i));
      let sources;
      let cp = probeCp;
      if (v.generated) {
        // The edited service replaces the original; the app's other sources and R stay.
        const file = path.join(dir, 'src', 'PlaybackService.kt');
        writeFile(file, v.text);
        sources = [file, ...appOut.media3.sources.filter((s) => !s.endsWith('PlaybackService.kt'))];
        cp = appOut.media3.cp;
      } else {
        const file = path.join(dir, 'src', 'Media3Probe.kt');
        writeFile(file, v.text);
        sources = [file];
      }
      const job = kotlinJob(`negative-${i}`, sources, cp, path.join(dir, 'classes'));
      negatives.push({ ...v, job: job.name });
      jobs.push(job);
    });
  }

  const batchClasspath = [harness.dir, ...tc.kotlinCompiler];
  const { results: jr, ms } = await runJobs(path.join(build, 'jobs'), jobs, batchClasspath);
  process.stdout.write(`  ${jobs.length} compiler jobs in ${seconds(ms)}\n`);
  const ok = (name) => jr.get(name)?.rc === 0;
  const kotlinVersion = (/kotlin-compiler-embeddable-(.+)\.jar$/.exec(tc.kotlinCompiler.map((f) => path.basename(f)).find((f) => f.startsWith('kotlin-compiler-embeddable-')) ?? '') ?? [])[1] ?? '?';
  const errorsOf = (name) => {
    const j = jr.get(name);
    if (!j) return 'job missing';
    return compilerErrors(j.log) || j.log;
  };
  results.check('androidx.core shims compile (hand-written, see test/apps/android-shims/README.md)', ok('androidx-core-shims'), errorsOf('androidx-core-shims'));
  if (stubs) {
    if (stubs.job) {
      if (ok('media3-stubs')) writeFile(stubs.done, JSON.stringify(stubs.summary, null, 2));
      results.check('Media3 stubs generated from api.txt compile with javac', ok('media3-stubs'), errorsOf('media3-stubs').split('\n').slice(0, 60).join('\n'), `${stubs.summary.classCount} classes, ${stubs.summary.memberCount} members, nothing excluded`);
    } else results.pass('Media3 stubs generated from api.txt compile with javac', `${stubs.summary.classCount} classes, ${stubs.summary.memberCount} members, nothing excluded (cached: same api.txt and generator)`);
    for (const note of stubs.summary.notes) process.stdout.write(`        note: ${note}\n`);
  }
  for (const [stack] of stacks) {
    if (!appOut[stack]) continue;
    results.check(`android-${stack}: R.java compiles`, ok(`${stack}-R`), errorsOf(`${stack}-R`));
    const log = jr.get(`${stack}-app`)?.log ?? '';
    const warnings = log.split('\n').filter((l) => /^w: |warning:/.test(l));
    results.check(
      `android-${stack}: every Kotlin file compiles (kotlinc ${kotlinVersion}) against android-all ${levels.compileSdk}${stack === 'media3' ? ' + Media3 stubs' : ''}`,
      ok(`${stack}-app`),
      errorsOf(`${stack}-app`),
      `${appOut[stack].sources.length} files${warnings.length ? `; ${warnings.length} warning(s):\n${warnings.join('\n')}` : ''}`,
    );
  }
  for (const [stack] of stacks) {
    const app = appOut[`${stack}-java`];
    if (!app) continue;
    const log = jr.get(`${stack}-java-app`)?.log ?? '';
    results.check(
      `add-java-${stack}: every Java file compiles (javac) against android-all ${levels.compileSdk}${stack === 'media3' ? ' + Media3 stubs' : ''}`,
      ok(`${stack}-java-app`),
      errorsOf(`${stack}-java-app`),
      `${app.sources.length} files`,
    );
    void log;
  }
  if (appOut.platform) results.check('Robolectric tests compile against the generated platform app', ok('platform-robolectric-tests'), errorsOf('platform-robolectric-tests'));
  for (const n of negatives) {
    const j = jr.get(n.job);
    if (n.expectOk) {
      results.check('negative compile: the unmodified probe compiles (control)', j?.rc === 0, errorsOf(n.job));
      continue;
    }
    const failedAsExpected = j && j.rc === 1 && n.expect.test(j.log);
    results.check(
      `negative compile: ${n.name} is rejected`,
      failedAsExpected,
      j?.rc === 0 ? 'compiled although it is wrong: the check does not bite' : `exit ${j?.rc}; expected a message matching ${n.expect}, got:\n${errorsOf(n.job)}`,
      (compilerErrors(j?.log ?? '').split('\n').find((l) => n.expect.test(l)) ?? compilerErrors(j?.log ?? '').split('\n')[0] ?? '').trim(),
    );
  }
  done();

  // ------------------------------------------------------------ Robolectric
  const runtimes = [sdks.low, sdks.runtime];
  for (const run of robolectricRuns) {
    done = phase(`platform PlaybackService (${run.language}) under Robolectric (SDK ${runtimes.map((r) => r.api).join(' and ')})`);
    await robolectric(run, { tc, ok, errorsOf, runtimes, shimsOut, harness, link: links.platform, build });
    done();
  }
}

/** The Robolectric tests on one service on every runtime SDK, then on its planted-bug copy. */
async function robolectric(run, { tc, ok, errorsOf, runtimes, shimsOut, harness, link, build }) {
  const label = `platform service (${run.language}, Robolectric)`;
  const short = (name) => name.replace(/^PlatformPlaybackServiceTest\./, '');
  const appJob = run.app.java ? 'platform-java-app' : 'platform-app';
  if (!ok(appJob) || !ok('platform-robolectric-tests') || !ok('platform-R') || !ok('androidx-core-shims')) {
    results.fail(`Robolectric run of the ${run.language} platform service`, 'not run: the app or the tests did not compile (see above)');
    return;
  }
  const options = (appClasses, dir, sdks = runtimes) => ({
    appClasses,
    rClasses: run.app.r,
    shimClasses: shimsOut,
    testClasses: run.app.tests,
    harnessDir: harness.dir,
    link,
    runtimes: sdks,
    workDir: path.join(build, dir),
    appName: APP_NAME,
  });
  const r = await runRobolectric(tc, options(run.app.classes, `${run.key}-robolectric`));
  if (!r.tests.length) results.fail(`Robolectric run of the ${run.language} platform service`, `no test results (exit ${r.code}):\n${r.output.slice(-6000)}`);
  for (const t of r.tests) {
    const name = `${label}: ${short(t.name)}`;
    if (t.status === 'PASS') results.pass(name);
    else if (t.status === 'SKIP') results.skip(name, t.detail);
    else results.fail(name, t.detail.split('\n').slice(0, 25).join('\n'));
  }
  const ran = new Set(r.tests.map((t) => /\[(\d+)\]$/.exec(t.name)?.[1]).filter(Boolean).map(Number));
  for (const rt of runtimes) results.check(`${label}: tests ran on SDK ${rt.api}`, ran.has(rt.api), `SDKs seen in the results: ${[...ran].join(', ') || 'none'}`);
  process.stdout.write(`  JUnit JVM: ${seconds(r.ms)}\n`);

  // The same tests against the service with planted bugs: each bug must be caught by its test.
  if (!run.mutant) return;
  const planted = run.mutant.planted;
  if (!ok(run.mutant.job)) {
    results.fail(`Robolectric tests catch planted bugs (${run.language})`, `the mutated service did not compile:\n${errorsOf(run.mutant.job)}`);
    return;
  }
  // Only on the SDKs whose code paths the planted bugs break.
  const sdkOf = (bug) => (bug.sdk === 'low' ? runtimes[0].api : runtimes[runtimes.length - 1].api);
  const mutantSdks = runtimes.filter((rt) => planted.some((b) => sdkOf(b) === rt.api));
  const m = await runRobolectric(tc, options(run.mutant.classes, `${run.key}-robolectric-mutant`, mutantSdks));
  const status = new Map(m.tests.map((t) => [short(t.name), t.status]));
  const cleanPass = new Set(r.tests.filter((t) => t.status === 'PASS').map((t) => short(t.name)));
  for (const bug of planted) {
    const test = `${bug.test}[${sdkOf(bug)}]`;
    results.check(
      `Robolectric tests catch a planted bug (${run.language}): ${bug.name}`,
      cleanPass.has(test) && status.get(test) === 'FAIL',
      cleanPass.has(test) ? `${test} did not fail with the bug planted (status: ${status.get(test) ?? 'not run'})` : `${test} does not pass on the unmodified service, so it proves nothing here`,
      `${test} fails`,
    );
  }
  const expected = new Set(planted.map((b) => `${b.test}[${sdkOf(b)}]`));
  const unexpected = [...status].filter(([name, st]) => st === 'FAIL' && cleanPass.has(name) && !expected.has(name) && !planted.some((b) => name.startsWith(`${b.test}[`)));
  if (unexpected.length) process.stdout.write(`        note: with the bugs planted these tests failed too: ${unexpected.map(([n]) => n).join(', ')}\n`);
  process.stdout.write(`  JUnit JVM (planted bugs): ${seconds(m.ms)}\n`);
}

try {
  await main();
} catch (e) {
  results.fail('harness', e.stack ?? String(e));
}
process.stdout.write('\n== timings\n');
for (const [title, ms] of timings) process.stdout.write(`  ${seconds(ms).padStart(7)}  ${title}\n`);
process.stdout.write(`  ${seconds(Date.now() - started).padStart(7)}  total\n`);
const skipped = results.count('skip');
if (skipped) process.stdout.write(`(${skipped} skipped)\n`);
process.stdout.write(`${results.count('pass')} passed, ${results.count('fail')} failed\n`);
process.exitCode = results.count('fail') > 0 ? 1 : 0;
