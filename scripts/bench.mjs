#!/usr/bin/env node
// npm run bench [-- --runs 3 --seed 1 --keep --no-time --no-50k --no-install]
//
// Generates a large synthetic repository (10,000 files: 20 apps, 1,000 Swift/Kotlin sources,
// the rest filler) in a temp folder, deterministically from a seed, then times
//   node bin/audiobg.js doctor <repo> --format json
// next to a plain `grep -rlE` for six audio keywords over the same tree (and ast-grep where installed), the
// same at five times the scale (50,000 files: 100 apps, 5,000 sources), and the doctor on the
// bundled examples (fixtures/examples/*). It prints wall time and peak memory (from /usr/bin/time -v
// when present, otherwise from process.resourceUsage() in a wrapper process) beside the goals.
//
// Then the footprint: `npm pack` of this checkout (as built: run `npm run build` first), `npm
// install <tarball>` into an empty folder with an empty npm cache (cold) and again with that cache
// filled (warm), the size of the resulting node_modules, and the installed doctor run on the bundled
// example directly and through `npx --package=<tarball>` (audiobg itself is never fetched from the
// registry; its dependencies come from the npm cache the installs filled).
// This is a measurement, not a test: nothing here fails on a slow number. It does fail (exit 1) when
// the tarball carries the wrong grammars or the installed doctor does not work.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(REPO, 'bin', 'audiobg.js');

const args = parseArgs(process.argv.slice(2));
const RUNS = Math.max(1, Number(args.runs ?? 3));
const SEED = Number(args.seed ?? 1);

const TOTAL_FILES = 10_000;
const IOS_APPS = 10;
const ANDROID_APPS = 10;
const SOURCES_PER_APP = 50; // 20 apps x 50 = 1,000 Swift/Kotlin sources
// The monorepo run: everything five times over (apps, sources and filler), from the same seed.
const LARGE_SCALE = 5;

// ---------------------------------------------------------------- deterministic randomness

/** mulberry32: a small, fast, seeded generator; the same seed gives the same repository. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rand = rng(SEED);
const chance = (p) => rand() < p;
const pick = (list) => list[Math.floor(rand() * list.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const words = ['track', 'episode', 'queue', 'library', 'artwork', 'chapter', 'download', 'station', 'playlist', 'volume', 'speed', 'timer'];
const ident = () => pick(words) + pick(words).replace(/^./, (c) => c.toUpperCase()) + int(1, 999);

// ---------------------------------------------------------------- the synthetic repository

/** The repository at `scale` times the base size; the same seed always gives the same tree. */
function generate(root, scale = 1) {
  rand = rng(SEED);
  const iosApps = IOS_APPS * scale;
  const androidApps = ANDROID_APPS * scale;
  const totalFiles = TOTAL_FILES * scale;
  let count = 0;
  const put = (rel, content) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    count++;
  };

  for (let i = 1; i <= iosApps; i++) {
    const app = `apps/ios-player-${String(i).padStart(2, '0')}/Player`;
    put(`${app}/Info.plist`, infoPlist(`Player${i}`, chance(0.7)));
    put(`${app}/Player.entitlements`, entitlements());
    for (let s = 0; s < SOURCES_PER_APP; s++) {
      const folder = pick(['Sources/Playback', 'Sources/UI', 'Sources/Model', 'Sources/Networking']);
      put(`${app}/${folder}/${ident()}${s}.swift`, swiftSource(folder === 'Sources/Playback' && chance(0.6)));
    }
  }
  for (let i = 1; i <= androidApps; i++) {
    const mod = `apps/android-player-${String(i).padStart(2, '0')}`;
    const pkg = `com.example.player${i}`;
    put(`${mod}/settings.gradle.kts`, `rootProject.name = "player${i}"\ninclude(":app")\n`);
    put(`${mod}/gradle.properties`, 'org.gradle.jvmargs=-Xmx2048m\nandroid.useAndroidX=true\n');
    put(`${mod}/gradle/libs.versions.toml`, versionCatalog());
    put(`${mod}/app/build.gradle.kts`, appGradle(pkg));
    const hasService = chance(0.7);
    put(`${mod}/app/src/main/AndroidManifest.xml`, manifest(hasService, chance(0.5)));
    const src = `${mod}/app/src/main/java/${pkg.replace(/\./g, '/')}`;
    for (let s = 0; s < SOURCES_PER_APP; s++) {
      const service = hasService && s === 0;
      put(`${src}/${service ? 'PlaybackService' : `${ident()}${s}`}.kt`, kotlinSource(pkg, service, !service && chance(0.15)));
    }
  }

  // Filler up to TOTAL_FILES: what real mobile repos carry besides the apps. Some of it sits in
  // folders audiobg skips (node_modules, build), some is script code it does read.
  const filler = [
    ['png', 0.3, () => pngBytes()],
    ['json', 0.15, () => JSON.stringify({ id: int(1, 1e6), name: ident(), tags: [ident(), ident()] }, null, 2)],
    ['md', 0.15, () => `# ${ident()}\n\nNotes about ${ident()} and AVAudioSession in prose.\n`],
    ['ts', 0.1, () => `export const ${ident()} = (x: number) => x * ${int(2, 9)};\n// audio ${ident()}\n`],
    ['py', 0.1, () => `def ${ident()}(x):\n    return x + ${int(1, 9)}\n`],
    ['go', 0.1, () => `package tools\n\nfunc ${ident().replace(/^./, (c) => c.toUpperCase())}() int { return ${int(1, 99)} }\n`],
    ['txt', 0.1, () => `${ident()} ${ident()} ${ident()}\n`],
  ];
  const places = ['docs', 'assets/images', 'web/src', 'tools/scripts', 'backend/service', 'node_modules/some-lib/dist', 'apps/android-player-01/app/build/intermediates', 'design/exports'];
  let n = 0;
  while (count < totalFiles) {
    const r = rand();
    let acc = 0;
    let kind = filler[filler.length - 1];
    for (const f of filler) {
      acc += f[1];
      if (r < acc) {
        kind = f;
        break;
      }
    }
    put(`${pick(places)}/${Math.floor(n / 200)}/${ident()}-${n}.${kind[0]}`, kind[2]());
    n++;
  }
  return count;
}

