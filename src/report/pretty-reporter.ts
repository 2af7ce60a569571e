// `--format pretty` (the default at a desk): findings grouped by file, each with a code frame,
// what is wrong, why it breaks background audio, how to fix it, and the document it rests on.

import { Chalk } from 'chalk';
import type { Finding, Severity } from '../findings/finding.js';
import type { ReportContext } from './reporter.js';
import { relativeTo } from './paths.js';

export function formatPretty(ctx: ReportContext): string {
  const { result } = ctx;
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const badge: Record<Severity, string> = {
    error: c.red.bold('error'),
    warning: c.yellow.bold('warning'),
    info: c.blue.bold('info'),
  };
  const out: string[] = [];

  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byFile.get(f.location.file) ?? [];
    list.push(f);
    byFile.set(f.location.file, list);
  }

  for (const [file, findings] of byFile) {
    out.push(c.underline(printable(relativeTo(result.root, file))));
    for (const f of findings) {
      const pos = `${f.location.line}:${f.location.column}`;
      out.push(`  ${c.dim(pos.padEnd(7))} ${badge[f.severity]}  ${f.message}  ${c.dim(f.ruleId)}`);
      const frame = codeFrame(ctx, f, c);
      if (frame) out.push(frame);
      out.push(`    ${c.bold('why')}  ${f.why}`);
      out.push(`    ${c.bold('fix')}  ${f.fix}`);
      for (const r of f.related ?? []) {
        out.push(`    ${c.bold('see')}  ${relativeTo(result.root, r.location.file)}:${r.location.line}:${r.location.column} ${r.message}`);
      }
      const doc = f.docs[0];
      if (doc) out.push(`    ${c.bold('docs')} ${doc.title}: ${c.cyan(doc.url)}`);
      out.push('');
    }
  }

  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings) counts[f.severity]++;
  const appList = result.apps.length
    ? result.apps.map((a) => `${a.platform} ${a.path === '.' ? a.name : a.path}${a.kindInferred ? ' [app kind inferred]' : ''}`).join(', ')
    : 'no iOS, Android, Expo or Flutter app found';
  const parts = [
    `${counts.error} ${plural(counts.error, 'error')}`,
    `${counts.warning} ${plural(counts.warning, 'warning')}`,
  ];
  if (counts.info) parts.push(`${counts.info} ${plural(counts.info, 'note')}`);
  if (result.suppressedCount) parts.push(`${result.suppressedCount} suppressed`);
  if (result.baselinedCount) parts.push(`${result.baselinedCount} in the baseline`);
  if (ctx.quiet) parts.push('warnings hidden by --quiet');
  const summary = `${parts.join(', ')} in ${result.filesChecked} ${plural(result.filesChecked, 'file')} (${appList})`;
  const colour = counts.error ? c.red.bold : counts.warning ? c.yellow.bold : c.green.bold;
  out.push(colour(result.findings.length ? `✖ ${summary}` : `✔ ${summary}`));
  for (const a of result.apps) {
    if (a.kindInferred) out.push(c.dim(`  ${a.platform} ${a.path === '.' ? a.name : a.path} was taken for an app because ${a.kindInferred}.`));
  }
  return `${out.join('\n')}\n`;
}

function codeFrame(ctx: ReportContext, f: Finding, c: InstanceType<typeof Chalk>): string | null {
  const { line, column } = f.location;
  const raw = ctx.result.sourceLine(f.location.file, line);
  if (raw === undefined || raw.length > 400) return null;
  const text = printable(raw);
  const out: string[] = [];
  const width = String(line).length;
  const prev = line > 1 ? ctx.result.sourceLine(f.location.file, line - 1) : undefined;
  if (prev !== undefined && prev.trim() && prev.length <= 400) {
    out.push(c.dim(`    ${String(line - 1).padStart(width)} | ${printable(prev)}`));
  }
  out.push(`  ${c.red('>')} ${String(line).padStart(width)} | ${text}`);
  const endCol = f.location.endLine === line && f.location.endColumn ? f.location.endColumn : text.length + 1;
  const caretLen = Math.max(1, Math.min(endCol, text.length + 1) - column);
  const pad = text.slice(0, column - 1).replace(/[^\t]/g, ' ');
  out.push(`    ${' '.repeat(width)} | ${pad}${c.red('^'.repeat(caretLen))}`);
  return out.join('\n');
}

/**
 * Source text is shown, never obeyed: control characters (a stray escape sequence in a file)
 * become U+FFFD, one for one, so the terminal is safe and the caret still lines up.
 */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\ufffd');
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
