// Following an audio library's options back through the app's own wrapper functions, on ts-morph
// syntax trees: when the options of a library call come from a parameter
// (`const setup = (options) => TrackPlayer.setupPlayer(options)`), each call of the wrapper in the
// app's sources is found (same file, or through named / default / namespace imports, aliases,
// re-exports and tsconfig path aliases; methods of classes and object literals through `this`,
// the class, an instance `new C()` or the object), and the options are evaluated once per call
// site with the parameters bound to that call's arguments. Depth and fan-out are bounded, and a
// wrapper on its own call chain is not entered again.
//
// The result for each call site is one outcome. A wrapper that is never called has no outcome (it
// configures nothing); one that cannot be enumerated (an anonymous callback, a function also
// passed around as a value) keeps an outcome with its parameters unknown.

import type { Node as TsNode } from 'ts-morph';
import type { ConfigValue } from './config-value.js';
import { isFunctionLike, type Evaluator, type Frames, type ImportBinding, type Platform } from './evaluate.js';
import { isAudioPackage } from './plugin-effects.js';
import type { TsMorphModule } from './ts-loader.js';

/** What the resolver needs from the reader: evaluators of files, module resolution, a text prefilter. */
export interface ModuleGraph {
  evaluatorFor(file: string): Evaluator | null;
  /** The file an import specifier names (relative, or a tsconfig path alias), or null (a package, unknown). */
  resolveModule(fromFile: string, spec: string): string | null;
  /** Source files of the current app whose text contains `word`. */
  filesMentioning(word: string): string[];
  /** Whether a file is worth parsing to look for an alias of an audio library (a cheap text test). */
  mayAliasLibrary(file: string): boolean;
}

/** A call of a wrapper function: the evaluator of its file and the call expression (or the JSX element of a component). */
export interface CallSite {
  ev: Evaluator;
  call: TsNode;
}

export interface Outcome {
  values: (ConfigValue | undefined)[];
  /** Wrapper calls the values went through, innermost (the wrapper around the library call) first. */
  sites: CallSite[];
}

/** Wrappers followed at most this deep, and at most this many outcomes per library call. */
const MAX_DEPTH = 4;
const MAX_OUTCOMES = 24;
/** Files examined for the calls of one wrapper (text prefilter first). */
const MAX_CANDIDATE_FILES = 400;
/** Evaluations of one library call's options (all call-site combinations together). */
const MAX_EVALUATIONS = 500;

type Denoted = { ev: Evaluator; node: TsNode } | { ev: Evaluator; namespace: true };

export class CallSiteResolver {
  private readonly sitesCache = new Map<TsNode, { sites: CallSite[]; escapes: boolean } | null>();
  /** Evaluations left for the current library call: past it, parameters stay unknown. */
  private budget = MAX_EVALUATIONS;

  constructor(
    private readonly tsm: TsMorphModule,
    private readonly graph: ModuleGraph,
  ) {}

  /**
   * Evaluate `exprs` (written in `ev`'s file) for one platform, once per chain of wrapper call sites
   * that binds the parameters they read.
   */
  outcomes(ev: Evaluator, exprs: TsNode[], platform: Platform, frames: Frames = new Map(), depth = 0, chain: TsNode[] = []): Outcome[] {
    if (depth === 0 && chain.length === 0) this.budget = MAX_EVALUATIONS;
    this.budget--;
    const { result: values, unbound } = ev.withPlatform(platform, () => ev.withFrames(frames, () => ev.tracking(() => exprs.map((e) => (isJsxElement(this.tsm, e) ? ev.jsxProps(e) : ev.evaluate(e))))));
    if (!unbound.size) return [{ values, sites: [] }];
    // The innermost function whose parameters are read: its calls bind them.
    const fn = [...unbound].sort((a, b) => b.getStart() - a.getStart())[0]!;
    if (depth >= MAX_DEPTH || chain.includes(fn) || this.budget <= 0) return [{ values, sites: [] }];
    const found = this.callSitesOf(ev, fn);
    if (!found) return [{ values, sites: [] }];
    const out: Outcome[] = [];
    if (found.escapes) out.push({ values, sites: [] });
    const next = [...chain, fn];
    for (const site of found.sites) {
      // A JSX element passes one argument, its props object (evaluated from the element itself).
      const { Node } = this.tsm;
      const args = Node.isCallExpression(site.call) ? site.call.getArguments() : [site.call];
      for (const a of this.outcomes(site.ev, args, platform, new Map(), depth + 1, next)) {
        const bound = new Map(frames);
        bound.set(fn, a.values);
        for (const o of this.outcomes(ev, exprs, platform, bound, depth, next)) {
          if (out.length >= MAX_OUTCOMES) return out;
          out.push({ values: o.values, sites: [site, ...a.sites, ...o.sites] });
        }
      }
    }
    return out;
  }

