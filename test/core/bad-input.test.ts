// Bad input never crashes: each case gives a clear message with the file (and line where there
// is one), never a stack trace, and the rest of the project is still checked. Every file here is
// generated in a temp folder; nothing huge or binary is committed.
//
// Each project also holds a "canary": a Swift file with a stale suppression on line 1, whose
// unused-suppression warning proves the rest of the project was still checked.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { doctorJson, hasStackTrace, IS_ROOT, runCli, tempDir, where, write, type JsonRun } from './helpers.js';
import { getParser } from '../../src/parse/tree-sitter.js';
import { PARSE_BUDGET } from '../../src/parse/workspace.js';

const CANARY = 'Canary.swift:1 audiobg/unused-suppression';

function project(): string {
  const dir = tempDir('bad');
  write(dir, 'Canary.swift', '// audiobg-ignore-next-line audiobg/parse-error -- canary\nlet canary = 1\n');
  return dir;
}

function finding(run: JsonRun, file: string) {
  const f = run.report.findings.find((x) => x.file === file);
  if (!f) throw new Error(`no finding for ${file}: ${JSON.stringify(run.report.findings, null, 2)}`);
  return f;
}

/** Runs doctor in json and pretty form; neither may show a stack trace. */
async function check(dir: string): Promise<JsonRun> {
  const json = await doctorJson(dir);
  const pretty = await runCli(['doctor', dir]);
  for (const out of [json.stdout, json.stderr, pretty.stdout, pretty.stderr]) expect(hasStackTrace(out)).toBe(false);
  expect(json.code).not.toBe(3);
  return json;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('malformed config files', () => {
  it('a malformed AndroidManifest.xml: error at the line of the mistake', async () => {
    const dir = project();
    write(dir, 'app/src/main/AndroidManifest.xml', '<?xml version="1.0"?>\n<manifest>\n  <application>\n    <service android:name=".S">\n  </application>\n</manifest>\n');
    const run = await check(dir);
    expect(where(run.report.findings)).toEqual([CANARY, 'app/src/main/AndroidManifest.xml:5 audiobg/parse-error']);
    const f = finding(run, 'app/src/main/AndroidManifest.xml');
    expect(f).toMatchObject({ severity: 'error', line: 5, column: 3 });
    expect(f.message).toBe('malformed XML: unexpected close tag: </application> does not close <service>');
    expect(run.code).toBe(1);
  });

  it('a malformed plist that no app claims is still reported', async () => {
    const dir = project();
    write(dir, 'Tools/Export.plist', '<?xml version="1.0"?>\n<plist version="1.0">\n<dict>\n  <key>method</key>\n  <string>ad-hoc\n</dict>\n</plist>\n');
    const run = await check(dir);
    expect(where(run.report.findings)).toEqual([CANARY, 'Tools/Export.plist:6 audiobg/parse-error']);
  });

  it('an unclosed element: reported at the start tag that is never closed', async () => {
    const dir = project();
    write(dir, 'App/App.entitlements', '<?xml version="1.0"?>\n<plist version="1.0">\n<dict>\n');
    const run = await check(dir);
    expect(finding(run, 'App/App.entitlements')).toMatchObject({ line: 3, column: 1, message: 'malformed XML: unclosed tag: <dict> is never closed' });
  });

  it('"--" inside an XML comment: says why, since that is how a suppression reason is written elsewhere', async () => {
    const dir = project();
    write(dir, 'AndroidManifest.xml', '<manifest>\n  <!-- audiobg-ignore-next-line android/x -- reason -->\n  <application/>\n</manifest>\n');
    const run = await check(dir);
    const f = finding(run, 'AndroidManifest.xml');
    expect(f.line).toBe(2);
    expect(f.message).toContain('XML does not allow "--" inside a comment');
  });

  it('an old-style (OpenStep) plist is a warning that it was not checked, not a false syntax error', async () => {
    const dir = project();
    write(dir, 'Legacy/Info.plist', '{\n  CFBundleName = "Legacy";\n}\n');
    const run = await check(dir);
    expect(finding(run, 'Legacy/Info.plist')).toMatchObject({ severity: 'warning', line: 1 });
    expect(finding(run, 'Legacy/Info.plist').message).toContain('not an XML property list');
  });
});

describe('encodings and line endings', () => {
  const plistLines = ['<?xml version="1.0" encoding="UTF-16"?>', '<plist version="1.0">', '<dict>', '  <key>CFBundleName</key>', '  <string>Player</strin>', '</dict>', '</plist>', ''];

  it('a UTF-16 plist with a BOM is decoded; positions count characters, not bytes', async () => {
    const dir = project();
    const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
    write(dir, 'Good/Info.plist', utf16(plistLines.join('\n').replace('</strin>', '</string>')));
    write(dir, 'Bad/Info.plist', utf16(plistLines.join('\n')));
    const run = await check(dir);
    expect(where(run.report.findings)).toEqual(['Bad/Info.plist:5 audiobg/parse-error', CANARY]);
    expect(finding(run, 'Bad/Info.plist').column).toBe(17);
  });

  it('a UTF-16 big-endian plist with a BOM is decoded too', async () => {
    const dir = project();
    const le = Buffer.from(plistLines.join('\n'), 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) {
      be[i] = le[i + 1]!;
      be[i + 1] = le[i]!;
    }
    write(dir, 'Bad/Info.plist', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    const run = await check(dir);
    expect(finding(run, 'Bad/Info.plist')).toMatchObject({ line: 5, column: 17 });
  });

  it('a UTF-8 plist with a BOM: the BOM does not shift columns', async () => {
    const dir = project();
    write(dir, 'Good/Info.plist', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plistLines.join('\n').replace('UTF-16', 'UTF-8').replace('</strin>', '</string>'))]));
    write(dir, 'Bad/Info.plist', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`<plist><dict><key>a</key><string>x</strin></dict></plist>`)]));
    const run = await check(dir);
    expect(where(run.report.findings)).toEqual(['Bad/Info.plist:1 audiobg/parse-error', CANARY]);
    expect(finding(run, 'Bad/Info.plist').column).toBe(35);
  });

  it('CRLF line endings: lines and columns stay right, and code frames carry no stray \\r', async () => {
    const dir = project();
    const crlf = (lines: string[]) => lines.join('\r\n');
    write(dir, 'Bad/Info.plist', crlf(plistLines.map((l) => l.replace('UTF-16', 'UTF-8'))));
    write(dir, 'Win.swift', crlf(['import Foundation', '', '    // audiobg-ignore-next-line audiobg/parse-error -- stale', 'let x = 1', '']));
    const run = await check(dir);
    expect(where(run.report.findings)).toEqual(['Bad/Info.plist:5 audiobg/parse-error', CANARY, 'Win.swift:3 audiobg/unused-suppression']);
    expect(finding(run, 'Bad/Info.plist').column).toBe(17);
    expect(finding(run, 'Win.swift').column).toBe(5);
    const pretty = await runCli(['doctor', dir]);
    expect(pretty.stdout).toContain('> 3 |     // audiobg-ignore-next-line audiobg/parse-error -- stale\n');
    expect(pretty.stdout).not.toContain('\r');
  });

  it('CR-only line endings (old Mac files): Swift and XML positions agree with the lines', async () => {
    const dir = project();
    write(dir, 'Old.swift', 'let a = 1\r// audiobg-ignore-next-line audiobg/parse-error -- stale\rlet b = 2\r');
    write(dir, 'Old.plist', '<plist>\r<dict>\r  <key>a</key>\r  <string>x</strin>\r</dict>\r</plist>\r');
    const run = await check(dir);
    expect(where(run.report.findings)).toEqual([CANARY, 'Old.plist:4 audiobg/parse-error', 'Old.swift:2 audiobg/unused-suppression']);
    expect(finding(run, 'Old.plist').column).toBe(12);
  });
});

