#!/usr/bin/env node
// npm run bench:parsers [-- --files 80 --keep]
//
// The parser choice, measured: the Swift sources of the bench repository (generated from the same
// seed as `npm run bench`, only the files doctor would parse) through
//   - web-tree-sitter (what doctor uses) with Liftoff alone, and with the one-function tier-up
//     doctor sets (src/parse/tree-sitter.ts), in a child process each so that V8 flags apply;
//   - the same split over 1 and 2 worker threads (each compiles its own grammar code);
//   - the native tree-sitter 0.25 binding with tree-sitter-swift, and @ast-grep/napi with
//     @ast-grep/lang-swift (installed from the npm registry into a temp folder, scripts off),
//     with the installed size each would add to audiobg.
// Each row is the wall time of a child process from start to exit (what a user waits for),
// and the time the parses alone took. A native package that cannot load here says why.
// This is a measurement: nothing fails on a slow number.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const FILES = Number(args[args.indexOf('--files') + 1] > 0 ? args[args.indexOf('--files') + 1] : 80);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-parsers-'));

// ---- the inputs: Swift files that mention the audio session, as doctor's prefilter would pick

function sources() {
  const out = [];
  const keep = (text) => /AVAudioSession|AVPlayer/.test(text);
  // Deterministic: a playback class with a session set-up, padded with comment lines like the
  // bench's sources, in sizes from 1 to 8 KB.
  for (let i = 0; out.length < FILES; i++) {
    const pad = Array.from({ length: 20 + ((i * 37) % 180) }, (_, k) => `// note ${i}-${k} about the queue and artwork`).join('\n');
    const text = `import AVFoundation

final class Player${i} {
    private let player = AVPlayer()
    private var observers: [NSObjectProtocol] = []

    func start() throws {
        let session = AVAudioSession.sharedInstance()
        try session.setCategory(.playback, mode: .spokenAudio, options: [.allowAirPlay])
        try session.setActive(true)
        observers.append(NotificationCenter.default.addObserver(forName: AVAudioSession.interruptionNotification, object: nil, queue: .main) { [weak self] note in
            guard let raw = note.userInfo?[AVAudioSessionInterruptionTypeKey] as? UInt else { return }
            if raw == AVAudioSession.InterruptionType.ended.rawValue { self?.player.play() }
        })
        player.play()
    }
}
${pad}
`;
    if (keep(text)) out.push(text);
  }
  return out;
}

const inputs = path.join(work, 'inputs.json');
fs.writeFileSync(inputs, JSON.stringify(sources()));
const bytes = JSON.parse(fs.readFileSync(inputs, 'utf8')).reduce((n, t) => n + t.length, 0);

// ---- one child process per row

const RUNS = 3;

/** Median of RUNS child processes (wall time from start to exit, and the parses alone). */
function child(label, script, nodeArgs = []) {
  const file = path.join(work, `${label.replace(/\W+/g, '-')}.cjs`);
  fs.writeFileSync(file, script);
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [...nodeArgs, file, inputs], { encoding: 'utf8', cwd: work });
    const wall = performance.now() - t;
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      const o = JSON.parse(line);
      runs.push({ wall, parse: o.parseMs, note: o.note ?? '' });
    } catch {
      const note = (r.stderr.split('\n').find((l) => /Error|error/.test(l)) ?? r.stderr.trim().split('\n')[0] ?? 'failed').trim().slice(0, 140);
      return { label, wall, parse: null, note, ok: false };
    }
    if (wall > 5000) break; // one run of a pathological row is enough
  }
  runs.sort((a, b) => a.wall - b.wall);
  const mid = runs[Math.floor((runs.length - 1) / 2)];
  return { label, ...mid, ok: true };
}

const WTS = JSON.stringify(path.join(REPO, 'node_modules', 'web-tree-sitter'));
const swiftGrammar = (() => {
  for (const p of [path.join(REPO, 'grammars', 'tree-sitter-swift.wasm'), path.join(REPO, 'node_modules', 'tree-sitter-wasms', 'out', 'tree-sitter-swift.wasm')]) if (fs.existsSync(p)) return p;
  throw new Error('no Swift grammar: run npm run build');
})();

const wasmScript = (flag) => `
require('v8').setFlagsFromString(${JSON.stringify(flag)});
const P = require(${WTS});
const texts = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
(async () => {
  await P.init();
  const lang = await P.Language.load(${JSON.stringify(swiftGrammar)});
  const p = new P(); p.setLanguage(lang);
  const t = performance.now();
  for (const s of texts) p.parse(s).delete();
  console.log(JSON.stringify({ parseMs: performance.now() - t }));
})();
`;

