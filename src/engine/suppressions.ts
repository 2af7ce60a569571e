// Inline suppressions: `audiobg-ignore-next-line <rule-id>[, <rule-id>...] -- reason`
// inside a real comment of the host language (found by that language's parser or lexer, never by
// scanning raw text, so a directive inside a string literal is not a suppression), applying to
// the first line after the comment.
//
// The directive must open the comment (or a line of a block comment): a comment that merely
// mentions it in prose is not a directive. The reason may follow `--` or `:`; XML forbids `--`
// inside a comment, so in plists and manifests it is `<!-- audiobg-ignore-next-line id: reason -->`.

import { DIRECTIVE, type SourceComment } from '../parse/workspace.js';

export interface Suppression {
  file: string;
  /** Line of the directive itself (where an unused suppression is reported). */
  line: number;
  column: number;
  /** The line it applies to. */
  targetLine: number;
  /** Empty means every rule. */
  ruleIds: string[];
  reason: string | null;
  used: Set<string>;
}

export { DIRECTIVE };

/** Comment openers (`//`, `/*`, `<!--`, `#`, and `!` of .properties) and decorations that may precede the directive. */
const LEADER = /^[ \t]*(?:\/\/+!?|\/\*+!?|<!--|#+|!+|\*+(?!\/))?[ \t]*/;

export function parseSuppressions(file: string, comments: SourceComment[]): Suppression[] {
  const out: Suppression[] = [];
  for (const c of comments) {
    if (!c.text.includes(DIRECTIVE)) continue;
    const commentLines = c.text.split(/\r\n|\r|\n/);
    for (let i = 0; i < commentLines.length; i++) {
      const raw = commentLines[i]!;
      const lead = LEADER.exec(raw)![0];
      const body = raw.slice(lead.length);
      if (!body.startsWith(DIRECTIVE)) continue;
      const after = body.slice(DIRECTIVE.length);
      if (after !== '' && !/^[\s:]/.test(after)) continue; // e.g. "audiobg-ignore-next-lines"
      const { ruleIds, reason } = parseDirectiveArguments(after);
      const column = i === 0 ? (c.column ?? 1) : lead.length + 1;
      out.push({ file, line: c.line + i, column, targetLine: c.endLine + 1, ruleIds, reason, used: new Set() });
      break; // one directive per comment
    }
  }
  return out;
}

function parseDirectiveArguments(after: string): { ruleIds: string[]; reason: string | null } {
  // Drop the comment closer that may trail the directive on its line.
  let rest = after.replace(/\s*(?:\*\/|-->)\s*$/, '');
  let reason: string | null = null;
  const m = /--|:/.exec(rest);
  if (m) {
    reason = rest.slice(m.index + m[0].length).trim() || null;
    rest = rest.slice(0, m.index);
  }
  const ruleIds = rest
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { ruleIds, reason };
}

// ---- comment lexers for file kinds without a tree-sitter grammar in audiobg ----
// They only tokenise far enough to know what is a comment and what is a string; they never
// look for rule matches.

export type CommentSyntax = 'c-like' | 'toml' | 'properties';

export function lexComments(text: string, syntax: CommentSyntax): SourceComment[] {
  switch (syntax) {
    case 'c-like':
      return cLikeComments(text);
    case 'toml':
      return tomlComments(text);
    case 'properties':
      return propertiesComments(text);
  }
}

interface Cursor {
  line: number;
  column: number;
}

function advance(cur: Cursor, text: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      cur.line++;
      cur.column = 1;
    } else if (ch !== 13) cur.column++;
  }
}

/**
 * `//` and `/* *\/` comments of Groovy (build.gradle) and JavaScript/TypeScript config files.
 * Strings: '...', "...", `...`, and Groovy's '''...''' and """...""". Regular-expression
 * literals are not recognised (a `//` inside one would be taken for a comment); they do not occur
 * in the files this is used for in practice.
 */
function cLikeComments(text: string): SourceComment[] {
  const out: SourceComment[] = [];
  const cur: Cursor = { line: 1, column: 1 };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    let end: number;
    if (ch === '/' && text[i + 1] === '/') {
      end = lineEnd(text, i);
      out.push({ line: cur.line, endLine: cur.line, column: cur.column, text: text.slice(i, end) });
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      end = close < 0 ? n : close + 2;
      const startLine = cur.line;
      const startColumn = cur.column;
      advance(cur, text, i, end);
      out.push({ line: startLine, endLine: cur.line, column: startColumn, text: text.slice(i, end) });
      i = end;
      continue;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      const triple = ch !== '`' && text.startsWith(ch.repeat(3), i);
      end = triple ? closeTriple(text, i + 3, ch) : closeString(text, i + 1, ch, ch === '`');
    } else {
      end = i + 1;
    }
    advance(cur, text, i, end);
    i = end;
  }
  return out;
}

/** Comments of TOML (Gradle version catalogs): `#` outside strings, to the end of the line. */
function tomlComments(text: string): SourceComment[] {
  const out: SourceComment[] = [];
  const cur: Cursor = { line: 1, column: 1 };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    let end: number;
    if (ch === '#') {
      end = lineEnd(text, i);
      out.push({ line: cur.line, endLine: cur.line, column: cur.column, text: text.slice(i, end) });
    } else if (ch === '"' || ch === "'") {
      const triple = text.startsWith(ch.repeat(3), i);
      // Literal strings ('...') have no escapes; basic strings ("...") do. Single-line ones end at a newline.
      end = triple ? closeTriple(text, i + 3, ch) : closeString(text, i + 1, ch, false, ch === '"');
    } else {
      end = i + 1;
    }
    advance(cur, text, i, end);
    i = end;
  }
  return out;
}

/** Comments of .properties files: whole lines starting with `#` or `!`, not continuation lines. */
function propertiesComments(text: string): SourceComment[] {
  const out: SourceComment[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let continued = false;
  lines.forEach((l, idx) => {
    const trimmed = l.replace(/^[ \t\f]+/, '');
    if (!continued && (trimmed.startsWith('#') || trimmed.startsWith('!'))) {
      out.push({ line: idx + 1, endLine: idx + 1, column: l.length - trimmed.length + 1, text: trimmed });
      return;
    }
    // A value line ending in an odd number of backslashes continues on the next line.
    const m = /\\+$/.exec(l);
    continued = Boolean(m && m[0].length % 2 === 1);
  });
  return out;
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Index just after the closing quote (or the end of the line/text when unterminated). */
function closeString(text: string, from: number, quote: string, multiline: boolean, escapes = true): number {
  let i = from;
  while (i < text.length) {
    const ch = text[i]!;
    if (escapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) return i + 1;
    if (!multiline && (ch === '\n' || ch === '\r')) return i;
    i++;
  }
  return text.length;
}

function closeTriple(text: string, from: number, quote: string): number {
  const close = quote.repeat(3);
  let i = from;
  while (i < text.length) {
    if (quote === '"' && text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith(close, i)) {
      // A run of more than three quotes closes at its end ("""a""""  ends after the last one).
      let j = i + 3;
      while (text[j] === quote && j < i + 5) j++;
      return j;
    }
    i++;
  }
  return text.length;
}
