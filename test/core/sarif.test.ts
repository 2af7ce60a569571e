// SARIF 2.1.0 output: valid against the OASIS schema, and shaped the way GitHub code scanning
// expects (rules metadata, relative URIs, line-independent partialFingerprints).

import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CORE_FIXTURES, REPO_ROOT, runCli, tempDir, write } from './helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// The schema lives beside the repository (../shared), not in it. Without it a developer can
// still run the suite (the validation is skipped with a message), but CI must validate: when
// CI is set, a missing schema fails the test instead of skipping it.
const SCHEMA_PATH = path.resolve(REPO_ROOT, '../shared/reference/sarif/sarif-schema-2.1.0.json');
const SCHEMA_PRESENT = fs.existsSync(SCHEMA_PATH);
const SKIP_SCHEMA = !SCHEMA_PRESENT && !process.env.CI;
if (SKIP_SCHEMA) {
  console.warn(`sarif.test.ts: SKIPPING SARIF schema validation: ${SCHEMA_PATH} does not exist (it would fail under CI).`);
}

const FINGERPRINT_KEY = 'audiobg/v1';

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn?: number } } }>;
  partialFingerprints: Record<string, string>;
}

async function sarif(dir: string, extra: string[] = []) {
  const run = await runCli(['doctor', dir, '--format', 'sarif', ...extra]);
  expect([0, 1]).toContain(run.code);
  const log = JSON.parse(run.stdout);
  return { run, log, results: log.runs[0].results as SarifResult[] };
}

/** A project with every kind of finding the core fixtures produce. */
function mixedProject(): string {
  const dir = tempDir('sarif');
  fs.cpSync(path.join(CORE_FIXTURES, 'errors'), path.join(dir, 'errors'), { recursive: true });
  fs.cpSync(path.join(CORE_FIXTURES, 'suppressions'), path.join(dir, 'suppressions'), { recursive: true });
  return dir;
}

/**
 * The OASIS file declares draft-04 ("$schema" and a top-level "id"), but Ajv 8 ships draft-07
 * only. The two drafts differ in `id`/`$id` and in boolean exclusiveMinimum/Maximum; the schema
 * uses no exclusive bounds, so it is validated as draft-07 once `id` is moved to `$id`. The
 * check below fails loudly if a future schema file breaks that assumption.
 */
function compileSarifSchema(text: string) {
  expect(text).not.toMatch(/"exclusive(Minimum|Maximum)"/);
  const schema = JSON.parse(text);
  expect(schema.$schema).toMatch(/draft-0[47]/);
  const { id, ...rest } = schema;
  const draft07 = { ...rest, $schema: 'http://json-schema.org/draft-07/schema#', $id: id };
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  return ajv.compile(draft07);
}

describe('SARIF schema', () => {
  it.skipIf(SKIP_SCHEMA)(`validates against the SARIF 2.1.0 schema${SCHEMA_PRESENT ? '' : ` (schema missing: ${SCHEMA_PATH})`}`, async () => {
    if (!SCHEMA_PRESENT) throw new Error(`The SARIF schema is missing at ${SCHEMA_PATH}; CI is set, so this validation may not be skipped.`);
    const validate = compileSarifSchema(fs.readFileSync(SCHEMA_PATH, 'utf8'));
    for (const dir of [mixedProject(), path.join(CORE_FIXTURES, 'clean')]) {
      const { log } = await sarif(dir);
      validate(log);
      expect(validate.errors ?? []).toEqual([]);
    }
    // The validator is not vacuous: a wrong level and a missing message are rejected.
    const { log: broken } = await sarif(path.join(CORE_FIXTURES, 'errors'));
    broken.runs[0].results[0].level = 'fatal';
    delete broken.runs[0].results[1].message;
    expect(validate(broken)).toBe(false);
    // Names that need percent-encoding still give valid URI references.
    const odd = tempDir('sarif-odd');
    write(odd, 'dir with space/a#b?c%.plist', '<plist>\n');
    const { log } = await sarif(odd);
    validate(log);
    expect(validate.errors ?? []).toEqual([]);
  });
});

