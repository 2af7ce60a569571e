import type { Workspace } from '../../parse/workspace.js';
import type { IosApp } from './ios-model.js';

export async function buildIosApps(ws: Workspace): Promise<IosApp[]> {
  void ws;
  return [];
}
