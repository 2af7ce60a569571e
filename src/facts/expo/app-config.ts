// Reading an Expo app config statically: app.json (JSON with comments, through jsonc-parser with
// positions) and app.config.ts/js (ts-morph syntax trees, never executed). A dynamic config that is
// a function of `({ config })` is called with the values of app.json, the way Expo does, so its
// spreads of `config` / `config.ios` carry app.json's values and their lines.

import { createRequire } from 'node:module';
import path from 'node:path';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';
import { getProp, unresolved, type ConfigValue, type ObjectEntry } from './config-value.js';
import { Evaluator, type EvalHooks } from './evaluate.js';
import type { TsMorphModule } from './ts-loader.js';
import { parseScript } from './ts-loader.js';

const requireLazy = createRequire(import.meta.url);
function jsonc(): typeof import('jsonc-parser') {
  return requireLazy('jsonc-parser') as typeof import('jsonc-parser');
}

export interface AppConfigRead {
  /** The files read, app.json first. */
  files: string[];
  /** The file whose value Expo uses in the end (the dynamic config when there is one). */
  primary: string;
  /** The `expo` object (or the whole config when it has no `expo` key); unresolved when the export cannot be read. */
  expo: ConfigValue;
  /** Where to point when nothing more precise exists: the `expo` key, else the start of the primary file. */
  anchor: Location;
  /** How the dynamic config is exported, for messages: "export default", "module.exports", "a function of ({ config })". */
  form: string | null;
}

const JSON_NAMES = ['app.json'];
const DYNAMIC_NAMES = ['app.config.ts', 'app.config.js', 'app.config.mjs', 'app.config.cjs'];

/** The app config files of a folder, from the discovered files. */
export function appConfigFiles(ws: Workspace, dir: string): { json: string | null; dynamic: string | null } {
  const find = (names: string[]) => {
    for (const n of names) {
      const p = path.join(dir, n);
      if (ws.file(p)) return p;
    }
    return null;
  };
  return { json: find(JSON_NAMES), dynamic: find(DYNAMIC_NAMES) };
}

/** app.json as a value tree with positions, or null (with a parse problem recorded) when it is not JSON. */
export function readAppJson(ws: Workspace, file: string): ConfigValue | null {
  return ws.cached(file, 'app-json', () => {
    const t = ws.text(file);
    if (!t) return null;
    const { parseTree, createScanner, printParseErrorCode } = jsonc();
    const errors: ParseError[] = [];
    const root = parseTree(t.text, errors, { allowTrailingComma: true, disallowComments: false });
    // Comments, for inline suppressions (app.json may hold comments: Expo reads it as JSON5-ish).
    const scanner = createScanner(t.text, false);
    const comments = [];
    for (let kind = scanner.scan(); kind !== 17 /* EOF */; kind = scanner.scan()) {
      if (kind === 12 /* LineCommentTrivia */ || kind === 13 /* BlockCommentTrivia */) {
        const start = t.lines.position(scanner.getTokenOffset());
        const end = t.lines.position(scanner.getTokenOffset() + scanner.getTokenLength());
        comments.push({ line: start.line, column: start.column, endLine: end.line, text: t.text.substr(scanner.getTokenOffset(), scanner.getTokenLength()) });
      }
    }
    ws.setComments(file, comments);
    if (errors.length || !root) {
      const e = errors[0];
      const pos = e ? t.lines.position(e.offset) : { line: 1, column: 1 };
      ws.report({ file, line: pos.line, column: pos.column, kind: 'parse-error', severity: 'error', message: `malformed JSON${e ? ` (${printParseErrorCode(e.error)})` : ''}` });
      return null;
    }
    const loc = (offset: number): Location => ({ file, ...t.lines.position(offset) });
    const convert = (n: JsonNode): ConfigValue => {
      switch (n.type) {
        case 'object': {
          const entries: ObjectEntry[] = [];
          for (const p of n.children ?? []) {
            const [k, v] = p.children ?? [];
            if (!k || !v) continue;
            entries.push({ type: 'prop', prop: { key: String(k.value), keyLoc: loc(k.offset), value: convert(v) } });
          }
          return { kind: 'object', entries, loc: loc(n.offset) };
        }
        case 'array':
          return { kind: 'array', items: (n.children ?? []).map(convert), unknown: [], loc: loc(n.offset) };
        case 'string':
          return { kind: 'string', value: String(n.value), loc: loc(n.offset) };
        case 'number':
          return { kind: 'number', value: Number(n.value), loc: loc(n.offset) };
        case 'boolean':
          return { kind: 'boolean', value: Boolean(n.value), loc: loc(n.offset) };
        default:
          return { kind: 'null', loc: loc(n.offset) };
      }
    };
    return convert(root);
  });
}