function infoPlist(name, backgroundAudio) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleDisplayName</key>
	<string>${name}</string>
	<key>CFBundleIdentifier</key>
	<string>$(PRODUCT_BUNDLE_IDENTIFIER)</string>
${backgroundAudio ? '	<key>UIBackgroundModes</key>\n	<array>\n		<string>audio</string>\n	</array>\n' : ''}</dict>
</plist>
`;
}

function entitlements() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>com.apple.security.application-groups</key>
	<array/>
</dict>
</plist>
`;
}

function swiftSource(audio) {
  const name = ident().replace(/^./, (c) => c.toUpperCase());
  const body = audio
    ? `import AVFoundation

final class ${name} {
    private let player = AVPlayer()

    func start() throws {
        let session = AVAudioSession.sharedInstance()
        try session.setCategory(${pick(['.playback', '.ambient', '.soloAmbient'])}, mode: .${pick(['default', 'spokenAudio'])})
        try session.setActive(true)
        player.play()
    }
}
`
    : `import Foundation

struct ${name} {
    var ${ident()}: Int = ${int(0, 100)}
    var ${ident()}: String = "${ident()}"

    func describe() -> String {
        return "\\(${int(1, 9)})"
    }
}
`;
  // Pad to a realistic size: most source files are a few hundred lines.
  return body + `\n// MARK: - ${ident()}\n` + Array.from({ length: int(20, 200) }, () => `// ${ident()} ${ident()}`).join('\n') + '\n';
}

function kotlinSource(pkg, service, usesPlayer) {
  const name = ident().replace(/^./, (c) => c.toUpperCase());
  const body = service
    ? `package ${pkg}

import androidx.media3.exoplayer.ExoPlayer
import androidx.media3.session.MediaSession
import androidx.media3.session.MediaSessionService

class PlaybackService : MediaSessionService() {
    private var session: MediaSession? = null

    override fun onCreate() {
        super.onCreate()
        val player = ExoPlayer.Builder(this).build()
        session = MediaSession.Builder(this, player).build()
    }

    override fun onGetSession(controllerInfo: MediaSession.ControllerInfo): MediaSession? = session
}
`
    : usesPlayer
      ? `package ${pkg}

import android.content.Context
import androidx.media3.exoplayer.ExoPlayer

class ${name}(context: Context) {
    val player = ExoPlayer.Builder(context).build()
}
`
      : `package ${pkg}

data class ${name}(val ${ident()}: Int, val ${ident()}: String)
`;
  return body + Array.from({ length: int(20, 200) }, () => `// ${ident()} ${ident()}`).join('\n') + '\n';
}

function manifest(hasService, typed) {
  return `<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <uses-permission android:name="android.permission.FOREGROUND_SERVICE" />
${typed ? '    <uses-permission android:name="android.permission.FOREGROUND_SERVICE_MEDIA_PLAYBACK" />\n' : ''}
    <application android:label="Player">
        <activity android:name=".MainActivity" android:exported="true" />
${
  hasService
    ? `        <service
            android:name=".PlaybackService"
            android:exported="true"${typed ? '\n            android:foregroundServiceType="mediaPlayback"' : ''}>
            <intent-filter>
                <action android:name="androidx.media3.session.MediaSessionService" />
            </intent-filter>
        </service>
`
    : ''
}    </application>
</manifest>
`;
}

function appGradle(pkg) {
  return `plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "${pkg}"
    compileSdk = 35
    defaultConfig {
        applicationId = "${pkg}"
        minSdk = 24
        targetSdk = ${pick([33, 34, 35])}
    }
}

dependencies {
    implementation(libs.media3.exoplayer)
    implementation(libs.media3.session)
}
`;
}

