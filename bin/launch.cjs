// What has to be decided before audiobg's code is compiled, so it lives here, in plain CommonJS
// beside the executable, and the TypeScript sources load it too (src/parse/tree-sitter.ts,
// src/parse/fact-cache.ts):
//
// - the V8 flags: the WebAssembly tiers (wasmTierFlags) and the young generation's growth
//   (HEAP_FLAGS). V8 keys its code caches on the flags, so they must be set before the bundle is
//   compiled, or a cache written after a run would be refused at the next start;
// - the user's cache folder (defaultCacheDir), shared with the fact cache;
// - loading the bundle with a V8 code cache (loadBundle, saveCodeCache): the compiled code of the
//   bundle is kept in that folder after a run and handed back to V8 on the next, which spares
//   parsing and compiling about 1.2 MB of JavaScript on every start.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const v8 = require('node:v8');
const vm = require('node:vm');
const Module = require('node:module');

/**
 * The one function of web-tree-sitter's runtime worth optimising. The grammars are large
 * WebAssembly modules whose lexers are single functions of up to 400 KB; V8's optimising compiler
 * (TurboFan) spends seconds on those, and the process waits for it at exit (8 s for 80 files,
 * against 0.25 s with the baseline compiler, Liftoff, alone). Optimising nothing leaves the
 * parser's innermost loop in baseline code. This function of the runtime (625 bytes of code, the
 * hottest in every profile of doctor) is optimised alone with --wasm-tier-up-filter (measured by
 * `npm run bench:parsers`). The index is only valid for the exact runtime it was measured on,
 * recognised by its hash; any other build gets Liftoff alone. The filter would also pick the
 * function of that index in a grammar; no grammar audiobg ships has that many functions
 * (test/core/wasm-tiering.test.ts).
 */
const RUNTIME_TIER_UP = {
  runtimeSha256: '29208e71028ab0c11dfcc941255075aad75545394467aa22d817a6356714090f',
  functionIndex: 70,
};

/** web-tree-sitter's own WebAssembly module (the parser runtime). */
function runtimeWasmFile() {
  return path.join(path.dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm');
}

/** The V8 flag for the WebAssembly tiers: see RUNTIME_TIER_UP. */
function wasmTierFlags(runtimeFile) {
  try {
    const file = runtimeFile || runtimeWasmFile();
    const hash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    if (hash === RUNTIME_TIER_UP.runtimeSha256) return `--wasm-tier-up-filter=${RUNTIME_TIER_UP.functionIndex}`;
  } catch {
    // Unreadable or not installed: web-tree-sitter will say so when it is loaded.
  }
  return '--liftoff-only';
}

/**
 * The young generation stays at its first size. V8 doubles it (up to 16 MB per semi-space) while
 * many young objects survive, which doctor's facts do, and both halves then count in the peak
 * memory. Measured on the 50,000-file bench tree (`npm run bench`, 5 runs each way): 25 MB less at
 * the peak, the same time within noise. Its size can only be capped when the process starts, but
 * its growth can be stopped at any time.
 */
const HEAP_FLAGS = '--semi-space-growth-factor=1';

let flagsSet = false;
/**
 * Sets the V8 flags once per process: the WebAssembly tiers before any WebAssembly is compiled, and
 * the heap flag. Both before the bundle is compiled, since V8 keys code caches on the flags.
 */
function setV8Flags() {
  if (flagsSet) return;
  flagsSet = true;
  v8.setFlagsFromString(wasmTierFlags());
  v8.setFlagsFromString(HEAP_FLAGS);
}

/** The user's cache folder: $XDG_CACHE_HOME/audiobg, ~/Library/Caches/audiobg, or %LOCALAPPDATA%\audiobg\Cache. */
function defaultCacheDir(env = process.env, home = os.homedir()) {
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'audiobg');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'audiobg');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'audiobg', 'Cache');
  return path.join(home, '.cache', 'audiobg');
}

/**
 * The code cache file for this bundle under this Node: the bundle's size and time (V8 itself only
 * checks the source's length, so an edited bundle of the same length must not find the old cache),
 * Node's version and the architecture.
 */
function codeCacheFile(bundle, env = process.env) {
  const st = fs.statSync(bundle);
  const id = crypto.createHash('sha1').update(`${bundle}|${st.size}|${st.mtimeMs}|${process.version}|${process.arch}`).digest('hex').slice(0, 16);
  return path.join(defaultCacheDir(env), `code-${id}.v8`);
}

/**
 * A cache folder only this user can write: compiled code is executable, so a cache another user
 * could have planted is never read.
 */
function privateFolder(dir) {
  if (process.platform === 'win32') return true;
  try {
    const st = fs.statSync(dir);
    return st.isDirectory() && st.uid === process.getuid() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** A file of this user's that nobody else may write. */
function ownFile(file) {
  if (process.platform === 'win32') return fs.existsSync(file);
  try {
    const st = fs.statSync(file);
    return st.isFile() && st.uid === process.getuid() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

let pending = null;

/**
 * Requires the bundle, compiled with the code cache when there is a usable one. Never throws
 * because of the cache: without one (or with one V8 refuses) the bundle is compiled as usual.
 * AUDIOBG_CODE_CACHE=0 turns the cache off.
 */
function loadBundle(bundle, env = process.env) {
  setV8Flags();
  if (env.AUDIOBG_CODE_CACHE === '0') return require(bundle);
  let file;
  let cachedData;
  try {
    file = codeCacheFile(bundle, env);
    if (privateFolder(path.dirname(file)) && ownFile(file)) cachedData = fs.readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  let script;
  try {
    script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  } catch {
    return require(bundle);
  }
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  const localRequire = (id) => mod.require(id);
  localRequire.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  script.runInThisContext().call(mod.exports, mod.exports, localRequire, mod, bundle, path.dirname(bundle));
  mod.loaded = true;
  pending = file && (cachedData === undefined || script.cachedDataRejected) ? { file, script } : null;
  if (env.AUDIOBG_DEBUG_CODE_CACHE) process.stderr.write(`audiobg: code cache ${cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'refused' : 'used'} (${file})\n`);
  return mod.exports;
}

/**
 * After a run: keep the code compiled so far for the next start, when there was no usable cache.
 * Written atomically into the user's private cache folder; any failure is ignored (it is a cache).
 */
function saveCodeCache() {
  if (!pending) return;
  const { file, script } = pending;
  pending = null;
  try {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!privateFolder(dir)) return;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // A read-only home, a full disk: the next run compiles as this one did.
  }
}

/** The entry script of a parsing worker (src/parse/parallel.ts). */
const workerEntry = path.join(__dirname, 'worker.cjs');

module.exports = { RUNTIME_TIER_UP, HEAP_FLAGS, runtimeWasmFile, wasmTierFlags, setV8Flags, defaultCacheDir, codeCacheFile, loadBundle, saveCodeCache, workerEntry };
