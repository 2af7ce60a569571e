// The JVM side of the harness: finding a JDK and Maven, resolving artefacts from Maven Central
// through test/apps/pom.xml, and preparing the cached tools (harness classes, aapt2, jars).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APPS_DIR, CACHE_DIR, hashFiles, run, sha256, writeFile } from './util.mjs';

export const INSTALL_HINT =
  'install a JDK 17+ and Maven 3.6+ (Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless maven; ' +
  'macOS: brew install openjdk@17 maven), or set JAVA_HOME';

/**
 * Framework jars by API level. `compile` is the plain android-all jar (classes plus the compiled
 * framework resources aapt2 links against); `runtime` is the instrumented jar Robolectric 4.17 runs,
 * with the lowest Java feature version it needs (from Robolectric's DefaultSdkProvider).
 */
export const ANDROID_SDKS = {
  // Run-only (no compile jar): the lowest minSdk the framework-only service supports.
  23: { compile: null, runtime: '6.0.1_r3-robolectric-r1-i7', java: 8 },
  35: { compile: '15-robolectric-13954326', runtime: '15-robolectric-13954326-i7', java: 17 },
  36: { compile: '16-robolectric-13921718', runtime: '16-robolectric-13921718-i7', java: 21 },
  37: { compile: '17-robolectric-15733970', runtime: '17-robolectric-15733970-i7', java: 21 },
};

