// `--format xcode`: one `path:line:column: error|warning|note: message [rule-id]` line per finding,
// the shape Xcode turns into inline issues when a Run Script build phase prints it (the same
// convention clang and SwiftLint use). Paths are absolute: Xcode resolves nothing against the
// working directory of the script.

import type { Severity } from '../findings/finding.js';
import type { ReportContext } from './reporter.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function formatXcode(ctx: ReportContext): string {
  const lines = ctx.result.findings.map((f) => {
    const where = `${oneLine(f.location.file)}:${Math.max(1, f.location.line)}:${Math.max(1, f.location.column)}`;
    return `${where}: ${LEVEL[f.severity]}: ${oneLine(`${f.message} ${f.fix}`)} [${f.ruleId}]`;
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Xcode reads one issue per line: line breaks and tabs inside a message become spaces. */
function oneLine(s: string): string {
  return s.replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}
