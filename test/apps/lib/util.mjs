// Shared helpers of the generated-apps harness: paths, processes, hashing, results.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const APPS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(APPS_DIR, '../..');
export const CACHE_DIR = process.env.AUDIOBG_APPS_CACHE ? path.resolve(process.env.AUDIOBG_APPS_CACHE) : path.join(APPS_DIR, '.cache');
/**
 * Media3's API signature file: read in place, beside the repository (never copied into it).
 * AUDIOBG_MEDIA3_API_TXT points elsewhere (used to exercise the "file absent" path).
 */
export const MEDIA3_API_TXT = process.env.AUDIOBG_MEDIA3_API_TXT
  ? path.resolve(process.env.AUDIOBG_MEDIA3_API_TXT)
  : path.resolve(REPO_ROOT, '../shared/reference/media3/api.txt');

/** Runs a program; resolves with its exit code and output (never rejects for a non-zero exit). */
export function run(cmd, args, { cwd, env, echo = false, timeoutMs = 15 * 60_000 } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: 127, stdout: '', stderr: String(e), ms: 0 });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (echo) process.stdout.write(indent(String(d)));
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (echo) process.stdout.write(indent(String(d)));
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: stderr + String(e), ms: Date.now() - t0 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

export function indent(text, pad = '    ') {
  return text.replace(/^(?=.)/gm, pad);
}

export function sha256(...parts) {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' || Buffer.isBuffer(p) ? p : JSON.stringify(p));
  return h.digest('hex').slice(0, 16);
}

export function hashFiles(files) {
  return sha256(...files.flatMap((f) => [f, fs.readFileSync(f)]));
}

export function listFiles(dir, filter = () => true) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (filter(p)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export function writeFile(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Collects test outcomes; every check the harness makes is one named result. */
export class Results {
  constructor() {
    this.items = [];
  }
  pass(name, detail = '') {
    this.items.push({ name, status: 'pass', detail });
    process.stdout.write(`  ok    ${name}${detail ? ` — ${detail}` : ''}\n`);
  }
  fail(name, detail = '') {
    this.items.push({ name, status: 'fail', detail });
    process.stdout.write(`  FAIL  ${name}\n${detail ? indent(detail.trimEnd(), '        ') + '\n' : ''}`);
  }
  skip(name, reason) {
    this.items.push({ name, status: 'skip', detail: reason });
    process.stdout.write(`  skip  ${name} — ${reason}\n`);
  }
  check(name, ok, detailIfFail, detailIfPass = '') {
    if (ok) this.pass(name, detailIfPass);
    else this.fail(name, detailIfFail);
    return ok;
  }
  count(status) {
    return this.items.filter((i) => i.status === status).length;
  }
}
