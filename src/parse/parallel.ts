// Parsing on more than one core. Parsing and fact extraction are most of a cold run on a large
// repository, and one file's facts do not depend on any other file, so a pool of worker threads can
// take part of them.
//
// How the work is shared, without a scheduler thread:
// - a facts builder that knows which files it will ask for hands them over first (`submit`, through
//   Workspace.prefetch), as one batch in the order it will ask;
// - every job of a batch has a claim word in shared memory. The main thread claims jobs from the
//   front, in the order the builder asks (`claim`); the workers claim from the back. A job is done
//   by whoever claims it first (Atomics.compareExchange), so nothing is parsed twice, and the main
//   thread never waits for more than the jobs the workers are holding;
// - a worker runs the same extractor (src/parse/extractors.ts, by key) in a workspace of its own
//   and sends back its facts, the file's problems and suppression comments, which the main
//   workspace adopts exactly as if it had computed them (the order of problems is the order in
//   which the builder asks for the facts, as without workers).
//
// Anything that goes wrong in a worker (it fails to start, throws, returns facts that cannot cross
// threads) only sends the job back to the main thread, which computes it as it always did.

import { Worker, parentPort, workerData, isMainThread } from 'node:worker_threads';
import os from 'node:os';
import type { ProjectFile } from '../discover/find-files.js';
import type { FileProblem, SourceComment } from './workspace.js';
import { Workspace } from './workspace.js';
import { extractorNamed } from './extractors.js';
import { getParser, loadedLanguages, type TreeLanguage } from './tree-sitter.js';

/** What a worker sends back for one job. */
export interface WorkerResult {
  value: unknown;
  problems: FileProblem[];
  /** The file's suppression comments, when it was parsed. */
  comments?: SourceComment[];
  /** True when the file's text was read and holds no suppression directive. */
  directiveFree: boolean;
  /** Content hash of the file as read (asked for when the main workspace keeps a fact cache). */
  hash?: string;
  /** Grammars the worker has loaded so far (for DoctorResult.grammarsLoaded). */
  langs: TreeLanguage[];
}

interface Job {
  key: string;
  file: ProjectFile;
}

interface BatchMessage {
  type: 'batch';
  id: number;
  root: string;
  jobs: Job[];
  /** One claim word per job: 0 free, 1 the main thread's, 2 a worker's. */
  claims: Int32Array;
  wantHash: boolean;
}

interface WarmMessage {
  type: 'warm';
  languages: TreeLanguage[] | readonly TreeLanguage[];
}

type ResultMessage = { type: 'result'; batch: number; index: number; result: WorkerResult | null };

const FREE = 0;
const MAIN = 1;
const WORKER = 2;

export interface PoolOptions {
  /** Threads that parse, the main thread included (2 means one worker). */
  threads: number;
  /** The worker's entry script (bin/worker.cjs). */
  entry: string;
  /**
   * Jobs a batch must have, and bytes its files must add up to, before workers are started: a
   * worker costs tens of milliseconds to start (loading audiobg and compiling each grammar again),
   * which a small project never wins back.
   */
  minJobs: number;
  minBytes: number;
  /** Ask workers for content hashes (the main workspace keeps a fact cache). */
  wantHash?: boolean;
  /**
   * For tests: the main thread claims no job it handed over and waits for the workers instead, so
   * a small fixture is still parsed by them (otherwise the main thread would finish first).
   */
  workersOnly?: boolean;
}

/** Threads `--concurrency auto` uses: every core up to four (the gain flattens out beyond). */
export function autoThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

interface Batch {
  id: number;
  claims: Int32Array;
  results: Map<number, WorkerResult | null>;
  waiters: Map<number, (r: WorkerResult | null) => void>;
}

export class ExtractPool {
  private workers: Worker[] | null = null;
  private broken = false;
  private nextBatch = 0;
  private readonly batches = new Map<number, Batch>();
  /** Jobs handed over and not yet claimed by the main thread, by `${key}:${path}`. */
  private readonly jobs = new Map<string, { batch: Batch; index: number }>();
  /** Jobs done by workers, for the benchmark and tests. */
  doneByWorkers = 0;
  /** Sources the walk has found so far that will need parsing (see consider). */
  private readonly seen = { count: 0, bytes: 0, languages: new Set<TreeLanguage>() };
  /** Grammars the workers loaded. */
  readonly workerLanguages = new Set<TreeLanguage>();

  constructor(private readonly options: PoolOptions) {}

  /** Threads that may parse, the main thread included. */
  get threads(): number {
    return this.options.threads;
  }

  /** Whether workers were started (a small project never starts any). */
  get started(): boolean {
    return this.workers !== null;
  }

