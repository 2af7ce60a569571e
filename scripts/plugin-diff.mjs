// The comparison half of npm run test:plugins, kept free of I/O so that it can be unit-tested
// (test/plugins/plugin-diff.test.ts) with the model from src/ and made-up plugin results.
// scripts/test-plugins.mjs passes it the model compiled in dist/.

import { SaxesParser } from 'saxes';

/** Option sets per package: every option the table reads, each way, plus the empty entry. */
export const OPTIONS = {
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
export const MODELLED_PERMISSION = /FOREGROUND_SERVICE|WAKE_LOCK|POST_NOTIFICATIONS/;

/**
 * @param effects the plugin-effects module (PLUGIN_EFFECTS, LIBRARY_NAMESPACES, rangeFor)
 * @param versions the packages module (parseVersion, compareVersion, inRange)
 */
export function createDiff(effects, versions) {
  const { PLUGIN_EFFECTS, LIBRARY_NAMESPACES, rangeFor } = effects;
  const { parseVersion, compareVersion, inRange } = versions;
  const isStable = (v) => !v.includes('-');
  const cmp = (a, b) => compareVersion(parseVersion(a), parseVersion(b)) || (isStable(a) - isStable(b)) || a.localeCompare(b, 'en', { numeric: true });

  /** For each boundary: the newest version below it and the first at or above it; plus the newest. */
  function pickVersions(pkg, published, latest) {
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

  const state = { passed: 0, failed: 0, failures: [], notes: [] };
  function check(ok, label, detail) {
    if (ok) state.passed++;
    else { state.failed++; state.failures.push(`${label}: ${detail}`); }
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
      state.notes.push(`${label}: its library manifest declares {${other(lib.permissions)}} besides the modelled permissions, the table lists {${other(range.libraryManifest.permissions)}} (not compared)`);
    }
    check(!setDiff(ap, ep).length && !setDiff(ep, ap).length, `${label} key library AndroidManifest.xml uses-permission`,
      `the library declares {${[...ap].join(', ')}}, the table says {${[...ep].join(', ')}}`);
    const as = new Set(lib.services.map(fmtSvc));
    const es = new Set(range.libraryManifest.services.map(fmtSvc));
    check(!setDiff(as, es).length && !setDiff(es, as).length, `${label} key library AndroidManifest.xml service`,
      `the library declares {${[...as].join(', ')}}, the table says {${[...es].join(', ')}}`);
    if (range.plugin && probe.hasAppPlugin) for (const c of probe.cases) compareCase(pkg, version, range, c, probe);
  }

  return { pickVersions, reader, compareVersionResult, check, state };
}
