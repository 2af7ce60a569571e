// The CI and editor formats: xcode (exact line shape), gitlab (validated against our encoding of
// GitLab's Code Quality schema) and junit (parsed as XML, structure checked).

import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../support/cli.js';
import { tempDir, write } from '../core/helpers.js';
import { formatXcode } from '../../src/report/xcode-reporter.js';
import { formatJunit } from '../../src/report/junit-reporter.js';
import { formatGitlab } from '../../src/report/gitlab-reporter.js';
import type { ReportContext } from '../../src/report/reporter.js';
import type { Finding } from '../../src/findings/finding.js';
import type { RuleMeta } from '../../src/engine/rule.js';

const EXAMPLE = path.join(FIXTURES, 'examples/podcast-player');
const ERRORS = path.join(FIXTURES, 'core/errors');

/** An example copy where one warning rule is lowered to info by configuration. */
function exampleWithInfo(): string {
  const dir = path.join(tempDir('ci-formats'), 'podcast-player');
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  write(dir, 'audiobg.config.json', JSON.stringify({ rules: { 'ios/now-playing-mixable': 'info' } }));
  return dir;
}

/** A synthetic run, for the characters real fixtures cannot easily produce. */
function context(root: string, findings: Array<Partial<Finding> & Pick<Finding, 'ruleId' | 'message'>>, apps: ReportContext['result']['apps'] = []): ReportContext {
  const rules: RuleMeta[] = [...new Set(findings.map((f) => f.ruleId))].map((id) => ({
    id,
    platform: id.split('/')[0] as RuleMeta['platform'],
    severity: 'error',
    title: id,
    description: id,
    why: 'why',
    fix: 'fix',
    docs: [],
  }));
  return {
    result: {
      root,
      findings: findings.map((f, i) => ({
        severity: 'error',
        location: { file: path.join(root, 'a.swift'), line: 1, column: 1 },
        why: 'Why it matters.',
        fix: 'Do this.',
        docs: [{ title: 'Doc', url: 'https://example.com/doc' }],
        fingerprint: `fp${i}`,
        ...f,
      })),
      suppressedCount: 0,
      filesChecked: 1,
      filesSeen: 1,
      apps,
      rules,
      grammarsLoaded: [],
      internalErrors: [],
      sourceLine: () => undefined,
    },
    exitCode: 1,
    color: false,
    toolVersion: '0.0.0',
    quiet: false,
  };
}

describe('xcode', () => {
  const LINE = /^(\/[^\n]*?):(\d+):(\d+): (error|warning|note): ([^\n]+) \[([a-z]+\/[a-z0-9-]+)\]$/;

  it('prints one absolute path:line:column: severity: message [rule-id] line per finding', async () => {
    const run = await runCli(['doctor', ERRORS, '--format', 'xcode']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `${ERRORS}/android/app/src/main/AndroidManifest.xml:9:5: error: malformed XML: unexpected close tag: </application> does not close <service> ` +
        'Fix the syntax error at the reported line, make the file readable, or exclude it with an "ignore" glob in audiobg.config.json if it is not part of the app. [audiobg/parse-error]\n' +
        `${ERRORS}/ios/Player/Info.plist:6:16: error: malformed XML: unexpected close tag: </strin> does not close <string> ` +
        'Fix the syntax error at the reported line, make the file readable, or exclude it with an "ignore" glob in audiobg.config.json if it is not part of the app. [audiobg/parse-error]\n',
    );
  });

  it('every finding of the example becomes one line; info is a note; the exit code is unchanged', async () => {
    const dir = exampleWithInfo();
    const json = JSON.parse((await runCli(['doctor', dir, '--format', 'json'])).stdout);
    const run = await runCli(['doctor', dir, '--format', 'xcode'], { cwd: path.dirname(dir) });
    expect(run.code).toBe(json.exitCode);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(json.findings.length);
    lines.forEach((line, i) => {
      const m = LINE.exec(line);
      expect(m, line).not.toBeNull();
      const f = json.findings[i];
      expect(m![1]).toBe(path.join(dir, f.file));
      expect(path.isAbsolute(m![1]!)).toBe(true);
      expect([Number(m![2]), Number(m![3])]).toEqual([f.line, f.column]);
      expect(m![4]).toBe({ error: 'error', warning: 'warning', info: 'note' }[f.severity as string]);
      expect(m![5]!.startsWith(f.message)).toBe(true);
      expect(m![6]).toBe(f.ruleId);
    });
    expect(lines.filter((l) => / note: /.test(l)).map((l) => LINE.exec(l)![6])).toEqual(['ios/now-playing-mixable']);
    // Nothing else on stdout: the notes for people stay on stderr.
    expect(run.stderr).toContain('automatic fix');
  });

  it('a clean run prints nothing; a message with line breaks stays on one line', async () => {
    expect((await runCli(['doctor', path.join(FIXTURES, 'core/clean'), '--format', 'xcode'])).stdout).toBe('');
    const out = formatXcode(context('/r', [{ ruleId: 'ios/x', message: 'first\nsecond\r\n\tthird', severity: 'warning' }]));
    expect(out).toBe('/r/a.swift:1:1: warning: first second third Do this. [ios/x]\n');
  });
});

