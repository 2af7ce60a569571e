// The data that flows out of the rules and into the reporters.
// Rules build FindingDrafts; the engine completes them into Findings
// (rule metadata, effective severity, suppression state, fingerprint).

import type { FixIntent } from './fix-intent.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** A position in a file. Lines and columns are 1-based; columns count UTF-16 code units. */
export interface Location {
  /** Absolute path of the file. */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface RelatedLocation {
  location: Location;
  message: string;
}

/** What a rule returns. The rule id is implied by the rule that returned it. */
export interface FindingDraft {
  /** One sentence: what is wrong, here. */
  message: string;
  location: Location;
  /** Overrides the rule's default severity for this one finding (e.g. error vs warning by context). */
  severity?: Severity;
  /** A fix specific to this finding; falls back to the rule's generic fix. */
  fix?: string;
  /** Other places that explain the finding (the service's <service> element, the setCategory call...). */
  related?: RelatedLocation[];
  /** Changes `doctor --fix` may make on its own (see src/findings/fix-intent.ts); absent = fix by hand. */
  fixes?: FixIntent[];
}

export interface Finding extends FindingDraft {
  ruleId: string;
  severity: Severity;
  /** Why this breaks background audio (from the rule's metadata). */
  why: string;
  fix: string;
  docs: DocLink[];
  /** Stable across runs when unrelated lines move; used by SARIF partialFingerprints. */
  fingerprint: string;
}

export interface DocLink {
  title: string;
  url: string;
}
