#!/usr/bin/env node
// npm run test:plugins: the plugin-effects table (src/facts/expo/plugin-effects.ts) checked against
// the real packages. For each package, each behaviour boundary of the table (the version on each
// side of it) and the newest published version are installed from the npm registry into a scratch
// cache under the OS temp folder; the package's own config plugin is applied with each option set
// to a minimal app config through @expo/config-plugins in introspection mode (scripts/plugin-probe.cjs),
// and the resulting UIBackgroundModes, entitlements, Android permissions and services, plus the
// library's own AndroidManifest.xml, are compared with what doctor's model predicts.
// Plugin code runs only here, in child processes inside the scratch folders; never in doctor.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDiff, OPTIONS } from './plugin-diff.mjs';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const effects = await import(path.join(repo, 'dist/src/facts/expo/plugin-effects.js'));
const versions = await import(path.join(repo, 'dist/src/facts/expo/packages.js'));
const { PLUGIN_EFFECTS, AUDIO_PACKAGES } = effects;
const { pickVersions, reader, compareVersionResult, check, state } = createDiff(effects, versions);

const CACHE = process.env.AUDIOBG_PLUGIN_CACHE ?? path.join(os.tmpdir(), 'audiobg-plugin-cache');
const PROBE = path.join(repo, 'scripts', 'plugin-probe.cjs');
const JOBS = Number(process.env.AUDIOBG_PLUGIN_JOBS ?? 6);
const only = process.argv.slice(2); // optional: package names to limit the run

async function npmJson(args) {
  const { stdout } = await run('npm', [...args, '--json'], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout);
}

// ---- scratch installs --------------------------------------------------------------------------

