import type { Rule } from '../../src/engine/rule.js';

// One import per rule file in this folder, kept in id order.
export const iosRules: Rule[] = [];
