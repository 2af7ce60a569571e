import type { Rule } from '../../src/engine/rule.js';
import parseError from './parse-error.js';
import unusedSuppression from './unused-suppression.js';

export const audiobgRules: Rule[] = [parseError, unusedSuppression];
