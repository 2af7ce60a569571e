import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePbxproj, pbxprojOf, pbxGet, pbxString, pbxStrings, PbxprojError, type PbxValue } from '../../src/parse/pbxproj.js';
import { PlistError } from '../../src/parse/plist.js';
import { Workspace } from '../../src/parse/workspace.js';
import type { ProjectFile } from '../../src/discover/find-files.js';
import { FIXTURES } from '../support/cli.js';

function plain(v: PbxValue): unknown {
  if (v.type === 'dict') return Object.fromEntries(v.entries.map((e) => [e.key, plain(e.value)]));
  if (v.type === 'array') return v.items.map(plain);
  return v.value;
}

function errorOf(text: string): PbxprojError {
  try {
    parsePbxproj(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PbxprojError);
    expect(e).toBeInstanceOf(PlistError);
    return e as PbxprojError;
  }
  throw new Error('expected a syntax error');
}

describe('parsePbxproj', () => {
  it('reads dictionaries, arrays (with trailing commas), and quoted and unquoted strings', () => {
    const doc = parsePbxproj('{ a = b; list = ( x, "y z", ); nested = { k = "$(SRCROOT)/App"; }; path = ../Shared/File-1.swift; }');
    expect(plain(doc.root)).toEqual({ a: 'b', list: ['x', 'y z'], nested: { k: '$(SRCROOT)/App' }, path: '../Shared/File-1.swift' });
  });

  it('decodes escapes in quoted strings', () => {
    const doc = parsePbxproj(String.raw`{ s = "say \"hi\"\n\ttab\\slash \U00e9 \101 \q"; single = 'a "b"'; }`);
    expect(pbxString(doc.root, 's')).toBe('say "hi"\n\ttab\\slash é A q');
    expect(pbxString(doc.root, 'single')).toBe('a "b"');
  });

  it('reads <hex> data', () => {
    const doc = parsePbxproj('{ d = <0fA1 b2>; }');
    expect(pbxGet(doc.root, 'd')).toMatchObject({ type: 'data', value: '0fa1b2' });
  });

  it('keeps the line and column of keys and values', () => {
    const text = ['// !$*UTF8*$!', '{', '\tobjects = {', '\t\tINFOPLIST_FILE = "App/Info.plist";', '\t};', '}'].join('\n');
    const doc = parsePbxproj(text);
    const objects = pbxGet(doc.root, 'objects');
    expect(objects?.type).toBe('dict');
    const entry = objects!.type === 'dict' ? objects!.entries[0]! : undefined;
    expect(entry?.keyLoc).toMatchObject({ line: 4, column: 3 });
    expect(entry?.value.loc).toMatchObject({ line: 4, column: 20 });
    expect(text.slice(entry!.value.loc.start, entry!.value.loc.end)).toBe('"App/Info.plist"');
  });

  it('gives the same lines with CRLF line endings', () => {
    const text = ['{', '\ta = b;', '\t/* note */', '\tc = d;', '}'].join('\r\n');
    const doc = parsePbxproj(text);
    expect(doc.root.type === 'dict' && doc.root.entries.map((e) => e.keyLoc.line)).toEqual([2, 4]);
    expect(doc.comments.map((c) => c.line)).toEqual([3]);
  });

  it('records block and line comments with their lines, and never reads them as values', () => {
    const text = [
      '// !$*UTF8*$!',
      '{',
      '\t/* audiobg-ignore-next-line ios/infoplist-key-ignored -- kept for the CI script */',
      '\tINFOPLIST_KEY_UIBackgroundModes = audio; // trailing',
      '\t/* multi',
      '\t   line */ k = v;',
      '}',
    ].join('\n');
    const doc = parsePbxproj(text);
    expect(plain(doc.root)).toEqual({ INFOPLIST_KEY_UIBackgroundModes: 'audio', k: 'v' });
    expect(doc.comments.map((c) => [c.line, c.endLine])).toEqual([
      [1, 1],
      [3, 3],
      [4, 4],
      [5, 6],
    ]);
    expect(doc.comments[1]!.text).toContain('audiobg-ignore-next-line ios/infoplist-key-ignored');
  });

  it('does not treat comment markers inside quoted strings as comments', () => {
    const doc = parsePbxproj('{ url = "https://example.com/*x*/"; }');
    expect(pbxString(doc.root, 'url')).toBe('https://example.com/*x*/');
    expect(doc.comments).toEqual([]);
  });

  it('reports a missing ";" at the end of the value that lacks it', () => {
    const e = errorOf(['{', '\tobjects = {', '\t\tSWIFT_VERSION = 5.0', '\t};', '}'].join('\n'));
    expect([e.line, e.column]).toEqual([3, 22]);
    expect(e.message).toMatch(/expected ";" after the value of "SWIFT_VERSION"/);
  });

  it('reports a missing "=" after the key', () => {
    const e = errorOf('{\n  name App;\n}');
    expect([e.line, e.column]).toEqual([2, 7]);
  });

  it('reports unterminated strings, comments, dictionaries and arrays at their start', () => {
    expect(errorOf('{\n  a = "open;\n}')).toMatchObject({ line: 2, column: 7 });
    expect(errorOf('{\n  a = b; /* never closed\n}')).toMatchObject({ line: 2, column: 10 });
    expect(errorOf('{\n  a = {\n  b = c;\n')).toMatchObject({ line: 2, column: 7 });
    expect(errorOf('{ a = ( x, y ; }')).toMatchObject({ line: 1, column: 13 });
  });

  it('reports stray characters and trailing text', () => {
    expect(errorOf('{ a = #; }')).toMatchObject({ line: 1, column: 7 });
    expect(errorOf('{ a = b; }\n}')).toMatchObject({ line: 2, column: 1 });
    expect(() => parsePbxproj('')).toThrow(PbxprojError);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parsePbxproj('('.repeat(100_000))).toThrow(/nested/);
    expect(() => parsePbxproj('{a='.repeat(5000))).toThrow(/nested/);
  });
});

