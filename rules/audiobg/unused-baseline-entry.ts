import { defineRule } from '../../src/engine/rule.js';

// The engine reports these when it applies a baseline (only it knows which entries matched);
// the rule module carries the metadata so that `audiobg rules`, `explain` and SARIF list it.
export default defineRule({
  meta: {
    id: 'audiobg/unused-baseline-entry',
    platform: 'audiobg',
    severity: 'info',
    title: 'Baseline entry matches no finding',
    description: 'An entry of the baseline file no longer matches any finding: the problem it recorded was fixed, or its file was moved or deleted.',
    why: 'A baseline exists to shrink. An entry that matches nothing hides nothing today, but it could silently accept the same mistake if it came back in that file, so a background-audio regression would pass CI.',
    fix: 'Run the same command with --update-baseline to rewrite the baseline with the current findings only, and commit the smaller file.',
    docs: [{ title: 'audiobg: adopting doctor on an existing app with a baseline', url: 'https://github.com/audiobg/audiobg#baseline' }],
  },
  check() {
    return [];
  },
});
