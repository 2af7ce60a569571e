// audiobg.config.json: per-rule severity (or "off") and ignore globs.
// Found by walking up from the scanned folder; --config names one explicitly.

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Severity } from '../findings/finding.js';
import { LineIndex } from '../parse/text.js';

export const CONFIG_FILE_NAME = 'audiobg.config.json';

export type RuleSetting = Severity | 'off';

export interface AudiobgConfig {
  /** Absolute path of the file it came from, or null for the defaults. */
  file: string | null;
  rules: Record<string, RuleSetting>;
  /** gitignore-style globs, relative to the folder of the config file. */
  ignore: string[];
}

/** A problem with the user's configuration or arguments: exit code 2. */
export class UsageError extends Error {}

export const DEFAULT_CONFIG: AudiobgConfig = { file: null, rules: {}, ignore: [] };

export function findConfigFile(startDir: string): string | null {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function loadConfig(file: string, knownRuleIds: ReadonlySet<string>): AudiobgConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config ${file}: ${(e as Error).message}`);
  }
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const first = errors[0]!;
    const p = new LineIndex(text).position(first.offset);
    throw new UsageError(`${file}:${p.line}:${p.column}: invalid JSON (${printParseErrorCode(first.error)})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(`${file}: the configuration must be a JSON object`);
  }
  const config: AudiobgConfig = { file, rules: {}, ignore: [] };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === '$schema') continue;
    if (key === 'rules') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new UsageError(`${file}: "rules" must be an object of rule id to "error" | "warning" | "info" | "off"`);
      }
      for (const [id, setting] of Object.entries(value as Record<string, unknown>)) {
        if (!knownRuleIds.has(id)) {
          throw new UsageError(`${file}: unknown rule "${id}" (run "audiobg rules" for the list)`);
        }
        if (setting !== 'error' && setting !== 'warning' && setting !== 'info' && setting !== 'off') {
          throw new UsageError(`${file}: rule "${id}" must be "error", "warning", "info" or "off", not ${JSON.stringify(setting)}`);
        }
        config.rules[id] = setting;
      }
    } else if (key === 'ignore') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw new UsageError(`${file}: "ignore" must be an array of glob strings`);
      }
      config.ignore = value as string[];
    } else {
      throw new UsageError(`${file}: unknown setting "${key}" (allowed: "rules", "ignore")`);
    }
  }
  return config;
}
