// Inline suppressions: `audiobg-ignore-next-line <rule-id> -- reason` in a real comment of the
// host language. Stale ones and unknown rule ids are reported; a directive inside a string
// literal or in prose is not a suppression; a missing reason is reported (the suppression still applies).

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_FIXTURES, doctorJson, tempDir, where, write } from './helpers.js';
import { runDoctor } from '../../src/engine/run-doctor.js';
import { DEFAULT_CONFIG, type AudiobgConfig } from '../../src/config/load-config.js';
import { defineRule, type Rule } from '../../src/engine/rule.js';
import { audiobgRules } from '../../rules/audiobg/index.js';
import { lexComments, parseSuppressions } from '../../src/engine/suppressions.js';

describe('suppressions in the fixture (through the CLI)', () => {
  it('reports stale and unknown-id suppressions in XML, Swift and Kotlin comments, and nothing for strings or prose', async () => {
    const run = await doctorJson(path.join(CORE_FIXTURES, 'suppressions'));
    expect(where(run.report.findings, 'audiobg/unused-suppression')).toEqual([
      'android/app/src/main/AndroidManifest.xml:4 audiobg/unused-suppression',
      'android/app/src/main/AndroidManifest.xml:6 audiobg/unused-suppression',
      'android/app/src/main/java/com/example/player/MainActivity.kt:7 audiobg/unused-suppression',
      'ios/Player/Player.swift:4 audiobg/unused-suppression',
      'ios/Player/Player.swift:7 audiobg/unused-suppression',
    ]);
    const byLine = Object.fromEntries(run.report.findings.map((f) => [`${f.file}:${f.line}`, f]));
    expect(byLine['android/app/src/main/AndroidManifest.xml:4']!.message).toBe(
      'This suppression names "android/no-such-rule", which is not an audiobg rule.',
    );
    expect(byLine['ios/Player/Player.swift:4']!.message).toBe('This suppression names "ios/not-a-rule", which is not an audiobg rule.');
    expect(byLine['ios/Player/Player.swift:7']!.message).toBe('This suppression of audiobg/parse-error matches no finding on the next line.');
    // Unused suppressions are warnings, at the directive's column.
    expect(run.report.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(byLine['android/app/src/main/java/com/example/player/MainActivity.kt:7']!.column).toBe(5);
  });

  it('an XML comment suppresses a finding on the next line (with ": reason", since XML forbids "--" in comments)', async () => {
    const run = await doctorJson(path.join(CORE_FIXTURES, 'suppressions'));
    // Settings.plist:8 and Defaults.plist:6 each hold a key without a value; both are suppressed.
    expect(where(run.report.findings, 'audiobg/parse-error')).toEqual([]);
    expect(run.report.summary.suppressed).toBe(2);
  });

  it('a suppression without a reason still applies, and is reported as a warning', async () => {
    const run = await doctorJson(path.join(CORE_FIXTURES, 'suppressions'));
    expect(where(run.report.findings, 'audiobg/suppression-without-reason')).toEqual([
      'ios/Player/Defaults.plist:5 audiobg/suppression-without-reason',
    ]);
    // A stale suppression without a reason (AndroidManifest.xml:6) is reported once, as unused.
    expect(where(run.report.findings).filter((w) => w.startsWith('android/app/src/main/AndroidManifest.xml:6'))).toHaveLength(1);
  });

  it('warnings only: exit 0', async () => {
    const run = await doctorJson(path.join(CORE_FIXTURES, 'suppressions'));
    expect(run.code).toBe(0);
  });
});

// ---- engine semantics, with a rule defined here that reports at chosen lines ----

function lineRule(id: string, hits: Array<{ file: string; line: number }>): Rule {
  return defineRule({
    meta: {
      id,
      platform: 'ios',
      severity: 'error',
      title: 'Test rule',
      description: 'Reports at fixed lines (test only).',
      why: 'Because the test says so.',
      fix: 'Nothing to fix.',
      docs: [{ title: 'test', url: 'https://example.com/test' }],
    },
    check: () => hits.map((h) => ({ message: `hit on ${path.basename(h.file)}`, location: { file: h.file, line: h.line, column: 1 } })),
  });
}

async function run(dir: string, rules: Rule[], config: Partial<AudiobgConfig> = {}) {
  const result = await runDoctor({ paths: [dir], config: { ...DEFAULT_CONFIG, ...config }, rules: [...rules, ...audiobgRules] });
  return {
    result,
    findings: result.findings.map((f) => `${path.relative(dir, f.location.file)}:${f.location.line} ${f.ruleId}`).sort(),
  };
}

describe('suppression semantics (engine)', () => {
  it('applies to the line after the comment only, in Swift, Kotlin, Java, Objective-C and XML', async () => {
    const dir = tempDir('sup');
    const files = {
      swift: write(dir, 'A.swift', 'let a = 1\n// audiobg-ignore-next-line test/rule -- measured, fine here\nlet b = 2\nlet c = 3\n'),
      kotlin: write(dir, 'B.kt', 'val a = 1\n/* audiobg-ignore-next-line test/rule -- fine */\nval b = 2\nval c = 3\n'),
      java: write(dir, 'C.java', 'class C {\n  // audiobg-ignore-next-line test/rule -- fine\n  int b;\n  int c;\n}\n'),
      objc: write(dir, 'D.m', '@implementation D\n// audiobg-ignore-next-line test/rule -- fine\n- (void)b {}\n- (void)c {}\n@end\n'),
      xml: write(dir, 'AndroidManifest.xml', '<manifest>\n  <!-- audiobg-ignore-next-line test/rule: fine -->\n  <application/>\n  <uses-sdk/>\n</manifest>\n'),
    };
    const hits = Object.values(files).flatMap((file) => [
      { file, line: 3 },
      { file, line: 4 },
    ]);
    const { findings, result } = await run(dir, [lineRule('test/rule', hits)]);
    expect(findings).toEqual(['A.swift:4 test/rule', 'AndroidManifest.xml:4 test/rule', 'B.kt:4 test/rule', 'C.java:4 test/rule', 'D.m:4 test/rule']);
    expect(result.suppressedCount).toBe(5);
  });

  it('a multi-line block comment applies to the line after its end', async () => {
    const dir = tempDir('sup');
    const file = write(dir, 'A.swift', '/*\n * audiobg-ignore-next-line test/rule -- fine\n */\nlet b = 2\n');
    const { findings } = await run(dir, [lineRule('test/rule', [{ file, line: 4 }])]);
    expect(findings).toEqual([]);
  });

  it('names several rules, or none (all rules); a suppression of another rule does not apply', async () => {
    const dir = tempDir('sup');
    const file = write(
      dir,
      'A.swift',
      '// audiobg-ignore-next-line test/one, test/two -- both\nlet a = 1\n// audiobg-ignore-next-line -- everything\nlet b = 2\n// audiobg-ignore-next-line test/two -- only two\nlet c = 3\n',
    );
    const one = lineRule('test/one', [2, 4, 6].map((line) => ({ file, line })));
    const two = lineRule('test/two', [2, 4].map((line) => ({ file, line })));
    const { findings } = await run(dir, [one, two]);
    expect(findings).toEqual(['A.swift:5 audiobg/unused-suppression', 'A.swift:6 test/one']);
  });

  it('does not treat a directive in a string literal as a suppression', async () => {
    const dir = tempDir('sup');
    const swift = write(dir, 'A.swift', 'let s = "// audiobg-ignore-next-line test/rule -- no"\nlet b = 2\n');
    const kotlin = write(dir, 'B.kt', 'val s = """\n// audiobg-ignore-next-line test/rule -- no\n"""\nval b = 2\n');
    const { findings } = await run(dir, [lineRule('test/rule', [{ file: swift, line: 2 }, { file: kotlin, line: 4 }])]);
    expect(findings).toEqual(['A.swift:2 test/rule', 'B.kt:4 test/rule']);
  });

  it('comment lexers for Groovy Gradle, TOML and .properties files', async () => {
    const dir = tempDir('sup');
    const gradle = write(dir, 'build.gradle', "def s = '// audiobg-ignore-next-line test/rule -- no'\n// audiobg-ignore-next-line test/rule -- yes\nversion = '1'\n");
    const toml = write(dir, 'gradle/libs.versions.toml', '[versions]\n# audiobg-ignore-next-line test/rule -- pinned on purpose\nmedia3 = "1.0.0"\ns = "# audiobg-ignore-next-line test/rule -- no"\nx = 1\n');
    const props = write(dir, 'gradle.properties', 'a=1 \\\n# audiobg-ignore-next-line test/rule -- continuation, not a comment\nb=2\n! audiobg-ignore-next-line test/rule -- a real comment\nc=3\n');
    const hits = [
      { file: gradle, line: 2 },
      { file: gradle, line: 3 },
      { file: toml, line: 3 },
      { file: toml, line: 5 },
      { file: props, line: 3 },
      { file: props, line: 5 },
    ];
    const { findings } = await run(dir, [lineRule('test/rule', hits)]);
    expect(findings).toEqual(['build.gradle:2 test/rule', 'gradle.properties:3 test/rule', 'gradle/libs.versions.toml:5 test/rule']);
  });

  it('is not reported as unused when its rule is switched off in the config', async () => {
    const dir = tempDir('sup');
    write(dir, 'A.swift', '// audiobg-ignore-next-line test/rule -- fine\nlet b = 2\n');
    const { findings } = await run(dir, [lineRule('test/rule', [])], { rules: { 'test/rule': 'off' } });
    expect(findings).toEqual([]);
  });
});

describe('parseSuppressions', () => {
  const parse = (text: string, line = 1, endLine = line) => parseSuppressions('/f', [{ line, endLine, column: 3, text }]);

  it('reads ids and a reason after "--" or ":"', () => {
    expect(parse('// audiobg-ignore-next-line ios/a, android/b -- known: fine')[0]).toMatchObject({
      ruleIds: ['ios/a', 'android/b'],
      reason: 'known: fine',
      targetLine: 2,
      column: 3,
    });
    expect(parse(' audiobg-ignore-next-line ios/a: generated ')[0]).toMatchObject({ ruleIds: ['ios/a'], reason: 'generated' });
    expect(parse('/* audiobg-ignore-next-line ios/a */')[0]).toMatchObject({ ruleIds: ['ios/a'], reason: null });
    expect(parse('# audiobg-ignore-next-line ios/a --   ')[0]).toMatchObject({ reason: null });
  });

  it('needs the directive at the start of the comment (or of a line in a block comment)', () => {
    expect(parse('// see audiobg-ignore-next-line in the docs')).toEqual([]);
    expect(parse('// audiobg-ignore-next-lines ios/a')).toEqual([]);
    expect(parse('/**\n * audiobg-ignore-next-line ios/a -- ok\n */', 10, 12)[0]).toMatchObject({ line: 11, targetLine: 13, column: 4 });
  });
});

describe('lexComments', () => {
  it('c-like: skips strings, including Groovy triple-quoted ones and JS templates', () => {
    const text = `def a = "//x" // one\ndef b = '''\n// not\n''' /* two\n */ def c = \`/* no */\`\n`;
    expect(lexComments(text, 'c-like').map((c) => [c.line, c.endLine, c.text])).toEqual([
      [1, 1, '// one'],
      [4, 5, '/* two\n */'],
    ]);
  });

  it('toml: # outside basic, literal and multi-line strings', () => {
    const text = 'a = "x # no" # yes\nb = \'c:\\\\# no\'\nc = """\n# no\n"""\n# also\n';
    expect(lexComments(text, 'toml').map((c) => [c.line, c.column, c.text])).toEqual([
      [1, 14, '# yes'],
      [6, 1, '# also'],
    ]);
  });
});
