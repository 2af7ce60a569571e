// Bundles the compiled CLI (dist/src/cli/main.js and everything it imports) into one CommonJS
// file, dist/audiobg.cjs, which bin/audiobg.js requires. One file instead of ~150 modules cuts
// start-up time by about a third (module resolution, reads, and the CommonJS export scan of
// dependencies), and CommonJS loads about 18 ms sooner than the same bundle as an ES module (the
// ES module loader's own work on a 1.2 MB module).
// web-tree-sitter stays external (it loads tree-sitter.wasm from its own folder; the grammars are
// read from grammars/, written by scripts/copy-grammars.mjs), and
// so does ts-morph (large, and only loaded for projects with JavaScript or TypeScript).

import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// commander requires child_process at load for executable subcommands, which audiobg has none of;
// loading it costs every run a few milliseconds. In the bundle it is required when first used.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) return undefined; // another commander: bundled as it is
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

const common = {
  plugins: [lazyChildProcess],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['web-tree-sitter', 'tree-sitter-wasms', 'ts-morph', 'jsonc-parser', 'yaml'],
  // The sources are ES modules that find the package's files from import.meta.url; in the bundle
  // that is the bundle's own URL (dist/, as dist/src/... is for the unbundled modules' package root).
  define: { 'import.meta.url': '__audiobgModuleUrl' },
  banner: { js: "const __audiobgModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  legalComments: 'none',
};

await build({ ...common, entryPoints: [path.join(root, 'dist/src/cli/main.js')], outfile: path.join(root, 'dist/audiobg.cjs') });
// A parsing worker (bin/worker.cjs) loads only the extractors: a fifth of the code to compile.
await build({ ...common, entryPoints: [path.join(root, 'dist/src/facts/extract-worker.js')], outfile: path.join(root, 'dist/audiobg-worker.cjs') });

// The executable compiles the bundle itself (bin/launch.cjs, for the V8 code cache), and code
// compiled that way cannot import(): every dynamic import must have been bundled.
for (const name of ['audiobg.cjs', 'audiobg-worker.cjs']) {
  const out = fs.readFileSync(path.join(root, 'dist', name), 'utf8');
  const dynamic = [...out.matchAll(/\bimport\((["'`][^"'`]*["'`])\)/g)].map((m) => m[1]);
  if (dynamic.length) {
    console.error(`bundle: dist/${name} still imports ${dynamic.join(', ')} dynamically; use a static import or require()`);
    process.exit(1);
  }
}

// A bundle of an older build (an ES module) would no longer be loaded; leave no stale copy behind.
fs.rmSync(path.join(root, 'dist/audiobg.mjs'), { force: true });
