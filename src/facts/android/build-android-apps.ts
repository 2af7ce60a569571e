import type { Workspace } from '../../parse/workspace.js';
import type { AndroidApp } from './android-model.js';

export async function buildAndroidApps(ws: Workspace): Promise<AndroidApp[]> {
  void ws;
  return [];
}
