// `doctor --changed <files...>` (the pre-commit hook): the whole tree under the working directory is
// checked, so that facts that span folders (an Expo app.json and its ios/ project) stay right, and only
// the findings of the apps that hold a changed file are reported, plus any finding in a changed file
// that lies outside every app.

import path from 'node:path';
import type { DoctorResult } from '../engine/run-doctor.js';
import { relativeTo } from '../report/paths.js';

export function onlyChangedApps(result: DoctorResult, files: string[], cwd: string): DoctorResult {
  const changed = new Set(files.map((f) => relativeTo(result.root, path.resolve(cwd, f))));
  const holds = (app: string, rel: string) => app === '.' || rel === app || rel.startsWith(`${app}/`);
  const touched = new Set<string>();
  for (const rel of changed) {
    // The deepest app holding the file: a change under ios/ touches the iOS app, not the Expo app
    // around it; a change to the Expo app's own files touches it and the native apps inside it.
    let best: string | null = null;
    for (const a of result.apps) if (holds(a.path, rel) && (best === null || depth(a.path) > depth(best))) best = a.path;
    if (best !== null) touched.add(best);
  }
  const keep = result.findings.filter((f) => {
    const rel = relativeTo(result.root, f.location.file);
    return changed.has(rel) || [...touched].some((app) => holds(app, rel));
  });
  // The summary names the apps this commit touched, not every app of the checkout.
  const apps = touched.size ? result.apps.filter((a) => touched.has(a.path)) : result.apps;
  return { ...result, findings: keep, apps };
}

function depth(p: string): number {
  return p === '.' ? 0 : p.split('/').length;
}
