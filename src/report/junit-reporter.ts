// `--format junit`: JUnit XML as Jenkins, Azure Pipelines, Bitrise, CircleCI and GitLab test reports
// read it. One <testsuite> per app found, one <testcase> per rule that applies to that app; a rule
// that reported errors or warnings there fails with a <failure> listing them (file:line:column,
// what, why, fix). Notes (info) never fail a case: they go to its <system-out>. Findings outside any
// recognised app (a run with no app, a broken file beside the apps) form a suite named after the
// checked folder.

import path from 'node:path';
import type { Finding, Severity } from '../findings/finding.js';
import { SEVERITY_RANK } from '../findings/finding.js';
import type { AppSummary } from '../engine/run-doctor.js';
import type { RuleMeta } from '../engine/rule.js';
import type { ReportContext } from './reporter.js';
import { relativeTo } from './paths.js';

interface Suite {
  name: string;
  /** Dotted, for the classname (Jenkins groups test cases by it). */
  id: string;
  platform: AppSummary['platform'] | null;
  findings: Finding[];
}

export function formatJunit(ctx: ReportContext): string {
  const { result } = ctx;
  const suites: Suite[] = result.apps.map((a) => ({
    name: `${a.platform} app ${a.name} (${a.path})`,
    id: `audiobg.${a.platform}.${classPart(a.path === '.' ? a.name : a.path)}`,
    platform: a.platform,
    findings: [],
  }));
  const outside: Suite = { name: `outside any app (${path.basename(result.root) || result.root})`, id: 'audiobg.files', platform: null, findings: [] };
  const ruleById = new Map(result.rules.map((r) => [r.id, r]));

  for (const f of result.findings) {
    const rel = relativeTo(result.root, f.location.file);
    const platform = ruleById.get(f.ruleId)?.platform;
    let best: { suite: Suite; depth: number; same: boolean } | null = null;
    result.apps.forEach((a, i) => {
      if (!(a.path === '.' || rel === a.path || rel.startsWith(`${a.path}/`))) return;
      const depth = a.path === '.' ? 0 : a.path.split('/').length;
      const same = a.platform === platform;
      // The app of the rule's own platform wins (an Expo rule on ios/Info.plist belongs to the Expo
      // app); otherwise the deepest app holding the file.
      if (!best || (same && !best.same) || (same === best.same && depth > best.depth)) best = { suite: suites[i]!, depth, same };
    });
    ((best as { suite: Suite } | null)?.suite ?? outside).findings.push(f);
  }
  if (outside.findings.length || suites.length === 0) suites.push(outside);

  const body: string[] = [];
  let total = 0;
  let failed = 0;
  for (const suite of suites) {
    const cases = casesOf(suite, result.rules);
    const failures = cases.filter((c) => c.failure).length;
    total += cases.length;
    failed += failures;
    body.push(`  <testsuite name="${attr(suite.name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`);
    for (const c of cases) {
      const open = `    <testcase name="${attr(c.rule)}" classname="${attr(suite.id)}"`;
      if (!c.failure && !c.notes) {
        body.push(`${open}/>`);
        continue;
      }
      body.push(`${open}>`);
      if (c.failure) {
        body.push(`      <failure message="${attr(c.failure.message)}" type="${c.failure.type}">${text(c.failure.text)}</failure>`);
      }
      if (c.notes) body.push(`      <system-out>${text(c.notes)}</system-out>`);
      body.push('    </testcase>');
    }
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="audiobg doctor" tests="${total}" failures="${failed}" errors="0">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');

  function casesOf(suite: Suite, rules: RuleMeta[]) {
    const byRule = new Map<string, Finding[]>();
    for (const f of suite.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    const ids = rules.filter((r) => r.platform === 'audiobg' || r.platform === suite.platform).map((r) => r.id);
    for (const id of byRule.keys()) if (!ids.includes(id)) ids.push(id);
    return ids.map((rule) => {
      const found = byRule.get(rule) ?? [];
      const failing = found.filter((f) => f.severity !== 'info');
      const notes = found.filter((f) => f.severity === 'info');
      const worst = failing.reduce<Severity>((w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), 'warning');
      return {
        rule,
        failure: failing.length
          ? {
              message: `${failing.length} ${failing.length === 1 ? 'finding' : 'findings'}: ${failing[0]!.message}`,
              type: worst,
              text: failing.map(describe).join('\n\n'),
            }
          : null,
        notes: notes.length ? notes.map(describe).join('\n\n') : '',
      };
    });
  }

  function describe(f: Finding): string {
    const where = `${relativeTo(result.root, f.location.file)}:${f.location.line}:${f.location.column}`;
    const doc = f.docs[0] ? `\nDocs: ${f.docs[0].url}` : '';
    return `${where}: ${f.severity}: ${f.message}\nWhy: ${f.why}\nFix: ${f.fix}${doc}`;
  }
}

function classPart(s: string): string {
  return s.replace(/[\\/]+/g, '.').replace(/\s+/g, '_');
}

/**
 * XML 1.0 cannot carry most control characters even escaped: they become U+FFFD. Lone
 * surrogates likewise. Everything else is escaped for its context.
 */
function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
