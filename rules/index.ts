import type { Rule } from '../src/engine/rule.js';
import { audiobgRules } from './audiobg/index.js';
import { iosRules } from './ios/index.js';
import { androidRules } from './android/index.js';
import { expoRules } from './expo/index.js';
import { flutterRules } from './flutter/index.js';

export const allRules: Rule[] = [...iosRules, ...androidRules, ...expoRules, ...flutterRules, ...audiobgRules];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
