// The entry of a parsing worker (bin/worker.cjs, bundled alone as dist/audiobg-worker.cjs). It
// loads only the modules that define the per-file extractors (src/parse/extractors.ts), which the
// worker finds by key, so a worker starts sooner and weighs less than one loading all of audiobg.

import './ios/source-facts.js';
import './android/source-facts.js';
import './flutter/dart-facts.js';

export { runExtractWorker } from '../parse/parallel.js';
