// What the Workspace keeps and lets go: facts stay, syntax trees and turned-away texts do not,
// and letting go never changes an answer (a text asked for again is read again).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/parse/workspace.js';
import { findFiles } from '../../src/discover/find-files.js';
import { REPO_ROOT, tempDir, write } from './helpers.js';

function workspace(files: Record<string, string>): { ws: Workspace; dir: string } {
  const dir = tempDir('ws');
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  const found = findFiles(dir);
  return { ws: new Workspace(found.root, found.files, found.problems), dir };
}

describe('texts turned away by the prefilter', () => {
  it('are let go, and read again (same text) when asked for later', () => {
    const { ws, dir } = workspace({ 'A.swift': 'struct Model { var id = 1 }\n' });
    const file = path.join(dir, 'A.swift');
    expect(ws.mentions(file, ['AVAudioSession'])).toBe(false);
    // The disk changes behind the workspace's back: a text that was kept would still say the old thing.
    fs.writeFileSync(file, 'struct Model { var id = 2 }\n');
    expect(ws.text(file)?.text).toBe('struct Model { var id = 2 }\n');
  });

  it('a file that passes the prefilter keeps its text (it is about to be parsed)', () => {
    const { ws, dir } = workspace({ 'A.swift': 'import AVFoundation\nlet s = AVAudioSession.sharedInstance()\n' });
    const file = path.join(dir, 'A.swift');
    expect(ws.mentions(file, ['AVAudioSession'])).toBe(true);
    fs.writeFileSync(file, 'changed\n');
    expect(ws.text(file)?.text).toContain('AVAudioSession');
  });

  it('configuration files are never let go (they are read by several fact builders)', () => {
    const { ws, dir } = workspace({ 'Info.plist': '<plist><dict/></plist>\n' });
    const file = path.join(dir, 'Info.plist');
    expect(ws.mentions(file, ['UIBackgroundModes'])).toBe(false);
    fs.writeFileSync(file, 'changed\n');
    expect(ws.text(file)?.text).toBe('<plist><dict/></plist>\n');
  });

  it('whether a let-go file may hold a suppression directive is known without reading it again', () => {
    const { ws, dir } = workspace({ 'A.swift': 'struct Model {}\n', 'B.swift': '// audiobg-ignore-next-line ios/x -- why\nstruct B {}\n' });
    const a = path.join(dir, 'A.swift');
    const b = path.join(dir, 'B.swift');
    expect(ws.mentions(a, ['AVAudioSession'])).toBe(false);
    expect(ws.mentions(b, ['AVAudioSession'])).toBe(false);
    fs.rmSync(a); // reading A again would now fail and be reported
    expect(ws.mayHoldDirective(a)).toBe(false);
    expect(ws.mayHoldDirective(b)).toBe(true);
    expect(ws.problems).toEqual([]);
  });
});

describe('syntax trees', () => {
  it('are freed once read through withTree; a second reader parses again and sees the same tree', async () => {
    const { ws, dir } = workspace({ 'A.swift': 'import AVFoundation\nfunc f() {}\n' });
    const file = path.join(dir, 'A.swift');
    const first = await ws.withTree(file, 'swift', (root) => root.toString());
    const second = await ws.withTree(file, 'swift', (root) => root.toString());
    expect(first).toBeTruthy();
    expect(second).toBe(first);
    // Nothing is left for dispose() to free.
    expect((ws as unknown as { trees: Map<string, unknown> }).trees.size).toBe(0);
  });

  it('two readers at once share one parse, and the tree lives until the last is done', async () => {
    const { ws, dir } = workspace({ 'A.swift': 'import AVFoundation\nfunc f() {}\n' });
    const file = path.join(dir, 'A.swift');
    const [a, b] = await Promise.all([
      ws.withTree(file, 'swift', (root) => root.namedChildren.length),
      ws.withTree(file, 'swift', (root) => root.namedChildren.length),
    ]);
    expect(a).toBe(2);
    expect(b).toBe(2);
    expect((ws as unknown as { trees: Map<string, unknown> }).trees.size).toBe(0);
  });

  it('an unreadable file gives null, with its problem recorded once', async () => {
    const { ws, dir } = workspace({ 'A.swift': 'func f() {}\n' });
    const file = path.join(dir, 'A.swift');
    fs.rmSync(file);
    expect(await ws.withTree(file, 'swift', () => 'read')).toBeNull();
    expect(await ws.withTree(file, 'swift', () => 'read')).toBeNull();
    expect(ws.problems.filter((p) => p.file === file)).toHaveLength(1);
  });
});

describe('the young generation (bin/launch.cjs HEAP_FLAGS)', () => {
  it('does not grow while objects survive, once the launcher has set its flags', async () => {
    const { spawnSync } = await import('node:child_process');
    // The same allocation pattern in a fresh process with and without the launcher's flags: many
    // young objects that survive (as doctor's facts do) make V8 grow the new space unless told not to.
    const script = (withFlags: boolean) => `
      ${withFlags ? `require(${JSON.stringify(path.join(REPO_ROOT, 'bin', 'launch.cjs'))}).setV8Flags();` : ''}
      const v8 = require('node:v8');
      let keep = [];
      for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 50000) keep = []; }
      const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      console.log(space.space_size);`;
    const newSpace = (withFlags: boolean) => Number(spawnSync(process.execPath, ['-e', script(withFlags)], { encoding: 'utf8' }).stdout.trim());
    const grown = newSpace(false);
    const capped = newSpace(true);
    expect(grown).toBeGreaterThan(4 * 1024 * 1024);
    expect(capped).toBeLessThanOrEqual(2 * 1024 * 1024);
  });
});
