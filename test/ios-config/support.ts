// Helpers for iOS configuration tests: build the project model of a folder without the CLI,
// and (re-exported) a binary property list encoder so tests can write their own bplists.

import path from 'node:path';
import { findFiles } from '../../src/discover/find-files.js';
import { Workspace } from '../../src/parse/workspace.js';
import { buildProjectModel } from '../../src/facts/build-project-model.js';
import type { ProjectModel } from '../../src/facts/project-model.js';
import type { IosApp, IosTarget } from '../../src/facts/ios/ios-model.js';
import { FIXTURES } from '../support/cli.js';

export { FIXTURES };

export interface LoadedModel {
  model: ProjectModel;
  ws: Workspace;
  root: string;
  /** Path relative to the fixture root, with forward slashes. */
  rel(abs: string): string;
  app(name: string): IosApp;
  target(appName: string, targetName: string): IosTarget;
}

/** Build the project model of a fixture folder (relative to fixtures/) or an absolute folder. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const root = path.isAbsolute(dir) ? dir : path.join(FIXTURES, dir);
  const found = findFiles(root);
  const ws = new Workspace(root, found.files, found.problems);
  try {
    const model = await buildProjectModel(ws);
    const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/');
    const app = (name: string) => {
      const a = model.ios.find((x) => x.name === name);
      if (!a) throw new Error(`no iOS app named ${name}; found ${model.ios.map((x) => x.name).join(', ')}`);
      return a;
    };
    const target = (appName: string, targetName: string) => {
      const t = app(appName).targets.find((x) => x.name === targetName);
      if (!t) throw new Error(`no target ${targetName} in ${appName}`);
      return t;
    };
    return { model, ws, root, rel, app, target };
  } finally {
    await ws.dispose();
  }
}

export { encodeBplist, type BValue } from './bplist-encoder.js';
