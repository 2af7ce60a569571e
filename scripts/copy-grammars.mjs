// Copies the five tree-sitter grammars doctor loads (Swift, Objective-C, Kotlin, Java, Dart) into
// grammars/, so the published package carries 7.5 MB of grammars instead of depending on
// tree-sitter-wasms (50 MB, 36 languages). Part of `npm run build`, which `prepare` runs on
// `npm ci` and `npm pack`; tree-sitter-wasms is a devDependency for that reason only.
//
// Objective-C (7.7 MB), Java and Dart are stored brotli-compressed (.wasm.br, 20-30x smaller):
// decompressing costs 0.5-5 ms, paid only when a file of that language is parsed. Swift and Kotlin
// stay plain .wasm: nearly every native app loads them, and decompressing would add about 10 and 7 ms
// to each run for 6.8 MB of disk. src/parse/tree-sitter.ts reads either form.
// The licences (grammars/LICENSE.tree-sitter-*) are committed beside them; grammars/README.md says
// where each file comes from. A grammar already written from an unchanged source is kept.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const outDir = path.join(root, 'grammars');

/** Grammars stored compressed (see above). */
const COMPRESSED = new Set(['objc', 'java', 'dart']);

/** Language → source .wasm. Dart comes from vendor/ (tree-sitter-wasms' Dart is ABI 15; see its README). */
function sources() {
  let wasms;
  try {
    wasms = path.join(path.dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');
  } catch {
    throw new Error('copy-grammars: the devDependency tree-sitter-wasms is not installed; run "npm ci" first');
  }
  return {
    swift: path.join(wasms, 'tree-sitter-swift.wasm'),
    objc: path.join(wasms, 'tree-sitter-objc.wasm'),
    kotlin: path.join(wasms, 'tree-sitter-kotlin.wasm'),
    java: path.join(wasms, 'tree-sitter-java.wasm'),
    dart: path.join(root, 'vendor', 'tree-sitter-dart', 'tree-sitter-dart.wasm'),
  };
}

fs.mkdirSync(outDir, { recursive: true });
let written = 0;
for (const [lang, src] of Object.entries(sources())) {
  const plain = path.join(outDir, `tree-sitter-${lang}.wasm`);
  const out = COMPRESSED.has(lang) ? `${plain}.br` : plain;
  // The other form, left by an earlier build, would ship twice.
  fs.rmSync(COMPRESSED.has(lang) ? plain : `${plain}.br`, { force: true });
  const licence = path.join(outDir, `LICENSE.tree-sitter-${lang}`);
  if (!fs.existsSync(licence)) throw new Error(`copy-grammars: ${path.relative(root, licence)} is missing; every shipped grammar carries its licence`);
  const srcStat = fs.statSync(src);
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= srcStat.mtimeMs && (COMPRESSED.has(lang) || fs.statSync(out).size === srcStat.size)) continue;
  const bytes = fs.readFileSync(src);
  const packed = !COMPRESSED.has(lang)
    ? bytes
    : zlib.brotliCompressSync(bytes, {
        params: {
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_GENERIC,
          [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      });
  // Write then rename, so an interrupted build never leaves a truncated grammar behind.
  fs.writeFileSync(`${out}.tmp`, packed);
  fs.renameSync(`${out}.tmp`, out);
  written++;
}
if (written) console.log(`copy-grammars: ${written} grammar${written === 1 ? '' : 's'} written to grammars/`);