function versionCatalog() {
  return `[versions]
media3 = "1.4.1"

[libraries]
media3-exoplayer = { module = "androidx.media3:media3-exoplayer", version.ref = "media3" }
media3-session = { module = "androidx.media3:media3-session", version.ref = "media3" }
`;
}

function pngBytes() {
  const header = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const body = Buffer.alloc(int(200, 4000));
  for (let i = 0; i < body.length; i++) body[i] = Math.floor(rand() * 256);
  return Buffer.concat([header, body]);
}

// ---------------------------------------------------------------- the variant with Expo apps

const EXPO_APPS = 5;
const JS_SOURCES_PER_APP = 40;

/**
 * A few React Native / Expo apps added to a copy of the repository: app.json or app.config.ts,
 * package.json, a tiny installed expo-audio, and TS sources of which some call expo-audio. They make
 * the doctor load ts-morph, which a native-only run never does.
 */
function addExpoApps(root) {
  let count = 0;
  const put = (rel, content) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    count++;
  };
  for (let i = 1; i <= EXPO_APPS; i++) {
    const app = `apps/expo-player-${String(i).padStart(2, '0')}`;
    put(`${app}/package.json`, JSON.stringify({ name: `expo-player-${i}`, dependencies: { expo: '~56.0.0', 'expo-audio': '~56.0.3', react: '19.1.0', 'react-native': '0.81.4' } }, null, 2));
    put(`${app}/node_modules/expo-audio/package.json`, JSON.stringify({ name: 'expo-audio', version: '56.0.3' }));
    const plugins = chance(0.5) ? '["expo-audio"]' : '[["expo-audio", { "enableBackgroundPlayback": false }]]';
    if (i % 2) {
      put(`${app}/app.json`, `{\n  "expo": {\n    "name": "Player ${i}",\n    "slug": "player-${i}",\n    "plugins": ${plugins}\n  }\n}\n`);
    } else {
      put(`${app}/app.json`, `{ "expo": { "name": "Player ${i}", "ios": { "infoPlist": { "UIBackgroundModes": ["fetch"] } } } }\n`);
      put(
        `${app}/app.config.ts`,
        `import type { ConfigContext, ExpoConfig } from 'expo/config';\n\nexport default ({ config }: ConfigContext): ExpoConfig => ({\n  ...config,\n  name: 'Player ${i}',\n  slug: 'player-${i}',\n  ios: { ...config.ios, bundleIdentifier: 'com.example.player${i}' },\n  plugins: ${plugins},\n});\n`,
      );
    }
    for (let s = 0; s < JS_SOURCES_PER_APP; s++) {
      const audio = s < 4;
      const name = ident();
      const body = audio
        ? `import { createAudioPlayer, setAudioModeAsync } from 'expo-audio';\n\nexport async function ${name}(url: string) {\n  await setAudioModeAsync({\n    playsInSilentMode: ${chance(0.8)},\n    shouldPlayInBackground: true,\n    interruptionMode: '${pick(['doNotMix', 'mixWithOthers'])}',\n  });\n  createAudioPlayer(url).play();\n}\n`
        : `import { View, Text } from 'react-native';\n\nexport function ${name.replace(/^./, (c) => c.toUpperCase())}() {\n  return <View><Text>${ident()}</Text></View>;\n}\n`;
      put(`${app}/src/${audio ? 'audio' : 'screens'}/${name}${s}.${audio ? 'ts' : 'tsx'}`, body + Array.from({ length: int(10, 80) }, () => `// ${ident()} ${ident()}`).join('\n') + '\n');
    }
  }
  return count;
}

// ---------------------------------------------------------------- measuring

const TIME = '/usr/bin/time';
const HAVE_TIME = (() => {
  if (args['no-time']) return false;
  try {
    return spawnSync(TIME, ['-v', 'true'], { encoding: 'utf8' }).stderr.includes('Maximum resident set size');
  } catch {
    return false;
  }
})();