describe('what GitHub code scanning expects', () => {
  it('describes every rule: id, short and full description, helpUri, default level', async () => {
    const { log } = await sarif(mixedProject());
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif/);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('audiobg');
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
    const ids = (driver.rules as Array<{ id: string }>).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of driver.rules) {
      expect(rule.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription.text.length).toBeGreaterThan(0);
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
  });

  it('gives each result a rule, level, message, a location relative to the scanned root and a fingerprint', async () => {
    const dir = mixedProject();
    const { log, results } = await sarif(dir);
    const rules = log.runs[0].tool.driver.rules as Array<{ id: string }>;
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${dir}/`);
    expect(results.length).toBe(8); // 2 in errors/, 6 in suppressions/
    for (const r of results) {
      expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.message.text.length).toBeGreaterThan(0);
      const loc = r.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation.uri).not.toMatch(/^(\/|[a-z]+:|\.\.)/);
      expect(fs.existsSync(path.join(dir, decodeURIComponent(loc.artifactLocation.uri)))).toBe(true);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
    }
    const manifest = results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'errors/android/app/src/main/AndroidManifest.xml')!;
    expect(manifest).toMatchObject({ ruleId: 'audiobg/parse-error', level: 'error' });
    expect(manifest.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 9, startColumn: 5 });
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  it('percent-encodes each path segment (spaces, #, ?, %)', async () => {
    const dir = tempDir('sarif-odd');
    write(dir, 'dir with space/a#b?c%.plist', '<plist>\n');
    const { results } = await sarif(dir);
    expect(results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(['dir%20with%20space/a%23b%3Fc%25.plist']);
  });

  it('notes are level "note"; a clean run has an empty results array', async () => {
    const { results } = await sarif(path.join(CORE_FIXTURES, 'clean'));
    expect(results).toEqual([]);
    const dir = tempDir('sarif-note');
    write(dir, 'App.swift', 'let a = 1\n');
    fs.symlinkSync('.', path.join(dir, 'loop'));
    const notes = await sarif(dir);
    expect(notes.results.map((r) => r.level)).toEqual(['note']);
  });
});

describe('partialFingerprints', () => {
  const fingerprints = (results: SarifResult[]) =>
    new Map(results.map((r) => [r.partialFingerprints[FINGERPRINT_KEY]!, `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`]));

  it('are all different for different findings', async () => {
    const { results } = await sarif(mixedProject());
    expect(fingerprints(results).size).toBe(results.length);
  });

  it('stay the same when unrelated lines are inserted above each finding', async () => {
    const dir = mixedProject();
    const before = fingerprints((await sarif(dir)).results);

    // Two lines above everything: a comment and a blank line, in each file's own syntax.
    const insert = (rel: string, lines: string, afterFirstLine: boolean) => {
      const p = path.join(dir, rel);
      const text = fs.readFileSync(p, 'utf8');
      const cut = afterFirstLine ? text.indexOf('\n') + 1 : 0;
      fs.writeFileSync(p, text.slice(0, cut) + lines + text.slice(cut));
    };
    for (const rel of ['errors/android/app/src/main/AndroidManifest.xml', 'errors/ios/Player/Info.plist', 'suppressions/android/app/src/main/AndroidManifest.xml', 'suppressions/ios/Player/Defaults.plist', 'suppressions/ios/Player/Settings.plist']) {
      insert(rel, '<!-- inserted by the test -->\n\n', true);
    }
    insert('suppressions/ios/Player/Player.swift', '// inserted by the test\n\n', false);
    insert('suppressions/android/app/src/main/java/com/example/player/MainActivity.kt', '\n/* inserted by the test */\n', false);

    const after = fingerprints((await sarif(dir)).results);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [fp, where] of before) {
      // Same finding, two lines further down.
      const line = Number(where.split(':').at(-1));
      expect(after.get(fp)).toBe(where.replace(/:\d+$/, `:${line + 2}`));
    }
  });

  it('do not depend on where the checkout lives', async () => {
    const a = fingerprints((await sarif(mixedProject())).results);
    const b = fingerprints((await sarif(mixedProject())).results);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  });

  it('change when the flagged line itself changes', async () => {
    const dir = mixedProject();
    const rel = 'suppressions/ios/Player/Player.swift';
    const before = fingerprints((await sarif(dir)).results);
    const p = path.join(dir, rel);
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('-- the id is misspelt', '-- the id is still misspelt'));
    const after = fingerprints((await sarif(dir)).results);
    const changed = [...before.keys()].filter((k) => !after.has(k)).map((k) => before.get(k));
    expect(changed).toEqual([`audiobg/unused-suppression ${rel}:4`]);
  });
});
