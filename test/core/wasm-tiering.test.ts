// Which WebAssembly code V8 may optimise (src/parse/tree-sitter.ts, RUNTIME_TIER_UP): one small,
// hot function of web-tree-sitter's runtime, picked by its index. That is only safe while the
// index means that function (the runtime is recognised by its hash) and no grammar has a function
// of that index (the filter applies to every module, and a grammar's lexer takes TurboFan seconds).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { grammarFile, RUNTIME_TIER_UP, runtimeWasmFile, wasmTierFlags } from '../../src/parse/tree-sitter.js';
import { tempDir, write } from './helpers.js';

/** Function indices of a module: imported functions first, then the defined ones, with their code sizes. */
function functionsOf(file: string): { imported: number; bodySizes: number[] } {
  let b = fs.readFileSync(file);
  if (file.endsWith('.br')) b = zlib.brotliDecompressSync(b);
  expect(b.subarray(0, 4).toString('latin1')).toBe('\0asm');
  let i = 8;
  const uleb = (): number => {
    let r = 0;
    let shift = 0;
    let x: number;
    do {
      x = b[i++]!;
      r += (x & 0x7f) * 2 ** shift;
      shift += 7;
    } while (x & 0x80);
    return r;
  };
  const skipName = () => {
    const n = uleb();
    i += n;
  };
  const limits = () => {
    const flags = uleb();
    uleb();
    if (flags & 1) uleb();
  };
  let imported = 0;
  const bodySizes: number[] = [];
  while (i < b.length) {
    const id = b[i++]!;
    const len = uleb();
    const end = i + len;
    if (id === 2) {
      for (let n = uleb(); n > 0; n--) {
        skipName();
        skipName();
        const kind = b[i++]!;
        if (kind === 0) {
          uleb();
          imported++;
        } else if (kind === 1) {
          i++;
          limits();
        } else if (kind === 2) limits();
        else if (kind === 3) i += 2;
        else throw new Error(`import kind ${kind}`);
      }
    } else if (id === 10) {
      for (let n = uleb(); n > 0; n--) {
        const size = uleb();
        bodySizes.push(size);
        i += size;
      }
    }
    i = end;
  }
  return { imported, bodySizes };
}

/** The grammar files doctor loads (the built grammars/, or the development fallbacks). */
function grammarFiles(): string[] {
  return (['swift', 'objc', 'kotlin', 'java', 'dart'] as const).map((lang) => grammarFile(lang));
}

describe('the WebAssembly tier-up filter', () => {
  it('is used with the runtime it was measured on (web-tree-sitter 0.22.6): a small function at that index', () => {
    expect(wasmTierFlags()).toBe(`--wasm-tier-up-filter=${RUNTIME_TIER_UP.functionIndex}`);
    const { imported, bodySizes } = functionsOf(runtimeWasmFile());
    const size = bodySizes[RUNTIME_TIER_UP.functionIndex - imported];
    expect(size).toBeDefined();
    expect(size!).toBeLessThan(4096);
  });

  it('any other runtime, or none, gets the baseline compiler alone', () => {
    const other = write(tempDir('wasm'), 'tree-sitter.wasm', Buffer.from('\0asm\x01\0\0\0'));
    expect(wasmTierFlags(other)).toBe('--liftoff-only');
    expect(wasmTierFlags(path.join(tempDir('wasm'), 'absent.wasm'))).toBe('--liftoff-only');
  });

  it('no grammar audiobg loads has a function of that index (the filter would optimise its lexer)', () => {
    const files = grammarFiles();
    expect(files).toHaveLength(5);
    for (const f of files) {
      const { imported, bodySizes } = functionsOf(f);
      expect({ grammar: path.basename(f), functions: imported + bodySizes.length < RUNTIME_TIER_UP.functionIndex + 1 }).toEqual({ grammar: path.basename(f), functions: true });
    }
  });
});