describe('gitlab', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'gitlab-codequality.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it.each([
    ['the example', () => exampleWithInfo()],
    ['a malformed app', () => ERRORS],
    ['a clean app', () => path.join(FIXTURES, 'core/clean')],
  ])('the report of %s matches the Code Quality schema', async (_name, dir) => {
    const run = await runCli(['doctor', dir(), '--format', 'gitlab']);
    const report = JSON.parse(run.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });

  it('maps every finding: relative path, line, rule id as check_name, severity scale, unique fingerprints', async () => {
    const dir = exampleWithInfo();
    const json = JSON.parse((await runCli(['doctor', dir, '--format', 'json'])).stdout);
    const run = await runCli(['doctor', dir, '--format', 'gitlab']);
    expect(run.code).toBe(json.exitCode);
    const issues = JSON.parse(run.stdout);
    expect(issues).toHaveLength(json.findings.length);
    issues.forEach((issue: any, i: number) => {
      const f = json.findings[i];
      expect(issue).toMatchObject({
        check_name: f.ruleId,
        severity: { error: 'critical', warning: 'minor', info: 'info' }[f.severity as string],
        location: { path: f.file, lines: { begin: f.line } },
      });
      expect(issue.description.startsWith(f.message)).toBe(true);
    });
    expect(new Set(issues.map((x: any) => x.fingerprint)).size).toBe(issues.length);
    expect(issues.some((x: any) => x.severity === 'info')).toBe(true);
    // Fingerprints survive a run from another working directory and unrelated line moves.
    const again = JSON.parse((await runCli(['doctor', dir, '--format', 'gitlab'], { cwd: path.dirname(dir) })).stdout);
    expect(again.map((x: any) => x.fingerprint)).toEqual(issues.map((x: any) => x.fingerprint));
  });

  it('the schema rejects what GitLab would reject (it can fail)', () => {
    const good = JSON.parse(formatGitlab(context('/r', [{ ruleId: 'ios/x', message: 'm' }])));
    expect(validate(good)).toBe(true);
    expect(validate([{ ...good[0], severity: 'error' }])).toBe(false);
    expect(validate([{ ...good[0], location: { path: 'a.swift' } }])).toBe(false);
    expect(validate([{ ...good[0], location: { path: '/abs/a.swift', lines: { begin: 1 } } }])).toBe(false);
    const { check_name: _drop, ...noName } = good[0];
    expect(validate([noName])).toBe(false);
  });
});

interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser();
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    const node: XmlNode = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    if (stack.length) stack.at(-1)!.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('text', (t) => {
    if (stack.length) stack.at(-1)!.text += t;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  return root!;
}

describe('junit', () => {
  it('one testsuite per app, one testcase per rule of that app, a failure for each rule that reported', async () => {
    const dir = exampleWithInfo();
    const json = JSON.parse((await runCli(['doctor', dir, '--format', 'json'])).stdout);
    const rules = JSON.parse((await runCli(['rules', '--json'])).stdout) as Array<{ id: string; platform: string }>;
    const run = await runCli(['doctor', dir, '--format', 'junit']);
    expect(run.code).toBe(json.exitCode);
    expect(run.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const root = parseXml(run.stdout);
    expect(root.name).toBe('testsuites');
    expect(root.children.map((s) => s.name)).toEqual(['testsuite', 'testsuite']);
    expect(root.children.map((s) => s.attributes.name)).toEqual(['ios app Podcast (ios/Podcast)', 'android app android/app (android/app)']);

    let total = 0;
    let failures = 0;
    for (const [suite, platform, prefix] of [
      [root.children[0]!, 'ios', 'ios/'],
      [root.children[1]!, 'android', 'android/'],
    ] as const) {
      const names = suite.children.map((c) => c.attributes.name);
      expect(suite.children.every((c) => c.name === 'testcase')).toBe(true);
      expect(new Set(names).size).toBe(names.length);
      const expected = rules.filter((r) => r.platform === platform || r.platform === 'audiobg').map((r) => r.id);
      expect([...names].sort()).toEqual([...expected].sort());
      expect(Number(suite.attributes.tests)).toBe(names.length);

      const mine = json.findings.filter((f: any) => f.file.startsWith(prefix));
      const failingRules = [...new Set(mine.filter((f: any) => f.severity !== 'info').map((f: any) => f.ruleId))].sort();
      const failed = suite.children.filter((c) => c.children.some((x) => x.name === 'failure'));
      expect(failed.map((c) => c.attributes.name).sort()).toEqual(failingRules);
      expect(Number(suite.attributes.failures)).toBe(failingRules.length);
      for (const c of failed) {
        const failure = c.children.find((x) => x.name === 'failure')!;
        const found = mine.filter((f: any) => f.ruleId === c.attributes.name && f.severity !== 'info');
        expect(failure.attributes.message).toMatch(new RegExp(`^${found.length} findings?: `));
        expect(failure.attributes.type).toBe(found.some((f: any) => f.severity === 'error') ? 'error' : 'warning');
        for (const f of found) expect(failure.text).toContain(`${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message}\nWhy: `);
      }
      total += names.length;
      failures += failingRules.length;
    }
    // The info finding does not fail its case; it is kept in system-out.
    const mixable = root.children[0]!.children.find((c) => c.attributes.name === 'ios/now-playing-mixable')!;
    expect(mixable.children.map((x) => x.name)).toEqual(['system-out']);
    expect(mixable.children[0]!.text).toContain('ios/Podcast/EpisodePlayer.swift:13:55: info: ');
    expect([Number(root.attributes.tests), Number(root.attributes.failures)]).toEqual([total, failures]);
  });

  it('a run with no app still has one suite, named after the folder, so test reports are never empty', async () => {
    const root = parseXml((await runCli(['doctor', path.join(FIXTURES, 'core/warnings'), '--format', 'junit'])).stdout);
    expect(root.children).toHaveLength(1);
    expect(root.children[0]!.attributes.name).toBe('outside any app (warnings)');
    const failed = root.children[0]!.children.filter((c) => c.children.some((x) => x.name === 'failure'));
    expect(failed.map((c) => c.attributes.name)).toEqual(['audiobg/unused-suppression']);
  });

  it('escapes markup and quotes, and replaces characters XML cannot carry; the XML stays well formed', () => {
    const nasty = 'a <b> & "c" \'d\' ]]> \u0001\u001b[2J \ud800 end';
    const xml = formatJunit(
      context('/r', [
        { ruleId: 'ios/x', message: nasty, location: { file: '/r/ios/A "&<>.swift', line: 3, column: 4 } },
        { ruleId: 'ios/x', message: 'second', severity: 'warning', location: { file: '/r/ios/B.swift', line: 1, column: 1 } },
      ], [{ platform: 'ios', name: 'A&B', path: 'ios' }]),
    );
    const root = parseXml(xml);
    const suite = root.children[0]!;
    expect(suite.attributes.name).toBe('ios app A&B (ios)');
    const failure = suite.children.find((c) => c.attributes.name === 'ios/x')!.children[0]!;
    expect(failure.attributes.message).toBe('2 findings: a <b> & "c" \'d\' ]]> \ufffd\ufffd[2J \ufffd end');
    expect(failure.attributes.type).toBe('error');
    expect(failure.text).toContain('ios/A "&<>.swift:3:4: error: a <b> & "c"');
    expect(failure.text).toContain('ios/B.swift:1:1: warning: second');
  });
});