const workersScript = (n, flag = '--liftoff-only') => `
const { Worker } = require('worker_threads');
const texts = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const src = [
  "const { parentPort, workerData } = require('worker_threads');",
  "require('v8').setFlagsFromString(workerData.flag);",
  "const P = require(workerData.wts);",
  "(async () => {",
  "  await P.init();",
  "  const lang = await P.Language.load(workerData.grammar);",
  "  const p = new P(); p.setLanguage(lang);",
  "  parentPort.postMessage('ready');",
  "  parentPort.on('message', (batch) => { for (const s of batch) p.parse(s).delete(); parentPort.postMessage('done'); });",
  "})();",
].join('\\n');
(async () => {
  const t = performance.now();
  const ws = Array.from({ length: ${n} }, () => new Worker(src, { eval: true, workerData: { wts: ${WTS}, grammar: ${JSON.stringify(swiftGrammar)}, flag: ${JSON.stringify(flag)} } }));
  await Promise.all(ws.map((w) => new Promise((r) => w.once('message', r))));
  await Promise.all(ws.map((w, i) => new Promise((r) => { w.once('message', r); w.postMessage(texts.filter((_, j) => j % ${n} === i)); })));
  console.log(JSON.stringify({ parseMs: performance.now() - t, note: 'includes starting the workers' }));
  for (const w of ws) w.terminate();
})();
`;

const rows = [];
rows.push(child('web-tree-sitter, Liftoff only', wasmScript('--liftoff-only')));
rows.push(child('web-tree-sitter, doctor\'s tier-up', wasmScript(tierFlag())));
rows.push(child('web-tree-sitter, V8 default tiers', wasmScript('--wasm-dynamic-tiering')));
rows.push(child('web-tree-sitter, 2 workers, Liftoff only', workersScript(2)));
rows.push(child('web-tree-sitter, 1 worker, tier-up', workersScript(1, tierFlag())));
rows.push(child('web-tree-sitter, 2 workers, tier-up', workersScript(2, tierFlag())));

/** The flag doctor sets (bin/launch.cjs decides it before audiobg is compiled). */
function tierFlag() {
  return createRequire(import.meta.url)(path.join(REPO, 'bin', 'launch.cjs')).wasmTierFlags();
}

// ---- native candidates, from the registry into a temp folder

function install(name, pkgs) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"probe","version":"1.0.0","private":true}');
  const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--legacy-peer-deps', ...pkgs], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) return { dir, error: (r.stderr.split('\n').find((l) => /ERR|error/.test(l)) ?? 'npm install failed').trim() };
  const du = spawnSync('du', ['-sb', path.join(dir, 'node_modules')], { encoding: 'utf8' });
  return { dir, bytes: Number(du.stdout.split(/\s/)[0]) };
}

const native = install('native', ['tree-sitter@0.25', 'tree-sitter-swift@0.7']);
const astGrep = install('ast-grep', ['@ast-grep/napi', '@ast-grep/lang-swift']);

if (native.error) rows.push({ label: 'tree-sitter 0.25 (native)', wall: 0, parse: null, note: native.error, ok: false });
else {
  rows.push({
    ...child(
      'tree-sitter 0.25 (native)',
      `
const texts = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const Parser = require(${JSON.stringify(path.join(native.dir, 'node_modules', 'tree-sitter'))});
const Swift = require(${JSON.stringify(path.join(native.dir, 'node_modules', 'tree-sitter-swift'))});
const p = new Parser(); p.setLanguage(Swift);
const t = performance.now();
for (const s of texts) p.parse(s);
console.log(JSON.stringify({ parseMs: performance.now() - t }));
`,
    ),
    size: native.bytes,
  });
}
if (astGrep.error) rows.push({ label: '@ast-grep/napi + lang-swift', wall: 0, parse: null, note: astGrep.error, ok: false });
else {
  const nm = path.join(astGrep.dir, 'node_modules');
  const script = (asyncAll) => `
const texts = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const sg = require(${JSON.stringify(path.join(nm, '@ast-grep', 'napi'))});
sg.registerDynamicLanguage({ swift: require(${JSON.stringify(path.join(nm, '@ast-grep', 'lang-swift'))}) });
(async () => {
  const t = performance.now();
  ${asyncAll ? "await Promise.all(texts.map((s) => sg.parseAsync('swift', s)));" : "for (const s of texts) sg.parse('swift', s);"}
  console.log(JSON.stringify({ parseMs: performance.now() - t${asyncAll ? ", note: 'parseAsync: every core'" : ''} }));
})();
`;
  rows.push({ ...child('@ast-grep/napi + lang-swift', script(false)), size: astGrep.bytes });
  rows.push({ ...child('@ast-grep/napi, parseAsync', script(true)), size: astGrep.bytes });
}

// ---- report

const ms = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(0)} ms`);
const mib = (b) => (b ? `${(b / 1048576).toFixed(1)} MiB` : '');
console.log(`parsers on ${FILES} Swift sources (${(bytes / 1024).toFixed(0)} KiB), ${os.cpus().length} cores, node ${process.version}`);
console.log(`${'parser'.padEnd(38)}  ${'process'.padStart(9)}  ${'parses'.padStart(9)}  ${'adds'.padStart(10)}  note`);
for (const r of rows) console.log(`${r.label.padEnd(38)}  ${(r.ok ? ms(r.wall) : '—').padStart(9)}  ${ms(r.parse).padStart(9)}  ${mib(r.size).padStart(10)}  ${r.note}`);
if (!args.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
else console.log(`kept: ${work}`);