let wrapperPath = null;
/** Fallback without GNU time: a wrapper that runs the command and reports its own peak RSS. */
function wrapper() {
  if (wrapperPath) return wrapperPath;
  wrapperPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-bench-wrap-')), 'wrap.mjs');
  fs.writeFileSync(
    wrapperPath,
    `import fs from 'node:fs';
process.on('exit', () => fs.writeSync(2, '\\nBENCH_MAXRSS_KB=' + process.resourceUsage().maxRSS + '\\n'));
process.argv.splice(1, 1);
await import(${JSON.stringify(new URL(`file://${BIN}`).href)});
`,
  );
  return wrapperPath;
}

/** Run once; returns wall milliseconds, peak RSS in MiB (or null), exit status and stdout. */
function measure(cmd, argv, { node = false } = {}) {
  let full;
  if (HAVE_TIME) full = [TIME, ['-v', cmd, ...argv]];
  else if (node) full = [process.execPath, [wrapper(), BIN, ...argv.slice(1)]];
  else full = [cmd, argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssKb = null;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '') ?? /BENCH_MAXRSS_KB=(\d+)/.exec(r.stderr ?? '');
  if (m) rssKb = Number(m[1]);
  return { wall, rss: rssKb === null ? null : rssKb / 1024, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Several runs; the median by wall time is reported. */
function bench(label, cmd, argv, opts) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(measure(cmd, argv, opts));
  runs.sort((a, b) => a.wall - b.wall);
  return { label, ...runs[Math.floor(runs.length / 2)], best: runs[0].wall };
}

// ---------------------------------------------------------------- main

if (!fs.existsSync(path.join(REPO, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('bench: the compiled files are missing; run "npm run build" first.');
  process.exit(2);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-bench-'));
const root = path.join(work, 'repo');
const genStart = Date.now();
const files = generate(root);
const genMs = Date.now() - genStart;

const FLUTTER_APPS = 5;
const DART_SOURCES_PER_APP = 40;

/**
 * A few Flutter apps added to a copy of the repository: pubspec.yaml + pubspec.lock, Dart sources of
 * which some use audio_service / just_audio, and their android/ and ios/Runner folders. They make the
 * doctor load the YAML parser and the Dart grammar, which a run without Flutter apps never does.
 */
function addFlutterApps(root) {
  let count = 0;
  const put = (rel, content) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    count++;
  };
  for (let i = 1; i <= FLUTTER_APPS; i++) {
    const app = `apps/flutter-player-${String(i).padStart(2, '0')}`;
    const pkg = `com.example.flutterplayer${i}`;
    put(`${app}/pubspec.yaml`, `name: flutter_player_${i}\npublish_to: none\nenvironment:\n  sdk: ">=3.3.0 <4.0.0"\ndependencies:\n  flutter:\n    sdk: flutter\n  audio_service: ^0.18.15\n  just_audio: ^0.9.40\n`);
    put(`${app}/pubspec.lock`, ['audio_service', 'just_audio'].map((n, k) => `  ${n}:\n    dependency: "direct main"\n    source: hosted\n    version: "${k ? '0.9.40' : '0.18.15'}"\n`).reduce((a, b) => a + b, 'packages:\n') + 'sdks:\n  dart: ">=3.3.0 <4.0.0"\n  flutter: ">=3.22.0"\n');
    if (chance(0.5)) put(`${app}/.fvmrc`, `{"flutter": "3.${pick([19, 22, 24, 27])}.0"}\n`);
    put(`${app}/android/settings.gradle`, 'plugins {\n    id "dev.flutter.flutter-plugin-loader" version "1.0.0"\n}\ninclude ":app"\n');
    put(`${app}/android/app/build.gradle`, `plugins {\n    id "com.android.application"\n    id "dev.flutter.flutter-gradle-plugin"\n}\nandroid {\n    namespace "${pkg}"\n    compileSdk flutter.compileSdkVersion\n    defaultConfig {\n        targetSdkVersion flutter.targetSdkVersion\n    }\n}\n`);
    const typed = chance(0.5);
    put(
      `${app}/android/app/src/main/AndroidManifest.xml`,
      `<manifest xmlns:android="http://schemas.android.com/apk/res/android">\n    <uses-permission android:name="android.permission.FOREGROUND_SERVICE"/>\n    <application android:label="player">\n        <activity android:name="com.ryanheise.audioservice.AudioServiceActivity" android:exported="true">\n            <intent-filter>\n                <action android:name="android.intent.action.MAIN"/>\n                <category android:name="android.intent.category.LAUNCHER"/>\n            </intent-filter>\n        </activity>\n        <service android:name="com.ryanheise.audioservice.AudioService" android:exported="true"${typed ? ' android:foregroundServiceType="mediaPlayback"' : ''}>\n            <intent-filter>\n                <action android:name="android.media.browse.MediaBrowserService"/>\n            </intent-filter>\n        </service>\n    </application>\n</manifest>\n`,
    );
    put(`${app}/ios/Runner/Info.plist`, infoPlist(`FlutterPlayer${i}`, chance(0.6)));
    put(
      `${app}/lib/main.dart`,
      `import 'package:audio_service/audio_service.dart';\nimport 'package:flutter/material.dart';\nimport 'package:just_audio/just_audio.dart';\n\nFuture<void> main() async {\n  final handler = await AudioService.init(\n    builder: () => PlayerHandler(),\n    config: const AudioServiceConfig(androidNotificationChannelName: 'Player', androidNotificationOngoing: ${chance(0.3)}, androidStopForegroundOnPause: ${chance(0.7)}),\n  );\n  runApp(Text('\${handler.hashCode}'));\n}\n\nclass PlayerHandler extends BaseAudioHandler {\n  final _player = AudioPlayer();\n  @override\n  Future<void> play() => _player.play();\n}\n`,
    );
    for (let s = 1; s < DART_SOURCES_PER_APP; s++) {
      const name = ident();
      put(
        `${app}/lib/${pick(['ui', 'model', 'data'])}/${name.toLowerCase()}_${s}.dart`,
        chance(0.2)
          ? `import 'package:just_audio/just_audio.dart';\n\nclass ${name.replace(/^./, (c) => c.toUpperCase())} {\n  final player = AudioPlayer();\n  Future<void> start(String url) => player.setAudioSource(AudioSource.uri(Uri.parse(url)));\n}\n`
          : `import 'package:flutter/widgets.dart';\n\n// ${ident()}\nclass ${name.replace(/^./, (c) => c.toUpperCase())} extends StatelessWidget {\n  const ${name.replace(/^./, (c) => c.toUpperCase())}({super.key});\n  @override\n  Widget build(BuildContext context) => const SizedBox(width: ${int(1, 99)});\n}\n`,
      );
    }
  }
  return count;
}

