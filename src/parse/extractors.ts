// Per-file fact extractors, by name. A platform defines its extractor once (what one source file
// says, as plain data), and the workspace runs it: on the main thread, from the fact cache, or in a
// parsing worker (src/parse/parallel.ts), which finds it here by its key. The engine knows the
// keys, never the platforms behind them.

import type { ProjectFile } from '../discover/find-files.js';
import type { Workspace } from './workspace.js';

export interface Extractor<T> {
  /** Stable name: the fact cache and the workers know the extractor by it. */
  readonly key: string;
  /** Reads one file through `ws` (which records its problems) and returns plain data. */
  run(ws: Workspace, file: ProjectFile): Promise<T>;
}

const registry = new Map<string, Extractor<unknown>>();

/** Defines (and registers) an extractor; call it once per key, at module level. */
export function defineExtractor<T>(key: string, run: (ws: Workspace, file: ProjectFile) => Promise<T>): Extractor<T> {
  if (registry.has(key)) throw new Error(`extractor "${key}" is defined twice`);
  const extractor: Extractor<T> = { key, run };
  registry.set(key, extractor as Extractor<unknown>);
  return extractor;
}

export function extractorNamed(key: string): Extractor<unknown> | undefined {
  return registry.get(key);
}
