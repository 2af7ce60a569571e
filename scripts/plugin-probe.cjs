// Runs inside one scratch install (cwd) of an audio package: applies the package's real config plugin
// through @expo/config-plugins in introspection mode and prints what it did, as JSON on stdout.
// Used only by scripts/test-plugins.mjs; doctor never executes plugin code.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = process.cwd();
const [pkg, casesJson, seedJson] = process.argv.slice(2);
const cases = JSON.parse(casesJson);
const seedServices = JSON.parse(seedJson);
const cp = require(require.resolve('@expo/config-plugins', { paths: [root] }));

function baseConfig(withAudio) {
  return {
    name: 'probe', slug: 'probe', version: '1.0.0',
    ios: { bundleIdentifier: 'com.example.probe', infoPlist: withAudio ? { UIBackgroundModes: ['audio'] } : {} },
    android: { package: 'com.example.probe' },
    _internal: { projectRoot: root },
  };
}

// Registered after the plugin so that it runs first: puts the services a plugin may remove into the manifest.
const seed = (config) => cp.withAndroidManifest(config, (c) => {
  const app = c.modResults.manifest.application[0];
  app.service = [...(app.service ?? []), ...seedServices.map((name) => ({ $: { 'android:name': name, 'android:exported': 'false' } }))];
  return c;
});

function summarise(out) {
  const plist = out.ios?.infoPlist ?? {};
  const manifest = out._internal?.modResults?.android?.manifest?.manifest ?? {};
  const app = manifest.application?.[0] ?? {};
  return {
    backgroundModes: plist.UIBackgroundModes ?? [],
    usage: Object.fromEntries(Object.entries(plist).filter(([k]) => /UsageDescription$/.test(k))),
    entitlements: out.ios?.entitlements ?? {},
    permissions: (manifest['uses-permission'] ?? []).map((p) => p.$['android:name']),
    services: (app.service ?? []).map((s) => ({
      name: s.$['android:name'],
      types: (s.$['android:foregroundServiceType'] ?? '').split('|').filter(Boolean),
      removed: s.$['tools:node'] === 'remove',
    })),
  };
}

async function run(plugins, withAudio, seeded) {
  let config = baseConfig(withAudio);
  config = cp.withPlugins(config, seeded ? [...plugins, seed] : plugins);
  const out = await cp.compileModsAsync(config, { projectRoot: root, introspect: true, platforms: ['ios', 'android'], assertMissingModProviders: false });
  return summarise(out);
}

function libraryManifest() {
  const file = path.join(root, 'node_modules', pkg, 'android', 'src', 'main', 'AndroidManifest.xml');
  if (!fs.existsSync(file)) return null;
  return fs.readFileSync(file, 'utf8');
}

(async () => {
  const result = {
    version: require(path.join(root, 'node_modules', pkg, 'package.json')).version,
    hasAppPlugin: fs.existsSync(path.join(root, 'node_modules', pkg, 'app.plugin.js')),
    libraryManifestXml: libraryManifest(),
    baseline: [await run([], false, false), await run([], true, true)],
    cases: [],
  };
  if (result.hasAppPlugin) {
    for (const options of cases) {
      const entry = [[pkg, options]];
      try {
        result.cases.push({ options, plain: await run(entry, false, false), seeded: await run(entry, true, true) });
      } catch (e) {
        result.cases.push({ options, error: String(e && e.stack || e).split('\n').slice(0, 3).join(' | ') });
      }
    }
  }
  process.stdout.write(JSON.stringify(result));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