async function ensureInstalled(pkg, version) {
  const dir = path.join(CACHE, `${pkg}@${version}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return { dir, cached: true };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'audiobg-plugin-probe', private: true }));
  // --legacy-peer-deps: the peers (expo, react-native) are not needed to run a config plugin; the
  // `expo/config-plugins` entry point plugins import is provided below as a re-export.
  await run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--loglevel=error',
    `${pkg}@${version}`, '@expo/config-plugins@latest', '@expo/prebuild-config@latest'], { maxBuffer: 64 << 20 });
  const shim = path.join(dir, 'node_modules', 'expo');
  if (!fs.existsSync(path.join(shim, 'package.json'))) {
    fs.mkdirSync(shim, { recursive: true });
    fs.writeFileSync(path.join(shim, 'package.json'), JSON.stringify({ name: 'expo', version: '0.0.0-audiobg-shim', main: 'config-plugins.js' }));
    fs.writeFileSync(path.join(shim, 'config-plugins.js'), "module.exports = require('@expo/config-plugins');\n");
  }
  fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
  return { dir, cached: false };
}

async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i], i); }
  }));
  return out;
}


// ---- main ---------------------------------------------------------------------------------------

const started = Date.now();
const packages = AUDIO_PACKAGES.filter((p) => !only.length || only.includes(p));
// The template check installs React Native and friends: start it beside the package versions.
const templateRun = only.length ? Promise.resolve(false) : checkExpoTemplate();
const plans = await pool(packages, JOBS, async (pkg) => {
  const info = await npmJson(['view', pkg, 'versions', 'dist-tags']);
  const picks = pickVersions(pkg, info.versions, info['dist-tags'].latest);
  return picks.map((p) => ({ pkg, ...p }));
});
const jobs = plans.flat();
let cold = 0;
const results = await pool(jobs, JOBS, async (job) => {
  try {
    const { dir, cached } = await ensureInstalled(job.pkg, job.version);
    if (!cached) cold++;
    // Services a plugin may take out: every service name the table knows for this package.
    const seedServices = [...new Set(PLUGIN_EFFECTS[job.pkg].flatMap((r) => r.plugin ? r.plugin(reader({ enableBackgroundPlayback: true, supportsBackgroundPlayback: true, enableNotificationControls: true, enableBackgroundRecording: true })).androidServices.map((s) => s.name) : []))];
    const { stdout } = await run(process.execPath, [PROBE, job.pkg, JSON.stringify(OPTIONS[job.pkg]), JSON.stringify(seedServices)], { cwd: dir, maxBuffer: 64 << 20, timeout: 120_000 });
    return { job, probe: { ...JSON.parse(stdout), seedServices } };
  } catch (e) {
    return { job, error: String(e.stderr || e.message || e).trim().split('\n').slice(0, 4).join(' | ') };
  }
});

for (const r of results) {
  if (r.error) { check(false, `${r.job.pkg}@${r.job.version} (${r.job.why})`, `could not install or run: ${r.error}`); continue; }
  compareVersionResult(r.job.pkg, r.job, r.probe);
}
for (const r of results.filter((x) => !x.error)) {
  const usage = r.probe.cases.map((c) => c.plain && Object.keys(c.plain.usage).filter((k) => !(k in r.probe.baseline[0].usage))).flat().filter(Boolean);
  console.log(`  ${r.job.pkg}@${r.job.version} (${r.job.why})${r.probe.hasAppPlugin ? `: ${r.probe.cases.length} option sets` : ': no config plugin'}${usage.length ? `; usage strings it writes: ${[...new Set(usage)].join(', ')}` : ''}`);
}
// ---- the Expo app `audiobg init --platform expo` creates -----------------------------------------
// Its dependencies are installed at the versions the template pins (cached by the package.json
// content); then `tsc --noEmit` must pass against the real type definitions, and the real plugins
// of its app.json must give iOS the `audio` mode and Android the media-playback service with both
// foreground-service permissions, and no microphone permission.

async function checkExpoTemplate() {
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-expo-app-'));
  const label = 'init --platform expo';
  try {
    fs.rmSync(appDir, { recursive: true, force: true });
    await run(process.execPath, [path.join(repo, 'bin', 'audiobg.js'), 'init', appDir, '--platform', 'expo', '--template', 'playback', '--name', 'Café "Night" Radio', '--id', 'com.example.nightradio']);
    const pkgText = fs.readFileSync(path.join(appDir, 'package.json'), 'utf8');
    const deps = path.join(CACHE, `expo-template-${createHash('sha256').update(pkgText).digest('hex').slice(0, 16)}`);
    let installed = false;
    if (!fs.existsSync(path.join(deps, '.complete'))) {
      fs.rmSync(deps, { recursive: true, force: true });
      fs.mkdirSync(deps, { recursive: true });
      fs.writeFileSync(path.join(deps, 'package.json'), pkgText);
      await run('npm', ['install', '--prefix', deps, '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--loglevel=error'], { maxBuffer: 64 << 20 });
      fs.writeFileSync(path.join(deps, '.complete'), new Date().toISOString());
      installed = true;
    }
    fs.symlinkSync(path.join(deps, 'node_modules'), path.join(appDir, 'node_modules'), 'dir');
    const tsc = await run(process.execPath, [path.join(deps, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', appDir], { cwd: appDir, maxBuffer: 16 << 20 }).then(
      () => null,
      (e) => String(e.stdout || e.message).trim().split('\n').slice(0, 8).join(' | '),
    );
    check(tsc === null, `${label} tsc --noEmit`, `the generated app does not type-check against the pinned packages: ${tsc}`);
    const { stdout } = await run(process.execPath, [path.join(repo, 'scripts', 'expo-app-probe.cjs')], { cwd: appDir, maxBuffer: 16 << 20 });
    const r = JSON.parse(stdout);
    check(r.backgroundModes.includes('audio'), `${label} key ios.UIBackgroundModes(audio)`, `the plugins leave UIBackgroundModes ${JSON.stringify(r.backgroundModes)}`);
    for (const perm of ['android.permission.FOREGROUND_SERVICE', 'android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK']) {
      check(r.permissions.includes(perm), `${label} key android.uses-permission ${perm}`, 'the plugins do not add it');
    }
    check(!r.permissions.includes('android.permission.RECORD_AUDIO') && !r.usage.includes('NSMicrophoneUsageDescription'), `${label} key microphone`,
      'a playback-only app should not ask for the microphone');
    check(r.services.some((x) => x.types.includes('mediaPlayback')), `${label} key android.application.service`,
      `no mediaPlayback service: ${JSON.stringify(r.services)}`);
    // doctor on the app with its real node_modules: the installed expo-audio decides, not the range.
    const doc = await run(process.execPath, [path.join(repo, 'bin', 'audiobg.js'), 'doctor', appDir, '--format', 'json'], { maxBuffer: 16 << 20 }).then(
      (r) => r.stdout,
      (e) => e.stdout || String(e.message),
    );
    let findings;
    try { findings = JSON.parse(doc).findings; } catch { findings = doc; }
    check(Array.isArray(findings) && findings.length === 0, `${label} doctor with the dependencies installed`, `doctor reports ${typeof findings === 'string' ? findings.slice(0, 300) : JSON.stringify(findings.map((f) => f.ruleId))}`);
    return installed;
  } catch (e) {
    check(false, label, `could not generate, install or probe: ${String(e.stderr || e.message || e).trim().split('\n').slice(0, 4).join(' | ')}`);
    return false;
  } finally {
    fs.rmSync(appDir, { recursive: true, force: true });
  }
}
const templateInstalled = await templateRun;

for (const n of state.notes) console.log(`note ${n}`);
for (const f of state.failures) console.log(`FAIL ${f}`);
console.log(`${jobs.length} package versions (${cold} installed now, ${jobs.length - cold} from the cache in ${CACHE})${only.length ? '' : `, the init --platform expo app (${templateInstalled ? 'installed now' : 'dependencies from the cache'})`}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${state.passed} passed, ${state.failed} failed`);
process.exitCode = state.failed ? 1 : 0;