  /**
   * Hand over the files a builder is about to ask `key`'s facts of, in the order it will ask.
   * Files already handed over are left out; a batch too small to pay for a worker is not submitted.
   */
  submit(root: string, key: string, files: readonly ProjectFile[]): void {
    if (this.broken || this.options.threads < 2) return;
    const fresh: ProjectFile[] = [];
    const seen = new Set<string>();
    for (const f of files) {
      const k = `${key}:${f.path}`;
      if (this.jobs.has(k) || seen.has(k)) continue;
      seen.add(k);
      fresh.push(f);
    }
    if (fresh.length === 0 || (fresh.length < 2 && !this.options.workersOnly)) return;
    // Workers already started (see consider) take any batch; otherwise the batch must be worth starting them.
    if (!this.workers && !this.worthStarting(fresh)) return;
    if (!this.start()) return;
    const batch: Batch = {
      id: this.nextBatch++,
      claims: new Int32Array(new SharedArrayBuffer(4 * fresh.length)),
      results: new Map(),
      waiters: new Map(),
    };
    this.batches.set(batch.id, batch);
    fresh.forEach((f, index) => this.jobs.set(`${key}:${f.path}`, { batch, index }));
    const message: BatchMessage = {
      type: 'batch',
      id: batch.id,
      root,
      jobs: fresh.map((f) => ({ key, file: { path: f.path, rel: f.rel, kind: f.kind, size: f.size, ...(f.mtimeMs !== undefined ? { mtimeMs: f.mtimeMs } : {}) } })),
      claims: batch.claims,
      wantHash: !!this.options.wantHash,
    };
    for (const w of this.workers!) w.postMessage(message);
  }

  /**
   * Told of each source file as the walk finds it (only those that will need parsing): the workers
   * start as soon as the sources are enough to use them, and load each grammar as its first file
   * appears, so that starting them overlaps the walk and the reading of build files instead of
   * delaying the first parse.
   */
  consider(file: ProjectFile, language: TreeLanguage): void {
    if (this.broken || this.options.threads < 2) return;
    this.seen.count++;
    this.seen.bytes += file.size;
    const fresh = !this.seen.languages.has(language);
    if (fresh) this.seen.languages.add(language);
    if (!this.workers) {
      if (this.seen.count < this.minimumJobs() || this.seen.bytes < this.options.minBytes) return;
      if (!this.start()) return;
      this.warmWorkers([...this.seen.languages]);
    } else if (fresh) this.warmWorkers([language]);
  }

  private warmWorkers(languages: TreeLanguage[]): void {
    for (const w of this.workers ?? []) w.postMessage({ type: 'warm', languages } satisfies WarmMessage);
  }

  /**
   * The main thread is about to compute `key`'s facts of `file`. Null: compute them here (the job
   * was never handed over, or the main thread claimed it first). Otherwise a worker has it: the
   * promise gives its result, or null when the worker could not do it (then compute them here).
   */
  claim(key: string, file: string): Promise<WorkerResult | null> | null {
    const k = `${key}:${file}`;
    const job = this.jobs.get(k);
    if (!job) return null;
    this.jobs.delete(k);
    const { batch, index } = job;
    if (!this.options.workersOnly && Atomics.compareExchange(batch.claims, index, FREE, MAIN) === FREE) return null;
    if (batch.results.has(index)) return Promise.resolve(this.take(batch, index));
    if (this.broken) return Promise.resolve(null);
    return new Promise((resolve) => batch.waiters.set(index, () => resolve(this.take(batch, index))));
  }

