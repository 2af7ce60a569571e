// project.pbxproj: the "old-style" (OpenStep / NeXTSTEP) ASCII property list Xcode writes.
// Hand-written single-pass parser: dictionaries `{ key = value; }`, arrays `( a, b, )`,
// quoted strings with backslash escapes, unquoted strings, `<hex>` data, and both comment styles.
// Every value keeps its line, column and offsets, so findings can point at a build setting.

import type { ProjectFile } from '../discover/find-files.js';
import type { SourceComment, Workspace } from './workspace.js';
import { LineIndex } from './text.js';
import { PlistError } from './plist.js';

export interface PbxLoc {
  line: number;
  column: number;
  /** Offsets in the decoded text: where the value (or key) starts and ends. */
  start: number;
  end: number;
}

export type PbxValue = PbxString | PbxDict | PbxArray | PbxData;

export interface PbxString {
  type: 'string';
  value: string;
  quoted: boolean;
  loc: PbxLoc;
}

export interface PbxData {
  type: 'data';
  /** Hex digits, whitespace removed. */
  value: string;
  loc: PbxLoc;
}

export interface PbxArray {
  type: 'array';
  items: PbxValue[];
  loc: PbxLoc;
}

export interface PbxEntry {
  key: string;
  keyLoc: PbxLoc;
  value: PbxValue;
}

export interface PbxDict {
  type: 'dict';
  entries: PbxEntry[];
  loc: PbxLoc;
}

export interface PbxComment {
  text: string;
  start: number;
  end: number;
  line: number;
  endLine: number;
}

export interface PbxDocument {
  root: PbxValue;
  comments: PbxComment[];
  lines: LineIndex;
}

/** A syntax error, with the line and column where it was found. */
export class PbxprojError extends PlistError {}

/** Nesting deeper than this is not a real project file; refuse instead of overflowing the stack. */
const MAX_DEPTH = 200;

function isUnquotedChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 || // _
    c === 36 || // $
    c === 47 || // /
    c === 58 || // :
    c === 46 || // .
    c === 45 // -
  );
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '"': '"',
  "'": "'",
  '\\': '\\',
  '\n': '\n',
};

export function parsePbxproj(text: string): PbxDocument {
  const lines = new LineIndex(text);
  const comments: PbxComment[] = [];
  let i = 0;
  const n = text.length;

  const fail = (message: string, at = i): never => {
    const p = lines.position(Math.min(at, n));
    throw new PbxprojError(message, p.line, p.column);
  };
  const locOf = (start: number, end: number): PbxLoc => ({ ...lines.position(start), start, end });

  /** Skip whitespace and comments, recording the comments. */
  const skip = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xfeff) {
        i++;
      } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
        // /* block */
        const close = text.indexOf('*/', i + 2);
        if (close < 0) fail('unterminated /* comment');
        pushComment(i, close + 2, text.slice(i, close + 2));
        i = close + 2;
      } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
        // // line comment
        let e = i + 2;
        while (e < n && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
        pushComment(i, e, text.slice(i, e));
        i = e;
      } else {
        break;
      }
    }
  };
  const pushComment = (start: number, end: number, body: string): void => {
    comments.push({
      text: body,
      start,
      end,
      line: lines.position(start).line,
      endLine: lines.position(Math.max(start, end - 1)).line,
    });
  };

  const parseQuoted = (): PbxString => {
    const quote = text[i]!;
    const start = i;
    i++;
    let out = '';
    let chunk = i;
    while (true) {
      if (i >= n) fail('unterminated quoted string', start);
      const ch = text[i]!;
      if (ch === quote) {
        out += text.slice(chunk, i);
        i++;
        break;
      }
      if (ch === '\\') {
        out += text.slice(chunk, i);
        i++;
        if (i >= n) fail('unterminated quoted string', start);
        const e = text[i]!;
        if (e in SIMPLE_ESCAPES) {
          out += SIMPLE_ESCAPES[e];
          i++;
        } else if (e === 'U' || e === 'u') {
          // \Uxxxx: up to four hex digits, a UTF-16 code unit.
          let j = i + 1;
          while (j < n && j < i + 5 && /[0-9a-fA-F]/.test(text[j]!)) j++;
          if (j === i + 1) fail('\\U must be followed by hex digits', i - 1);
          out += String.fromCharCode(parseInt(text.slice(i + 1, j), 16));
          i = j;
        } else if (e >= '0' && e <= '7') {
          // \ooo: up to three octal digits.
          let j = i;
          while (j < n && j < i + 3 && text[j]! >= '0' && text[j]! <= '7') j++;
          out += String.fromCharCode(parseInt(text.slice(i, j), 8) & 0xff);
          i = j;
        } else {
          // An unknown escape stands for the character itself (as CoreFoundation reads it).
          out += e;
          i++;
        }
        chunk = i;
        continue;
      }
      i++;
    }
    return { type: 'string', value: out, quoted: true, loc: locOf(start, i) };
  };

  const parseUnquoted = (): PbxString => {
    const start = i;
    while (i < n && isUnquotedChar(text.charCodeAt(i))) i++;
    if (i === start) fail(`unexpected character ${JSON.stringify(text[i] ?? '')}`);
    return { type: 'string', value: text.slice(start, i), quoted: false, loc: locOf(start, i) };
  };

  const parseString = (): PbxString => (text[i] === '"' || text[i] === "'" ? parseQuoted() : parseUnquoted());

  const parseData = (): PbxData => {
    const start = i;
    const close = text.indexOf('>', i);
    if (close < 0) fail('unterminated <data>');
    const hex = text.slice(i + 1, close).replace(/\s+/g, '');
    if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) fail('<data> must hold an even number of hex digits', start);
    i = close + 1;
    return { type: 'data', value: hex.toLowerCase(), loc: locOf(start, i) };
  };

  const parseValue = (depth: number): PbxValue => {
    if (depth > MAX_DEPTH) fail(`values are nested more than ${MAX_DEPTH} levels deep`);
    skip();
    if (i >= n) fail('unexpected end of file, expected a value');
    const c = text[i]!;
    if (c === '{') return parseDict(depth);
    if (c === '(') return parseArray(depth);
    if (c === '<') return parseData();
    return parseString();
  };

  const parseDict = (depth: number): PbxDict => {
    const start = i;
    i++; // {
    const entries: PbxEntry[] = [];
    while (true) {
      skip();
      if (i >= n) fail('unterminated dictionary: missing "}"', start);
      if (text[i] === '}') {
        i++;
        break;
      }
      const key = parseString();
      skip();
      // Point at the end of what came before: that is where the missing character belongs.
      if (text[i] !== '=') fail(`expected "=" after key "${key.value}"`, text[i] === undefined ? i : key.loc.end);
      i++;
      const value = parseValue(depth + 1);
      skip();
      if (text[i] !== ';') fail(`expected ";" after the value of "${key.value}"`, text[i] === undefined ? i : value.loc.end);
      i++;
      entries.push({ key: key.value, keyLoc: key.loc, value });
    }
    return { type: 'dict', entries, loc: locOf(start, i) };
  };

  const parseArray = (depth: number): PbxArray => {
    const start = i;
    i++; // (
    const items: PbxValue[] = [];
    while (true) {
      skip();
      if (i >= n) fail('unterminated array: missing ")"', start);
      if (text[i] === ')') {
        i++;
        break;
      }
      const item = parseValue(depth + 1);
      items.push(item);
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] !== ')') fail('expected "," or ")" after an array item', text[i] === undefined ? i : item.loc.end);
    }
    return { type: 'array', items, loc: locOf(start, i) };
  };

  const root = parseValue(0);
  skip();
  if (i < n) fail('unexpected text after the end of the property list');
  return { root, comments, lines };
}

