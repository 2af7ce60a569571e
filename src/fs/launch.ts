// bin/launch.cjs, seen from the TypeScript sources: what has to be decided before audiobg's code is
// compiled (the WebAssembly flags) and the user's cache folder live there, in plain CommonJS beside
// the executable, so that the executable and the sources agree.

import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from './package-root.js';

export interface Launch {
  RUNTIME_TIER_UP: { runtimeSha256: string; functionIndex: number };
  runtimeWasmFile(): string;
  wasmTierFlags(runtimeFile?: string): string;
  HEAP_FLAGS: string;
  setV8Flags(): void;
  defaultCacheDir(env?: NodeJS.ProcessEnv, home?: string): string;
  codeCacheFile(bundle: string, env?: NodeJS.ProcessEnv): string;
  /** The entry script of a parsing worker (bin/worker.cjs). */
  workerEntry: string;
}

const require = createRequire(import.meta.url);

export function launch(): Launch {
  return require(path.join(packageRoot(), 'bin', 'launch.cjs')) as Launch;
}
