// audiobg.config.json: per-rule severity (or "off") and ignore globs.
// Found by walking up from the scanned folder; --config names one explicitly.
// Every mistake in it is a UsageError (exit code 2) that names the file, line and column.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import type { Severity } from '../findings/finding.js';
import { LineIndex, decodeText } from '../parse/text.js';

export const CONFIG_FILE_NAME = 'audiobg.config.json';

export type RuleSetting = Severity | 'off';

export interface AudiobgConfig {
  /** Absolute path of the file it came from, or null for the defaults. */
  file: string | null;
  rules: Record<string, RuleSetting>;
  /** gitignore-style globs, relative to the folder of the config file. */
  ignore: string[];
  /** Absolute path of the baseline file (`"baseline"`, relative to the config file's folder), if set. */
  baseline?: string;
}

/** A problem with the user's configuration or arguments: exit code 2. */
export { UsageError } from './usage-error.js';
import { UsageError } from './usage-error.js';

// jsonc-parser is only needed when a config file exists; loading it costs ~25 ms of start-up.
const requireLazy = createRequire(import.meta.url);
function jsonc(): typeof import('jsonc-parser') {
  return requireLazy('jsonc-parser') as typeof import('jsonc-parser');
}

export const DEFAULT_CONFIG: AudiobgConfig = { file: null, rules: {}, ignore: [] };

const SETTINGS = ['error', 'warning', 'info', 'off'] as const;
/** A config file is a few lines; anything this big is a mistake, not a config. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function findConfigFile(startDir: string): string | null {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (isFile(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function loadConfig(file: string, knownRuleIds: ReadonlySet<string>): AudiobgConfig {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new UsageError(`${file}: is a folder, not a config file`);
    if (st.size > MAX_CONFIG_BYTES) throw new UsageError(`${file}: ${st.size} bytes is too large for a config file`);
    const decoded = decodeText(fs.readFileSync(file));
    if (!decoded.ok) throw new UsageError(`${file}: not a text file`);
    text = decoded.text;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`config file not found: ${file}`);
    throw new UsageError(`cannot read config ${file}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message}`);
  }
  const lines = new LineIndex(text);
  const at = (offset: number) => {
    const p = lines.position(offset);
    return `${file}:${p.line}:${p.column}`;
  };

  const errors: ParseError[] = [];
  const { parseTree, printParseErrorCode } = jsonc();
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const first = errors[0]!;
    throw new UsageError(`${at(first.offset)}: invalid JSON (${printParseErrorCode(first.error)})`);
  }
  if (!tree || tree.type !== 'object') {
    throw new UsageError(`${at(tree?.offset ?? 0)}: the configuration must be a JSON object, like { "rules": {}, "ignore": [] }`);
  }

  const config: AudiobgConfig = { file, rules: {}, ignore: [] };
  for (const [keyNode, valueNode] of properties(tree)) {
    const key = keyNode.value as string;
    if (key === '$schema') continue;
    if (key === 'rules') {
      if (valueNode.type !== 'object') {
        throw new UsageError(`${at(valueNode.offset)}: "rules" must be an object of rule id to "error" | "warning" | "info" | "off"`);
      }
      for (const [idNode, settingNode] of properties(valueNode)) {
        const id = idNode.value as string;
        if (!knownRuleIds.has(id)) {
          const hint = suggest(id, knownRuleIds);
          throw new UsageError(`${at(idNode.offset)}: unknown rule "${id}"${hint ? ` (did you mean "${hint}"?)` : ''} (run "audiobg rules" for the list)`);
        }
        const setting = settingNode.value as unknown;
        if (settingNode.type !== 'string' || !(SETTINGS as readonly unknown[]).includes(setting)) {
          throw new UsageError(`${at(settingNode.offset)}: rule "${id}" must be "error", "warning", "info" or "off", not ${text.slice(settingNode.offset, settingNode.offset + settingNode.length)}`);
        }
        config.rules[id] = setting as RuleSetting;
      }
    } else if (key === 'ignore') {
      if (valueNode.type !== 'array') throw new UsageError(`${at(valueNode.offset)}: "ignore" must be an array of glob strings`);
      for (const item of valueNode.children ?? []) {
        if (item.type !== 'string') throw new UsageError(`${at(item.offset)}: "ignore" must hold glob strings only`);
        config.ignore.push(item.value as string);
      }
    } else if (key === 'baseline') {
      if (valueNode.type !== 'string' || !(valueNode.value as string).trim()) {
        throw new UsageError(`${at(valueNode.offset)}: "baseline" must be the path of the baseline file, relative to this config file`);
      }
      config.baseline = path.resolve(path.dirname(file), valueNode.value as string);
    } else {
      throw new UsageError(`${at(keyNode.offset)}: unknown setting "${key}" (allowed: "rules", "ignore", "baseline")`);
    }
  }
  return config;
}

function properties(obj: JsonNode): Array<[JsonNode, JsonNode]> {
  const out: Array<[JsonNode, JsonNode]> = [];
  for (const prop of obj.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k && v) out.push([k, v]);
  }
  return out;
}

/** The known rule id closest to a misspelt one, if it is close enough to be a likely typo. */
function suggest(id: string, known: ReadonlySet<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(id, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(id.length / 5)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
