// `--format gitlab`: a GitLab Code Quality report (`artifacts: reports: codequality:`), the subset
// of the Code Climate issue format that GitLab reads: description, check_name, fingerprint,
// severity and location.path + location.lines.begin, paths relative to the checked folder.
// https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format

import { createHash } from 'node:crypto';
import type { Severity } from '../findings/finding.js';
import type { ReportContext } from './reporter.js';
import { relativeTo } from './paths.js';

/** GitLab's scale is info, minor, major, critical, blocker. An error stops background audio. */
export const GITLAB_SEVERITY: Record<Severity, 'info' | 'minor' | 'critical'> = { error: 'critical', warning: 'minor', info: 'info' };

export function formatGitlab(ctx: ReportContext): string {
  const { result } = ctx;
  const seen = new Set<string>();
  const issues = result.findings.map((f) => {
    const file = relativeTo(result.root, f.location.file);
    // GitLab keeps one issue per fingerprint; the finding's own fingerprint is already unique in a
    // run, and the file is part of it so that two checked folders cannot collide.
    let fingerprint = hash(`${f.ruleId}\0${file}\0${f.fingerprint}`);
    for (let n = 1; seen.has(fingerprint); n++) fingerprint = hash(`${f.ruleId}\0${file}\0${f.fingerprint}\0${n}`);
    seen.add(fingerprint);
    const lines: { begin: number; end?: number } = { begin: Math.max(1, f.location.line) };
    if (f.location.endLine && f.location.endLine > lines.begin) lines.end = f.location.endLine;
    return {
      type: 'issue',
      description: `${f.message} ${f.fix}`,
      check_name: f.ruleId,
      fingerprint,
      severity: GITLAB_SEVERITY[f.severity],
      location: { path: file, lines },
      ...(f.docs[0] ? { content: { body: `${f.why}\n\n${f.docs.map((d) => `[${d.title}](${d.url})`).join('\n')}` } } : {}),
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}

function hash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}
