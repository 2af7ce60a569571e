// Stage 2: reading and parsing, lazily and at most once per file.
// Every parser goes through a Workspace, which caches the result and turns failures
// (unreadable, binary, too large, malformed) into FileProblems instead of exceptions.

import fs from 'node:fs';
import path from 'node:path';
import type { ProjectFile } from '../discover/find-files.js';
import type { Severity } from '../findings/finding.js';
import { decodeText, isMpegTransportStream, LineIndex } from './text.js';
import { contentHash, isPlainData, type FactCache } from './fact-cache.js';
import { parseXml, XmlParseError, type XmlDocument } from './xml.js';
import { getParser, firstSyntaxError, walk, type SyntaxNode, type Tree, type TreeLanguage } from './tree-sitter.js';
import type { Extractor } from './extractors.js';
import type { ExtractPool, WorkerResult } from './parallel.js';

export interface FileProblem {
  file: string;
  line?: number;
  column?: number;
  kind: 'parse-error' | 'unreadable' | 'binary' | 'too-large' | 'symlink-loop';
  severity: Severity;
  message: string;
}

export interface TextFile {
  text: string;
  lines: LineIndex;
}

/** A comment found by a real parser, for inline suppressions. */
export interface SourceComment {
  /** 1-based line where the comment starts and ends. */
  line: number;
  endLine: number;
  /** 1-based column where the comment starts, when the parser knows it. */
  column?: number;
  text: string;
}

export interface ParsedTree {
  tree: Tree;
  root: SyntaxNode;
  lang: TreeLanguage;
}

/** Files larger than this are not parsed (a generated 50 MB file would only cost time). */
export const MAX_PARSE_BYTES = 4 * 1024 * 1024;

/** Time one source file may take to parse before it is skipped with a warning (tests lower it). */
export const PARSE_BUDGET = { ms: 10_000 };

/** The message for a file over MAX_PARSE_BYTES (shared with discovery, which rejects them first). */
export function tooLargeMessage(size: number): string {
  return `not checked: ${(size / 1024 / 1024).toFixed(1)} MB is more than the ${MAX_PARSE_BYTES / 1024 / 1024} MB audiobg parses; if it holds audio code, split it, or exclude it with an "ignore" glob`;
}

const TREE_COMMENT_TYPES = new Set(['comment', 'multiline_comment', 'line_comment', 'block_comment']);

/**
 * The inline-suppression directive (its grammar lives in src/engine/suppressions.ts). Comments are
 * kept only for suppressions, so a source file whose text lacks this word has none worth walking
 * its syntax tree for.
 */
export const DIRECTIVE = 'audiobg-ignore-next-line';

const MATCHERS = new WeakMap<readonly string[], RegExp>();

/**
 * One regular expression for a prefilter's words, made once per list: a single scan of the text
 * instead of one per word (40 % faster over the 2,500 Swift files of the bench tree). A word that
 * contains another word of the list adds nothing and is left out.
 */
