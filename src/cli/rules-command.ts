// `audiobg rules` and `audiobg explain <rule-id>`.

import { allRules, findRule } from '../../rules/index.js';

export function printRules(json: boolean): string {
  const metas = allRules.map((r) => r.meta);
  if (json) return `${JSON.stringify(metas, null, 2)}\n`;
  const idWidth = Math.max(...metas.map((m) => m.id.length));
  const lines = metas.map((m) => `${m.id.padEnd(idWidth)}  ${m.severity.padEnd(7)}  ${m.platform.padEnd(7)}  ${m.description}`);
  return `${'id'.padEnd(idWidth)}  ${'default'.padEnd(7)}  ${'platform'.padEnd(7)} description\n${lines.join('\n')}\n`;
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
    '',
    'Documentation',
    ...m.docs.map((d) => `  ${d.title}\n    ${d.url}`),
    '',
    'Suppress one occurrence',
    `  // audiobg-ignore-next-line ${m.id} -- <why this is intended>`,
    '',
    'Turn it off or change its severity in audiobg.config.json',
    `  { "rules": { "${m.id}": "off" } }`,
    '',
  ];
  return parts.join('\n');
}
