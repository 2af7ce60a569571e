import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBinaryPlist, plistOf, PlistError, dictGet, stringsOf, type PlistValue } from '../../src/parse/plist.js';
import { Workspace } from '../../src/parse/workspace.js';
import type { ProjectFile } from '../../src/discover/find-files.js';
import { encodeBplist, type BValue } from './bplist-encoder.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-plist-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function workspaceWith(name: string, bytes: Uint8Array | string): { ws: Workspace; file: ProjectFile } {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, bytes);
  const file: ProjectFile = { path: p, rel: name, kind: 'plist', size: fs.statSync(p).size };
  return { ws: new Workspace(tmp, [file]), file };
}

/** Plain JS view of a plist value, for readable assertions. */
function plain(v: PlistValue): unknown {
  switch (v.type) {
    case 'dict':
      return Object.fromEntries(v.entries.map((e) => [e.key, plain(e.value)]));
    case 'array':
      return v.items.map(plain);
    default:
      return v.value;
  }
}

const XML = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
  '<plist version="1.0">',
  '<dict>',
  '\t<key>CFBundleName</key>',
  '\t<string>Radio</string>',
  '\t<key>UIBackgroundModes</key>',
  '\t<array>',
  '\t\t<string>audio</string>',
  '\t</array>',
  '</dict>',
  '</plist>',
  '',
];

describe('XML property lists', () => {
  it('keeps line and column of keys and values (LF)', () => {
    const { ws, file } = workspaceWith('lf.plist', XML.join('\n'));
    const doc = plistOf(ws, file)!;
    expect(doc.format).toBe('xml');
    const modes = dictGet(doc.root, 'UIBackgroundModes')!;
    expect(modes.keyLoc).toMatchObject({ line: 7, column: 2 });
    expect(stringsOf(modes.value)).toEqual([{ value: 'audio', loc: expect.objectContaining({ line: 9, column: 3 }) }]);
  });

  it('gives the same lines for CRLF line endings', () => {
    const { ws, file } = workspaceWith('crlf.plist', XML.join('\r\n'));
    const doc = plistOf(ws, file)!;
    const modes = dictGet(doc.root, 'UIBackgroundModes')!;
    expect(modes.keyLoc).toMatchObject({ line: 7, column: 2 });
    expect(stringsOf(modes.value)[0]!.loc).toMatchObject({ line: 9, column: 3 });
  });

  it('reads a UTF-8 file with a byte order mark', () => {
    const { ws, file } = workspaceWith('bom8.plist', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(XML.join('\n'))]));
    const doc = plistOf(ws, file)!;
    expect(dictGet(doc.root, 'UIBackgroundModes')!.keyLoc.line).toBe(7);
    expect(ws.problems).toEqual([]);
  });

  it('reads UTF-16 (little and big endian, with BOM) with correct lines', () => {
    const text = XML.join('\r\n').replace('encoding="UTF-8"', 'encoding="UTF-16"').replace('Radio', 'Radió ♫');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1]!, be[i]!];
    for (const [name, bytes] of [['le.plist', le], ['be.plist', be]] as const) {
      const { ws, file } = workspaceWith(name, bytes);
      const doc = plistOf(ws, file);
      expect(ws.problems).toEqual([]);
      expect(plain(doc!.root)).toEqual({ CFBundleName: 'Radió ♫', UIBackgroundModes: ['audio'] });
      expect(stringsOf(dictGet(doc!.root, 'UIBackgroundModes')!.value)[0]!.loc.line).toBe(9);
    }
  });

  it('reports a malformed plist as a parse error with its line', () => {
    const bad = [...XML];
    bad[8] = '\t\t<string>audio</strin>';
    const { ws, file } = workspaceWith('bad.plist', bad.join('\n'));
    expect(plistOf(ws, file)).toBeNull();
    expect(ws.problems).toEqual([expect.objectContaining({ kind: 'parse-error', line: 9 })]);
  });

  it('reports a key without a value at the key', () => {
    const bad = XML.slice(0, 5).concat(['</dict>', '</plist>']);
    const { ws, file } = workspaceWith('nokey.plist', bad.join('\n'));
    expect(plistOf(ws, file)).toBeNull();
    expect(ws.problems).toEqual([expect.objectContaining({ kind: 'parse-error', line: 5, column: 2 })]);
  });
});