/** Which tree-sitter grammars a doctor run loads (through the compiled dist/, in a child process). */
function grammarsLoadedFor(dir) {
  const dist = (rel) => JSON.stringify(path.join(REPO, 'dist', 'src', ...rel.split('/')));
  const script = `import { runDoctor } from ${dist('engine/run-doctor.js')};\nimport { DEFAULT_CONFIG } from ${dist('config/load-config.js')};\nconst r = await runDoctor({ paths: [${JSON.stringify(dir)}], config: DEFAULT_CONFIG });\nconsole.log(JSON.stringify(r.grammarsLoaded));\n`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop());
  } catch {
    return null;
  }
}

const GREP_KEYWORDS = 'AVAudioSession|UIBackgroundModes|ExoPlayer|MediaSession|foregroundServiceType|expo-audio';

const AST_GREP = (() => {
  for (const cmd of ['ast-grep', 'sg']) {
    const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
    if (r.status === 0 && /ast-grep/i.test(r.stdout)) return cmd;
  }
  return null;
})();

/** doctor, grep (and ast-grep) over one tree; returns the rows and doctor's JSON report. */
function benchTree(label, dir, goal, { serialRow = false } = {}) {
  const rows = [];
  const doctor = bench(`audiobg doctor (${label})`, process.execPath, [BIN, 'doctor', dir, '--format', 'json'], { node: true });
  if (doctor.status !== 0 && doctor.status !== 1) {
    console.error(`bench: audiobg doctor exited ${doctor.status}:\n${doctor.stderr}`);
    process.exit(1);
  }
  let serial = null;
  if (serialRow) {
    // The default (--concurrency auto) starts parsing workers on a tree this size; the same run on
    // the main thread alone shows what they cost and save. The reports must be the same.
    serial = bench(`audiobg doctor --concurrency off (${label})`, process.execPath, [BIN, 'doctor', dir, '--format', 'json', '--concurrency', 'off'], { node: true });
    if (serial.stdout !== doctor.stdout) {
      console.error(`bench: doctor --concurrency off reported something else than doctor with workers on ${label}`);
      process.exit(1);
    }
  }
  // The floor: a text search for the audio keywords doctor's prefilters look for, listing the files.
  const grep = bench(`grep -rlE <audio keywords> (${label})`, 'grep', ['-r', '-l', '-E', GREP_KEYWORDS, dir]);
  rows.push({ ...doctor, goal, vsGrep: doctor.wall / grep.wall });
  if (serial) rows.push({ ...serial, goal: null, vsGrep: serial.wall / grep.wall });
  // The same with the fact cache (`--cache`), warm: the desk and pre-commit case, where most files
  // are unchanged since the last run. One untimed run fills the cache; its report must not differ.
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-bench-cache-'));
  const cacheArgs = [BIN, 'doctor', dir, '--format', 'json', '--cache-location', cacheDir + path.sep];
  const fill = spawnSync(process.execPath, cacheArgs, { encoding: 'utf8', maxBuffer: 256 << 20 });
  const warm = bench(`audiobg doctor --cache, warm (${label})`, process.execPath, cacheArgs, { node: true });
  fs.rmSync(cacheDir, { recursive: true, force: true });
  if (fill.stdout !== doctor.stdout || warm.stdout !== doctor.stdout) {
    console.error(`bench: doctor --cache reported something else than doctor without it on ${label}`);
    process.exit(1);
  }
  rows.push({ ...warm, goal, vsGrep: warm.wall / grep.wall });
  rows.push({ ...grep, goal: null });
  if (AST_GREP) {
    // One pattern over Swift and one over Kotlin: a floor for any syntax-tree tool on this tree.
    rows.push({ ...bench(`ast-grep, 2 patterns (${label})`, 'sh', ['-c', `${AST_GREP} run -l swift -p 'AVAudioSession.sharedInstance()' "$1" >/dev/null; ${AST_GREP} run -l kotlin -p 'ExoPlayer.Builder($$$)' "$1" >/dev/null; true`, 'sh', dir]), goal: null });
  }
  let report = null;
  try {
    report = JSON.parse(doctor.stdout);
  } catch {
    // reported below as unreadable
  }
  return { rows, report };
}

