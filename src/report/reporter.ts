// A reporter turns a finished doctor result into text. It never decides findings.

import type { DoctorResult } from '../engine/run-doctor.js';
import type { Finding } from '../findings/finding.js';

export type FormatName = 'pretty' | 'json' | 'sarif' | 'github' | 'xcode' | 'gitlab' | 'junit';

export interface ReportContext {
  result: DoctorResult;
  /** The exit code the run will end with (JSON reports it). */
  exitCode: number;
  color: boolean;
  toolVersion: string;
  /** Findings hidden by --quiet are already removed from result.findings. */
  quiet: boolean;
  /** The changes `doctor --fix` would make for a finding (SARIF `fixes[]`), when computed. */
  fixEdits?: Map<Finding, FindingFixEdit[]>;
}

/** One file's change for a finding: the original text and one replacement in it. */
export interface FindingFixEdit {
  file: string;
  /** 1-based positions in the original text, plus the UTF-16 offset and length of the replaced range. */
  start: { line: number; column: number };
  end: { line: number; column: number };
  offset: number;
  length: number;
  text: string;
}

export type Reporter = (ctx: ReportContext) => string;
