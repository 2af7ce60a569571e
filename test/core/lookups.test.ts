// The cheap lookups that keep a monorepo run linear: the keyword prefilter (one regular expression
// per word list) and the folder index (files under a folder by binary search). Each must answer
// exactly what the plain loop it replaced answered.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/parse/workspace.js';
import { findFiles } from '../../src/discover/find-files.js';
import { FolderIndex, isUnder } from '../../src/discover/paths.js';
import { tempDir, write } from './helpers.js';

describe('the keyword prefilter (Workspace.mentions)', () => {
  const dir = tempDir('mentions');
  const texts: Record<string, string> = {
    'a.swift': 'let s = AVAudioSession.sharedInstance()',
    'b.swift': 'let price = 1.5 // a.b(c) [x]',
    'c.swift': 'struct Plain {}',
    'd.swift': 'routeChange',
  };
  for (const [rel, text] of Object.entries(texts)) write(dir, rel, text);
  const found = findFiles(dir);
  const lists: string[][] = [
    ['AVAudioSession', 'AVAudio'], // one word contains the other
    ['AVAudio', 'AVAudioSession'],
    ['a.b(c)', '[x]'], // regular-expression characters are plain text
    ['.', 'zzz'],
    ['RouteChange', 'routeChange', 'routeChange'], // case matters; duplicates are harmless
    [],
    ['', 'zzz'], // an empty word is in every text, as with String.includes
    ['Plain'],
  ];
  for (const words of lists) {
    it(`answers as "any word is in the text" for ${JSON.stringify(words)}`, () => {
      const ws = new Workspace(found.root, found.files, found.problems);
      for (const [rel, text] of Object.entries(texts)) {
        expect({ rel, hit: ws.mentions(path.join(dir, rel), words) }).toEqual({ rel, hit: words.some((w) => text.includes(w)) });
      }
    });
  }
});

describe('FolderIndex', () => {
  it('lists the files strictly inside a folder, in the order given, as isUnder would', () => {
    // Names that sort differently as whole paths than folder by folder ("a-b" < "a/" by code unit).
    const paths = ['/r/a/x.swift', '/r/a-b/y.swift', '/r/a/b/z.swift', '/r/ab.swift', '/r/a', '/r/b/a/w.swift', '/r/a/'];
    const files = paths.map((p) => ({ path: p }));
    const index = new FolderIndex(files);
    for (const dir of ['/r', '/r/', '/r/a', '/r/a/', '/r/a/b', '/r/a-b', '/r/b', '/r/c', '/']) {
      expect({ dir, under: index.under(dir).map((f) => f.path) }).toEqual({ dir, under: files.filter((f) => isUnder(f.path, dir)).map((f) => f.path) });
    }
  });
});
