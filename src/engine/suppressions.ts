// Inline suppressions: `audiobg-ignore-next-line <rule-id>[, <rule-id>...] -- reason`
// inside a real comment of the host language (found by that language's parser, never by
// scanning raw text), applying to the first line after the comment.

import type { SourceComment } from '../parse/workspace.js';

export interface Suppression {
  file: string;
  /** Line of the comment itself (where an unused suppression is reported). */
  line: number;
  column: number;
  /** The line it applies to. */
  targetLine: number;
  ruleIds: string[];
  reason: string | null;
  used: Set<string>;
}

const DIRECTIVE = 'audiobg-ignore-next-line';

export function parseSuppressions(file: string, comments: SourceComment[]): Suppression[] {
  const out: Suppression[] = [];
  for (const c of comments) {
    const idx = c.text.indexOf(DIRECTIVE);
    if (idx < 0) continue;
    // Strip comment closers that may trail the directive on the same line.
    let rest = c.text.slice(idx + DIRECTIVE.length).split(/\r?\n|\r/)[0]!;
    rest = rest.replace(/\*\/\s*$/, '').replace(/-->\s*$/, '');
    let reason: string | null = null;
    const sep = rest.indexOf('--');
    if (sep >= 0) {
      reason = rest.slice(sep + 2).trim() || null;
      rest = rest.slice(0, sep);
    }
    const ruleIds = rest
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    out.push({ file, line: c.line, column: 1, targetLine: c.endLine + 1, ruleIds, reason, used: new Set() });
  }
  return out;
}