const results = [];
const small = benchTree('10,000 files', root, { grepRatio: 3 });
results.push(...small.rows);

// The same repository plus a few Expo apps: the difference is ts-morph (loaded only for JS apps) and the JS facts.
const jsRoot = path.join(work, 'repo-with-expo');
fs.cpSync(root, jsRoot, { recursive: true });
const expoFiles = addExpoApps(jsRoot);
const withJs = bench(`audiobg doctor (10,000 + ${EXPO_APPS} Expo apps)`, process.execPath, [BIN, 'doctor', jsRoot, '--format', 'json'], { node: true });
results.push({ ...withJs, goal: { ms: 3000 } });
fs.rmSync(jsRoot, { recursive: true, force: true });

// The same repository plus a few Flutter apps: the YAML parser and the Dart grammar load only here.
const flutterRoot = path.join(work, 'repo-with-flutter');
fs.cpSync(root, flutterRoot, { recursive: true });
const flutterFiles = addFlutterApps(flutterRoot);
const withFlutter = bench(`audiobg doctor (10,000 + ${FLUTTER_APPS} Flutter apps)`, process.execPath, [BIN, 'doctor', flutterRoot, '--format', 'json'], { node: true });
results.push({ ...withFlutter, goal: { ms: 3000 } });
const grammarsWithout = grammarsLoadedFor(root);
const grammarsWithFlutter = grammarsLoadedFor(flutterRoot);
fs.rmSync(flutterRoot, { recursive: true, force: true });

let large = null;
let largeFiles = 0;
let largeGenMs = 0;
if (!args['no-50k']) {
  const largeRoot = path.join(work, 'repo-50k');
  const t = Date.now();
  largeFiles = generate(largeRoot, LARGE_SCALE);
  largeGenMs = Date.now() - t;
  large = benchTree('50,000 files', largeRoot, { ms: 1000, mib: 150 }, { serialRow: true });
  results.push(...large.rows);
  if (!args.keep) fs.rmSync(largeRoot, { recursive: true, force: true });
}

const examplesDir = path.join(REPO, 'fixtures', 'examples');
const examples = fs.existsSync(examplesDir)
  ? fs.readdirSync(examplesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(examplesDir, d.name))
  : [];
const exampleReports = new Map();
for (const ex of examples) {
  const r = bench(`audiobg doctor (example ${path.basename(ex)})`, process.execPath, [BIN, 'doctor', ex, '--format', 'json'], { node: true });
  results.push({ ...r, goal: { ms: 200 } });
  exampleReports.set(ex, r.stdout);
}

// ---------------------------------------------------------------- footprint: pack, install, run installed

const footprint = args['no-install'] ? null : measureInstall();

function run(cmd, argv, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  return { ...r, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

function duBytes(dir) {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  if (r.status === 0) return Number(r.stdout.split(/\s/)[0]);
  // No GNU du: sum the file sizes.
  let total = 0;
  const walkDir = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walkDir(p);
      else if (e.isFile()) total += fs.statSync(p).size;
    }
  };
  walkDir(dir);
  return total;
}

