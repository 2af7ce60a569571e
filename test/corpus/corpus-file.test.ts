// The real corpus files (test/corpus/corpus*.json) must validate: schema, unique ids across files,
// rule ids the tool has, pairs that point at each other. Runs without any fetched repository.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { loadCorpus, validateCorpus, type CorpusEntry } from '../../src/corpus/corpus.js';
import { REPO_ROOT } from '../support/cli.js';

const KNOWN = new Set(allRules.map((r) => r.meta.id));
const DIR = path.join(REPO_ROOT, 'test', 'corpus');
const FILES = fs.readdirSync(DIR).filter((n) => /^corpus(-[\w-]+)?\.json$/.test(n));

describe('test/corpus/corpus*.json', () => {
  it('has the main corpus file', () => {
    expect(FILES).toContain('corpus.json');
  });

  for (const name of FILES) {
    it(`${name} validates`, () => {
      expect(() => loadCorpus(path.join(DIR, name), KNOWN)).not.toThrow();
    });
  }

  it('ids are unique and pairs consistent across all the files', () => {
    const repos = FILES.flatMap((n) => JSON.parse(fs.readFileSync(path.join(DIR, n), 'utf8')).repos);
    expect(() => validateCorpus({ schema: 1, repos }, KNOWN, FILES.join(' + '))).not.toThrow();
  });

  it('every entry explains itself: each expectation names its source, each pair has a bug and a fix side', () => {
    const repos: CorpusEntry[] = FILES.flatMap((n) => JSON.parse(fs.readFileSync(path.join(DIR, n), 'utf8')).repos);
    for (const e of repos) {
      if (e.pair?.role === 'bug') expect(e.expect.length, `${e.id}: a bug commit expects at least one finding`).toBeGreaterThan(0);
      if (e.pair?.role === 'fixed') expect(e.mustNotReport.length, `${e.id}: a fixed commit forbids at least one finding`).toBeGreaterThan(0);
    }
  });
});