  /** Stops the workers (their unfinished jobs are simply dropped). */
  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = [];
    this.broken = true;
    this.release();
    await Promise.all(workers.map((w) => w.terminate().catch(() => undefined)));
  }

  private take(batch: Batch, index: number): WorkerResult | null {
    const r = batch.results.get(index) ?? null;
    batch.results.delete(index);
    if (r) {
      this.doneByWorkers++;
      for (const l of r.langs) this.workerLanguages.add(l);
    }
    return r;
  }

  private minimumJobs(): number {
    return this.options.workersOnly ? 1 : Math.max(2, this.options.minJobs);
  }

  private worthStarting(files: readonly ProjectFile[]): boolean {
    const bytes = files.reduce((n, f) => n + f.size, 0);
    return files.length >= this.minimumJobs() && bytes >= this.options.minBytes;
  }

  private start(): boolean {
    if (this.workers) return true;
    const workers: Worker[] = [];
    try {
      for (let i = 1; i < this.options.threads; i++) {
        // A small young generation: the worker's objects are short-lived facts, and the default
        // (16 MB semi-spaces) would add its size to the peak memory for no measurable gain.
        const w = new Worker(this.options.entry, { workerData: { audiobg: 'extract' }, stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
        w.on('message', (m: ResultMessage) => this.onResult(m));
        // A worker that dies takes no job with it: everything it held is done by the main thread.
        w.on('error', () => this.fail());
        w.on('exit', () => this.fail());
        workers.push(w);
      }
    } catch {
      for (const w of workers) void w.terminate();
      this.broken = true;
      return false;
    }
    this.workers = workers;
    return true;
  }

  private onResult(m: ResultMessage): void {
    if (m?.type !== 'result') return;
    const batch = this.batches.get(m.batch);
    if (!batch) return;
    batch.results.set(m.index, m.result);
    const waiter = batch.waiters.get(m.index);
    if (waiter) {
      batch.waiters.delete(m.index);
      waiter(m.result);
    }
  }

  private fail(): void {
    if (this.broken) return;
    this.broken = true;
    const workers = this.workers ?? [];
    this.workers = [];
    for (const w of workers) void w.terminate().catch(() => undefined);
    this.release();
  }

  /** Every job still waiting for a worker goes back to the main thread. */
  private release(): void {
    for (const batch of this.batches.values()) {
      for (const [index, waiter] of batch.waiters) {
        if (!batch.results.has(index)) batch.results.set(index, null);
        waiter(null);
      }
      batch.waiters.clear();
    }
  }
}

/**
 * Plain data a worker can send: what structured clone copies faithfully (plain objects, arrays,
 * Maps, Sets, primitives). A class instance would arrive without its methods, so facts holding one
 * are computed on the main thread instead.
 */
export function isCloneableData(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || value === undefined) return true;
  const t = typeof value;
  if (t === 'string' || t === 'boolean' || t === 'number') return true;
  if (t !== 'object') return false;
  if (seen.has(value as object)) return true;
  seen.add(value as object);
  if (Array.isArray(value)) return value.every((v) => isCloneableData(v, seen));
  if (value instanceof Map) return [...value].every(([k, v]) => isCloneableData(k, seen) && isCloneableData(v, seen));
  if (value instanceof Set) return [...value].every((v) => isCloneableData(v, seen));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value as Record<string, unknown>).every((v) => isCloneableData(v, seen));
}

// ---- the worker side ----

interface WorkerBatch extends BatchMessage {
  /** The next job index to try, from the back. */
  next: number;
}

/** Runs one job in a workspace of its own; null when the main thread should do it instead. */
async function runJob(batch: BatchMessage, job: Job): Promise<WorkerResult | null> {
  const extractor = extractorNamed(job.key);
  if (!extractor) return null;
  const ws = new Workspace(batch.root, [job.file], [], undefined, undefined, { keepHashes: batch.wantHash });
  try {
    const value = await extractor.run(ws, job.file);
    if (!isCloneableData(value)) return null;
    const p = job.file.path;
    const hash = batch.wantHash ? ws.knownHash(p) : undefined;
    return {
      value,
      problems: ws.problems,
      ...(ws.comments(p) ? { comments: ws.comments(p) } : {}),
      directiveFree: ws.knownDirectiveFree(p),
      ...(hash ? { hash } : {}),
      langs: loadedLanguages(),
    };
  } catch {
    return null;
  } finally {
    await ws.dispose();
  }
}

/** Whether this thread was started as a parsing worker (bin/worker.cjs asks before running it). */
export function isExtractWorker(): boolean {
  return !isMainThread && (workerData as { audiobg?: string } | null)?.audiobg === 'extract';
}

/** The worker's loop: take the newest batch's jobs from the back, one at a time, until none is free. */
export function runExtractWorker(): void {
  const port = parentPort;
  if (!port || !isExtractWorker()) throw new Error('runExtractWorker: not an audiobg parsing worker');
  const batches: WorkerBatch[] = [];
  let running = false;
  const step = async (): Promise<void> => {
    for (;;) {
      const batch = batches[batches.length - 1];
      if (!batch) {
        running = false;
        return;
      }
      while (batch.next >= 0 && Atomics.compareExchange(batch.claims, batch.next, FREE, WORKER) !== FREE) batch.next--;
      if (batch.next < 0) {
        batches.pop();
        continue;
      }
      const index = batch.next--;
      let result: WorkerResult | null;
      try {
        result = await runJob(batch, batch.jobs[index]!);
      } catch {
        result = null;
      }
      try {
        port.postMessage({ type: 'result', batch: batch.id, index, result } satisfies ResultMessage);
      } catch {
        port.postMessage({ type: 'result', batch: batch.id, index, result: null } satisfies ResultMessage);
      }
      // Let a newer batch in between jobs.
      setImmediate(() => void step());
      return;
    }
  };
  let warming: Promise<unknown> = Promise.resolve();
  port.on('message', (m: BatchMessage | WarmMessage) => {
    if (m?.type === 'warm') {
      // One grammar at a time (getParser queues them); a job that arrives meanwhile waits for it anyway.
      const languages = m.languages;
      warming = warming.then(() => Promise.all(languages.map((l) => getParser(l).catch(() => undefined))));
      return;
    }
    if (m?.type !== 'batch') return;
    batches.push({ ...m, next: m.jobs.length - 1 });
    if (!running) {
      running = true;
      void warming.then(step);
    }
  });
}
