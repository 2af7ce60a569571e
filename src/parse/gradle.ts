// A tokenizer for Gradle build scripts (Groovy DSL and Kotlin DSL) and a few structural helpers.
// It is not a full Groovy/Kotlin parser: it turns the text into tokens (comments dropped and kept
// aside, strings as single tokens), tracks `name { ... }` blocks, and splits the token stream into
// statements. Fact builders then match token sequences such as `targetSdk = 34` on real tokens, so a
// word inside a comment or a string never counts as code.

import type { SourceComment } from './workspace.js';

export type GradleTokenKind = 'ident' | 'number' | 'string' | 'punct' | 'newline';

export interface GradleToken {
  kind: GradleTokenKind;
  /** Source text of the token (for strings: including the quotes). */
  text: string;
  /** Strings: the content without quotes, simple escapes decoded. Numbers: the digits without `_` or suffix. */
  value: string;
  /** Strings: true when the content holds `$name` or `${...}` templates. */
  interpolated?: boolean;
  line: number;
  column: number;
  offset: number;
  end: number;
}

export interface GradleStatement {
  /** Names of the enclosing `name { }` blocks, outermost first; '' for an anonymous block (lambda). */
  path: string[];
  /** Tokens of the statement, without the terminating newline / `;`, and without nested blocks' contents. */
  tokens: GradleToken[];
  /** True for the head of a block (`android`, `implementation(project(":x"))` before its `{`). */
  blockHead?: boolean;
}

export interface GradleScript {
  tokens: GradleToken[];
  comments: SourceComment[];
  statements: GradleStatement[];
  /** Whether the script is Kotlin DSL (`.kts`). */
  kotlin: boolean;
}

const MULTI_PUNCT = ['?.', '?:', '::', '->', '==', '!=', '>=', '<=', '&&', '||', '+=', '-=', '..', '!!'];

/** Tokenize a Gradle script. Never throws: unterminated strings or comments run to the end of the text. */
export function lexGradle(text: string, kotlin = false): { tokens: GradleToken[]; comments: SourceComment[] } {
  const tokens: GradleToken[] = [];
  const comments: SourceComment[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;

  const push = (kind: GradleTokenKind, start: number, startLine: number, startCol: number, value: string, interpolated?: boolean) => {
    const tok: GradleToken = { kind, text: text.slice(start, i), value, line: startLine, column: startCol, offset: start, end: i };
    if (interpolated) tok.interpolated = true;
    tokens.push(tok);
  };
  /** Advance over text[i], keeping line bookkeeping right. */
  const advance = () => {
    const c = text.charCodeAt(i);
    i++;
    if (c === 10) {
      line++;
      lineStart = i;
    } else if (c === 13) {
      if (text.charCodeAt(i) === 10) i++;
      line++;
      lineStart = i;
    }
  };

  while (i < n) {
    const c = text[i]!;
    const startLine = line;
    const startCol = i - lineStart + 1;
    const start = i;
    if (c === '\n' || c === '\r') {
      advance();
      const last = tokens[tokens.length - 1];
      if (last && last.kind !== 'newline') push('newline', start, startLine, startCol, '\n');
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      // Line continuation (rare in Groovy scripts): not a statement break.
      i++;
      advance();
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      comments.push({ line: startLine, endLine: startLine, text: text.slice(start, i) });
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i += 2;
      let depth = 1;
      while (i < n && depth > 0) {
        if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else if (kotlin && text[i] === '/' && text[i + 1] === '*') {
          // Kotlin block comments nest; Groovy ones do not.
          depth++;
          i += 2;
        } else advance();
      }
      comments.push({ line: startLine, endLine: line, text: text.slice(start, i) });
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      i += quote.length;
      let value = '';
      let interpolated = false;
      let templateDepth = 0;
      while (i < n) {
        if (templateDepth === 0 && text.startsWith(quote, i)) break;
        const d = text[i]!;
        if (!triple && (d === '\n' || d === '\r')) break; // unterminated single-line string
        if (d === '\\' && !triple && i + 1 < n) {
          const e = text[i + 1]!;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
          continue;
        }
        if (d === '$' && c === '"') {
          const next = text[i + 1];
          if (next === '{') {
            interpolated = true;
            templateDepth++;
            value += '${';
            i += 2;
            continue;
          }
          if (next !== undefined && /[A-Za-z_]/.test(next)) interpolated = true;
        }
        if (templateDepth > 0 && d === '{') templateDepth++;
        if (templateDepth > 0 && d === '}') templateDepth--;
        value += d;
        advance();
      }
      if (text.startsWith(quote, i)) i += quote.length;
      push('string', start, startLine, startCol, value, interpolated);
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        i += 2;
        while (i < n && /[0-9a-fA-F_]/.test(text[i]!)) i++;
        const hex = text.slice(start + 2, i).replace(/_/g, '');
        while (i < n && /[lLuU]/.test(text[i]!)) i++;
        push('number', start, startLine, startCol, String(parseInt(hex, 16)));
        continue;
      }
      while (i < n && /[0-9_.]/.test(text[i]!)) {
        if (text[i] === '.' && !/[0-9]/.test(text[i + 1] ?? '')) break; // `1.toString()` / `1..2`
        i++;
      }
      const digits = text.slice(start, i).replace(/_/g, '');
      while (i < n && /[lLfFdDgG]/.test(text[i]!)) i++;
      push('number', start, startLine, startCol, digits);
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      while (i < n && /[A-Za-z0-9_$]/.test(text[i]!)) i++;
      push('ident', start, startLine, startCol, text.slice(start, i));
      continue;
    }
    if (c === '`') {
      // Kotlin backtick identifier.
      i++;
      while (i < n && text[i] !== '`' && text[i] !== '\n') i++;
      const name = text.slice(start + 1, i);
      if (text[i] === '`') i++;
      push('ident', start, startLine, startCol, name);
      continue;
    }
    const multi = MULTI_PUNCT.find((p) => text.startsWith(p, i));
    if (multi) {
      i += multi.length;
      push('punct', start, startLine, startCol, multi);
      continue;
    }
    i++;
    push('punct', start, startLine, startCol, c);
  }
  return { tokens, comments };
}

