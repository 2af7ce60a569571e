// Every rule carries what a finding needs to be actionable, and is documented for users.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../rules/index.js';
import { REPO_ROOT } from './support/cli.js';

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

describe.each(allRules.map((r) => [r.meta.id, r.meta] as const))('rule %s', (id, meta) => {
  it('has a stable id of the form platform/kebab-name matching its platform', () => {
    expect(id).toMatch(/^(ios|android|expo|flutter|audiobg)\/[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(id.split('/')[0]).toBe(meta.platform);
  });

  it('says what, why and how to fix, and cites at least one https document', () => {
    for (const text of [meta.title, meta.description, meta.why, meta.fix]) expect(text.trim().length).toBeGreaterThan(10);
    expect(meta.docs.length).toBeGreaterThan(0);
    for (const d of meta.docs) {
      expect(d.url).toMatch(/^https:\/\/\S+$/);
      expect(d.title.trim()).not.toBe('');
    }
  });

  it('is listed in README.md', () => {
    expect(readme).toContain(`\`${id}\``);
  });
});

it('rule ids are unique', () => {
  const ids = allRules.map((r) => r.meta.id);
  expect(new Set(ids).size).toBe(ids.length);
});