function wordMatcher(words: readonly string[]): RegExp {
  let re = MATCHERS.get(words);
  if (!re) {
    const needed = words.filter((w, i) => !words.some((o, j) => j !== i && w.includes(o) && (o !== w || j < i)));
    // An empty word is in every text (as with String.includes); no word at all matches nothing.
    re = needed.length ? new RegExp(needed.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')) : /(?!)/;
    MATCHERS.set(words, re);
  }
  return re;
}

/** Source kinds whose text is let go when the keyword prefilter turns the file away. */
const RELEASED_AFTER_PREFILTER = new Set<ProjectFile['kind']>(['swift', 'objc', 'kotlin', 'java', 'dart', 'script']);

export class Workspace {
  readonly problems: FileProblem[] = [];
  private readonly texts = new Map<string, TextFile | null>();
  private readonly memo = new Map<string, unknown>();
  private readonly trees = new Map<string, Promise<ParsedTree | null>>();
  /** How many `withTree` readers hold each tree; it is freed when the last one is done. */
  private readonly readers = new Map<string, number>();
  private readonly commentsByFile = new Map<string, SourceComment[]>();
  private readonly byPath = new Map<string, ProjectFile>();
  private readonly byKinds = new Map<string, ProjectFile[]>();
  private readonly problemKeys = new Set<string>();
  /** Content hashes of the files read, kept only with a fact cache. */
  private readonly hashes = new Map<string, string>();
  /** Files read once and known to hold no suppression directive. */
  private readonly directiveFree = new Set<string>();

  constructor(
    readonly root: string,
    readonly files: ProjectFile[],
    problems: FileProblem[] = [],
    /** Contents that replace files on disk (`doctor --fix-dry-run` checks its changes without writing them). */
    private readonly overlay?: ReadonlyMap<string, Uint8Array>,
    /** Facts kept between runs (`doctor --cache`); see `persisted`. */
    readonly factCache?: FactCache,
    private readonly options: {
      /** Parsing workers that may take facts extraction off this thread (src/parse/parallel.ts). */
      pool?: ExtractPool;
      /** Keep content hashes of the files read even without a fact cache (a worker for a cached run). */
      keepHashes?: boolean;
    } = {},
  ) {
    for (const p of problems) this.report(p);
    for (const f of files) this.byPath.set(f.path, f);
  }

  file(absPath: string): ProjectFile | undefined {
    return this.byPath.get(absPath);
  }

  filesOfKind(...kinds: ProjectFile['kind'][]): ProjectFile[] {
    // Asked for again and again by the builders (once per app on a monorepo): filtered once.
    const key = kinds.join(',');
    let found = this.byKinds.get(key);
    if (!found) {
      found = this.files.filter((f) => kinds.includes(f.kind));
      this.byKinds.set(key, found);
    }
    return found.slice();
  }

  report(problem: FileProblem): void {
    // The same problem can be met twice (a file read again after its raw bytes were dropped, or
    // one replayed from the fact cache and met again by another reader); it is reported once.
    const key = `${problem.file}|${problem.kind}|${problem.line ?? ''}|${problem.column ?? ''}|${problem.message}`;
    if (this.problemKeys.has(key)) return;
    this.problemKeys.add(key);
    this.problems.push(problem);
  }

  /** Raw bytes of a project file, or null (with a problem recorded) when it cannot be read. */
  bytes(file: ProjectFile | string): Uint8Array | null {
    const p = typeof file === 'string' ? file : file.path;
    const key = `bytes:${p}`;
    if (this.memo.has(key)) return this.memo.get(key) as Uint8Array | null;
    const over = this.overlay?.get(p);
    if (over) {
      this.memo.set(key, over);
      return over;
    }
    let result: Uint8Array | null = null;
    let fd: number | null = null;
    try {
      // One descriptor for the size check and the read: the size is known before a single byte is
      // read, and a file swapped between the two cannot slip past the limit.
      fd = fs.openSync(p, 'r');
      const st = fs.fstatSync(fd);
      if (!st.isFile()) {
        this.report({ file: p, kind: 'unreadable', severity: 'error', message: 'cannot read file: it is not a regular file' });
      } else if (st.size > MAX_PARSE_BYTES) {
        this.report({
          file: p,
          kind: 'too-large',
          severity: 'warning',
          message: tooLargeMessage(st.size),
        });
      } else {
        result = fs.readFileSync(fd);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.report({
        file: p,
        kind: 'unreadable',
        severity: 'error',
        message: `cannot read file: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`,
      });
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
    this.memo.set(key, result);
    return result;
  }

  /** Decoded text (UTF-8, UTF-16 with BOM), or null with a problem recorded. */
  text(file: ProjectFile | string): TextFile | null {
    const p = typeof file === 'string' ? file : file.path;
    if (this.texts.has(p)) return this.texts.get(p)!;
    let result: TextFile | null = null;
    const bytes = this.bytes(p);
    if (bytes && (this.factCache || this.options.keepHashes)) this.hashes.set(p, contentHash(bytes));
    if (bytes) {
      const decoded = decodeText(bytes);
      const kind = this.byPath.get(p)?.kind;
      if (decoded.ok) {
        result = { text: decoded.text, lines: new LineIndex(decoded.text) };
        if (!decoded.text.includes(DIRECTIVE)) this.directiveFree.add(p);
        // The text is kept; its raw bytes need not be (they would double the memory a monorepo costs).
        this.dropBytes(p);
      }
      // A binary plist has no text, but it is not unreadable: the plist reader parses its bytes.
      else if (decoded.reason === 'binary-plist' && (kind === 'plist' || kind === 'entitlements')) result = null;
      // A `.ts` video segment (HLS media in docs or assets) is not TypeScript and not a problem.
      else if (decoded.reason === 'binary' && p.endsWith('.ts') && isMpegTransportStream(bytes)) result = null;
      else this.report({ file: p, kind: 'binary', severity: 'warning', message: `not checked: ${decoded.message}` });
    }
    this.texts.set(p, result);
    return result;
  }

  /**
   * Cheap pre-parse test: does the file's text contain any of these words?
   * Used to skip files that cannot matter before paying for a syntax tree.
   */
  mentions(file: ProjectFile | string, words: readonly string[]): boolean {
    const t = this.text(file);
    if (!t) return false;
    const found = words.length === 1 ? t.text.includes(words[0]!) : wordMatcher(words).test(t.text);
    if (!found) {
      // A source file the prefilter turns away is rarely asked about again: its text is let go
      // (on a monorepo most sources are), and read again in the rare case it is.
      const p = typeof file === 'string' ? file : file.path;
      const kind = this.byPath.get(p)?.kind;
      if (kind && RELEASED_AFTER_PREFILTER.has(kind)) this.texts.delete(p);
    }
    return found;
  }

  /** Whether the file may hold a suppression directive; answered without reading it again when known. */
  mayHoldDirective(file: ProjectFile | string): boolean {
    const p = typeof file === 'string' ? file : file.path;
    if (this.directiveFree.has(p)) return false;
    return this.mentions(file, [DIRECTIVE]);
  }

  /** Memoise any per-file computation (other parsers, fact extraction) under a key. */
  cached<T>(file: ProjectFile | string, key: string, compute: () => T): T {
    const p = typeof file === 'string' ? file : file.path;
    const k = `${key}:${p}`;
    if (this.memo.has(k)) return this.memo.get(k) as T;
    const v = compute();
    this.memo.set(k, v);
    return v;
  }

  /**
   * Like `cached`, for facts that depend on the file's contents alone and are plain data: with a
   * fact cache (`doctor --cache`) they are also kept between runs, and an unchanged file is then
   * neither read nor parsed. What reading it reported (problems) is reported again, and its
   * suppression comments are restored, so the run's result does not depend on the cache.
   */
  persisted<T>(file: ProjectFile, key: string, compute: () => Promise<T>): Promise<T> {
    const p = file.path;
    const k = `${key}:${p}`;
    if (this.memo.has(k)) return this.memo.get(k) as Promise<T>;
    const cache = this.factCache;
    const onDisk = file.mtimeMs !== undefined ? { size: file.size, mtimeMs: file.mtimeMs } : null;
    if (cache && onDisk && this.overlay?.has(p)) cache.carry(p, onDisk);
    const stamp = this.overlay?.has(p) ? null : onDisk;
    const entry = cache && stamp ? cache.entry(p, stamp, () => this.hashOf(p)) : null;
    let result: Promise<T>;
    let stored: { value: T } | null = null;
    if (entry && key in entry.values) {
      try {
        stored = { value: cache!.value(entry, key) as T };
      } catch {
        stored = null; // a damaged entry: computed afresh below
      }
    }
    if (stored) {
      for (const problem of entry!.problems) this.report({ file: p, ...problem });
      if (entry!.comments && this.commentsByFile.get(p) === undefined) this.setComments(p, entry!.comments);
      result = Promise.resolve(stored.value);
    } else {
      const here = (): Promise<T> => {
        const before = this.problems.length;
        return compute().then((value) => {
          if (cache && stamp && isPlainData(value)) {
            cache.record(p, stamp, this.hashes.get(p) ?? null, key, value, this.problems.slice(before).filter((q) => q.file === p));
          }
          return value;
        });
      };
      // A parsing worker may hold this file already (see prefetch); what it could not do is done here.
      const fromWorker = this.options.pool?.claim(key, p);
      result = fromWorker ? fromWorker.then((r) => (r ? this.adopt<T>(p, key, stamp, r) : here())) : here();
    }
    this.memo.set(k, result);
    return result;
  }

  /** The facts of a file by a registered extractor (see `persisted`): from the cache, a worker, or computed here. */
  extract<T>(file: ProjectFile, extractor: Extractor<T>): Promise<T> {
    return this.persisted(file, extractor.key, () => extractor.run(this, file));
  }

  /**
   * Say which files `extractor` is about to be asked for, in the order they will be: with parsing
   * workers, these are shared out among them and this thread (src/parse/parallel.ts). Files whose
   * facts the cache will most likely give are left to it.
   */
  prefetch(files: readonly ProjectFile[], extractor: Extractor<unknown>): void {
    const pool = this.options.pool;
    if (!pool || files.length === 0) return;
    const cache = this.factCache;
    const wanted = files.filter((f) => {
      // A file replaced in memory (--fix) must be read here: a worker would read the disk.
      if (this.memo.has(`${extractor.key}:${f.path}`) || this.overlay?.has(f.path)) return false;
      if (!cache || f.mtimeMs === undefined) return true;
      // Same size: the cache will give the facts by time or, after a fresh checkout, by content hash.
      return !cache.mayHold(f.path, { size: f.size, mtimeMs: f.mtimeMs }, extractor.key);
    });
    pool.submit(this.root, extractor.key, wanted);
  }

  /** Take over what a worker found in a file, as if it had been computed here. */
  private adopt<T>(p: string, key: string, stamp: { size: number; mtimeMs: number } | null, r: WorkerResult): T {
    for (const problem of r.problems) this.report({ ...problem, file: p });
    if (r.comments && this.commentsByFile.get(p) === undefined) this.setComments(p, r.comments);
    if (r.directiveFree) this.directiveFree.add(p);
    if (r.hash) this.hashes.set(p, r.hash);
    const cache = this.factCache;
    if (cache && stamp && isPlainData(r.value)) {
      cache.record(p, stamp, r.hash ?? null, key, r.value, r.problems.map((q) => ({ ...q, file: p })));
    }
    return r.value as T;
  }

  /** The content hash of a file read in this workspace, when hashes are kept. */
  knownHash(p: string): string | undefined {
    return this.hashes.get(p);
  }

  /** Whether the file was read and holds no suppression directive. */
  knownDirectiveFree(p: string): boolean {
    return this.directiveFree.has(p);
  }

  /** Forget a file's raw bytes once used; only property lists are asked for them again (binary plists). */
  private dropBytes(p: string): void {
    const kind = this.byPath.get(p)?.kind;
    if (kind !== 'plist' && kind !== 'entitlements') this.memo.delete(`bytes:${p}`);
  }

  /**
   * The content hash of a file whose time changed but whose size did not (a fresh CI checkout
   * gives every file a new time): reading it is still far cheaper than parsing it.
   */
  private hashOf(p: string): string | null {
    const known = this.hashes.get(p);
    if (known !== undefined) return known;
    const bytes = this.bytes(p);
    if (!bytes) return null;
    this.dropBytes(p);
    const h = contentHash(bytes);
    this.hashes.set(p, h);
    return h;
  }

  /** Hand the fact cache the suppression comments of its files, once the run has collected them. */
  keepCommentsInCache(): void {
    if (!this.factCache) return;
    for (const [p, comments] of this.commentsByFile) {
      // Configuration files are parsed on every run anyway; sources are what the cache spares.
      const kind = this.byPath.get(p)?.kind;
      if (!kind || !RELEASED_AFTER_PREFILTER.has(kind)) continue;
      const stamp = this.stampOf(p);
      if (stamp) this.factCache.keepComments(p, stamp, this.hashes.get(p) ?? null, comments);
    }
  }

  /**
   * Suppression comments of an unchanged file, from the fact cache (set, and true), so the
   * directive scan need not read it. False when there is no cache or it does not know the file.
   */
  commentsFromCache(file: ProjectFile): boolean {
    const stamp = this.factCache ? this.stampOf(file.path) : null;
    if (!stamp) return false;
    const entry = this.factCache!.entry(file.path, stamp, () => this.hashOf(file.path));
    if (!entry?.comments) return false;
    this.setComments(file.path, entry.comments);
    return true;
  }

  /** Size and time of a project file as discovery saw them, unless its contents are replaced in memory. */
  private stampOf(p: string): { size: number; mtimeMs: number } | null {
    const f = this.byPath.get(p);
    if (!f || f.mtimeMs === undefined || this.overlay?.has(p)) return null;
    return { size: f.size, mtimeMs: f.mtimeMs };
  }

  /** Parsed XML with positions, or null with a parse-error problem recorded. */
  xml(file: ProjectFile | string): XmlDocument | null {
    return this.cached(file, 'xml', () => {
      const p = typeof file === 'string' ? file : file.path;
      const t = this.text(p);
      if (!t) return null;
      const kind = this.byPath.get(p)?.kind;
      if ((kind === 'plist' || kind === 'entitlements') && !/^\s*</.test(t.text)) {
        // Old-style (OpenStep) property lists are valid for Xcode but are not XML.
        this.report({
          file: p,
          kind: 'parse-error',
          severity: 'warning',
          message: 'not an XML property list (an old-style OpenStep plist?), so it was not checked; convert it with `plutil -convert xml1 <file>`',
        });
        return null;
      }
      try {
        const doc = parseXml(t.text);
        this.setComments(
          p,
          doc.comments.map((c) => ({
            line: c.start.line,
            column: c.start.column,
            endLine: doc.lines.position(c.end - 1).line,
            text: c.text,
          })),
        );
        return doc;
      } catch (e) {
        if (e instanceof XmlParseError) {
          this.report({ file: p, line: e.line, column: e.column, kind: 'parse-error', severity: 'error', message: `malformed XML: ${e.message}` });
        } else {
          this.report({ file: p, kind: 'parse-error', severity: 'error', message: `malformed XML: ${(e as Error).message}` });
        }
        return null;
      }
    });
  }

  /**
   * A tree-sitter syntax tree. Source files with syntax errors still get a tree (tree-sitter recovers),
   * so rules keep working on the rest of the file; the error itself is not reported, because
   * grammars lag behind the languages and a false "parse error" would be noise.
   */
  tree(file: ProjectFile | string, lang: TreeLanguage): Promise<ParsedTree | null> {
    const p = typeof file === 'string' ? file : file.path;
    let pending = this.trees.get(p);
    if (!pending) {
      pending = (async () => {
        const t = this.text(p);
        if (!t) return null;
        const parser = await getParser(lang);
        let tree: Tree;
        const started = Date.now();
        try {
          // Some grammars slow down badly on huge generated sources (tree-sitter-swift spends minutes
          // on a 1 MB file of generated mocks), so each parse gets a time budget.
          parser.setTimeoutMicros(PARSE_BUDGET.ms * 1000);
          // tree-sitter counts rows at "\n" only; a lone "\r" (old Mac line ends) becomes "\n", which
          // keeps every offset and makes its rows agree with LineIndex.
          tree = parser.parse(t.text.includes('\r') ? t.text.replace(/\r(?!\n)/g, '\n') : t.text);
        } catch (e) {
          // A parse stopped half-way would otherwise be resumed by the next call on this parser.
          parser.reset();
          if (Date.now() - started >= PARSE_BUDGET.ms) {
            this.report({ file: p, kind: 'parse-error', severity: 'warning', message: `not checked: parsing took longer than ${PARSE_BUDGET.ms / 1000} s, so the file was skipped (usually a very large generated source)` });
          } else {
            this.report({ file: p, kind: 'parse-error', severity: 'error', message: `could not parse: ${(e as Error).message}` });
          }
          return null;
        }
        const comments: SourceComment[] = [];
        if (t.text.includes(DIRECTIVE)) walk(tree.rootNode, (n) => {
          if (TREE_COMMENT_TYPES.has(n.type)) {
            comments.push({ line: n.startPosition.row + 1, endLine: n.endPosition.row + 1, column: n.startPosition.column + 1, text: n.text });
            return false;
          }
          return true;
        });
        this.setComments(p, comments);
        return { tree, root: tree.rootNode, lang };
      })();
      this.trees.set(p, pending);
    }
    return pending;
  }

  /**
   * Parse `file`, hand its root to `read`, and free the tree as soon as no reader holds it: facts
   * are kept, syntax trees are not, so memory on a monorepo follows the facts, not the sources.
   * Null when the file cannot be read or parsed (the problem is recorded). A later call parses again,
   * so callers memoise what `read` returns (see `cached`).
   */
  async withTree<T>(file: ProjectFile | string, lang: TreeLanguage, read: (root: SyntaxNode) => T): Promise<T | null> {
    const p = typeof file === 'string' ? file : file.path;
    this.readers.set(p, (this.readers.get(p) ?? 0) + 1);
    try {
      const parsed = await this.tree(p, lang);
      return parsed ? read(parsed.root) : null;
    } finally {
      const left = this.readers.get(p)! - 1;
      if (left > 0) this.readers.set(p, left);
      else {
        this.readers.delete(p);
        const pending = this.trees.get(p);
        this.trees.delete(p);
        pending?.then((t) => t?.tree.delete(), () => undefined);
      }
    }
  }

  /** First syntax error of a parsed tree, as a problem-like position (for callers that want it). */
  static syntaxErrorOf(parsed: ParsedTree): { line: number; column: number } | null {
    const n = firstSyntaxError(parsed.root);
    return n ? { line: n.startPosition.row + 1, column: n.startPosition.column + 1 } : null;
  }

  setComments(file: string, comments: SourceComment[]): void {
    this.commentsByFile.set(file, comments);
  }

  comments(file: string): SourceComment[] | undefined {
    return this.commentsByFile.get(file);
  }

  /** Read a file outside the discovered set (e.g. node_modules/<pkg>/package.json). Null if absent. */
  readOutside(absPath: string): string | null {
    return this.cached(absPath, 'outside', () => {
      try {
        const st = fs.statSync(absPath);
        if (!st.isFile() || st.size > MAX_PARSE_BYTES) return null;
        const d = decodeText(fs.readFileSync(absPath));
        return d.ok ? d.text : null;
      } catch {
        return null;
      }
    });
  }

  relative(absPath: string): string {
    return path.relative(this.root, absPath).split(path.sep).join('/') || path.basename(absPath);
  }

  /** Free the syntax trees (they live in WebAssembly memory). */
  async dispose(): Promise<void> {
    for (const pending of this.trees.values()) {
      const t = await pending;
      t?.tree.delete();
    }
    this.trees.clear();
  }
}