  /** The calls of a function in the app's sources; null when they cannot be enumerated. */
  callSitesOf(ev: Evaluator, fn: TsNode): { sites: CallSite[]; escapes: boolean } | null {
    if (this.sitesCache.has(fn)) return this.sitesCache.get(fn)!;
    this.sitesCache.set(fn, null); // while searching (a wrapper that calls itself)
    const name = callableName(this.tsm, fn);
    let result: { sites: CallSite[]; escapes: boolean } | null = null;
    if (name) {
      result = { sites: [], escapes: false };
      // Names it may be called by: its own, aliases of imports and re-exports (`export { a as b }`),
      // and, for a default export, the file's name as importers write it in their import path.
      const words = [name];
      const files = new Set<string>([ev.file]);
      const evOf = (file: string) => (file === ev.file ? ev : this.graph.evaluatorFor(file));
      for (let round = 0, grew = true; grew && round < 6; round++) {
        grew = false;
        for (const w of words) for (const f of this.graph.filesMentioning(w)) if (files.size < MAX_CANDIDATE_FILES) files.add(f);
        for (const f of files) {
          const fev = evOf(f);
          if (!fev) continue;
          for (const a of this.aliasesIn(fev, words)) {
            if (words.includes(a)) continue;
            words.push(a);
            grew = true;
          }
        }
      }
      for (const f of files) {
        const fev = evOf(f);
        if (fev) this.scanFile(fev, new Set(words), fn, result);
      }
    }
    this.sitesCache.set(fn, result);
    return result;
  }

  /** Other names this file gives one of `words`: import / export aliases, and its own module name when it default-exports one. */
  private aliasesIn(ev: Evaluator, words: string[]): string[] {
    const { Node } = this.tsm;
    const out: string[] = [];
    for (const st of ev.sf.getStatements()) {
      if (Node.isImportDeclaration(st)) {
        for (const spec of st.getNamedImports()) if (words.includes(spec.getName()) && spec.getAliasNode()) out.push(spec.getAliasNode()!.getText());
        const def = st.getDefaultImport();
        const last = st.getModuleSpecifierValue().split('/').pop()!.replace(/\.[cm]?[jt]sx?$/, '');
        if (def && words.includes(last)) out.push(def.getText());
      } else if (Node.isExportDeclaration(st)) {
        for (const spec of st.getNamedExports()) {
          if (!words.includes(spec.getName())) continue;
          const alias = spec.getAliasNode()?.getText();
          if (alias && alias !== 'default') out.push(alias);
          if (alias === 'default') out.push(moduleWord(ev.file));
        }
      } else if (Node.isExportAssignment(st) && !st.isExportEquals()) {
        if (Node.isIdentifier(st.getExpression()) && words.includes(st.getExpression().getText())) out.push(moduleWord(ev.file));
      } else if ((Node.isFunctionDeclaration(st) || Node.isClassDeclaration(st)) && st.hasDefaultKeyword() && st.getName() && words.includes(st.getName()!)) {
        out.push(moduleWord(ev.file));
      }
    }
    return out;
  }

