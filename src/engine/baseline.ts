// Baselines: adopt audiobg on a legacy codebase without fixing everything first.
// A baseline file records the findings that existed when it was written; later runs report only
// findings that are not in it, and point at entries that no longer match anything so the file can
// shrink. Modelled on Android Lint's and detekt's baselines.
//
// Matching survives unrelated edits. Each entry keeps the finding's fingerprint (the same one SARIF
// carries in partialFingerprints: rule, file, the flagged line's text, the message) and, as a
// fallback when that line itself was edited or the run was started from another folder, the rule,
// the file and the message with its digits blanked. Every entry matches at most one finding.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import type { Finding, Location } from '../findings/finding.js';
import { UsageError } from '../config/usage-error.js';
import { LineIndex, decodeText } from '../parse/text.js';

export const BASELINE_VERSION = 1;
export const UNUSED_BASELINE_ENTRY_ID = 'audiobg/unused-baseline-entry';
/** A baseline of a very large legacy project is still far below this; more is not a baseline. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

export interface BaselineEntry {
  rule: string;
  /** Relative to the baseline file's folder, with forward slashes. */
  file: string;
  fingerprint: string;
  message: string;
}

export interface LoadedEntry extends BaselineEntry {
  /** Where the entry is written in the baseline file (for stale-entry findings). */
  location: Location;
}

export interface Baseline {
  file: string;
  entries: LoadedEntry[];
}

const requireLazy = createRequire(import.meta.url);
function jsonc(): typeof import('jsonc-parser') {
  return requireLazy('jsonc-parser') as typeof import('jsonc-parser');
}

/** Reads a baseline file; null when it does not exist. Every other problem is a UsageError (exit 2). */
export function readBaseline(file: string): Baseline | null {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new UsageError(`baseline ${file}: is a folder, not a file`);
    if (st.size > MAX_BASELINE_BYTES) throw new UsageError(`baseline ${file}: ${st.size} bytes is too large for a baseline`);
    const decoded = decodeText(fs.readFileSync(file));
    if (!decoded.ok) throw new UsageError(`baseline ${file}: not a text file`);
    text = decoded.text;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new UsageError(`cannot read baseline ${file}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message}`);
  }

  const lines = new LineIndex(text);
  const loc = (node: JsonNode): Location => {
    const p = lines.position(node.offset);
    return { file, line: p.line, column: p.column };
  };
  const fail = (node: JsonNode | undefined, what: string): never => {
    const p = lines.position(node?.offset ?? 0);
    throw new UsageError(`${file}:${p.line}:${p.column}: ${what} (write a new baseline with --update-baseline)`);
  };

  const errors: ParseError[] = [];
  const { parseTree, printParseErrorCode } = jsonc();
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const first = errors[0]!;
    fail({ offset: first.offset } as JsonNode, `invalid JSON (${printParseErrorCode(first.error)})`);
  }
  if (!tree || tree.type !== 'object') return fail(tree, 'a baseline must be a JSON object with "version" and "findings"');

  const props = new Map<string, JsonNode>();
  for (const prop of tree.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k && v) props.set(String(k.value), v);
  }
  const version = props.get('version');
  if (!version || version.value !== BASELINE_VERSION) {
    fail(version ?? tree, `unsupported baseline version ${version ? JSON.stringify(version.value) : '(missing)'}; this audiobg reads version ${BASELINE_VERSION}`);
  }
  const list = props.get('findings');
  if (!list || list.type !== 'array') return fail(list ?? tree, '"findings" must be an array');

  const entries: LoadedEntry[] = [];
  for (const item of list.children ?? []) {
    if (item.type !== 'object') fail(item, 'each baseline entry must be an object');
    const fields: Record<string, unknown> = {};
    for (const prop of item.children ?? []) {
      const [k, v] = prop.children ?? [];
      if (k && v) fields[String(k.value)] = v.value;
    }
    for (const key of ['rule', 'file', 'fingerprint', 'message'] as const) {
      if (typeof fields[key] !== 'string') fail(item, `baseline entry without a string "${key}"`);
    }
    entries.push({
      rule: fields.rule as string,
      file: fields.file as string,
      fingerprint: fields.fingerprint as string,
      message: fields.message as string,
      location: loc(item),
    });
  }
  return { file, entries };
}

/** The entry a finding would be written as, for a baseline file in `baselineDir`. */
export function entryOf(finding: Finding, baselineDir: string): BaselineEntry {
  return {
    rule: finding.ruleId,
    file: toPosix(path.relative(baselineDir, finding.location.file)),
    fingerprint: finding.fingerprint,
    message: finding.message,
  };
}

/**
 * Stable, sorted JSON that diffs well in review: one entry per finding, keys in a fixed order,
 * sorted by file, rule, message and fingerprint; no tool version or date that would churn.
 */
export function serializeBaseline(findings: readonly Finding[], baselineDir: string): string {
  const entries = findings
    .filter((f) => f.ruleId !== UNUSED_BASELINE_ENTRY_ID)
    .map((f) => entryOf(f, baselineDir))
    .sort((a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.message, b.message) || cmp(a.fingerprint, b.fingerprint));
  const body = entries.map((e) => `    ${JSON.stringify({ rule: e.rule, file: e.file, fingerprint: e.fingerprint, message: e.message })}`).join(',\n');
  return `{\n  "version": ${BASELINE_VERSION},\n  "findings": [${entries.length ? `\n${body}\n  ` : ''}]\n}\n`;
}

export interface BaselineMatch {
  /** Findings not in the baseline: these are reported. */
  fresh: Finding[];
  /** How many findings the baseline accepted. */
  baselined: number;
  /** Entries that matched no finding of this run. */
  stale: LoadedEntry[];
}

/** Splits findings into new ones and baselined ones; entries that match nothing are stale. */
export function matchBaseline(findings: readonly Finding[], baseline: Baseline): BaselineMatch {
  const dir = path.dirname(baseline.file);
  const used = new Set<LoadedEntry>();
  const matched = new Set<Finding>();
  const candidates = new Map<string, LoadedEntry[]>();
  for (const e of baseline.entries) {
    const key = `${e.rule}\0${e.file}`;
    const list = candidates.get(key) ?? [];
    list.push(e);
    candidates.set(key, list);
  }
  const keyOf = (f: Finding) => `${f.ruleId}\0${toPosix(path.relative(dir, f.location.file))}`;

  // Exact fingerprints first, so that the looser pass cannot take an entry an exact match needs.
  for (const f of findings) {
    const e = candidates.get(keyOf(f))?.find((c) => !used.has(c) && c.fingerprint === f.fingerprint);
    if (e) {
      used.add(e);
      matched.add(f);
    }
  }
  for (const f of findings) {
    if (matched.has(f)) continue;
    const message = looseMessage(f.message);
    const e = candidates.get(keyOf(f))?.find((c) => !used.has(c) && looseMessage(c.message) === message);
    if (e) {
      used.add(e);
      matched.add(f);
    }
  }
  return {
    fresh: findings.filter((f) => !matched.has(f)),
    baselined: matched.size,
    stale: baseline.entries.filter((e) => !used.has(e)),
  };
}

/** Digits blanked, as in the fingerprint: a message that names a line or an SDK level may move. */
function looseMessage(m: string): string {
  return m.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
