// Property lists (Info.plist, .entitlements) as a value tree where every key and value
// keeps its position. XML plists come from the positional XML parser (UTF-8 or UTF-16 with a
// BOM, any line endings); binary plists (bplist00) have no lines, so their values point at
// line 1, column 1.

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

// ---- binary property lists (bplist00) ----
//
// Layout: an 8-byte header "bplist00", the objects, an offset table (one offset per object),
// and a 32-byte trailer: 6 unused bytes, offset size, object-reference size, object count,
// top object index, offset-table offset (the last three 8-byte big-endian integers).
// Every read is bounds-checked; counts are checked against the bytes that could hold them
// before anything is allocated; cycles and absurd nesting are refused.

const BPLIST_MAX_DEPTH = 256;
const BINARY_LOC: PlistLoc = { line: 1, column: 1 };
/** Seconds between 1970-01-01 and 2001-01-01 (the binary plist date epoch). */
const APPLE_EPOCH_SECONDS = 978307200;

export function parseBinaryPlist(bytes: Uint8Array): PlistValue {
  const fail = (message: string): never => {
    throw new PlistError(message);
  };
  if (bytes.length < 8 + 32) fail('the file is too short to be a binary property list');
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== 'bplist00') fail(`unsupported binary property list version "${magic.replace(/[^ -~]/g, '?')}"`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const trailer = bytes.length - 32;
  const offsetSize = bytes[trailer + 6]!;
  const refSize = bytes[trailer + 7]!;
  const readBig = (pos: number): bigint => view.getBigUint64(pos);
  const safe = (v: bigint, what: string): number => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} is out of range`);
    return Number(v);
  };
  const numObjects = safe(readBig(trailer + 8), 'the object count');
  const topObject = safe(readBig(trailer + 16), 'the top object index');
  const tableOffset = safe(readBig(trailer + 24), 'the offset table position');

  if (offsetSize < 1 || offsetSize > 8) fail(`invalid offset size ${offsetSize}`);
  if (refSize < 1 || refSize > 8) fail(`invalid object reference size ${refSize}`);
  if (numObjects < 1) fail('the file holds no objects');
  if (topObject >= numObjects) fail('the top object index is past the object count');
  if (tableOffset < 8 || tableOffset > trailer) fail('the offset table lies outside the file');
  if (numObjects > (trailer - tableOffset) / offsetSize) fail('the offset table is truncated');

  /** Unsigned big-endian integer of 1..8 bytes at pos, within [8, limit). */
  const readUint = (pos: number, size: number, limit: number): number => {
    if (pos < 0 || pos + size > limit) fail('a value runs past the end of its section');
    let v = 0n;
    for (let k = 0; k < size; k++) v = (v << 8n) | BigInt(bytes[pos + k]!);
    return safe(v, 'an offset or reference');
  };
  const offsetOf = (index: number): number => {
    const off = readUint(tableOffset + index * offsetSize, offsetSize, trailer);
    if (off < 8 || off >= tableOffset) fail(`object ${index} starts outside the object area`);
    return off;
  };

  const memo = new Map<number, PlistValue>();
  const active = new Set<number>();

  /** Length of a data/string/array/dict object: low nibble, or a following int object when 0xF. Returns [count, start of payload]. */
  const lengthAt = (pos: number, marker: number): [number, number] => {
    const low = marker & 0x0f;
    if (low !== 0x0f) return [low, pos + 1];
    const intMarker = bytes[pos + 1];
    if (intMarker === undefined || pos + 1 >= tableOffset) fail('a length runs past the end of the object area');
    if ((intMarker! & 0xf0) !== 0x10) fail('a length is not an integer');
    const size = 1 << (intMarker! & 0x0f);
    if (size > 8) fail('a length integer is too wide');
    return [readUint(pos + 2, size, tableOffset), pos + 2 + size];
  };
  const need = (start: number, count: number, unit: number): void => {
    if (count > (tableOffset - start) / unit) fail('a value is longer than the file');
  };

  const parseObject = (index: number, depth: number): PlistValue => {
    const done = memo.get(index);
    if (done) return done;
    if (active.has(index)) fail('the object graph contains a cycle');
    if (depth > BPLIST_MAX_DEPTH) fail(`values are nested more than ${BPLIST_MAX_DEPTH} levels deep`);
    if (index >= numObjects) fail(`reference to object ${index} past the object count`);
    active.add(index);
    const pos = offsetOf(index);
    const marker = bytes[pos]!;
    const type = marker >> 4;
    const low = marker & 0x0f;
    let value: PlistValue;
    switch (type) {
      case 0x0:
        if (marker === 0x08 || marker === 0x09) value = { type: 'bool', value: marker === 0x09, loc: BINARY_LOC };
        else value = fail(`unsupported simple value 0x${marker.toString(16).padStart(2, '0')}`);
        break;
      case 0x1: {
        // Integers of 1, 2, 4 bytes are unsigned; 8 bytes signed; 16 bytes: the low 8 bytes.
        if (low > 4) fail('an integer is too wide');
        const size = 1 << low;
        if (pos + 1 + size > tableOffset) fail('an integer runs past the end of the object area');
        let n: number;
        if (size <= 4) n = readUint(pos + 1, size, tableOffset);
        else n = Number(view.getBigInt64(pos + 1 + size - 8));
        value = { type: 'integer', value: n, loc: BINARY_LOC };
        break;
      }
      case 0x2: {
        if (low !== 2 && low !== 3) fail('a real must be 4 or 8 bytes');
        const size = 1 << low;
        if (pos + 1 + size > tableOffset) fail('a real runs past the end of the object area');
        value = { type: 'real', value: size === 4 ? view.getFloat32(pos + 1) : view.getFloat64(pos + 1), loc: BINARY_LOC };
        break;
      }
      case 0x3: {
        if (marker !== 0x33) fail('a date must be an 8-byte real');
        if (pos + 9 > tableOffset) fail('a date runs past the end of the object area');
        const seconds = view.getFloat64(pos + 1);
        const ms = (seconds + APPLE_EPOCH_SECONDS) * 1000;
        const d = new Date(ms);
        value = { type: 'date', value: Number.isFinite(d.getTime()) ? d.toISOString().replace(/\.000Z$/, 'Z') : String(seconds), loc: BINARY_LOC };
        break;
      }
      case 0x4: {
        const [len, start] = lengthAt(pos, marker);
        need(start, len, 1);
        value = { type: 'data', value: Buffer.from(bytes.subarray(start, start + len)).toString('base64'), loc: BINARY_LOC };
        break;
      }
      case 0x5: {
        const [len, start] = lengthAt(pos, marker);
        need(start, len, 1);
        value = { type: 'string', value: new TextDecoder('latin1').decode(bytes.subarray(start, start + len)), loc: BINARY_LOC };
        break;
      }
      case 0x6: {
        const [len, start] = lengthAt(pos, marker);
        need(start, len, 2);
        value = { type: 'string', value: new TextDecoder('utf-16be').decode(bytes.subarray(start, start + len * 2)), loc: BINARY_LOC };
        break;
      }
      case 0x7: {
        // UTF-8 string (written by newer encoders); the length counts bytes.
        const [len, start] = lengthAt(pos, marker);
        need(start, len, 1);
        value = { type: 'string', value: new TextDecoder('utf-8').decode(bytes.subarray(start, start + len)), loc: BINARY_LOC };
        break;
      }
      case 0x8: {
        // UID (keyed archives): an unsigned integer of low+1 bytes.
        const size = low + 1;
        value = { type: 'integer', value: readUint(pos + 1, size, tableOffset), loc: BINARY_LOC };
        break;
      }
      case 0xa:
      case 0xc: {
        // Arrays and sets (a set is read as an array).
        const [count, start] = lengthAt(pos, marker);
        need(start, count, refSize);
        const items: PlistValue[] = [];
        for (let k = 0; k < count; k++) items.push(parseObject(readUint(start + k * refSize, refSize, tableOffset), depth + 1));
        value = { type: 'array', items, loc: BINARY_LOC };
        break;
      }
      case 0xd: {
        const [count, start] = lengthAt(pos, marker);
        need(start, count, refSize * 2);
        const entries: PlistEntry[] = [];
        for (let k = 0; k < count; k++) {
          const key = parseObject(readUint(start + k * refSize, refSize, tableOffset), depth + 1);
          if (key.type !== 'string') fail('a dictionary key is not a string');
          const v = parseObject(readUint(start + (count + k) * refSize, refSize, tableOffset), depth + 1);
          entries.push({ key: (key as { value: string }).value, keyLoc: BINARY_LOC, value: v });
        }
        value = { type: 'dict', entries, loc: BINARY_LOC };
        break;
      }
      default:
        value = fail(`unknown object type 0x${marker.toString(16).padStart(2, '0')}`);
    }
    active.delete(index);
    memo.set(index, value);
    return value;
  };

  return parseObject(topObject, 0);
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
