// Stage 3: turn parsed files into facts about each app in the project.

import type { Workspace } from '../parse/workspace.js';
import type { ProjectModel } from './project-model.js';
import { buildIosApps } from './ios/build-ios-apps.js';
import { buildAndroidApps } from './android/build-android-apps.js';

export async function buildProjectModel(ws: Workspace): Promise<ProjectModel> {
  const [ios, android] = await Promise.all([buildIosApps(ws), buildAndroidApps(ws)]);
  return { root: ws.root, ios, android, problems: ws.problems };
}
