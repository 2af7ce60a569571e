// `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
// URIs are relative to the scanned root (uriBaseId %SRCROOT%), every rule is described in
// tool.driver.rules, and each result carries a line-independent partial fingerprint.

import { pathToFileURL } from 'node:url';
import type { Severity } from '../findings/finding.js';
import type { FindingFixEdit, ReportContext } from './reporter.js';
import { relativeTo } from './paths.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
export const FINGERPRINT_KEY = 'audiobg/v1';

export function formatSarif(ctx: ReportContext): string {
  const { result } = ctx;
  const rules = result.rules;
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const rootUri = pathToFileURL(result.root).href.replace(/\/?$/, '/');

  const uri = (file: string) => relativeUri(result.root, file);

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'audiobg',
            version: ctx.toolVersion,
            semanticVersion: ctx.toolVersion,
            informationUri: 'https://github.com/audiobg/audiobg',
            rules: rules.map((r) => ({
              id: r.id,
              name: pascal(r.id),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: {
                text: `${r.description}\n\nWhy: ${r.why}\n\nFix: ${r.fix}\n\n${r.docs.map((d) => `${d.title}: ${d.url}`).join('\n')}`,
                markdown: `${r.description}\n\n**Why:** ${r.why}\n\n**Fix:** ${r.fix}\n\n${r.docs.map((d) => `- [${d.title}](${d.url})`).join('\n')}`,
              },
              ...(r.docs[0] ? { helpUri: r.docs[0].url } : {}),
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['background-audio', r.platform] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
        // Our columns count UTF-16 code units (the SARIF default, stated for clarity).
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: ctx.exitCode !== 2 && ctx.exitCode !== 3,
            ...(result.internalErrors?.length
              ? {
                  toolExecutionNotifications: result.internalErrors.map((e) => ({
                    level: 'error',
                    message: { text: e.split('\n')[0]! },
                  })),
                }
              : {}),
          },
        ],
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
          level: LEVEL[f.severity],
          message: { text: `${f.message} ${f.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uri(f.location.file), uriBaseId: '%SRCROOT%' },
                region: region(f.location),
              },
            },
          ],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, i) => ({
                  id: i + 1,
                  message: { text: r.message },
                  physicalLocation: {
                    artifactLocation: { uri: uri(r.location.file), uriBaseId: '%SRCROOT%' },
                    region: region(r.location),
                  },
                })),
              }
            : {}),
          partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
          ...sarifFixes(ctx.fixEdits?.get(f), uri),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * A URI reference relative to the scanned root: each path segment percent-encoded, so that
 * names with spaces, `#`, `?` or `%` stay one path (encodeURI would leave `#` and `?` alone).
 */
export function relativeUri(root: string, file: string): string {
  return relativeTo(root, file)
    .split('/')
    .map((seg) => (seg === '..' || seg === '.' ? seg : encodeURIComponent(seg)))
    .join('/');
}

/** `audiobg doctor --fix` changes as SARIF fixes: one artifactChange per file, one replacement each. */
function sarifFixes(edits: FindingFixEdit[] | undefined, uri: (file: string) => string) {
  if (!edits?.length) return {};
  return {
    fixes: [
      {
        description: { text: 'Apply with `audiobg doctor --fix`.' },
        artifactChanges: edits.map((e) => ({
          artifactLocation: { uri: uri(e.file), uriBaseId: '%SRCROOT%' },
          replacements: [
            {
              deletedRegion: {
                startLine: e.start.line,
                startColumn: e.start.column,
                endLine: e.end.line,
                endColumn: e.end.column,
                charOffset: e.offset,
                charLength: e.length,
              },
              ...(e.text ? { insertedContent: { text: e.text } } : {}),
            },
          ],
        })),
      },
    ],
  };
}

function region(loc: { line: number; column: number; endLine?: number; endColumn?: number }) {
  const r: Record<string, number> = { startLine: Math.max(1, loc.line), startColumn: Math.max(1, loc.column) };
  if (loc.endLine && loc.endLine >= loc.line) {
    r.endLine = loc.endLine;
    if (loc.endColumn && (loc.endLine > loc.line || loc.endColumn > loc.column)) r.endColumn = loc.endColumn;
  }
  return r;
}

function pascal(id: string): string {
  return id
    .split(/[/-]/)
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join('');
}
