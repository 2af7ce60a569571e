// `--format json`: a documented, versioned schema for scripts (see docs/json-format.md).
// Bump JSON_SCHEMA_VERSION on any incompatible change; adding fields is compatible.

import type { ReportContext } from './reporter.js';
import { relativeTo } from './paths.js';

export const JSON_SCHEMA_VERSION = 1;

export function formatJson(ctx: ReportContext): string {
  const { result } = ctx;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings) counts[f.severity]++;
  const doc = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'audiobg', version: ctx.toolVersion },
    root: result.root,
    exitCode: ctx.exitCode,
    summary: {
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
      suppressed: result.suppressedCount,
      baselined: result.baselinedCount ?? 0,
      filesChecked: result.filesChecked,
    },
    quiet: ctx.quiet,
    internalErrors: (result.internalErrors ?? []).map((e) => e.split('\n')[0]!),
    apps: result.apps,
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: relativeTo(result.root, f.location.file),
      line: f.location.line,
      column: f.location.column,
      endLine: f.location.endLine ?? null,
      endColumn: f.location.endColumn ?? null,
      why: f.why,
      fix: f.fix,
      /** Whether `doctor --fix` can fix it. */
      fixable: Boolean(f.fixes?.some((i) => i.kind !== 'manual')),
      docs: f.docs,
      related: (f.related ?? []).map((r) => ({
        message: r.message,
        file: relativeTo(result.root, r.location.file),
        line: r.location.line,
        column: r.location.column,
      })),
      fingerprint: f.fingerprint,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
