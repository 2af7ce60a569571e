// Facts about audio extracted from a target's Swift and Objective-C syntax trees.
// (Placeholder contract; the Swift/Objective-C extractor fills it in.)

import type { ProjectFile } from '../../discover/find-files.js';
import type { Workspace } from '../../parse/workspace.js';

export interface IosSourceFacts {
  /** Files that were parsed (those that passed the cheap text prefilter). */
  parsedFiles: string[];
}

export async function extractIosSourceFacts(ws: Workspace, files: ProjectFile[]): Promise<IosSourceFacts> {
  void ws;
  void files;
  return { parsedFiles: [] };
}
