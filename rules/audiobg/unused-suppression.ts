import { defineRule } from '../../src/engine/rule.js';

// The engine itself reports these (only it knows which suppressions matched a finding);
// the rule module carries the metadata so that `audiobg rules` and SARIF list it.
export default defineRule({
  meta: {
    id: 'audiobg/unused-suppression',
    platform: 'audiobg',
    severity: 'warning',
    title: 'Suppression comment suppresses nothing',
    description: 'An audiobg-ignore-next-line comment names a rule that reports nothing on the next line.',
    why: 'A stale suppression hides nothing today but will silently hide a real background-audio mistake the day one appears on that line.',
    fix: 'Delete the comment, or move it directly above the line the finding is reported on, and check the rule id.',
    docs: [{ title: 'audiobg: inline suppressions', url: 'https://github.com/audiobg/audiobg#suppressing-a-finding' }],
  },
  check() {
    return [];
  },
});
