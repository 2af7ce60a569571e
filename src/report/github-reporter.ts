// `--format github`: workflow commands that GitHub Actions turns into inline annotations.
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands

import type { ReportContext } from './reporter.js';
import { relativeTo } from './paths.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

export function formatGithub(ctx: ReportContext): string {
  const lines: string[] = [];
  for (const f of ctx.result.findings) {
    const props = [
      `file=${escapeProperty(relativeTo(ctx.result.root, f.location.file))}`,
      `line=${f.location.line}`,
      `col=${f.location.column}`,
    ];
    if (f.location.endLine) props.push(`endLine=${f.location.endLine}`);
    if (f.location.endColumn && f.location.endLine === f.location.line) props.push(`endColumn=${f.location.endColumn}`);
    props.push(`title=${escapeProperty(`audiobg ${f.ruleId}`)}`);
    const doc = f.docs[0] ? `\nDocs: ${f.docs[0].url}` : '';
    const body = `${f.message}\nWhy: ${f.why}\nFix: ${f.fix}${doc}`;
    lines.push(`::${LEVEL[f.severity]} ${props.join(',')}::${escapeData(body)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
