// The shape of a rule module: metadata beside the check, as in ESLint.
// A rule reads the project model (facts and syntax trees) and returns drafts.
// It never prints and never touches the disk.

import type { DocLink, FindingDraft, Severity } from '../findings/finding.js';
import type { ProjectModel } from '../facts/project-model.js';

export type Platform = 'ios' | 'android' | 'expo' | 'flutter' | 'audiobg';

export interface RuleMeta {
  /** Public, stable id: `<platform>/<kebab-name>`. */
  id: string;
  platform: Platform;
  severity: Severity;
  /** Short title, e.g. "Background audio mode missing". */
  title: string;
  /** One line for `audiobg rules`. */
  description: string;
  /** Why it silently stops background audio: the runtime consequence. */
  why: string;
  /** How to fix it, in general terms. */
  fix: string;
  /** Apple / Android / library documents the rule rests on. The first is the helpUri. */
  docs: DocLink[];
  /** Optional: which OS / SDK levels are affected ("targetSdk >= 34", "iOS 16+"). */
  affects?: string;
  /** True when some of its findings carry a deterministic fix that `doctor --fix` applies. */
  fixable?: boolean;
}

export interface Rule {
  meta: RuleMeta;
  check(project: ProjectModel): FindingDraft[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
