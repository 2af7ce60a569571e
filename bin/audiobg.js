#!/usr/bin/env node
// The audiobg executable. `npm install` (prepare) compiles the TypeScript sources into dist/ and
// bundles them into dist/audiobg.cjs; the unbundled dist/src/cli/main.js is the fallback.
// This file is CommonJS (bin/package.json says so), like the bundle: a run that never starts
// Node's ES module loader begins sooner. launch.cjs sets the WebAssembly flags and loads the
// bundle with a V8 code cache kept in the user's cache folder.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const launch = require('./launch.cjs');

const bundle = path.join(__dirname, '..', 'dist', 'audiobg.cjs');
const modules = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(bundle) && !existsSync(modules)) {
  process.stderr.write('audiobg: the compiled files are missing; run "npm install" (or "npm run build") in the audiobg folder first.\n');
  process.exit(3);
}
const load = existsSync(bundle) ? Promise.resolve(launch.loadBundle(bundle)) : (launch.setV8Flags(), import(pathToFileURL(modules).href));
load.then(async ({ main }) => {
  process.exitCode = await main(process.argv.slice(2));
  launch.saveCodeCache();
});