function measureInstall() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const base = path.join(work, 'install');
  const cache = path.join(base, 'npm-cache');
  fs.mkdirSync(cache, { recursive: true });
  const problems = [];

  // The tarball of this checkout as built (prepare would rebuild; the bench measures what is there).
  const pack = run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', base], { cwd: REPO });
  if (pack.status !== 0) return { error: `npm pack failed:\n${pack.stderr}` };
  const packed = JSON.parse(pack.stdout)[0];
  const tarball = path.join(base, packed.filename);
  const grammars = packed.files.map((f) => f.path).filter((f) => f.startsWith('grammars/')).sort();
  for (const l of ['swift', 'objc', 'kotlin', 'java', 'dart']) {
    if (!grammars.some((g) => g === `grammars/tree-sitter-${l}.wasm` || g === `grammars/tree-sitter-${l}.wasm.br`)) problems.push(`the tarball lacks the ${l} grammar`);
    if (!grammars.includes(`grammars/LICENSE.tree-sitter-${l}`)) problems.push(`the tarball lacks grammars/LICENSE.tree-sitter-${l}`);
  }
  const wasmFiles = packed.files.filter((f) => /\.wasm(\.br)?$/.test(f.path));
  if (wasmFiles.length !== 5) problems.push(`the tarball holds ${wasmFiles.length} grammar files, not 5: ${wasmFiles.map((f) => f.path).join(', ')}`);

  const install = (name, env) => {
    const dir = path.join(base, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
    const r = run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir, env: { ...process.env, npm_config_cache: cache, ...env } });
    if (r.status !== 0) problems.push(`npm install (${name}) failed: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    return { dir, ms: r.ms };
  };
  const cold = install('cold', {});
  // What a CI machine with an empty cache downloads: the compressed tarballs the cold install cached.
  const downloaded = duBytes(cache);
  const warm = install('warm', { npm_config_prefer_offline: 'true' });
  const nm = path.join(warm.dir, 'node_modules');
  const bytes = fs.existsSync(nm) ? duBytes(nm) : NaN;
  const heaviest = fs.existsSync(nm)
    ? fs
        .readdirSync(nm)
        .filter((n) => !n.startsWith('.'))
        .flatMap((n) => (n.startsWith('@') ? fs.readdirSync(path.join(nm, n)).map((m) => `${n}/${m}`) : [n]))
        .map((n) => ({ name: n, bytes: duBytes(path.join(nm, n)) }))
        .sort((x, y) => y.bytes - x.bytes)
        .slice(0, 4)
    : [];
  if (fs.existsSync(path.join(nm, 'tree-sitter-wasms'))) problems.push('tree-sitter-wasms was installed as a production dependency');

  // The installed doctor on the bundled example: the same findings as this checkout's.
  let installedRun = null;
  let npxRun = null;
  let npxFirst = null;
  const example = examples[0];
  if (example) {
    const installedBin = path.join(nm, 'audiobg', 'bin', 'audiobg.js');
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(run(process.execPath, [installedBin, 'doctor', example, '--format', 'json'], { cwd: warm.dir }));
    runs.sort((x, y) => x.ms - y.ms);
    installedRun = runs[Math.floor(runs.length / 2)];
    // `npx audiobg` as a CI step runs it: npx installs the package (here the tarball, so the
    // registry is never asked for audiobg) into its own cache folder on the first call and reuses
    // it afterwards. The first call here starts from an empty npx folder but the npm cache the
    // installs above filled; the others are the warm case.
    const npxCache = path.join(base, 'npx-cache');
    fs.cpSync(cache, npxCache, { recursive: true });
    const npxArgs = ['--yes', `--package=${tarball}`, '--', 'audiobg', 'doctor', example, '--format', 'json'];
    const npxEnv = { ...process.env, npm_config_cache: npxCache, npm_config_update_notifier: 'false' };
    npxFirst = run(npx, npxArgs, { cwd: base, env: npxEnv });
    const npxRuns = [];
    for (let i = 0; i < RUNS; i++) npxRuns.push(run(npx, npxArgs, { cwd: base, env: npxEnv }));
    npxRuns.sort((x, y) => x.ms - y.ms);
    npxRun = npxRuns[Math.floor(npxRuns.length / 2)];
    for (const [what, r] of [['installed doctor', installedRun], ['npx (first)', npxFirst], ['npx (warm)', npxRun]]) {
      if (r.status !== 0 && r.status !== 1) {
        problems.push(`${what} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
        continue;
      }
      try {
        const got = JSON.parse(r.stdout).findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();
        const want = JSON.parse(exampleReports.get(example)).findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();
        if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${what} found ${got.length} findings on the example, this checkout ${want.length}`);
      } catch {
        problems.push(`${what}: unreadable JSON report`);
      }
    }
  }
  return { tarballBytes: fs.statSync(tarball).size, files: packed.files.length, bytes, heaviest, cold: cold.ms, warm: warm.ms, downloaded, installedRun, npxFirst, npxRun, example, problems };
}

// ---------------------------------------------------------------- report

const describeReport = (report) =>
  report ? `${report.summary.filesChecked} files checked, ${report.apps.length} apps recognised, ${report.findings.length} findings, exit ${report.exitCode}` : 'could not read the JSON report';

const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const fmtMiB = (b) => `${(b / 1048576).toFixed(1)} MiB`;
console.log(`audiobg bench — seed ${SEED}, ${RUNS} run${RUNS === 1 ? '' : 's'} each (median shown), ${cores} CPU cores, node ${process.version}`);
console.log(`repository: ${files.toLocaleString('en-US')} files (${IOS_APPS} iOS + ${ANDROID_APPS} Android apps, ${(IOS_APPS + ANDROID_APPS) * SOURCES_PER_APP} Swift/Kotlin sources) generated in ${fmtMs(genMs)}`);
if (large) console.log(`monorepo:   ${largeFiles.toLocaleString('en-US')} files (${IOS_APPS * LARGE_SCALE} iOS + ${ANDROID_APPS * LARGE_SCALE} Android apps, ${(IOS_APPS + ANDROID_APPS) * SOURCES_PER_APP * LARGE_SCALE} Swift/Kotlin sources) generated in ${fmtMs(largeGenMs)}`);
console.log(`memory: ${HAVE_TIME ? '/usr/bin/time -v (peak RSS)' : 'process.resourceUsage().maxRSS in a wrapper (grep: not measured)'}${AST_GREP ? '' : '; ast-grep not installed (row skipped)'}`);
console.log('');
const width = Math.max(...results.map((r) => r.label.length));
for (const r of results) {
  const rss = r.rss === null ? '      n/a' : `${r.rss.toFixed(0).padStart(5)} MiB`;
  const ratio = r.vsGrep === undefined ? '' : `${r.vsGrep.toFixed(1).padStart(5)}× grep`;
  let goal = '';
  if (r.goal) {
    const parts = [];
    let ok = true;
    if (r.goal.ms !== undefined) {
      parts.push(`≤ ${fmtMs(r.goal.ms)}`);
      ok &&= r.wall <= r.goal.ms;
    }
    if (r.goal.grepRatio !== undefined) {
      parts.push(`≤ ${r.goal.grepRatio}× grep`);
      ok &&= r.vsGrep <= r.goal.grepRatio;
    }
    if (r.goal.mib !== undefined) {
      parts.push(`≤ ${r.goal.mib} MiB`);
      ok &&= r.rss !== null && r.rss <= r.goal.mib;
    }
    goal = `goal ${parts.join(', ')}  ${ok ? 'ok' : 'OVER'}`;
  }
  console.log(`${r.label.padEnd(width)}  ${fmtMs(r.wall).padStart(8)}  (best ${fmtMs(r.best).padStart(8)})  ${rss}  ${ratio.padEnd(11)}  ${goal}`);
}
if (!examples.length) console.log('(no bundled example under fixtures/examples: example line skipped)');
console.log('');
console.log(`doctor on 10,000 files: ${describeReport(small.report)}`);
if (large) console.log(`doctor on 50,000 files: ${describeReport(large.report)}`);
try {
  const report = JSON.parse(withJs.stdout);
  const expoApps = report.apps.filter((a) => a.platform === 'expo').length;
  console.log(`doctor with Expo apps: ${expoFiles} more files (${EXPO_APPS} apps, ${EXPO_APPS * JS_SOURCES_PER_APP} TS sources), ${expoApps} Expo apps recognised, ${report.findings.length} findings; ts-morph is loaded only in this run`);
} catch {
  console.log('doctor with Expo apps: could not read the JSON report');
}
try {
  const report = JSON.parse(withFlutter.stdout);
  const flutterApps = report.apps.filter((a) => a.platform === 'flutter').length;
  const dart = (g) => (g === null ? 'unknown' : g.includes('dart') ? 'loaded' : 'not loaded');
  console.log(`doctor with Flutter apps: ${flutterFiles} more files (${FLUTTER_APPS} apps, ${FLUTTER_APPS * DART_SOURCES_PER_APP} Dart sources), ${flutterApps} Flutter apps recognised, ${report.findings.length} findings; Dart grammar ${dart(grammarsWithFlutter)} with them, ${dart(grammarsWithout)} without`);
} catch {
  console.log('doctor with Flutter apps: could not read the JSON report');
}

let failed = false;
if (footprint) {
  console.log('');
  if (footprint.error) {
    console.log(`footprint: ${footprint.error}`);
    failed = true;
  } else {
    const f = footprint;
    console.log(`footprint: npm pack → ${fmtMiB(f.tarballBytes)} tarball, ${f.files} files`);
    console.log(`  npm install <tarball> into an empty folder: ${fmtMs(f.cold)} with an empty npm cache (${fmtMiB(f.downloaded)} cached, i.e. downloaded), ${fmtMs(f.warm)} warm`);
    console.log(`  installed size (node_modules, du -sb): ${fmtMiB(f.bytes)}  goal ≤ 35 MiB  ${f.bytes <= 35 * 1048576 ? 'ok' : 'OVER'}`);
    console.log(`  heaviest: ${f.heaviest.map((h) => `${h.name} ${fmtMiB(h.bytes)}`).join(', ')}`);
    if (f.installedRun) {
      console.log(`  doctor on example ${path.basename(f.example)}: installed bin ${fmtMs(f.installedRun.ms)}; npx --package=<tarball> audiobg doctor: ${fmtMs(f.npxRun.ms)} warm, ${fmtMs(f.npxFirst.ms)} first call`);
    }
    if (f.problems.length) {
      failed = true;
      for (const p of f.problems) console.log(`  PROBLEM: ${p}`);
    } else console.log('  tarball: the five grammars with their licences, no tree-sitter-wasms; the installed doctor reports what this checkout reports');
  }
}

if (!args.keep) fs.rmSync(work, { recursive: true, force: true });
else console.log(`kept: ${work}`);
if (wrapperPath) fs.rmSync(path.dirname(wrapperPath), { recursive: true, force: true });
if (failed) process.exitCode = 1;

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    if (['keep', 'no-time', 'no-50k', 'no-install'].includes(key)) out[key] = true;
    else out[key] = argv[++i];
  }
  return out;
}
