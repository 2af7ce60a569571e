// A parsing worker (src/parse/parallel.ts): a thread started by doctor, never by hand. It loads
// only the extractors (dist/audiobg-worker.cjs, with its code cache, as the executable loads its
// bundle; or the compiled modules) and parses what the main thread hands it.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const launch = require('./launch.cjs');

const bundle = path.join(__dirname, '..', 'dist', 'audiobg-worker.cjs');
const modules = path.join(__dirname, '..', 'dist', 'src', 'facts', 'extract-worker.js');
const load = existsSync(bundle) ? Promise.resolve(launch.loadBundle(bundle)) : (launch.setV8Flags(), import(pathToFileURL(modules).href));
load.then(({ runExtractWorker }) => {
  runExtractWorker();
  launch.saveCodeCache();
});