function javaBin(name) {
  const home = process.env.JAVA_HOME;
  if (home) {
    const p = path.join(home, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
    if (fs.existsSync(p)) return p;
  }
  return name;
}

export const JAVA = javaBin('java');
export const JAVAC = javaBin('javac');

/** What is installed: { ok, problem, javaFeature, mvnVersion }. */
export async function detectJvmTools() {
  const j = await run(JAVAC, ['-version']);
  if (j.code !== 0) return { ok: false, problem: `no javac (a JDK) found${j.stderr ? '' : ''}` };
  const m = /javac (\d+)(?:\.(\d+))?/.exec(j.stdout + j.stderr);
  const feature = m ? Number(m[1] === '1' ? m[2] : m[1]) : 0;
  if (feature < 17) return { ok: false, problem: `javac ${feature} found, the harness needs JDK 17 or newer` };
  const jr = await run(JAVA, ['-version']);
  if (jr.code !== 0) return { ok: false, problem: 'no java launcher found' };
  const mvn = await run('mvn', ['-v']);
  if (mvn.code !== 0) return { ok: false, problem: 'no mvn (Maven) found' };
  const mv = /Apache Maven ([0-9][0-9A-Za-z.\-]*)/.exec(mvn.stdout.replace(/\x1b\[[0-9;]*m/g, ''));
  return { ok: true, javaFeature: feature, mvnVersion: mv ? mv[1] : '?' };
}

/**
 * Resolves the dependency sets (toolchain, android, robolectric, robolectric-low) and returns their
 * classpaths as arrays of absolute jar paths. Cached by the pom files and properties; the cache
 * is trusted only while every listed file still exists.
 */
export async function resolveMaven({ androidAll, robolectricSdk, robolectricLowSdk }) {
  const poms = ['pom.xml', 'deps/toolchain/pom.xml', 'deps/android/pom.xml', 'deps/robolectric/pom.xml', 'deps/robolectric-low/pom.xml'].map((p) => path.join(APPS_DIR, p));
  const key = sha256(hashFiles(poms), androidAll, robolectricSdk, robolectricLowSdk);
  const cpDir = path.join(CACHE_DIR, 'classpath', key);
  const names = ['toolchain', 'android', 'robolectric', 'robolectric-low'];
  const read = () => Object.fromEntries(names.map((n) => [n, fs.readFileSync(path.join(cpDir, `${n}.txt`), 'utf8').trim().split(path.delimiter).filter(Boolean)]));
  if (names.every((n) => fs.existsSync(path.join(cpDir, `${n}.txt`)))) {
    const cps = read();
    if (Object.values(cps).every((list) => list.every((f) => fs.existsSync(f)))) return { ok: true, cps, cached: true, ms: 0 };
  }
  fs.mkdirSync(cpDir, { recursive: true });
  const args = [
    '-B',
    '-q',
    '-f',
    path.join(APPS_DIR, 'pom.xml'),
    'validate',
    `-Dharness.cp.dir=${cpDir}`,
    `-Dandroid.all.version=${androidAll}`,
    `-Drobolectric.sdk.version=${robolectricSdk}`,
    `-Drobolectric.low.sdk.version=${robolectricLowSdk}`,
  ];
  if (process.env.AUDIOBG_MAVEN_OFFLINE) args.unshift('-o');
  const r = await run('mvn', args, { echo: false });
  if (r.code !== 0) return { ok: false, output: r.stdout + r.stderr, ms: r.ms };
  return { ok: true, cps: read(), cached: false, ms: r.ms };
}

/** Runs java with the given classpath and arguments. */
export function java(classpath, args, opts = {}) {
  const jvm = ['-Xss4m', '-XX:+UseParallelGC', ...(opts.jvmArgs ?? [])];
  return run(JAVA, [...jvm, '-cp', classpath.join(path.delimiter), ...args], opts);
}

/** Compiles the harness's own Java helpers once (cached by their sources). */
export async function harnessClasses(junitJar) {
  const sources = ['Harness.java', 'JUnitMain.java'].map((f) => path.join(APPS_DIR, 'harness', f));
  const out = path.join(CACHE_DIR, 'harness-classes', hashFiles(sources));
  if (fs.existsSync(path.join(out, 'audiobg/harness/JUnitMain.class'))) return { ok: true, dir: out };
  fs.mkdirSync(out, { recursive: true });
  const r = await run(JAVAC, ['-nowarn', '-d', out, '-cp', junitJar, ...sources]);
  if (r.code !== 0) {
    fs.rmSync(out, { recursive: true, force: true });
    return { ok: false, output: r.stdout + r.stderr };
  }
  return { ok: true, dir: out };
}

/** Runs one Harness subcommand unless `output` already exists. */
async function cachedHarnessStep(harnessDir, output, args) {
  if (fs.existsSync(output)) return { ok: true, cached: true };
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const r = await java([harnessDir], ['audiobg.harness.Harness', ...args]);
  return r.code === 0 ? { ok: true, cached: false } : { ok: false, output: r.stdout + r.stderr };
}

/** Prepares tools and jars derived from downloaded artefacts. All results live in the cache. */
export async function prepareToolchain(cps, harnessDir) {
  const problems = [];
  const find = (list, re) => list.find((f) => re.test(path.basename(f)));

  // aapt2, the real Android resource compiler, from the prebuilt apktool-lib ships for this OS.
  const apktool = find(cps.toolchain, /^apktool-lib-.*\.jar$/);
  const platformDir = process.platform === 'darwin' ? 'macosx' : process.platform === 'win32' ? 'windows' : 'linux';
  const aapt2 = path.join(CACHE_DIR, 'tools', path.basename(apktool, '.jar'), process.platform === 'win32' ? 'aapt2.exe' : 'aapt2');
  let step = await cachedHarnessStep(harnessDir, aapt2, ['extract', apktool, `prebuilt/${platformDir}/${path.basename(aapt2)}`, aapt2]);
  if (!step.ok) problems.push(`extracting aapt2: ${step.output}`);
  else fs.chmodSync(aapt2, 0o755);
  if (process.arch !== 'x64' && process.platform === 'linux') problems.push(`aapt2 from apktool is an x86-64 binary; this machine is ${process.arch}`);

  // Android libraries (.aar) on the classpaths: use the classes.jar inside.
  const unpack = async (list) => {
    const out = [];
    for (const f of list) {
      if (!f.endsWith('.aar')) {
        out.push(f);
        continue;
      }
      const jar = path.join(CACHE_DIR, 'aar', `${path.basename(f, '.aar')}.jar`);
      const s = await cachedHarnessStep(harnessDir, jar, ['aar-classes', f, jar]);
      if (!s.ok) problems.push(`unpacking ${f}: ${s.output}`);
      out.push(jar);
    }
    return out;
  };
  const android = await unpack(cps.android);
  const robolectric = await unpack(cps.robolectric);

  // The framework jar as javac of this JDK can read it (see Harness.classfilesForJavac).
  const androidAll = find(android, /^android-all-.*\.jar$/);
  const androidAllForJavac = path.join(CACHE_DIR, 'android-all-javac', `${path.basename(androidAll, '.jar')}-${os.platform()}-${await javaFeature()}.jar`);
  step = await cachedHarnessStep(harnessDir, androidAllForJavac, ['classfiles-for-javac', androidAll, androidAllForJavac]);
  if (!step.ok) problems.push(`preparing ${androidAll}: ${step.output}`);

  // Instrumented framework jars (one per SDK the tests run on) stay off the classpath; Robolectric's
  // offline mode reads them from one flat folder.
  const instrumentedJars = [...robolectric, ...cps['robolectric-low']].filter((f) => /^android-all-instrumented-.*\.jar$/.test(path.basename(f)));
  const instrumented = instrumentedJars[0];
  const instrumentedDir = path.join(CACHE_DIR, 'instrumented');
  fs.mkdirSync(instrumentedDir, { recursive: true });
  for (const jar of instrumentedJars) {
    const link = path.join(instrumentedDir, path.basename(jar));
    if (!fs.existsSync(link)) fs.symlinkSync(jar, link);
  }
  return {
    ok: problems.length === 0,
    problems,
    aapt2,
    androidAll, // original jar: aapt2 -I (framework resources)
    androidAllForJavac, // class files readable by this JDK's javac and kotlinc
    androidLibs: android.filter((f) => f !== androidAll),
    kotlinCompiler: cps.toolchain.filter((f) => f !== apktool),
    robolectric: robolectric.filter((f) => !instrumentedJars.includes(f)),
    instrumentedDir: instrumented ? instrumentedDir : null,
    instrumentedJar: instrumented,
    kotlinStdlib: android.find((f) => /^kotlin-stdlib-\d.*\.jar$/.test(path.basename(f))),
    junit: robolectric.find((f) => /[\\/]junit[\\/]junit[\\/]4[^\\/]*[\\/]junit-4[^\\/]*\.jar$/.test(f)),
  };
}

let cachedFeature = null;
export async function javaFeature() {
  if (cachedFeature) return cachedFeature;
  const r = await run(JAVA, ['-XshowSettings:properties', '-version']);
  const m = /java\.specification\.version = (\d+)/.exec(r.stdout + r.stderr);
  cachedFeature = m ? Number(m[1]) : 17;
  return cachedFeature;
}

/** Writes a batch of compiler jobs for Harness `jobs` (one JVM for all of them) and runs it. */
export async function runJobs(jobsDir, jobs, classpath) {
  fs.rmSync(jobsDir, { recursive: true, force: true });
  fs.mkdirSync(jobsDir, { recursive: true });
  jobs.forEach((job, i) => {
    writeFile(path.join(jobsDir, `${String(i).padStart(2, '0')}-${job.name}.job`), [job.kind, ...job.args].join('\n') + '\n');
  });
  const r = await java(classpath, ['audiobg.harness.Harness', 'jobs', jobsDir], { jvmArgs: ['-Xmx2g'], echo: false });
  const results = new Map();
  jobs.forEach((job, i) => {
    const base = path.join(jobsDir, `${String(i).padStart(2, '0')}-${job.name}`);
    const rcText = fs.existsSync(`${base}.rc`) ? fs.readFileSync(`${base}.rc`, 'utf8').trim().split(' ') : null;
    results.set(job.name, {
      rc: rcText ? Number(rcText[0]) : -1,
      ms: rcText ? Number(rcText[1]) : 0,
      log: fs.existsSync(`${base}.log`) ? fs.readFileSync(`${base}.log`, 'utf8') : `job did not run (harness JVM exit ${r.code}):\n${r.stdout}${r.stderr}`,
    });
  });
  return { results, ms: r.ms };
}