describe('pbxprojOf', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audiobg-pbx-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const ws1 = (text: string) => {
    const p = path.join(tmp, `p${Math.random().toString(36).slice(2)}.pbxproj`);
    fs.writeFileSync(p, text);
    const file: ProjectFile = { path: p, rel: path.basename(p), kind: 'pbxproj', size: text.length };
    return { ws: new Workspace(tmp, [file]), file };
  };

  it('indexes the objects of a real project and registers its comments', () => {
    const p = path.join(FIXTURES, 'ios-config/xcode15-groups/Radio.xcodeproj/project.pbxproj');
    const file: ProjectFile = { path: p, rel: 'Radio.xcodeproj/project.pbxproj', kind: 'pbxproj', size: 0 };
    const ws = new Workspace(path.dirname(p), [file]);
    const pbx = pbxprojOf(ws, file)!;
    expect(pbx.objectVersion).toBe(56);
    expect(pbx.rootObject).toBe('A60000000000000000000001');
    expect(pbxString(pbx.objects.get(pbx.rootObject!), 'isa')).toBe('PBXProject');
    expect(pbxStrings(pbxGet(pbx.objects.get('A40000000000000000000001'), 'buildPhases'))).toHaveLength(3);
    // Xcode's own annotations are comments too (harmless for suppressions).
    expect(ws.comments(p)?.some((c) => c.text === '/* Begin PBXBuildFile section */')).toBe(true);
    // Cached: the same object on a second call.
    expect(pbxprojOf(ws, file)).toBe(pbx);
  });

  it('turns a syntax error into a parse-error problem with line and column', () => {
    const { ws, file } = ws1('// !$*UTF8*$!\n{\n\tobjectVersion = 56\n}\n');
    expect(pbxprojOf(ws, file)).toBeNull();
    expect(ws.problems).toEqual([
      expect.objectContaining({ kind: 'parse-error', file: file.path, line: 3, column: 20, message: expect.stringContaining('expected ";"') }),
    ]);
  });

  it('rejects a project whose top level is not a dictionary', () => {
    const { ws, file } = ws1('( a, b )');
    expect(pbxprojOf(ws, file)).toBeNull();
    expect(ws.problems[0]).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('not a dictionary') });
  });
});