/** The `expo` object of a config value (the value itself when it has no `expo` key). */
function expoPart(v: ConfigValue): ConfigValue {
  // A spread that cannot be read could hold an `expo` key too; only a written `expo` object counts.
  const expo = getProp(v, 'expo');
  if (expo && expo.kind === 'object') return expo;
  return v;
}

function keyLocation(v: ConfigValue, key: string): Location | null {
  if (v.kind !== 'object') return null;
  for (const e of v.entries) if (e.type === 'prop' && e.prop.key === key) return e.prop.keyLoc;
  return null;
}

/**
 * Read the app config of a folder. `tsm` is needed only when there is a dynamic config.
 * Returns null when the folder has no app config at all.
 */
export function readAppConfig(ws: Workspace, dir: string, tsm: TsMorphModule | null, hooks: EvalHooks = {}): AppConfigRead | null {
  const { json, dynamic } = appConfigFiles(ws, dir);
  if (!json && !dynamic) return null;
  const files = [json, dynamic].filter((f): f is string => !!f);
  const jsonValue = json ? readAppJson(ws, json) : null;
  const staticExpo = jsonValue ? expoPart(jsonValue) : null;
  const jsonAnchor = json && jsonValue ? (keyLocation(jsonValue, 'expo') ?? jsonValue.loc) : null;

  if (!dynamic) {
    const expo = staticExpo ?? unresolved('app.json could not be parsed', 'app.json', { file: json!, line: 1, column: 1 });
    return { files, primary: json!, expo, anchor: jsonAnchor ?? { file: json!, line: 1, column: 1 }, form: null };
  }

  const start: Location = { file: dynamic, line: 1, column: 1 };
  const sf = tsm ? parseScript(ws, tsm, dynamic) : null;
  const t = ws.text(dynamic);
  if (!tsm || !sf || !t) {
    return { files, primary: dynamic, expo: unresolved(`${path.basename(dynamic)} could not be read`, path.basename(dynamic), start), anchor: start, form: null };
  }
  const ev = new Evaluator(tsm, sf, dynamic, t.lines, hooks);
  const { Node } = tsm;
  let exported: import('ts-morph').Node | null = null;
  let form: string | null = null;
  for (const st of sf.getStatements()) {
    if (Node.isExportAssignment(st) && !st.isExportEquals()) {
      exported = st.getExpression();
      form = 'export default';
    } else if (Node.isFunctionDeclaration(st) && st.hasExportKeyword() && st.hasDefaultKeyword()) {
      exported = st;
      form = 'export default function';
    } else if (Node.isExpressionStatement(st)) {
      const e = st.getExpression();
      if (Node.isBinaryExpression(e) && e.getOperatorToken().getText() === '=' && e.getLeft().getText().replace(/\s/g, '') === 'module.exports') {
        exported = e.getRight();
        form = 'module.exports';
      }
    }
  }
  if (!exported) {
    return { files, primary: dynamic, expo: unresolved('no `export default` or `module.exports` found', path.basename(dynamic), start), anchor: start, form: null };
  }
  const anchor = ev.loc(exported);
  let value: ConfigValue | undefined;
  const fn = ev.functionOf(exported);
  if (fn) {
    // Expo calls the function with a ConfigContext whose `config` is the static config (app.json's `expo`).
    const base: ConfigValue = staticExpo ?? { kind: 'object', entries: [], loc: anchor };
    const ctx: ConfigValue = {
      kind: 'object',
      entries: [
        { type: 'prop', prop: { key: 'config', keyLoc: base.loc, value: base } },
        { type: 'prop', prop: { key: 'projectRoot', keyLoc: anchor, value: unresolved('the project folder, known only when Expo runs the config', 'projectRoot', anchor) } },
      ],
      loc: anchor,
    };
    value = ev.call(fn, [ctx]);
    form = `${form} of a function of ({ config })`;
  } else {
    value = ev.evaluate(exported);
  }
  const expo = value === undefined ? unresolved('the config exports undefined', 'undefined', anchor) : expoPart(value);
  return { files, primary: dynamic, expo, anchor: expo.kind === 'object' ? anchor : anchor, form };
}
