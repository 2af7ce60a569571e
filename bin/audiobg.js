#!/usr/bin/env node
// The audiobg executable. `npm install` (prepare) compiles the TypeScript sources into dist/ and
// bundles them into dist/audiobg.mjs; the unbundled dist/src/cli/main.js is the fallback.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/audiobg.mjs', import.meta.url);
const modules = new URL('../dist/src/cli/main.js', import.meta.url);
const entry = existsSync(bundle) ? bundle : modules;
if (!existsSync(entry)) {
  process.stderr.write('audiobg: the compiled files are missing; run "npm install" (or "npm run build") in the audiobg folder first.\n');
  process.exit(3);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