/**
 * Tokenize and split into statements. A statement ends at a newline or `;` at the same bracket depth
 * (newlines inside `(...)` / `[...]` continue the statement, and so does a line ending in an operator
 * or a following line starting with `.`/`?.`). `name {` opens a named block; statements inside carry it
 * in their path.
 */
export function parseGradle(text: string, kotlin = false): GradleScript {
  const { tokens, comments } = lexGradle(text, kotlin);
  const statements: GradleStatement[] = [];
  const path: string[] = [];
  let current: GradleToken[] = [];
  let parenDepth = 0;
  // Bracket depth saved across blocks opened inside parentheses (`foo(bar { ... })`).
  const parenStack: number[] = [];

  const flush = (blockHead = false) => {
    if (current.length) statements.push(blockHead ? { path: [...path], tokens: current, blockHead } : { path: [...path], tokens: current });
    current = [];
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'newline') {
      if (parenDepth > 0) continue;
      const prev = current[current.length - 1];
      const next = nextSignificant(tokens, k + 1);
      const continues =
        (prev && prev.kind === 'punct' && ['=', '.', '?.', '+', '-', '*', '/', ',', '&&', '||', '?:', ':', '->', '::', '==', '!='].includes(prev.value)) ||
        (next && next.kind === 'punct' && ['.', '?.', '?:', '&&', '||', '::'].includes(next.value));
      if (!continues) flush();
      continue;
    }
    if (t.kind === 'punct' && (t.value === '(' || t.value === '[')) parenDepth++;
    if (t.kind === 'punct' && (t.value === ')' || t.value === ']')) parenDepth = Math.max(0, parenDepth - 1);
    if (t.kind === 'punct' && t.value === ';' && parenDepth === 0) {
      flush();
      continue;
    }
    if (t.kind === 'punct' && t.value === '{') {
      // A block (or lambda) opens: the statement so far is the block's head.
      const name = blockName(current);
      const savedParen = parenDepth;
      flush(true);
      path.push(name);
      parenStack.push(savedParen);
      parenDepth = 0;
      continue;
    }
    if (t.kind === 'punct' && t.value === '}') {
      flush();
      path.pop();
      parenDepth = parenStack.pop() ?? 0;
      continue;
    }
    current.push(t);
  }
  flush();
  return { tokens, comments, statements, kotlin };
}

function nextSignificant(tokens: GradleToken[], from: number): GradleToken | undefined {
  for (let k = from; k < tokens.length; k++) if (tokens[k]!.kind !== 'newline') return tokens[k];
  return undefined;
}

/**
 * The name of a block from the tokens before its `{`: `android {` → android, `defaultConfig {` →
 * defaultConfig, `create("release") {` / `getByName('debug') {` → the string argument,
 * `release {` → release. A lambda (`x.forEach {`, `.configure {`) is named by the last identifier too,
 * which is harmless: rules look for the specific names they know.
 */
