// Property lists (Info.plist, .entitlements) as a value tree where every key and value
// keeps its position. XML plists come from the positional XML parser; binary plists
// (bplist00) have no lines, so their values point at line 1.

import type { ProjectFile } from '../discover/find-files.js';
import type { Workspace } from './workspace.js';
import { childElements, textContent, type XmlElement } from './xml.js';

export interface PlistLoc {
  line: number;
  column: number;
  /** Offsets in the decoded text (XML plists only), for formatting-preserving edits. */
  start?: number;
  end?: number;
}

export type PlistValue =
  | { type: 'dict'; entries: PlistEntry[]; loc: PlistLoc }
  | { type: 'array'; items: PlistValue[]; loc: PlistLoc }
  | { type: 'string'; value: string; loc: PlistLoc }
  | { type: 'integer' | 'real'; value: number; loc: PlistLoc }
  | { type: 'bool'; value: boolean; loc: PlistLoc }
  | { type: 'date'; value: string; loc: PlistLoc }
  | { type: 'data'; value: string; loc: PlistLoc };

export interface PlistEntry {
  key: string;
  keyLoc: PlistLoc;
  value: PlistValue;
}

export interface PlistDocument {
  file: string;
  format: 'xml' | 'binary';
  root: PlistValue;
}

export class PlistError extends Error {
  constructor(
    message: string,
    readonly line = 1,
    readonly column = 1,
  ) {
    super(message);
  }
}

/** Parse a plist file through the workspace (cached; failures become parse-error problems). */
export function plistOf(ws: Workspace, file: ProjectFile | string): PlistDocument | null {
  const p = typeof file === 'string' ? file : file.path;
  return ws.cached(p, 'plist', () => {
    const bytes = ws.bytes(p);
    if (!bytes) return null;
    if (isBinaryPlist(bytes)) {
      try {
        return { file: p, format: 'binary', root: parseBinaryPlist(bytes) };
      } catch (e) {
        ws.report({ file: p, kind: 'parse-error', severity: 'error', message: `malformed binary plist: ${(e as Error).message}` });
        return null;
      }
    }
    const doc = ws.xml(p);
    if (!doc) return null;
    try {
      return { file: p, format: 'xml', root: plistFromXml(doc.root) };
    } catch (e) {
      const err = e as PlistError;
      ws.report({ file: p, line: err.line, column: err.column, kind: 'parse-error', severity: 'error', message: `invalid property list: ${err.message}` });
      return null;
    }
  });
}

export function isBinaryPlist(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && String.fromCharCode(...bytes.subarray(0, 6)) === 'bplist';
}

function locOf(el: XmlElement): PlistLoc {
  return { line: el.start.line, column: el.start.column, start: el.start.offset, end: el.end };
}

export function plistFromXml(root: XmlElement): PlistValue {
  if (root.name !== 'plist') throw new PlistError(`the root element is <${root.name}>, not <plist>`, root.start.line, root.start.column);
  const values = childElements(root);
  if (values.length !== 1) throw new PlistError('<plist> must hold exactly one value', root.start.line, root.start.column);
  return valueFromXml(values[0]!);
}

function valueFromXml(el: XmlElement): PlistValue {
  const loc = locOf(el);
  switch (el.name) {
    case 'dict': {
      const entries: PlistEntry[] = [];
      const kids = childElements(el);
      for (let i = 0; i < kids.length; i += 2) {
        const k = kids[i]!;
        if (k.name !== 'key') throw new PlistError(`expected <key> in <dict>, found <${k.name}>`, k.start.line, k.start.column);
        const v = kids[i + 1];
        if (!v) throw new PlistError(`key "${textContent(k)}" has no value`, k.start.line, k.start.column);
        entries.push({ key: textContent(k), keyLoc: locOf(k), value: valueFromXml(v) });
      }
      return { type: 'dict', entries, loc };
    }
    case 'array':
      return { type: 'array', items: childElements(el).map(valueFromXml), loc };
    case 'string':
      return { type: 'string', value: textContent(el), loc };
    case 'integer':
    case 'real': {
      const n = Number(textContent(el).trim());
      if (Number.isNaN(n)) throw new PlistError(`<${el.name}> is not a number`, el.start.line, el.start.column);
      return { type: el.name, value: n, loc };
    }
    case 'true':
    case 'false':
      return { type: 'bool', value: el.name === 'true', loc };
    case 'date':
      return { type: 'date', value: textContent(el).trim(), loc };
    case 'data':
      return { type: 'data', value: textContent(el).replace(/\s+/g, ''), loc };
    default:
      throw new PlistError(`<${el.name}> is not a property-list value`, el.start.line, el.start.column);
  }
}

/** Binary plists are parsed by the iOS facts work; this placeholder keeps the contract. */
export function parseBinaryPlist(bytes: Uint8Array): PlistValue {
  void bytes;
  throw new PlistError('binary property lists are not supported yet');
}

// ---- queries ----

export function dictGet(v: PlistValue | undefined, key: string): PlistEntry | undefined {
  if (!v || v.type !== 'dict') return undefined;
  return v.entries.find((e) => e.key === key);
}

export function stringsOf(v: PlistValue | undefined): { value: string; loc: PlistLoc }[] {
  if (!v) return [];
  if (v.type === 'string') return [{ value: v.value, loc: v.loc }];
  if (v.type === 'array') return v.items.flatMap((i) => (i.type === 'string' ? [{ value: i.value, loc: i.loc }] : []));
  return [];
}
