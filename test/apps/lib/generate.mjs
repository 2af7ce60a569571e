// Generating the apps with the real CLI (`audiobg init`, from the compiled dist/ like bin/audiobg.js)
// and checking them with `audiobg doctor`, in-process.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './util.mjs';

let mainFn = null;
async function cliMain() {
  if (!mainFn) {
    const entry = path.join(REPO_ROOT, 'dist/src/cli/main.js');
    if (!fs.existsSync(entry)) throw new Error('dist/ is missing: run "npx tsc -p tsconfig.json" (npm run test:apps does it first)');
    mainFn = (await import(pathToFileURL(entry).href)).main;
  }
  return mainFn;
}

export async function cli(args, cwd = REPO_ROOT) {
  const main = await cliMain();
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    cwd,
    isTTY: false,
    stdinIsTTY: false,
  });
  return { code, stdout, stderr };
}

/**
 * The combinations `audiobg init` offers. The app name deliberately needs escaping in every
 * destination (quotes, apostrophe, backslash, dollar, ampersand, angle bracket, non-Latin letters).
 */
export const APP_NAME = `Nuit "Radio" l'Été <1> & $HOME \\ 夜`;
export const HARNESS_APP_ID = 'org.audiobg.harnessapp';

export const COMBOS = [
  { key: 'ios-playback', platform: 'ios', template: 'playback' },
  { key: 'ios-ptt', platform: 'ios', template: 'ptt' },
  { key: 'android-media3', platform: 'android', template: 'playback', stack: 'media3' },
  { key: 'android-platform', platform: 'android', template: 'playback', stack: 'platform' },
  { key: 'both-media3', platform: 'both', template: 'playback', stack: 'media3' },
  { key: 'both-platform', platform: 'both', template: 'playback', stack: 'platform' },
];

export async function generate(combo, dir) {
  const args = ['init', dir, '--platform', combo.platform, '--template', combo.template, '--name', APP_NAME, '--id', HARNESS_APP_ID, '--yes'];
  if (combo.stack) args.push('--android-stack', combo.stack);
  const r = await cli(args);
  return { ok: r.code === 0 && fs.existsSync(dir), output: `audiobg ${args.join(' ')}\nexit ${r.code}\n${r.stdout}${r.stderr}` };
}

/** `audiobg doctor --format json`: the findings, or a failure description. */
export async function doctor(dir) {
  const r = await cli(['doctor', dir, '--format', 'json']);
  let findings = null;
  try {
    findings = JSON.parse(r.stdout).findings;
  } catch {
    /* reported below */
  }
  return { code: r.code, findings, output: r.stdout + r.stderr };
}

export function describeFindings(findings) {
  return findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} (${f.severity}) ${f.message}`).join('\n');
}