function blockName(head: GradleToken[]): string {
  if (!head.length) return '';
  const last = head[head.length - 1]!;
  // `defaultConfig.apply {` / `extra.run {`: a Kotlin scope function configures its receiver, so
  // the block is named after the receiver. `with(extra) {` likewise.
  if (last.kind === 'ident' && SCOPE_FUNCTIONS.has(last.value) && isPunct(head[head.length - 2], '.') && isIdent(head[head.length - 3])) {
    return head[head.length - 3]!.value;
  }
  if (isPunct(last, ')') && head.length === 4 && isIdent(head[0], 'with') && isPunct(head[1], '(') && isIdent(head[2])) return head[2]!.value;
  if (last.kind === 'ident') return last.value;
  if (last.kind === 'punct' && last.value === ')') {
    // name("arg") { → prefer the string argument for create/getByName/named/register, else the name.
    let depth = 0;
    for (let k = head.length - 1; k >= 0; k--) {
      const t = head[k]!;
      if (t.kind === 'punct' && t.value === ')') depth++;
      else if (t.kind === 'punct' && t.value === '(') {
        depth--;
        if (depth === 0) {
          const callee = head[k - 1];
          const firstArg = head[k + 1];
          if (callee?.kind === 'ident' && ['create', 'getByName', 'named', 'register', 'maybeCreate'].includes(callee.value) && firstArg?.kind === 'string') {
            return firstArg.value;
          }
          return callee?.kind === 'ident' ? callee.value : '';
        }
      }
    }
    return '';
  }
  return '';
}

const SCOPE_FUNCTIONS = new Set(['apply', 'run', 'also', 'with']);

// ---- helpers for matching ----

export function isPunct(t: GradleToken | undefined, value: string): boolean {
  return !!t && t.kind === 'punct' && t.value === value;
}

export function isIdent(t: GradleToken | undefined, value?: string): boolean {
  return !!t && t.kind === 'ident' && (value === undefined || t.value === value);
}

/**
 * Split a statement into a dotted target and its value, for the forms
 * `a.b.c = value`, `a.b.c value` (Groovy command call), `a.b.c(value)` and `a.b.c += value`.
 * Returns null for other statements.
 */
export function splitAssignment(tokens: GradleToken[]): { target: string[]; targetTokens: GradleToken[]; value: GradleToken[]; form: 'assign' | 'command' | 'call' } | null {
  let k = 0;
  // Skip declaration keywords: `val x = `, `def x = `, `var x = `, `const val`.
  while (isIdent(tokens[k]) && ['val', 'var', 'def', 'const', 'private', 'internal', 'final', 'static', 'public'].includes(tokens[k]!.value)) k++;
  if (!isIdent(tokens[k])) return null;
  const target: string[] = [tokens[k]!.value];
  const targetTokens: GradleToken[] = [tokens[k]!];
  k++;
  while (isPunct(tokens[k], '.') && isIdent(tokens[k + 1])) {
    target.push(tokens[k + 1]!.value);
    targetTokens.push(tokens[k + 1]!);
    k += 2;
  }
  // Kotlin: `val x: Int = 3`
  if (isPunct(tokens[k], ':') && isIdent(tokens[k + 1])) k += 2;
  const t = tokens[k];
  if (!t) return null;
  if (isPunct(t, '=') || isPunct(t, '+=')) return { target, targetTokens, value: tokens.slice(k + 1), form: 'assign' };
  if (isPunct(t, '(')) {
    const close = matchingClose(tokens, k);
    if (close === tokens.length - 1) return { target, targetTokens, value: tokens.slice(k + 1, close), form: 'call' };
    return null;
  }
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'ident' || isPunct(t, '[') || isPunct(t, '-')) {
    return { target, targetTokens, value: tokens.slice(k), form: 'command' };
  }
  return null;
}

/** Index of the bracket closing the one at `open` (`(`, `[`), or -1. */
export function matchingClose(tokens: GradleToken[], open: number): number {
  const o = tokens[open]?.value;
  const c = o === '(' ? ')' : o === '[' ? ']' : o === '{' ? '}' : null;
  if (!c) return -1;
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'punct') continue;
    if (t.value === o) depth++;
    else if (t.value === c) {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

/** Substitute `$name` / `${name}` / `${a.b}` templates in a string with a resolver; null if one cannot be resolved. */
export function expandTemplate(value: string, resolve: (expr: string) => string | null): string | null {
  let out = '';
  let failed = false;
  let k = 0;
  while (k < value.length) {
    const ch = value[k]!;
    if (ch === '$' && value[k + 1] === '{') {
      const close = value.indexOf('}', k + 2);
      if (close < 0) return null;
      const expr = value.slice(k + 2, close).trim();
      const r = resolve(expr);
      if (r === null) failed = true;
      else out += r;
      k = close + 1;
      continue;
    }
    if (ch === '$' && /[A-Za-z_]/.test(value[k + 1] ?? '')) {
      let e = k + 1;
      while (e < value.length && /[A-Za-z0-9_]/.test(value[e]!)) e++;
      const r = resolve(value.slice(k + 1, e));
      if (r === null) failed = true;
      else out += r;
      k = e;
      continue;
    }
    out += ch;
    k++;
  }
  return failed ? null : out;
}