  private scanFile(ev: Evaluator, names: Set<string>, fn: TsNode, into: { sites: CallSite[]; escapes: boolean }): void {
    const { Node, SyntaxKind } = this.tsm;
    for (const id of ev.sf.getDescendantsOfKind(SyntaxKind.Identifier)) {
      if (!names.has(id.getText())) continue;
      const parent = id.getParentOrThrow();
      let ref: TsNode = id;
      if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) ref = parent;
      else if (!isReference(this.tsm, id)) continue;
      const outer = ref.getParent();
      // `<Player mix />` calls the component Player with its props.
      const jsx = !!outer && (Node.isJsxOpeningElement(outer) || Node.isJsxSelfClosingElement(outer)) && outer.getTagNameNode() === ref;
      const isCallee = jsx || (!!outer && Node.isCallExpression(outer) && outer.getExpression() === ref);
      // A property access that is not called is someone's property of the same name, not a use of fn.
      if (!isCallee && ref !== id) continue;
      const target = this.denoteAny(ev, ref, 0);
      if (!target) {
        // A call of this name audiobg cannot trace (a parameter's method, a CommonJS require, an
        // inherited method...) may be a call of fn with other options: fn is not "never called".
        if (isCallee && !this.isForeign(ev, ref)) into.escapes = true;
        continue;
      }
      if (!('node' in target) || target.node !== fn) continue;
      if (isCallee) into.sites.push({ ev, call: outer! });
      else if (!isExportOnly(this.tsm, id)) into.escapes = true;
    }
  }

  /** A name (or the root of `a.b.c`) imported from a package, or a global: not the app's own function. */
  private isForeign(ev: Evaluator, ref: TsNode): boolean {
    const { Node } = this.tsm;
    let root = ref;
    while (Node.isPropertyAccessExpression(root) || Node.isCallExpression(root) || Node.isParenthesizedExpression(root) || Node.isNonNullExpression(root)) root = root.getExpression();
    if (!Node.isIdentifier(root)) return false;
    const meaning = ev.nameAt(root.getText(), root);
    if (meaning === null) return ev.isUndeclared(root.getText(), root);
    return meaning.kind === 'import' && !meaning.binding.module.startsWith('.') && this.graph.resolveModule(ev.file, meaning.binding.module) === null;
  }

  // ---- aliases of a library's objects ----

  /**
   * The audio-package import a local name stands for, through aliases: `const Player = TrackPlayer`,
   * or `export const Player = TrackPlayer` in another file of the app (with member paths such as
   * `const Manager = AudioApi.AudioManager`). Null for anything else.
   */
  libraryAlias(ev: Evaluator, name: string, at: TsNode, depth = 0): { binding: ImportBinding; members: string[] } | null {
    if (depth > 8) return null;
    const meaning = ev.nameAt(name, at);
    if (!meaning) return null;
    if (meaning.kind === 'import') {
      if (isAudioPackage(meaning.binding.module)) return { binding: meaning.binding, members: [] };
      if (meaning.binding.imported === '*') return null;
      const target = this.graph.resolveModule(ev.file, meaning.binding.module);
      const tev = target && this.graph.mayAliasLibrary(target) ? this.graph.evaluatorFor(target) : null;
      return tev ? this.exportedAlias(tev, meaning.binding.imported, depth + 1) : null;
    }
    return this.aliasOfExpression(ev, meaning.node, depth + 1);
  }

  private aliasOfExpression(ev: Evaluator, expr: TsNode, depth: number): { binding: ImportBinding; members: string[] } | null {
    const { Node } = this.tsm;
    let cur = expr;
    const members: string[] = [];
    for (;;) {
      if (Node.isParenthesizedExpression(cur) || Node.isAsExpression(cur) || Node.isSatisfiesExpression(cur) || Node.isNonNullExpression(cur)) cur = cur.getExpression();
      else if (Node.isPropertyAccessExpression(cur)) {
        members.unshift(cur.getName());
        cur = cur.getExpression();
      } else break;
    }
    if (!Node.isIdentifier(cur)) return null;
    const inner = this.libraryAlias(ev, cur.getText(), cur, depth + 1);
    return inner ? { binding: inner.binding, members: [...inner.members, ...members] } : null;
  }

  private exportedAlias(ev: Evaluator, name: string, depth: number): { binding: ImportBinding; members: string[] } | null {
    if (depth > 8) return null;
    const { Node } = this.tsm;
    for (const st of ev.sf.getStatements()) {
      if (name === 'default' && Node.isExportAssignment(st) && !st.isExportEquals()) return this.aliasOfExpression(ev, st.getExpression(), depth + 1);
      if (Node.isVariableStatement(st) && st.hasExportKeyword() && name !== 'default') {
        for (const d of st.getDeclarations()) {
          const init = d.getInitializer();
          if (d.getName() === name && init) return this.aliasOfExpression(ev, init, depth + 1);
        }
      }
      if (Node.isExportDeclaration(st)) {
        const spec = st.getModuleSpecifierValue();
        for (const ex of st.getNamedExports()) {
          if ((ex.getAliasNode()?.getText() ?? ex.getName()) !== name) continue;
          if (!spec) return this.libraryAlias(ev, ex.getName(), ev.sf, depth + 1);
          // export { default as Player } from 'react-native-track-player'
          if (isAudioPackage(spec)) return { binding: { module: spec, imported: ex.getName(), local: name, loc: ev.loc(ex) }, members: [] };
          const target = this.graph.resolveModule(ev.file, spec);
          const tev = target && this.graph.mayAliasLibrary(target) ? this.graph.evaluatorFor(target) : null;
          return tev ? this.exportedAlias(tev, ex.getName(), depth + 1) : null;
        }
      }
    }
    return null;
  }

  // ---- what an expression denotes ----

  /** The declaration an expression denotes: a function, object literal, class, `new` expression, or a module namespace. */
  denote(ev: Evaluator, expr: TsNode, depth = 0): { ev: Evaluator; node: TsNode } | null {
    const d = this.denoteAny(ev, expr, depth);
    return d && 'node' in d ? d : null;
  }

  private denoteAny(ev: Evaluator, expr: TsNode, depth: number): Denoted | null {
    if (depth > 12) return null;
    const { Node } = this.tsm;
    let cur = expr;
    while (Node.isParenthesizedExpression(cur) || Node.isAsExpression(cur) || Node.isSatisfiesExpression(cur) || Node.isNonNullExpression(cur)) cur = cur.getExpression();
    // React's useCallback(fn, deps) returns fn.
    if (Node.isCallExpression(cur) && cur.getArguments()[0] && isUseCallbackOf(this.tsm, cur, cur.getArguments()[0]!)) return this.denoteAny(ev, cur.getArguments()[0]!, depth + 1);
    if (isFunctionLike(this.tsm, cur) || Node.isObjectLiteralExpression(cur) || Node.isClassDeclaration(cur) || Node.isClassExpression(cur) || Node.isNewExpression(cur)) return { ev, node: cur };
    if (Node.isIdentifier(cur)) {
      const meaning = ev.nameAt(cur.getText(), cur);
      if (!meaning) return null;
      if (meaning.kind === 'node') return meaning.node === cur ? null : this.denoteAny(ev, meaning.node, depth + 1);
      const target = this.graph.resolveModule(ev.file, meaning.binding.module);
      const tev = target ? this.graph.evaluatorFor(target) : null;
      if (!tev) return null;
      if (meaning.binding.imported === '*') return { ev: tev, namespace: true };
      return this.exportOf(tev, meaning.binding.imported, depth + 1);
    }
    if (Node.isPropertyAccessExpression(cur)) {
      const recv = cur.getExpression();
      const name = cur.getName();
      if (Node.isThisExpression(recv)) {
        // `this` of a class method, or of a method written in an object literal.
        const scope = cur.getFirstAncestor((a) => (isFunctionLike(this.tsm, a) && !Node.isArrowFunction(a)) || Node.isClassDeclaration(a) || Node.isClassExpression(a));
        let owner: TsNode | undefined;
        if (scope && (Node.isClassDeclaration(scope) || Node.isClassExpression(scope))) owner = scope;
        else if (scope && Node.isMethodDeclaration(scope)) {
          const p = scope.getParent();
          if (p && (Node.isObjectLiteralExpression(p) || Node.isClassDeclaration(p) || Node.isClassExpression(p))) owner = p;
        }
        return owner ? this.memberOf({ ev, node: owner }, name, depth + 1) : null;
      }
      const base = this.denoteAny(ev, recv, depth + 1);
      return base ? this.memberOf(base, name, depth + 1) : null;
    }
    return null;
  }

  private memberOf(base: Denoted, name: string, depth: number): Denoted | null {
    const { Node } = this.tsm;
    if ('namespace' in base) return this.exportOf(base.ev, name, depth);
    const { ev, node } = base;
    if (Node.isObjectLiteralExpression(node)) {
      const p = node.getProperty(name);
      if (!p) return null;
      if (Node.isMethodDeclaration(p)) return { ev, node: p };
      if (Node.isPropertyAssignment(p)) return this.denoteAny(ev, p.getInitializerOrThrow(), depth + 1);
      if (Node.isShorthandPropertyAssignment(p)) return this.denoteAny(ev, p.getNameNode(), depth + 1);
      return null;
    }
    if (Node.isNewExpression(node)) {
      const cls = this.denoteAny(ev, node.getExpression(), depth + 1);
      return cls ? this.memberOf(cls, name, depth + 1) : null;
    }
    if (Node.isClassDeclaration(node) || Node.isClassExpression(node)) {
      for (const m of node.getMembers()) {
        if (Node.isMethodDeclaration(m) && m.getName() === name) return { ev, node: m };
        if (Node.isPropertyDeclaration(m) && m.getName() === name) {
          const init = m.getInitializer();
          return init ? this.denoteAny(ev, init, depth + 1) : null;
        }
      }
    }
    return null;
  }

  /** What a module exports under `name` ('default' for the default export). Export keywords are checked syntactically: ts-morph's isExported() / isDefaultExport() build a type checker. */
  private exportOf(ev: Evaluator, name: string, depth: number): Denoted | null {
    if (depth > 12) return null;
    const { Node } = this.tsm;
    const follow = (spec: string, exported: string): Denoted | null => {
      const target = this.graph.resolveModule(ev.file, spec);
      const tev = target ? this.graph.evaluatorFor(target) : null;
      return tev ? this.exportOf(tev, exported, depth + 1) : null;
    };
    for (const st of ev.sf.getStatements()) {
      if (name === 'default' && Node.isExportAssignment(st) && !st.isExportEquals()) return this.denoteAny(ev, st.getExpression(), depth + 1);
      if ((Node.isFunctionDeclaration(st) || Node.isClassDeclaration(st)) && st.hasExportKeyword()) {
        if (name === 'default' ? st.hasDefaultKeyword() : st.getName() === name && !st.hasDefaultKeyword()) return { ev, node: st };
      }
      if (Node.isVariableStatement(st) && st.hasExportKeyword() && name !== 'default') {
        for (const d of st.getDeclarations()) {
          const init = d.getInitializer();
          if (d.getName() === name && init) return this.denoteAny(ev, init, depth + 1);
        }
      }
      if (Node.isExportDeclaration(st)) {
        const spec = st.getModuleSpecifierValue();
        const nsExport = st.getNamespaceExport();
        if (spec && nsExport && nsExport.getName() === name) {
          const target = this.graph.resolveModule(ev.file, spec);
          const tev = target ? this.graph.evaluatorFor(target) : null;
          return tev ? { ev: tev, namespace: true } : null;
        }
        for (const ex of st.getNamedExports()) {
          const exportedAs = ex.getAliasNode()?.getText() ?? ex.getName();
          if (exportedAs !== name) continue;
          if (spec) return follow(spec, ex.getName());
          const local = ev.nameAt(ex.getName(), ev.sf);
          if (local?.kind === 'node') return this.denoteAny(ev, local.node, depth + 1);
          if (local?.kind === 'import') {
            const target = this.graph.resolveModule(ev.file, local.binding.module);
            const tev = target ? this.graph.evaluatorFor(target) : null;
            if (!tev) return null;
            return local.binding.imported === '*' ? { ev: tev, namespace: true } : this.exportOf(tev, local.binding.imported, depth + 1);
          }
          return null;
        }
      }
    }
    // `export * from './x'` (never re-exports a default).
    if (name !== 'default') {
      for (const st of ev.sf.getStatements()) {
        if (!Node.isExportDeclaration(st) || st.getNamedExports().length || st.getNamespaceExport() || !st.getModuleSpecifierValue()) continue;
        const found = follow(st.getModuleSpecifierValue()!, name);
        if (found) return found;
      }
    }
    return null;
  }
}

