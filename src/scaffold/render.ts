// Rendering a template folder into an in-memory file plan. Nothing touches the disk here.
// Placeholders: `{{name}}` for validated identifiers, `{{appName|escaper}}` for the free-text name.

import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../fs/package-root.js';
import { ESCAPERS } from './escape.js';
import type { TemplateVars } from './variables.js';

export interface PlannedFile {
  /** Path relative to the output folder, forward slashes. */
  path: string;
  content: Buffer;
  /** Where it came from (a template file, or "generated"), for --dry-run listings. */
  source: string;
}

export class TemplateError extends Error {}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*(?:\|\s*([a-z-]+)\s*)?\}\}/g;
const NEEDS_ESCAPER = new Set<keyof TemplateVars>(['appName']);
const BINARY_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.wav', '.mp3', '.m4a', '.jar', '.ico', '.gif', '.webp']);

/** The templates/ folder of this installation. */
export function templatesRoot(): string {
  const dir = path.join(packageRoot(), 'templates');
  if (!fs.existsSync(dir)) throw new TemplateError(`the templates folder is missing from ${packageRoot()}`);
  return dir;
}

export function renderString(text: string, vars: TemplateVars, where: string): string {
  return text.replace(PLACEHOLDER, (match, name: string, escaper: string | undefined, offset: number) => {
    const line = text.slice(0, offset).split('\n').length;
    if (!(name in vars)) throw new TemplateError(`${where}:${line}: unknown template variable "${name}" in ${match}`);
    const value = vars[name as keyof TemplateVars];
    if (escaper === undefined) {
      if (NEEDS_ESCAPER.has(name as keyof TemplateVars)) {
        throw new TemplateError(`${where}:${line}: {{${name}}} needs an escaper for its destination, e.g. {{${name}|swift}}`);
      }
      return value;
    }
    const fn = ESCAPERS[escaper];
    if (!fn) throw new TemplateError(`${where}:${line}: unknown escaper "${escaper}" (known: ${Object.keys(ESCAPERS).join(', ')})`);
    return fn(value);
  });
}

/** Render one relative path; refuses anything that would leave the output folder. */
export function renderPath(rel: string, vars: TemplateVars): string {
  const rendered = renderString(rel, vars, rel)
    .split('/')
    .map((seg) => (seg === '_gitignore' ? '.gitignore' : seg))
    .join('/');
  assertSafeRelative(rendered);
  return rendered;
}

export function assertSafeRelative(rel: string): void {
  if (!rel || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.includes('\\')) {
    throw new TemplateError(`refusing to write "${rel}": not a plain relative path`);
  }
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') throw new TemplateError(`refusing to write "${rel}": it would leave the output folder`);
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

/**
 * Render template folders (later ones override earlier ones at the same path) under `outPrefix`.
 */
export function renderTemplates(templateDirs: string[], vars: TemplateVars, outPrefix = ''): PlannedFile[] {
  const byPath = new Map<string, PlannedFile>();
  for (const dir of templateDirs) {
    if (!fs.existsSync(dir)) throw new TemplateError(`template folder missing: ${dir}`);
    for (const rel of listFiles(dir)) {
      const src = path.join(dir, rel);
      const raw = fs.readFileSync(src);
      const out = renderPath(outPrefix ? `${outPrefix}/${rel}` : rel, vars);
      const content = BINARY_EXTENSIONS.has(path.extname(rel).toLowerCase())
        ? raw
        : Buffer.from(renderString(raw.toString('utf8'), vars, path.relative(path.dirname(dir), src)), 'utf8');
      byPath.set(out, { path: out, content, source: path.relative(path.dirname(path.dirname(dir)), src).split(path.sep).join('/') });
    }
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}