describe('hostile and odd files', () => {
  it('an XML external entity is never resolved, and nothing of the file it names is printed', async () => {
    const dir = project();
    const secret = path.join(tempDir('secret'), 'secret.txt');
    fs.writeFileSync(secret, 'TOP-SECRET-CONTENT-7f3a\n');
    const passwd = fs.existsSync('/etc/passwd') ? fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0]! : null;
    write(
      dir,
      'App/Info.plist',
      `<?xml version="1.0"?>\n<!DOCTYPE plist [<!ENTITY e SYSTEM "file://${secret}"><!ENTITY p SYSTEM "file:///etc/passwd">]>\n<plist version="1.0">\n<dict>\n  <key>Name</key>\n  <string>&e;&p;</string>\n</dict>\n</plist>\n`,
    );
    const readSpy = vi.spyOn(fs, 'readFileSync');
    const json = await check(dir);
    const pretty = await runCli(['doctor', dir]);
    const sarif = await runCli(['doctor', dir, '--format', 'sarif']);
    expect(finding(json, 'App/Info.plist')).toMatchObject({ severity: 'error', line: 6 });
    expect(finding(json, 'App/Info.plist').message).toContain('undefined entity');
    for (const out of [json.stdout, json.stderr, pretty.stdout, pretty.stderr, sarif.stdout]) {
      expect(out).not.toContain('TOP-SECRET-CONTENT');
      if (passwd) expect(out).not.toContain(passwd);
    }
    expect(readSpy.mock.calls.some(([p]) => String(p) === secret || String(p) === '/etc/passwd')).toBe(false);
  });

  it('a binary file named .swift is reported and never reaches tree-sitter', async () => {
    const dir = project();
    // The directive inside makes the suppression scan want this file: only the binary check stops it.
    const bytes = Buffer.concat([Buffer.from('// audiobg-ignore-next-line audiobg/parse-error\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x89, 0x50])]);
    write(dir, 'Sources/Logo.swift', bytes);
    const swift = await getParser('swift');
    const parseSpy = vi.spyOn(swift, 'parse');
    const run = await check(dir);
    expect(where(run.report.findings)).toEqual([CANARY, 'Sources/Logo.swift:1 audiobg/parse-error']);
    expect(finding(run, 'Sources/Logo.swift')).toMatchObject({ severity: 'warning', message: 'not checked: the file holds binary data, not text' });
    const parsed = parseSpy.mock.calls.map(([input]) => String(input));
    expect(parsed.some((t) => t.includes('\u0000'))).toBe(false);
    expect(parsed.some((t) => t.includes('canary'))).toBe(true);
  });

  describe('a source file tree-sitter cannot parse within the time budget', () => {
    // tree-sitter-swift needs minutes on some megabyte-sized generated files; here the parser is
    // made to behave that way (run past the budget, then give up as tree-sitter does on timeout),
    // so the test does not depend on the machine's speed.
    function slowProject(): string {
      const dir = project();
      write(dir, 'Generated/Mocks.swift', '// audiobg-ignore-next-line audiobg/parse-error\nfinal class MockPlayer { var plays = 0 }\n');
      return dir;
    }
    const saved = PARSE_BUDGET.ms;
    const spies: { mockRestore(): void }[] = [];
    afterEach(() => {
      PARSE_BUDGET.ms = saved;
      for (const s of spies.splice(0)) s.mockRestore();
    });

    it('is skipped with a warning, the parser is reset, and the other files are still checked', async () => {
      PARSE_BUDGET.ms = 30;
      const swift = await getParser('swift');
      // The prototype's parse: never a spy left by another test.
      const protoParse = (Object.getPrototypeOf(swift) as typeof swift).parse;
      const real = (...a: unknown[]) => (protoParse as (...x: unknown[]) => ReturnType<typeof swift.parse>).apply(swift, a);
      const resetSpy = vi.spyOn(swift, 'reset');
      spies.push(resetSpy);
      spies.push(vi.spyOn(swift, 'parse').mockImplementation(((input: string, ...rest: unknown[]) => {
        if (!String(input).includes('MockPlayer')) return real(input, ...rest);
        const until = Date.now() + 40;
        while (Date.now() < until) {
          // busy, like a parse that runs past its budget
        }
        throw new Error('Parsing failed');
      }) as typeof swift.parse));
      const run = await check(slowProject());
      expect(where(run.report.findings)).toEqual([CANARY, 'Generated/Mocks.swift:1 audiobg/parse-error']);
      const slow = finding(run, 'Generated/Mocks.swift');
      expect(slow).toMatchObject({ severity: 'warning' });
      expect(slow.message).toContain('parsing took longer than');
      expect(resetSpy).toHaveBeenCalled();
    });

    it('near miss: a parse that fails quickly is a plain parse error, not a timeout', async () => {
      const swift = await getParser('swift');
      // The prototype's parse: never a spy left by another test.
      const protoParse = (Object.getPrototypeOf(swift) as typeof swift).parse;
      const real = (...a: unknown[]) => (protoParse as (...x: unknown[]) => ReturnType<typeof swift.parse>).apply(swift, a);
      spies.push(vi.spyOn(swift, 'parse').mockImplementation(((input: string, ...rest: unknown[]) => {
        if (!String(input).includes('MockPlayer')) return real(input, ...rest);
        throw new Error('Parsing failed');
      }) as typeof swift.parse));
      const run = await check(slowProject());
      const slow = finding(run, 'Generated/Mocks.swift');
      expect(slow).toMatchObject({ severity: 'error', message: 'could not parse: Parsing failed' });
    });

    it('near miss: within the budget the file is parsed and checked', async () => {
      const run = await check(slowProject());
      expect(where(run.report.findings)).toEqual([CANARY, 'Generated/Mocks.swift:1 audiobg/unused-suppression']);
    });
  });

  it('a binary .ts file that is an MPEG transport stream (an HLS video segment) is skipped silently', async () => {
    const dir = project();
    // Four 188-byte packets, each starting with the 0x47 sync byte, with NUL bytes inside.
    const packet = Buffer.alloc(188, 0);
    packet[0] = 0x47;
    write(dir, 'docs/static/hls/segment-00001.ts', Buffer.concat([packet, packet, packet, packet]));
    // Near miss: binary data in a .ts file without the packet structure is still reported.
    write(dir, 'src/broken.ts', Buffer.concat([Buffer.from('export const x = 1;\n'), Buffer.from([0, 1, 2, 0xff, 0])]));
    const run = await check(dir);
    expect(run.report.findings.filter((f) => f.file.startsWith('docs/'))).toEqual([]);
    expect(finding(run, 'src/broken.ts')).toMatchObject({ ruleId: 'audiobg/parse-error', message: 'not checked: the file holds binary data, not text' });
  });

  it('a binary plist goes to the plist reader, not the "binary data" path', async () => {
    const dir = project();
    // The bplist signature followed by garbage: readable as bytes, malformed as a plist.
    write(dir, 'App/Info.plist', Buffer.concat([Buffer.from('bplist00'), Buffer.from([0xd1, 0x01, 0x02, 0x00, 0xff, 0x13])]));
    const run = await check(dir);
    const forPlist = run.report.findings.filter((f) => f.file === 'App/Info.plist');
    expect(forPlist).toHaveLength(1);
    expect(forPlist[0]!.message).not.toContain('binary data, not text');
    expect(forPlist[0]!.message).toMatch(/plist/i);
  });

  it('a 50 MB file is rejected by its size before anything reads it', async () => {
    const dir = project();
    const big = path.join(dir, 'Generated/Huge.swift');
    fs.mkdirSync(path.dirname(big), { recursive: true });
    // A sparse file: 50 MB by size, no disk space and no time to write.
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 50 * 1024 * 1024);
    const readSpy = vi.spyOn(fs, 'readFileSync');
    const openSpy = vi.spyOn(fs, 'openSync');
    const run = await check(dir);
    expect(where(run.report.findings)).toEqual([CANARY, 'Generated/Huge.swift:1 audiobg/parse-error']);
    const f = finding(run, 'Generated/Huge.swift');
    expect(f.severity).toBe('warning');
    expect(f.message).toBe('not checked: 50.0 MB is more than the 4 MB audiobg parses; if it holds audio code, split it, or exclude it with an "ignore" glob');
    const touched = [...readSpy.mock.calls, ...openSpy.mock.calls].some(([p]) => String(p) === big);
    expect(touched).toBe(false);
  });

  it('an unreadable folder is reported by path; the rest is checked', async () => {
    const dir = project();
    const locked = path.join(dir, 'Locked');
    write(dir, 'Locked/Player.swift', 'let hidden = 1\n');
    if (IS_ROOT) {
      // As root, chmod 000 does not stop readdir, so the refusal is simulated for this one folder;
      // the walker sees the same EACCES error it would get from the file system.
      const real = fs.readdirSync;
      vi.spyOn(fs, 'readdirSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
        if (path.resolve(String(p)) === locked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: 'EACCES' });
        return (real as (...a: unknown[]) => unknown)(p, ...rest);
      }) as typeof fs.readdirSync);
    } else {
      fs.chmodSync(locked, 0o000);
    }
    try {
      const run = await check(dir);
      expect(where(run.report.findings)).toEqual([CANARY, 'Locked:1 audiobg/parse-error']);
      expect(finding(run, 'Locked')).toMatchObject({ severity: 'error', message: 'cannot read folder: permission denied' });
      expect(run.code).toBe(1);
      // The folder has no source line: the pretty report shows no code frame for it and does not choke.
      const pretty = await runCli(['doctor', dir]);
      expect(pretty.stdout).toMatch(/^Locked\n {2}1:1 +error {2}cannot read folder: permission denied/m);
    } finally {
      if (!IS_ROOT) fs.chmodSync(locked, 0o755);
    }
  });

  it('a symlink loop is noted once and does not hang the walk', async () => {
    const dir = project();
    write(dir, 'ios/App/Player.swift', '// audiobg-ignore-next-line audiobg/parse-error -- stale\nlet p = 1\n');
    fs.symlinkSync('..', path.join(dir, 'ios/App/up'));
    fs.symlinkSync(path.join(dir, 'ios'), path.join(dir, 'alias'));
    const run = await check(dir);
    expect(where(run.report.findings)).toEqual([
      'Canary.swift:1 audiobg/unused-suppression',
      'ios/App/Player.swift:1 audiobg/unused-suppression',
      'ios/App/up:1 audiobg/parse-error',
    ]);
    expect(finding(run, 'ios/App/up')).toMatchObject({ severity: 'info' });
    expect(finding(run, 'ios/App/up').message).toContain('symlink loop');
  });

  it('a symbolic link to itself named like a source file is reported, not followed', async () => {
    const dir = project();
    fs.symlinkSync('Self.swift', path.join(dir, 'Self.swift'));
    const run = await check(dir);
    expect(finding(run, 'Self.swift').message).toContain('too many levels of symbolic links');
  });

  it('deeply nested XML is refused with a message instead of overflowing the stack', async () => {
    const dir = project();
    write(dir, 'Deep.plist', `<plist>${'<array>'.repeat(5000)}${'</array>'.repeat(5000)}</plist>`);
    const run = await check(dir);
    expect(finding(run, 'Deep.plist').message).toContain('nested more than 500 levels deep');
  });
});