/** The name a function is called by: its declaration, the variable, property or method it is assigned to. */
export function callableName(tsm: TsMorphModule, fn: TsNode): string | null {
  const { Node } = tsm;
  if (Node.isFunctionDeclaration(fn)) return fn.getName() ?? null;
  if (Node.isMethodDeclaration(fn)) {
    const n = fn.getNameNode();
    return Node.isIdentifier(n) ? n.getText() : null;
  }
  let cur: TsNode = fn;
  let parent = cur.getParent();
  while (parent && (Node.isParenthesizedExpression(parent) || Node.isAsExpression(parent) || Node.isSatisfiesExpression(parent) || isUseCallbackOf(tsm, parent, cur))) {
    cur = parent;
    parent = parent.getParent();
  }
  if (!parent) return null;
  if (Node.isVariableDeclaration(parent) && parent.getInitializer() === cur) {
    const n = parent.getNameNode();
    return Node.isIdentifier(n) ? n.getText() : null;
  }
  if ((Node.isPropertyAssignment(parent) || Node.isPropertyDeclaration(parent)) && parent.getInitializer() === cur) {
    const n = parent.getNameNode();
    return Node.isIdentifier(n) ? n.getText() : null;
  }
  return null;
}

/** The word an import path to this file ends with: `player` for src/player.ts, `audio` for src/audio/index.ts. */
function moduleWord(file: string): string {
  const parts = file.split(/[\\/]/);
  const base = parts[parts.length - 1]!.replace(/\.[cm]?[jt]sx?$/, '');
  return base === 'index' && parts.length > 1 ? parts[parts.length - 2]! : base;
}

