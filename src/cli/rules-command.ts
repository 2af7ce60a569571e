// `audiobg rules` and `audiobg explain <rule-id>`.

import { allRules, findRule } from '../../rules/index.js';

export function printRules(json: boolean): string {
  const metas = allRules.map((r) => r.meta);
  if (json) return `${JSON.stringify(metas, null, 2)}\n`;
  const idWidth = Math.max(2, ...metas.map((m) => m.id.length));
  const row = (id: string, severity: string, platform: string, fix: string, description: string) =>
    `${id.padEnd(idWidth)}  ${severity.padEnd(7)}  ${platform.padEnd(8)}  ${fix.padEnd(3)}  ${description}`;
  const lines = metas.map((m) => row(m.id, m.severity, m.platform, m.fixable ? 'yes' : '-', m.description));
  return `${row('id', 'default', 'platform', 'fix', 'description')}\n${lines.join('\n')}\n\nfix yes: \`audiobg doctor --fix\` corrects its findings where the right change is certain.\n`;
}

export function printExplain(id: string): string | null {
  const rule = findRule(id);
  if (!rule) return null;
  const m = rule.meta;
  const parts = [
    `${m.id}: ${m.title}`,
    '',
    `Default severity: ${m.severity}    Platform: ${m.platform}${m.affects ? `    Affects: ${m.affects}` : ''}`,
    '',
    m.description,
    '',
    'Why it breaks background audio',
    `  ${m.why}`,
    '',
    'How to fix it',
    `  ${m.fix}`,
    ...(m.fixable
      ? ['  Fixable: `audiobg doctor --fix` makes this change itself where it is certain (`--fix-dry-run` shows the diff first).']
      : ['  Not fixed automatically: the right change needs your judgement.']),
    '',
    'Documentation',
    ...m.docs.map((d) => `  ${d.title}\n    ${d.url}`),
    '',
    'Suppress one occurrence (the comment goes on the line above the finding)',
    `  // audiobg-ignore-next-line ${m.id} -- <why this is intended>`,
    `  <!-- audiobg-ignore-next-line ${m.id}: <why this is intended> -->   (XML: "--" is not allowed in comments)`,
    '',
    'Turn it off or change its severity in audiobg.config.json',
    `  { "rules": { "${m.id}": "off" } }`,
    '',
  ];
  return parts.join('\n');
}
