// Lazy access to the tree-sitter grammars (Swift, Objective-C, Kotlin, Java, Dart) through web-tree-sitter.
// Nothing is loaded until the first file of a language actually needs a syntax tree.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import type ParserNS from 'web-tree-sitter';
import { packageRoot } from '../fs/package-root.js';
import { launch } from '../fs/launch.js';

export type TreeLanguage = 'swift' | 'objc' | 'kotlin' | 'java' | 'dart';
export type SyntaxNode = ParserNS.SyntaxNode;
export type Tree = ParserNS.Tree;

type ParserClass = typeof ParserNS;

const require = createRequire(import.meta.url);
let parserClass: Promise<ParserClass> | null = null;
const languages = new Map<TreeLanguage, Promise<ParserNS.Language>>();
const parsers = new Map<TreeLanguage, ParserNS>();
let loadQueue: Promise<unknown> = Promise.resolve();

function loadParserClass(): Promise<ParserClass> {
  parserClass ??= (async () => {
    // Usually set already by bin/audiobg.js, before the bundle was compiled; idempotent.
    launch().setV8Flags();
    // Loaded with require, not import(): web-tree-sitter is CommonJS, and the ES module loader's
    // translation of it (export detection over the whole file) costs about 15 ms of every run.
    const P = require('web-tree-sitter') as ParserClass;
    await P.init();
    return P;
  })();
  return parserClass;
}

/** The WebAssembly tier-up choice (bin/launch.cjs): one runtime function optimised, for the runtime it was measured on. */
export const RUNTIME_TIER_UP = launch().RUNTIME_TIER_UP;

/** The V8 flag for the WebAssembly tiers: see RUNTIME_TIER_UP. */
export function wasmTierFlags(runtimeFile?: string): string {
  return launch().wasmTierFlags(runtimeFile);
}

/** web-tree-sitter's own WebAssembly module (the parser runtime). */
export function runtimeWasmFile(): string {
  return launch().runtimeWasmFile();
}

/**
 * Where a grammar is read from. The package ships the five grammars in grammars/, written by
 * scripts/copy-grammars.mjs during `npm run build` (7.5 MB instead of the 50 MB tree-sitter-wasms
 * package): Swift and Kotlin as plain .wasm, the others brotli-compressed as .wasm.br. A development
 * checkout that has not been built yet falls back to the files of the devDependency tree-sitter-wasms.
 */
export function grammarFile(lang: TreeLanguage): string {
  const plain = path.join(packageRoot(), 'grammars', `tree-sitter-${lang}.wasm`);
  if (fs.existsSync(plain)) return plain;
  const packed = `${plain}.br`;
  if (fs.existsSync(packed)) return packed;
  // tree-sitter-wasms 0.1.13 ships a Dart grammar built for tree-sitter ABI 15, which web-tree-sitter
  // 0.22 cannot load ("Incompatible language version 15"); audiobg carries an ABI 14 build of the
  // same grammar (vendor/tree-sitter-dart/README.md says where it comes from).
  if (lang === 'dart') return path.join(packageRoot(), 'vendor', 'tree-sitter-dart', 'tree-sitter-dart.wasm');
  let dir: string;
  try {
    dir = path.dirname(require.resolve('tree-sitter-wasms/package.json'));
  } catch {
    throw new Error(`the ${lang} grammar is missing: ${packed} does not exist (run "npm run build" in the audiobg folder)`);
  }
  return path.join(dir, 'out', `tree-sitter-${lang}.wasm`);
}

function grammarBytes(lang: TreeLanguage): Uint8Array {
  const file = grammarFile(lang);
  const bytes = fs.readFileSync(file);
  return file.endsWith('.br') ? zlib.brotliDecompressSync(bytes) : bytes;
}

/** Loads the grammar for a language (once) and returns a parser set to it. */
export async function getParser(lang: TreeLanguage): Promise<ParserNS> {
  const existing = parsers.get(lang);
  if (existing) return existing;
  const P = await loadParserClass();
  let language = languages.get(lang);
  if (!language) {
    // Loading two grammars at the same time breaks web-tree-sitter's dynamic linking
    // ("bad export type for 'tree_sitter_kotlin_external_scanner_create'"), so loads run one at a time.
    language = loadQueue.then(() => P.Language.load(grammarBytes(lang)));
    loadQueue = language.catch(() => undefined);
    languages.set(lang, language);
  }
  const loaded = await language;
  const again = parsers.get(lang);
  if (again) return again;
  const parser = new P();
  parser.setLanguage(loaded);
  parsers.set(lang, parser);
  return parser;
}

/** Languages whose grammar has been loaded in this process (the benchmark reports it). */
export function loadedLanguages(): TreeLanguage[] {
  return [...parsers.keys()];
}

// ---- helpers shared by the fact extractors ----

/** 1-based line and column of a node's start. Columns are UTF-16 code units, as in the source string. */
export function nodeLocation(file: string, node: SyntaxNode): { file: string; line: number; column: number; endLine: number; endColumn: number } {
  return {
    file,
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
}

/** Depth-first walk over every node (named and anonymous). Return false to skip a node's children. */
export function walk(node: SyntaxNode, visit: (n: SyntaxNode) => boolean | void): void {
  const cursor = node.walk();
  try {
    for (;;) {
      const keep = visit(cursor.currentNode);
      if (keep !== false && cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) continue;
      // Climb until a parent has a next sibling; the cursor cannot climb above `node`.
      for (;;) {
        if (!cursor.gotoParent()) return;
        if (cursor.gotoNextSibling()) break;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** All nodes of the given types under `node` (inclusive). */
export function descendants(node: SyntaxNode, types: string | string[]): SyntaxNode[] {
  const set = new Set(Array.isArray(types) ? types : [types]);
  const out: SyntaxNode[] = [];
  walk(node, (n) => {
    if (set.has(n.type)) out.push(n);
  });
  return out;
}

/** The first syntax error or missing node, for parse-error reporting. */
export function firstSyntaxError(root: SyntaxNode): SyntaxNode | null {
  if (!root.hasError) return null;
  let found: SyntaxNode | null = null;
  walk(root, (n) => {
    if (found) return false;
    if (n.isError || n.isMissing) {
      found = n;
      return false;
    }
    return n.hasError;
  });
  return found;
}
