import { defineRule } from '../../src/engine/rule.js';

// Reported by the engine, like unused-suppression: only it sees the parsed directives.
// The suppression still applies; the warning asks for the reason that makes it reviewable.
export default defineRule({
  meta: {
    id: 'audiobg/suppression-without-reason',
    platform: 'audiobg',
    severity: 'warning',
    title: 'Suppression comment gives no reason',
    description: 'An audiobg-ignore-next-line comment does not say why the finding is acceptable.',
    why: 'A suppression switches off a check that exists because the mistake silently stops audio in the background; without a reason, the next reader cannot tell a deliberate exception from a hidden bug.',
    fix: 'Add the reason after the rule id: `// audiobg-ignore-next-line <rule-id> -- <reason>` (in XML comments, where "--" is not allowed: `<!-- audiobg-ignore-next-line <rule-id>: <reason> -->`).',
    docs: [{ title: 'audiobg: inline suppressions', url: 'https://github.com/audiobg/audiobg#suppressing-a-finding' }],
  },
  check() {
    return [];
  },
});
