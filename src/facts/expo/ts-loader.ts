// ts-morph, loaded only when a project has JS/TS config or sources worth reading: a native-only
// run never pays its ~0.4 s start-up. Files are parsed syntactically in an in-memory project with
// no lib files and no type checker, so each file costs a few milliseconds.

import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';
import type { Workspace, SourceComment } from '../../parse/workspace.js';

export type TsMorphModule = typeof TsMorph;

let loading: Promise<TsMorphModule> | null = null;
let loaded: TsMorphModule | null = null;
let project: TsMorph.Project | null = null;

/** Load ts-morph (once per process). */
export async function loadTsMorph(): Promise<TsMorphModule> {
  if (loaded) return loaded;
  // require, not import(): ts-morph is CommonJS, and the ES module loader's export detection over
  // its bundle adds about 90 ms to every run that needs it.
  loading ??= Promise.resolve().then(() => {
    loaded = createRequire(import.meta.url)('ts-morph') as TsMorphModule;
    return loaded;
  });
  return loading;
}

/** True once some run of this process needed ts-morph (the benchmark and tests read it). */
export function tsMorphLoaded(): boolean {
  return loaded !== null;
}

function theProject(tsm: TsMorphModule): TsMorph.Project {
  project ??= new tsm.Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { noLib: true, allowJs: true, jsx: tsm.ts.JsxEmit.Preserve },
  });
  return project;
}

/**
 * The syntax tree of a JS/TS file, parsed at most once per run, or null when the file cannot be
 * read. The file's comments are registered with the workspace (for inline suppressions).
 * Requires ts-morph to be loaded (see loadTsMorph).
 */
export function parseScript(ws: Workspace, tsm: TsMorphModule, file: string): TsMorph.SourceFile | null {
  return ws.cached(file, 'ts-morph', () => {
    const t = ws.text(file);
    if (!t) return null;
    const p = theProject(tsm);
    try {
      // The in-memory name keeps the real extension so .tsx/.jsx parse as JSX; the run id keeps
      // files of different runs (tests run many in one process) from replacing each other.
      const sf = p.createSourceFile(`/run${runId(ws)}${file.startsWith('/') ? '' : '/'}${file}`, t.text, { overwrite: true });
      ws.setComments(file, scriptComments(tsm, sf, t.text));
      return sf;
    } catch (e) {
      ws.report({ file, kind: 'parse-error', severity: 'error', message: `could not parse: ${(e as Error).message}` });
      return null;
    }
  });
}

const runIds = new WeakMap<Workspace, number>();
let nextRun = 1;
function runId(ws: Workspace): number {
  let id = runIds.get(ws);
  if (id === undefined) {
    id = nextRun++;
    runIds.set(ws, id);
  }
  return id;
}

/** Forget the files of a finished run (they live in the shared in-memory project). */
export function releaseScripts(ws: Workspace): void {
  const id = runIds.get(ws);
  if (id === undefined || !project) return;
  for (const sf of project.getSourceFiles()) {
    if (sf.getFilePath().startsWith(`/run${id}/`)) project.removeSourceFile(sf);
  }
}

/** Every comment of the file, found through the tokens of the real syntax tree. */
function scriptComments(tsm: TsMorphModule, sf: TsMorph.SourceFile, text: string): SourceComment[] {
  const ts = tsm.ts;
  const seen = new Set<number>();
  const out: SourceComment[] = [];
  const lineOf = (pos: number) => sf.compilerNode.getLineAndCharacterOfPosition(pos);
  const add = (ranges: readonly { pos: number; end: number }[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      const start = lineOf(r.pos);
      out.push({ line: start.line + 1, column: start.character + 1, endLine: lineOf(r.end).line + 1, text: text.slice(r.pos, r.end) });
    }
  };
  const visit = (node: TsMorph.ts.Node) => {
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    for (const child of node.getChildren(sf.compilerNode)) visit(child);
  };
  visit(sf.compilerNode);
  out.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return out;
}
