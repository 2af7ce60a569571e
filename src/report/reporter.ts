// A reporter turns a finished doctor result into text. It never decides findings.

import type { DoctorResult } from '../engine/run-doctor.js';

export type FormatName = 'pretty' | 'json' | 'sarif' | 'github';

export interface ReportContext {
  result: DoctorResult;
  /** The exit code the run will end with (JSON reports it). */
  exitCode: number;
  color: boolean;
  toolVersion: string;
  /** Findings hidden by --quiet are already removed from result.findings. */
  quiet: boolean;
}

export type Reporter = (ctx: ReportContext) => string;