function isJsxElement(tsm: TsMorphModule, node: TsNode): boolean {
  return tsm.Node.isJsxOpeningElement(node) || tsm.Node.isJsxSelfClosingElement(node);
}

/** `useCallback(fn, deps)` / `React.useCallback(fn, deps)` with `fn` as its first argument. */
function isUseCallbackOf(tsm: TsMorphModule, call: TsNode, fn: TsNode): boolean {
  const { Node } = tsm;
  if (!Node.isCallExpression(call) || call.getArguments()[0] !== fn) return false;
  const callee = call.getExpression();
  const name = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) ? callee.getName() : '';
  return name === 'useCallback';
}

/** An identifier used as a value (not a declaration's name, a property name, or an import / type name). */
function isReference(tsm: TsMorphModule, id: TsNode): boolean {
  const { Node } = tsm;
  const p = id.getParent();
  if (!p) return false;
  if (Node.isImportSpecifier(p) || Node.isImportClause(p) || Node.isNamespaceImport(p)) return false;
  if ((Node.isVariableDeclaration(p) || Node.isFunctionDeclaration(p) || Node.isMethodDeclaration(p) || Node.isPropertyAssignment(p) || Node.isPropertyDeclaration(p) || Node.isParameterDeclaration(p) || Node.isBindingElement(p) || Node.isClassDeclaration(p)) && p.getNameNode() === id) return false;
  if (Node.isPropertyAccessExpression(p) && p.getNameNode() === id) return false;
  if (Node.isTypeReference(p) || Node.isTypeQuery(p) || Node.isQualifiedName(p)) return false;
  if (Node.isJsxClosingElement(p)) return false;
  return true;
}

/** `export { setup }` / `export default setup` / an object's property / a hook's dependency list: naming the function there does not call it with other values. */
function isExportOnly(tsm: TsMorphModule, id: TsNode): boolean {
  const { Node } = tsm;
  const p = id.getParent();
  // `{ setup }` / `{ setup: setupPlayer }`: the object's calls (`Player.setup(...)`) are found through the object.
  if (!p) return false;
  if (Node.isExportSpecifier(p) || Node.isExportAssignment(p) || Node.isShorthandPropertyAssignment(p) || (Node.isPropertyAssignment(p) && p.getInitializer() === id)) return true;
  // The dependency list of a React hook (`useEffect(..., [start])`) only compares the function.
  const call = p.getParent();
  if (Node.isArrayLiteralExpression(p) && call && Node.isCallExpression(call) && call.getArguments()[1] === p) {
    const callee = call.getExpression();
    const name = Node.isIdentifier(callee) ? callee.getText() : Node.isPropertyAccessExpression(callee) ? callee.getName() : '';
    return /^use[A-Z]/.test(name);
  }
  return false;
}
