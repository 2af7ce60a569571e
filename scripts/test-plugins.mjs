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
import { SaxesParser } from 'saxes';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const effects = await import(path.join(repo, 'dist/src/facts/expo/plugin-effects.js'));
const { parseVersion, compareVersion, inRange } = await import(path.join(repo, 'dist/src/facts/expo/packages.js'));
const { PLUGIN_EFFECTS, AUDIO_PACKAGES, LIBRARY_NAMESPACES, rangeFor } = effects;

const CACHE = process.env.AUDIOBG_PLUGIN_CACHE ?? path.join(os.tmpdir(), 'audiobg-plugin-cache');
const PROBE = path.join(repo, 'scripts', 'plugin-probe.cjs');
const JOBS = Number(process.env.AUDIOBG_PLUGIN_JOBS ?? 6);
const only = process.argv.slice(2); // optional: package names to limit the run

/** Option sets per package: every option the table reads, each way, plus the empty entry. */
const OPTIONS = {
  'expo-audio': [
    {}, { enableBackgroundPlayback: true }, { enableBackgroundPlayback: false }, { enableBackgroundRecording: true },
    { enableBackgroundPlayback: false, enableBackgroundRecording: true }, { microphonePermission: 'Record your voice notes' },
  ],
  'expo-av': [{}, { microphonePermission: 'Record your voice notes' }],
  'expo-video': [
    {}, { supportsBackgroundPlayback: true }, { supportsBackgroundPlayback: false }, { supportsPictureInPicture: true },
    { supportsPictureInPicture: false }, { supportsBackgroundPlayback: false, supportsPictureInPicture: true },
  ],
  'react-native-track-player': [{}],
  'react-native-video': [{}, { enableBackgroundAudio: true }, { enableBackgroundAudio: false }, { enableNotificationControls: true }],
  'react-native-audio-api': [
    {}, { iosBackgroundMode: false }, { androidForegroundService: false }, { androidFSTypes: ['mediaPlayback', 'microphone'] },
    { androidPermissions: ['android.permission.FOREGROUND_SERVICE', 'android.permission.WAKE_LOCK'] },
    { androidFSPermissions: ['android.permission.FOREGROUND_SERVICE', 'android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK'] },
  ],
};
/** Permissions the model speaks about; others a plugin adds (RECORD_AUDIO, ...) are not compared. */
const MODELLED_PERMISSION = /FOREGROUND_SERVICE|WAKE_LOCK|POST_NOTIFICATIONS/;

// ---- which versions ----------------------------------------------------------------------------

async function npmJson(args) {
  const { stdout } = await run('npm', [...args, '--json'], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout);
}

const isStable = (v) => !v.includes('-');
const cmp = (a, b) => compareVersion(parseVersion(a), parseVersion(b)) || (isStable(a) - isStable(b)) || a.localeCompare(b, 'en', { numeric: true });