describe('binary property lists', () => {
  it('decodes every value type', () => {
    const bytes = encodeBplist({
      UIBackgroundModes: ['audio', 'fetch'],
      small: 7,
      medium: 300,
      large: 70000,
      negative: -5,
      ratio: 0.25,
      yes: true,
      no: false,
      when: new Date(Date.UTC(2024, 4, 1, 12, 0, 0)),
      blob: Uint8Array.from([1, 2, 3]),
      unicode: 'Lecture ♫ en arrière-plan',
      forced: { $utf16: 'utf16' },
      nested: { inner: ['a', { deep: 'x' }] },
      long: 'x'.repeat(300),
    });
    const v = parseBinaryPlist(bytes);
    expect(plain(v)).toEqual({
      UIBackgroundModes: ['audio', 'fetch'],
      small: 7,
      medium: 300,
      large: 70000,
      negative: -5,
      ratio: 0.25,
      yes: true,
      no: false,
      when: '2024-05-01T12:00:00Z',
      blob: 'AQID',
      unicode: 'Lecture ♫ en arrière-plan',
      forced: 'utf16',
      nested: { inner: ['a', { deep: 'x' }] },
      long: 'x'.repeat(300),
    });
    expect(v.loc).toEqual({ line: 1, column: 1 });
  });

  it('accepts 1-byte references and 8-byte offsets', () => {
    const v = parseBinaryPlist(encodeBplist({ a: ['b'] }, { refSize: 1, offsetSize: 8 }));
    expect(plain(v)).toEqual({ a: ['b'] });
  });

  it('shares an object referenced twice instead of copying it', () => {
    // Hand-assembled: array [obj1, obj1] where obj1 = "ab".
    const b = Buffer.from([
      ...Buffer.from('bplist00'),
      0xa2, 1, 1, // 8: array of two refs to object 1
      0x52, 0x61, 0x62, // 11: "ab"
      8, 11, // 14: offset table
      0, 0, 0, 0, 0, 0, 1, 1,
      0, 0, 0, 0, 0, 0, 0, 2,
      0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 14,
    ]);
    expect(plain(parseBinaryPlist(b))).toEqual(['ab', 'ab']);
  });

  it('is read through plistOf, with values at line 1', () => {
    const { ws, file } = workspaceWith('Info.plist', encodeBplist({ UIBackgroundModes: ['audio'] }));
    const doc = plistOf(ws, file)!;
    expect(doc.format).toBe('binary');
    expect(stringsOf(dictGet(doc.root, 'UIBackgroundModes')!.value)).toEqual([{ value: 'audio', loc: { line: 1, column: 1 } }]);
  });

  const valid = encodeBplist({ UIBackgroundModes: ['audio'] });
  const trailerAt = valid.length - 32;
  const patched = (edit: (b: Uint8Array) => void) => {
    const b = Uint8Array.from(valid);
    edit(b);
    return b;
  };
  const setBig = (b: Uint8Array, at: number, v: bigint) => new DataView(b.buffer).setBigUint64(at, v);

  const hostile: [string, Uint8Array][] = [
    ['empty', new Uint8Array()],
    ['header only', Buffer.from('bplist00')],
    ['unknown version', patched((b) => (b[7] = 0x39))],
    ['truncated (trailer cut off)', valid.subarray(0, valid.length - 5)],
    ['truncated in the middle', Uint8Array.from([...valid.subarray(0, 12), ...valid.subarray(valid.length - 32)])],
    ['offset size 0', patched((b) => (b[trailerAt + 6] = 0))],
    ['reference size 9', patched((b) => (b[trailerAt + 7] = 9))],
    ['huge object count', patched((b) => setBig(b, trailerAt + 8, 0xffffffffffffffffn))],
    ['object count past the offset table', patched((b) => setBig(b, trailerAt + 8, 1000n))],
    ['top object past the count', patched((b) => setBig(b, trailerAt + 16, 99n))],
    ['offset table outside the file', patched((b) => setBig(b, trailerAt + 24, BigInt(valid.length + 10)))],
    ['offset table inside the header', patched((b) => setBig(b, trailerAt + 24, 2n))],
  ];
  for (const [name, bytes] of hostile) {
    it(`refuses a hostile file: ${name}`, () => {
      expect(() => parseBinaryPlist(bytes)).toThrow(PlistError);
    });
  }

  it('refuses a cycle (an array that contains itself)', () => {
    const b = Buffer.from([
      ...Buffer.from('bplist00'),
      0xa1, 0, // 8: array holding a ref to itself
      8, // 10: offset table
      0, 0, 0, 0, 0, 0, 1, 1,
      0, 0, 0, 0, 0, 0, 0, 1,
      0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 10,
    ]);
    expect(() => parseBinaryPlist(b)).toThrow(/cycle/);
  });

  it('refuses a length that claims more bytes than the file has (no huge allocation)', () => {
    const b = Buffer.from([
      ...Buffer.from('bplist00'),
      0xaf, 0x13, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // 8: array of 2^63 items
      8, // 18: offset table
      0, 0, 0, 0, 0, 0, 1, 1,
      0, 0, 0, 0, 0, 0, 0, 1,
      0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 18,
    ]);
    expect(() => parseBinaryPlist(b)).toThrow(PlistError);
  });

  it('refuses nesting deeper than the limit', () => {
    let v: BValue = 'leaf';
    for (let i = 0; i < 400; i++) v = [v];
    expect(() => parseBinaryPlist(encodeBplist(v))).toThrow(/nested/);
  });

  it('refuses a dictionary whose key is not a string', () => {
    const b = Buffer.from([
      ...Buffer.from('bplist00'),
      0xd1, 1, 1, // 8: dict { 1: 1 }
      0x10, 0x05, // 11: int 5
      8, 11, // 13: offset table
      0, 0, 0, 0, 0, 0, 1, 1,
      0, 0, 0, 0, 0, 0, 0, 2,
      0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 13,
    ]);
    expect(() => parseBinaryPlist(b)).toThrow(/key is not a string/);
  });

  it('survives random corruption: every mutated file parses or throws PlistError', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const base = encodeBplist({ UIBackgroundModes: ['audio', 'fetch'], n: 1, nested: { a: [1, 2, 'three'] } });
    for (let round = 0; round < 2000; round++) {
      const b = Uint8Array.from(base);
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) b[8 + Math.floor(rand() * (b.length - 8))] = Math.floor(rand() * 256);
      try {
        parseBinaryPlist(b);
      } catch (e) {
        expect(e).toBeInstanceOf(PlistError);
      }
    }
  });

  it('turns a malformed binary Info.plist into a parse-error problem', () => {
    const { ws, file } = workspaceWith('Broken.plist', valid.subarray(0, valid.length - 5));
    expect(plistOf(ws, file)).toBeNull();
    expect(ws.problems).toEqual([expect.objectContaining({ kind: 'parse-error', file: file.path, message: expect.stringMatching(/^malformed binary plist/) })]);
  });
});
