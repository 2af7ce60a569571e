// The Gradle snippets in docs/ci.md are not run with Gradle; their output contract is checked
// instead: the command line they run (parsed from the snippet, run here in-process on fixtures)
// and how they turn audiobg's exit code into a passing or failing task.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, REPO_ROOT, runCli } from '../support/cli.js';
import { tempDir, write } from '../core/helpers.js';

const VERSION = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/ci.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Gradle (Android)'), doc.indexOf('\n## ', doc.indexOf('## Gradle (Android)') + 1));
const block = (lang: string) => {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
  if (!m) throw new Error(`no ${lang} block in the Gradle section of docs/ci.md`);
  return m[1]!;
};

type Outcome = { pass: true } | { pass: false; message: string };

interface Snippet {
  command: string[];
  ignoresExitValue: boolean;
  wiredIntoCheck: boolean;
  /** What the task does with an exit code, as the snippet's doLast decides it. */
  outcome(code: number): Outcome;
}

function kotlin(src: string): Snippet {
  const name = /val (\w+) by tasks\.registering\(Exec::class\)/.exec(src)?.[1];
  const command = [.../commandLine\(([^)]*)\)/.exec(src)![1]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  const when = /when \(val code = executionResult\.get\(\)\.exitValue\) \{([\s\S]*?)\n {8}\}/.exec(src)![1]!;
  const branches = [...when.matchAll(/^\s*(\d+|else) -> (\{\}|throw GradleException\("([^"]*)"\))\s*$/gm)].map((m) => ({ on: m[1]!, message: m[3] }));
  expect(branches.length).toBe(when.trim().split('\n').length);
  return {
    command,
    ignoresExitValue: /\bisIgnoreExitValue = true\b/.test(src),
    wiredIntoCheck: new RegExp(`tasks\\.named\\("check"\\) \\{ dependsOn\\(${name}\\) \\}`).test(src),
    outcome(code) {
      const b = branches.find((x) => x.on === String(code)) ?? branches.find((x) => x.on === 'else')!;
      return b.message === undefined ? { pass: true } : { pass: false, message: b.message.replace('$code', String(code)) };
    },
  };
}

function groovy(src: string): Snippet {
  const name = /def (\w+) = tasks\.register\('(\w+)', Exec\)/.exec(src)?.[1];
  const command = [.../commandLine (.*)$/m.exec(src)![1]!.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  const checks = [...src.matchAll(/if \(code (==|!=) (\d+)\) throw new GradleException\((['"])(.*?)\3\)/g)].map((m) => ({ op: m[1]!, n: Number(m[2]), message: m[4]! }));
  expect(/def code = executionResult\.get\(\)\.exitValue/.test(src)).toBe(true);
  return {
    command,
    ignoresExitValue: /\bignoreExitValue = true\b/.test(src),
    wiredIntoCheck: new RegExp(`tasks\\.named\\('check'\\) \\{ dependsOn ${name} \\}`).test(src),
    outcome(code) {
      for (const c of checks) if (c.op === '==' ? code === c.n : code !== c.n) return { pass: false, message: c.message.replace('$code', String(code)) };
      return { pass: true };
    },
  };
}

describe.each([
  ['Kotlin DSL', () => kotlin(block('kotlin'))],
  ['Groovy DSL', () => groovy(block('groovy'))],
])('the Gradle snippet (%s) in docs/ci.md', (_name, load) => {
  const snippet = load();

  it('runs the pinned audiobg doctor on the Gradle root, is wired into check and handles the exit code itself', () => {
    expect(snippet.command.slice(0, 3)).toEqual(['npx', '--yes', `audiobg@${VERSION}`]);
    expect(snippet.command.slice(3, 5)).toEqual(['doctor', '.']);
    expect(snippet.ignoresExitValue).toBe(true);
    expect(snippet.wiredIntoCheck).toBe(true);
  });

  it('exit codes: 0 passes, 1 fails on findings, 2 and 3 fail as "could not check"', () => {
    expect(snippet.outcome(0)).toEqual({ pass: true });
    expect(snippet.outcome(1)).toEqual({ pass: false, message: expect.stringContaining('findings that stop background audio') });
    for (const code of [2, 3]) expect(snippet.outcome(code)).toEqual({ pass: false, message: expect.stringContaining(`could not check the app (exit code ${code})`) });
  });

  it('its command, run on apps, prints the findings in the log and decides the task as documented', async () => {
    const run = async (dir: string) => {
      const r = await runCli(snippet.command.slice(3), { cwd: dir });
      return { ...r, task: snippet.outcome(r.code) };
    };
    const clean = await run(path.join(FIXTURES, 'core/clean'));
    expect(clean.task).toEqual({ pass: true });
    const broken = await run(path.join(FIXTURES, 'examples/podcast-player'));
    expect(broken.code).toBe(1);
    expect(broken.task.pass).toBe(false);
    expect(broken.stdout).toContain('android/app/src/main/AndroidManifest.xml');
    expect(broken.stdout).not.toMatch(/\u001b\[/);
    const empty = tempDir('gradle-empty');
    write(empty, 'notes.txt', 'nothing audiobg reads\n');
    const nothing = await run(empty);
    expect(nothing.code).toBe(2);
    expect(nothing.task).toMatchObject({ pass: false, message: expect.stringContaining('exit code 2') });
  });
});