/** For each boundary: the newest version below it and the first at or above it; plus the newest. */
export function pickVersions(pkg, published, latest) {
  const sorted = [...published].sort(cmp);
  const stable = sorted.filter(isStable);
  const picks = new Map();
  const add = (v, why) => { if (v) picks.set(v, [...(picks.get(v) ?? []), why]); };
  for (const r of PLUGIN_EFFECTS[pkg]) {
    if (!r.from) continue;
    const b = parseVersion(r.from);
    add(stable.filter((v) => compareVersion(parseVersion(v), b) < 0).at(-1), `below ${r.from}`);
    const inside = (list) => list.filter((v) => inRange(parseVersion(v), r.from, r.until));
    add(inside(stable)[0] ?? inside(sorted).at(-1), `from ${r.from}`);
  }
  add(latest, 'newest');
  return [...picks.entries()].map(([version, why]) => ({ version, why: why.join(', ') }));
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

// ---- the model's prediction ---------------------------------------------------------------------

const LOC = { file: 'app.json', line: 1, column: 1 };
function reader(options) {
  return {
    entry: LOC,
    bool: (n) => ({ value: typeof options[n] === 'boolean' ? options[n] : undefined, location: LOC }),
    strings: (n) => ({ value: Array.isArray(options[n]) ? options[n] : undefined, location: LOC }),
  };
}

function parseLibraryManifest(xml, pkg) {
  const permissions = new Set();
  const services = [];
  let namespace = LIBRARY_NAMESPACES[pkg];
  const parser = new SaxesParser();
  parser.on('opentag', (t) => {
    const a = (k) => t.attributes[k];
    if (t.name === 'manifest' && a('package')) namespace = a('package');
    if (t.name === 'uses-permission' && a('tools:node') !== 'remove') permissions.add(a('android:name'));
    if (t.name === 'service' && a('tools:node') !== 'remove') {
      const n = a('android:name');
      services.push({ name: n.startsWith('.') ? namespace + n : n.includes('.') ? n : `${namespace}.${n}`, types: (a('android:foregroundServiceType') ?? '').split('|').filter(Boolean) });
    }
  });
  parser.write(xml).close();
  return { permissions: [...permissions], services };
}

const fmtSvc = (s) => `${s.name}${s.types.length ? `[${[...s.types].sort().join('|')}]` : ''}`;
const setDiff = (a, b) => [...a].filter((x) => !b.has(x));

// ---- compare ------------------------------------------------------------------------------------

let passed = 0;
let failed = 0;
const failures = [];
const notes = [];
function check(ok, label, detail) {
  if (ok) passed++;
  else { failed++; failures.push(`${label}: ${detail}`); }
}

function compareCase(pkg, version, range, c, probe) {
  const label = `${pkg}@${version} options ${JSON.stringify(c.options)}`;
  if (c.error) return check(false, label, `the plugin threw: ${c.error}`);
  const predicted = range.plugin(reader(c.options));
  const rowText = `table row [${range.from ?? '-'}, ${range.until ?? '-'}): ${range.summary}`;
  // iOS: UIBackgroundModes `audio`, from a base without it (plain) and one with it (seeded).
  for (const [variant, base] of [['plain', false], ['seeded', true]]) {
    const actual = c[variant].backgroundModes.includes('audio');
    const expected = predicted.iosAudio ? predicted.iosAudio.action === 'add' : base;
    check(actual === expected, `${label} key ios.UIBackgroundModes(audio) base ${base ? 'with' : 'without'} audio`,
      `plugin ${actual ? 'leaves `audio` in' : 'leaves no `audio`'}, the table predicts ${expected ? 'present' : 'absent'} (${rowText})`);
  }
  check(Object.keys(c.plain.entitlements).length === 0, `${label} key ios.entitlements`,
    `plugin writes ${JSON.stringify(c.plain.entitlements)}, the table models no entitlements`);
  // Android permissions the plugin adds beyond the base manifest, among those the model speaks about.
  const base = new Set(probe.baseline[0].permissions);
  const asked = new Set([...(c.options.androidPermissions ?? []), ...(c.options.androidFSPermissions ?? [])]);
  const actualPerms = new Set(c.plain.permissions.filter((p) => !base.has(p) && (MODELLED_PERMISSION.test(p) || asked.has(p))));
  const expectedPerms = new Set(predicted.androidPermissions.map((p) => p.name));
  const missing = setDiff(expectedPerms, actualPerms);
  const extra = setDiff(actualPerms, expectedPerms);
  check(!missing.length && !extra.length, `${label} key android.uses-permission`,
    `${extra.length ? `plugin adds ${extra.join(', ')} the table does not predict` : ''}${extra.length && missing.length ? '; ' : ''}${missing.length ? `table predicts ${missing.join(', ')} the plugin does not add` : ''} (${rowText})`);
  // Android services: added from a bare manifest; removed from one that already has them.
  const actualSvcs = new Set(c.plain.services.filter((s) => !s.removed).map(fmtSvc));
  const expectedSvcs = new Set(predicted.androidServices.map(fmtSvc));
  check(setDiff(actualSvcs, expectedSvcs).length + setDiff(expectedSvcs, actualSvcs).length === 0, `${label} key android.application.service`,
    `plugin declares {${[...actualSvcs].join(', ')}}, the table predicts {${[...expectedSvcs].join(', ')}} (${rowText})`);
  const seededNames = new Set(probe.seedServices);
  const keptOrAdded = new Set(c.seeded.services.filter((s) => !s.removed).map((s) => s.name));
  const actualRemoved = new Set([...seededNames].filter((n) => !keptOrAdded.has(n)));
  const expectedRemoved = new Set(predicted.androidServicesRemoved.map((s) => s.name));
  check(setDiff(actualRemoved, expectedRemoved).length + setDiff(expectedRemoved, actualRemoved).length === 0, `${label} key android.application.service(removed)`,
    `plugin removes {${[...actualRemoved].join(', ')}}, the table predicts {${[...expectedRemoved].join(', ')}} (${rowText})`);
}

function compareVersionResult(pkg, pick, probe) {
  const { version } = pick;
  const range = rangeFor(pkg, parseVersion(version));
  const label = `${pkg}@${version} (${pick.why})`;
  check((range.plugin !== null) === probe.hasAppPlugin, `${label} key app.plugin.js`,
    `the package ${probe.hasAppPlugin ? 'has' : 'has no'} app.plugin.js, the table says ${range.plugin ? 'it has a plugin' : 'it has none'}`);
  const lib = probe.libraryManifestXml ? parseLibraryManifest(probe.libraryManifestXml, pkg) : { permissions: [], services: [] };
  // Permissions outside the modelled set (RECORD_AUDIO, INTERNET, ...) are shown as notes, not compared.
  const ap = new Set(lib.permissions.filter((p) => MODELLED_PERMISSION.test(p)));
  const ep = new Set(range.libraryManifest.permissions.filter((p) => MODELLED_PERMISSION.test(p)));
  const other = (list) => list.filter((p) => !MODELLED_PERMISSION.test(p)).sort().join(', ');
  if (other(lib.permissions) !== other(range.libraryManifest.permissions)) {
    notes.push(`${label}: its library manifest declares {${other(lib.permissions)}} besides the modelled permissions, the table lists {${other(range.libraryManifest.permissions)}} (not compared)`);
  }
  check(!setDiff(ap, ep).length && !setDiff(ep, ap).length, `${label} key library AndroidManifest.xml uses-permission`,
    `the library declares {${[...ap].join(', ')}}, the table says {${[...ep].join(', ')}}`);
  const as = new Set(lib.services.map(fmtSvc));
  const es = new Set(range.libraryManifest.services.map(fmtSvc));
  check(!setDiff(as, es).length && !setDiff(es, as).length, `${label} key library AndroidManifest.xml service`,
    `the library declares {${[...as].join(', ')}}, the table says {${[...es].join(', ')}}`);
  if (range.plugin && probe.hasAppPlugin) for (const c of probe.cases) compareCase(pkg, version, range, c, probe);
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
    return installed;
  } catch (e) {
    check(false, label, `could not generate, install or probe: ${String(e.stderr || e.message || e).trim().split('\n').slice(0, 4).join(' | ')}`);
    return false;
  } finally {
    fs.rmSync(appDir, { recursive: true, force: true });
  }
}
const templateInstalled = await templateRun;

for (const n of notes) console.log(`note ${n}`);
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`${jobs.length} package versions (${cold} installed now, ${jobs.length - cold} from the cache in ${CACHE})${only.length ? '' : `, the init --platform expo app (${templateInstalled ? 'installed now' : 'dependencies from the cache'})`}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
