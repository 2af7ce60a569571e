// Java .properties files (gradle.properties): `key=value`, `key: value` or `key value`,
// `#` / `!` comments, backslash line continuations. Keeps the line of every key.

import type { SourceComment } from './workspace.js';

export interface PropertyEntry {
  key: string;
  value: string;
  line: number;
  column: number;
}

export interface PropertiesFile {
  entries: Map<string, PropertyEntry>;
  comments: SourceComment[];
}

export function parseProperties(text: string): PropertiesFile {
  const entries = new Map<string, PropertyEntry>();
  const comments: SourceComment[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    const trimmed = raw.replace(/^[ \t\f]+/, '');
    if (trimmed === '') continue;
    if (trimmed.startsWith('#') || trimmed.startsWith('!')) {
      comments.push({ line: lineNo, endLine: lineNo, text: trimmed });
      continue;
    }
    const column = raw.length - trimmed.length + 1;
    // Join continuation lines (an odd number of trailing backslashes).
    let logical = trimmed;
    while (/(^|[^\\])(\\\\)*\\$/.test(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    let k = 0;
    let key = '';
    while (k < logical.length) {
      const c = logical[k]!;
      if (c === '\\' && k + 1 < logical.length) {
        key += logical[k + 1];
        k += 2;
        continue;
      }
      if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
      key += c;
      k++;
    }
    while (k < logical.length && /[ \t\f]/.test(logical[k]!)) k++;
    if (logical[k] === '=' || logical[k] === ':') k++;
    while (k < logical.length && /[ \t\f]/.test(logical[k]!)) k++;
    const value = logical.slice(k).replace(/\\(.)/g, '$1').trimEnd();
    if (key) entries.set(key, { key, value, line: lineNo, column });
  }
  return { entries, comments };
}