// ---- the project file as a whole ----

export interface PbxProject {
  file: string;
  doc: PbxDocument;
  /** The `objects` dictionary, by object id. */
  objects: Map<string, PbxDict>;
  /** Id of the PBXProject object. */
  rootObject: string | null;
  objectVersion: number | null;
}

/** Parse a project.pbxproj through the workspace (cached; syntax errors become parse-error problems). */
export function pbxprojOf(ws: Workspace, file: ProjectFile | string): PbxProject | null {
  const p = typeof file === 'string' ? file : file.path;
  return ws.cached(p, 'pbxproj', () => {
    const t = ws.text(p);
    if (!t) return null;
    let doc: PbxDocument;
    try {
      doc = parsePbxproj(t.text);
    } catch (e) {
      const err = e as PlistError;
      ws.report({
        file: p,
        line: err instanceof PlistError ? err.line : undefined,
        column: err instanceof PlistError ? err.column : undefined,
        kind: 'parse-error',
        severity: 'error',
        message: `malformed project.pbxproj: ${err.message}`,
      });
      return null;
    }
    // Only comments a person wrote can carry suppressions, but Xcode's own `/* name */` annotations
    // are harmless here: they never contain the directive.
    ws.setComments(p, doc.comments.map((c): SourceComment => ({ line: c.line, endLine: c.endLine, text: c.text })));
    if (doc.root.type !== 'dict') {
      ws.report({ file: p, line: 1, column: 1, kind: 'parse-error', severity: 'error', message: 'malformed project.pbxproj: the top level is not a dictionary' });
      return null;
    }
    const objects = new Map<string, PbxDict>();
    const objs = pbxGet(doc.root, 'objects');
    if (objs?.type === 'dict') {
      for (const e of objs.entries) if (e.value.type === 'dict') objects.set(e.key, e.value);
    }
    const rootObject = pbxString(doc.root, 'rootObject');
    const ov = Number(pbxString(doc.root, 'objectVersion'));
    return { file: p, doc, objects, rootObject, objectVersion: Number.isFinite(ov) ? ov : null };
  });
}

// ---- queries ----

export function pbxEntry(v: PbxValue | undefined, key: string): PbxEntry | undefined {
  if (!v || v.type !== 'dict') return undefined;
  // The last occurrence wins, as when CoreFoundation reads a duplicated key.
  for (let k = v.entries.length - 1; k >= 0; k--) if (v.entries[k]!.key === key) return v.entries[k];
  return undefined;
}

export function pbxGet(v: PbxValue | undefined, key: string): PbxValue | undefined {
  return pbxEntry(v, key)?.value;
}

export function pbxString(v: PbxValue | undefined, key: string): string | null {
  const x = pbxGet(v, key);
  return x?.type === 'string' ? x.value : null;
}

/** The strings of an array value (non-strings skipped); a single string gives a one-element list. */
export function pbxStrings(v: PbxValue | undefined): string[] {
  if (!v) return [];
  if (v.type === 'string') return [v.value];
  if (v.type === 'array') return v.items.flatMap((x) => (x.type === 'string' ? [x.value] : []));
  return [];
}
