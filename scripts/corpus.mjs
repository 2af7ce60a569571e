#!/usr/bin/env node
// npm run corpus [-- --only <id> ... --json <file> --markdown --verbose --require-all --fact-cache --parallel]
//
// Runs doctor on every repository of test/corpus/corpus.json (and any test/corpus/corpus-*.json
// beside it) that is present in AUDIOBG_CORPUS_DIR (<dir>/<owner>+<name>/, a work tree or a bare
// git dir `repo/`), at the pinned commit, extracted with `git archive` into AUDIOBG_CORPUS_CACHE
// (default: a folder in the OS temp dir) and reused on the next run. Prints, per repository, the
// apps recognised, the expected findings found, mustNot violations, untriaged findings, false
// positives and the doctor's time; then recall and the totals, and which repositories are absent.
//
// Exit code: 1 when an expected finding is missed, a mustNot finding appears, an app minimum is not
// met, a finding is untriaged or doctor fails on a repository (and, with --require-all, when a
// repository is absent); 2 for a bad corpus file or bad arguments; 0 otherwise.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist', 'src', 'corpus', 'corpus.js');
const RULES = path.join(ROOT, 'dist', 'rules', 'index.js');

function usage(message) {
  process.stderr.write(`corpus: ${message}\nusage: npm run corpus -- [--only <id>]... [--json <file>] [--markdown] [--verbose] [--require-all] [--fact-cache] [--parallel] [--corpus <file>]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { only: [], json: null, markdown: false, verbose: false, requireAll: false, factCache: false, parallel: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--only') opts.only.push(value());
    else if (a === '--json') opts.json = value();
    else if (a === '--corpus') opts.files.push(path.resolve(value()));
    else if (a === '--markdown') opts.markdown = true;
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--require-all') opts.requireAll = true;
    else if (a === '--fact-cache') opts.factCache = true;
    else if (a === '--parallel') opts.parallel = true;
    else if (a === '--help' || a === '-h') usage('help');
    else usage(`unknown argument ${a}`);
  }
  return opts;
}

/** test/corpus/corpus.json first, then the other corpus-*.json files, in name order. */
function defaultFiles() {
  const dir = path.join(ROOT, 'test', 'corpus');
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^corpus(-[\w-]+)?\.json$/.test(n)) : [];
  return names.sort((a, b) => (a === 'corpus.json' ? -1 : b === 'corpus.json' ? 1 : a.localeCompare(b))).map((n) => path.join(dir, n));
}

const opts = parseArgs(process.argv.slice(2));
if (!fs.existsSync(DIST)) usage('the compiled files are missing; run "npm run build" first (npm run corpus does)');
const corpusLib = await import(DIST);
const { allRules } = await import(RULES);
const known = new Set(allRules.map((r) => r.meta.id));

const files = opts.files.length ? opts.files : defaultFiles();
if (!files.length) usage('no corpus file found in test/corpus/');
let corpus;
try {
  const parts = files.map((f) => corpusLib.loadCorpus(f, known));
  // Validate the union too: ids must be unique across files and pairs may cross them.
  corpus = corpusLib.validateCorpus({ schema: 1, repos: parts.flatMap((p) => p.repos) }, known, files.map((f) => path.relative(ROOT, f)).join(' + '));
} catch (e) {
  if (e instanceof corpusLib.CorpusError) {
    process.stderr.write(`corpus: invalid corpus file\n${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

const corpusDir = process.env.AUDIOBG_CORPUS_DIR;
if (!corpusDir) {
  process.stderr.write('corpus: AUDIOBG_CORPUS_DIR is not set; every repository is absent.\n  Set it to a folder holding <owner>+<name>/ work trees or bare repo/ git dirs (e.g. AUDIOBG_CORPUS_DIR=/work/.mirror).\n');
}
const cacheDir = corpusLib.defaultCacheDir();

let scores;
try {
  scores = await corpusLib.runCorpus(corpus, {
    corpusDir: corpusDir ? path.resolve(corpusDir) : path.join(ROOT, '.no-corpus-dir'),
    cacheDir,
    only: opts.only,
    ...(opts.factCache ? { factCache: { build: `corpus-${Date.now()}` } } : {}),
    ...(opts.parallel ? { parallel: true } : {}),
    onStart: (e) => process.stderr.write(`corpus: ${e.id} (${e.repo}@${e.commit.slice(0, 12)})\n`),
  });
} catch (e) {
  if (e instanceof corpusLib.CorpusError) usage(e.message);
  throw e;
}

process.stdout.write(opts.markdown ? corpusLib.formatMarkdown(scores, corpus) : corpusLib.formatText(scores, opts.verbose));
if (opts.markdown && opts.verbose) process.stderr.write(corpusLib.formatText(scores, true));
if (opts.json) {
  const out = { corpus: files.map((f) => path.relative(ROOT, f)), cacheDir, totals: corpusLib.totals(scores), repos: scores };
  fs.writeFileSync(path.resolve(opts.json), `${JSON.stringify(out, null, 2)}\n`);
  process.stderr.write(`corpus: results written to ${opts.json}\n`);
}

const failing = scores.filter(corpusLib.failed);
const absent = scores.filter((s) => s.status === 'absent');
if (failing.length) process.stderr.write(`corpus: FAILED on ${failing.map((s) => s.id).join(', ')}${opts.verbose ? '' : ' (--verbose lists why)'}\n`);
if (opts.requireAll && absent.length) process.stderr.write(`corpus: --require-all: ${absent.length} repositor${absent.length === 1 ? 'y is' : 'ies are'} absent\n`);
process.exitCode = failing.length || (opts.requireAll && absent.length) ? 1 : 0;
