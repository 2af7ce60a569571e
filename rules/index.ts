import type { Rule } from '../src/engine/rule.js';
import { relocateGenerated } from '../src/facts/expo/generated.js';
import { audiobgRules } from './audiobg/index.js';
import { iosRules } from './ios/index.js';
import { androidRules } from './android/index.js';
import { expoRules } from './expo/index.js';

/**
 * Native rules also check the ios/ and android/ folders of Expo apps; when `expo prebuild`
 * generates those folders, a finding in their configuration files is reported at the app-config
 * line that produces them (see src/facts/expo/generated.ts).
 */
function withGeneratedFolders(rule: Rule): Rule {
  return {
    meta: rule.meta,
    check(project) {
      const drafts = rule.check(project);
      if (!project.expo?.some((a) => a.workflow === 'prebuild') || !Array.isArray(drafts)) return drafts;
      return drafts.map((d) => (d && d.location ? relocateGenerated(project, d) : d));
    },
  };
}

export const allRules: Rule[] = [...[...iosRules, ...androidRules].map(withGeneratedFolders), ...expoRules, ...audiobgRules];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
