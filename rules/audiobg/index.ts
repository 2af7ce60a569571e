import type { Rule } from '../../src/engine/rule.js';
import parseError from './parse-error.js';
import suppressionWithoutReason from './suppression-without-reason.js';
import unusedSuppression from './unused-suppression.js';
import unusedBaselineEntry from './unused-baseline-entry.js';

export const audiobgRules: Rule[] = [parseError, suppressionWithoutReason, unusedSuppression, unusedBaselineEntry];
