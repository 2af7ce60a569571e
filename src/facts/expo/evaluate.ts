// A small static evaluator for JS/TS expressions on ts-morph syntax trees: object and array
// literals, spreads, constants (in scope or imported through a hook), property access, `??`/`||`,
// `as`/`satisfies`, and calling a config function of `({ config })`. Anything that would need the
// code to run becomes an `unresolved` value with the reason. Nothing is ever executed.

import type { Node as TsNode, SourceFile } from 'ts-morph';
import type { Location } from '../../findings/finding.js';
import type { LineIndex } from '../../parse/text.js';
import { getProp, unresolved, type ConfigArray, type ConfigObject, type ConfigValue, type ObjectEntry, type Unresolved } from './config-value.js';
import type { TsMorphModule } from './ts-loader.js';

/** A name bound by an import: `import X from 'm'` is `default`, `import * as X` is `*`. */
export interface ImportBinding {
  module: string;
  imported: string;
  local: string;
  loc: Location;
}

export interface EvalHooks {
  /**
   * The value of `imported` (then `path`) from another module, e.g. an enum member of a library or an
   * exported constant of a local file; undefined when the hook does not know it.
   */
  importValue?(binding: ImportBinding, path: string[], loc: Location): ConfigValue | undefined;
}

type Entry =
  | { kind: 'node'; node: TsNode; scope: Scope }
  | { kind: 'value'; value: ConfigValue | undefined }
  | { kind: 'function'; node: TsNode }
  | { kind: 'import'; binding: ImportBinding }
  | { kind: 'opaque'; reason: string };

interface Scope {
  vars: Map<string, Entry>;
  parent: Scope | null;
}

/** `undefined` in JS: distinct from "unknown". */
export const UNDEFINED = undefined;

const MAX_DEPTH = 40;

export class Evaluator {
  private readonly scopes = new Map<TsNode, Scope>();
  private readonly inProgress = new Set<TsNode>();
  private depth = 0;
  readonly imports: ImportBinding[] = [];

  constructor(
    private readonly tsm: TsMorphModule,
    readonly sf: SourceFile,
    readonly file: string,
    private readonly lines: LineIndex,
    private readonly hooks: EvalHooks = {},
  ) {
    this.collectImports();
  }

  loc(node: TsNode): Location {
    const p = this.lines.position(node.getStart());
    return { file: this.file, line: p.line, column: p.column };
  }

  private unknown(reason: string, node: TsNode): Unresolved {
    return unresolved(reason, node.getText(), this.loc(node));
  }

  // ---- imports and scopes ----

  private collectImports(): void {
    const { Node } = this.tsm;
    for (const st of this.sf.getStatements()) {
      if (Node.isImportDeclaration(st)) {
        const module = st.getModuleSpecifierValue();
        const def = st.getDefaultImport();
        if (def) this.imports.push({ module, imported: 'default', local: def.getText(), loc: this.loc(def) });
        const ns = st.getNamespaceImport();
        if (ns) this.imports.push({ module, imported: '*', local: ns.getText(), loc: this.loc(ns) });
        for (const spec of st.getNamedImports()) {
          const alias = spec.getAliasNode();
          this.imports.push({ module, imported: spec.getName(), local: alias ? alias.getText() : spec.getName(), loc: this.loc(spec) });
        }
      } else if (Node.isVariableStatement(st)) {
        // const X = require('m') / const { a, b: c } = require('m')
        for (const decl of st.getDeclarations()) {
          const init = decl.getInitializer();
          const module = init ? requiredModule(this.tsm, init) : null;
          if (!module) continue;
          const nameNode = decl.getNameNode();
          if (Node.isIdentifier(nameNode)) {
            this.imports.push({ module, imported: '*', local: nameNode.getText(), loc: this.loc(nameNode) });
          } else if (Node.isObjectBindingPattern(nameNode)) {
            for (const el of nameNode.getElements()) {
              const prop = el.getPropertyNameNode()?.getText() ?? el.getName();
              this.imports.push({ module, imported: prop, local: el.getName(), loc: this.loc(el) });
            }
          }
        }
      }
    }
  }

  binding(local: string): ImportBinding | undefined {
    return this.imports.find((b) => b.local === local);
  }

  /** The scope of a block-like container: its `const`/`let`/function declarations and, for functions, parameters. */
  private scopeOf(container: TsNode): Scope {
    const cached = this.scopes.get(container);
    if (cached) return cached;
    const { Node } = this.tsm;
    const parentNode = enclosingContainer(this.tsm, container);
    const scope: Scope = { vars: new Map(), parent: parentNode ? this.scopeOf(parentNode) : null };
    this.scopes.set(container, scope);
    if (Node.isSourceFile(container)) {
      for (const b of this.imports) scope.vars.set(b.local, { kind: 'import', binding: b });
    }
    if (isFunctionLike(this.tsm, container)) {
      const fnName = functionName(this.tsm, container);
      for (const p of (container as unknown as { getParameters(): TsNode[] }).getParameters()) {
        for (const name of boundNames(this.tsm, p)) scope.vars.set(name, { kind: 'opaque', reason: `a parameter of ${fnName}` });
      }
    }
    const statements = statementsOf(this.tsm, container);
    for (const st of statements) {
      if (Node.isVariableStatement(st)) {
        for (const decl of st.getDeclarations()) {
          const nameNode = decl.getNameNode();
          const init = decl.getInitializer();
          if (Node.isIdentifier(nameNode)) {
            if (!init) scope.vars.set(nameNode.getText(), { kind: 'value', value: undefined });
            else if (isFunctionLike(this.tsm, init)) scope.vars.set(nameNode.getText(), { kind: 'function', node: init });
            else if (!scope.vars.has(nameNode.getText()) || scope.vars.get(nameNode.getText())!.kind !== 'import') {
              scope.vars.set(nameNode.getText(), { kind: 'node', node: init, scope });
            }
          } else if (Node.isObjectBindingPattern(nameNode) && init && !requiredModule(this.tsm, init)) {
            // const { ios } = base;
            for (const el of nameNode.getElements()) {
              const prop = el.getPropertyNameNode()?.getText() ?? el.getName();
              scope.vars.set(el.getName(), { kind: 'node', node: init, scope, ...{ member: prop } } as Entry);
            }
          }
        }
      } else if (Node.isFunctionDeclaration(st) && st.getName()) {
        scope.vars.set(st.getName()!, { kind: 'function', node: st });
      } else if (Node.isEnumDeclaration(st)) {
        scope.vars.set(st.getName(), { kind: 'node', node: st, scope });
      }
    }
    return scope;
  }

  /** The scope in effect at a node (innermost block / function / file). */
  scopeAt(node: TsNode): Scope {
    const c = enclosingContainer(this.tsm, node, true);
    return this.scopeOf(c ?? this.sf);
  }

  private lookup(scope: Scope, name: string): { entry: Entry; scope: Scope } | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const e = s.vars.get(name);
      if (e) return { entry: e, scope: s };
    }
    return undefined;
  }

  // ---- evaluation ----

  /** Evaluate an expression in the scope where it is written. Undefined means the JS value `undefined`. */
  evaluate(node: TsNode, scope: Scope = this.scopeAt(node)): ConfigValue | undefined {
    if (this.depth > MAX_DEPTH) return this.unknown('an expression nested too deeply', node);
    this.depth++;
    try {
      return this.eval(node, scope);
    } finally {
      this.depth--;
    }
  }

  private eval(node: TsNode, scope: Scope): ConfigValue | undefined {
    const { Node, SyntaxKind } = this.tsm;
    const loc = this.loc(node);
    if (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isNonNullExpression(node) || Node.isSatisfiesExpression(node) || Node.isTypeAssertion(node)) {
      return this.evaluate(node.getExpression(), scope);
    }
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return { kind: 'string', value: node.getLiteralValue(), loc };
    if (Node.isNumericLiteral(node)) return { kind: 'number', value: node.getLiteralValue(), loc };
    if (Node.isTrueLiteral(node) || Node.isFalseLiteral(node)) return { kind: 'boolean', value: Node.isTrueLiteral(node), loc };
    if (Node.isNullLiteral(node)) return { kind: 'null', loc };
    if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.MinusToken) {
      const v = this.evaluate(node.getOperand(), scope);
      if (v?.kind === 'number') return { kind: 'number', value: -v.value, loc };
      return this.unknown('a computed number', node);
    }
    if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.ExclamationToken) {
      const v = this.evaluate(node.getOperand(), scope);
      if (v === undefined || v.kind === 'null') return { kind: 'boolean', value: true, loc };
      if (v.kind === 'boolean') return { kind: 'boolean', value: !v.value, loc };
      if (v.kind === 'unresolved') return v;
      return this.unknown('a computed boolean', node);
    }
    if (Node.isTemplateExpression(node)) {
      let s = node.getHead().getLiteralText();
      for (const span of node.getTemplateSpans()) {
        const v = this.evaluate(span.getExpression(), scope);
        if (v?.kind === 'string' || v?.kind === 'number' || v?.kind === 'boolean') s += String(v.value);
        else return v?.kind === 'unresolved' ? v : this.unknown('a template string with a value audiobg cannot read', node);
        s += span.getLiteral().getLiteralText();
      }
      return { kind: 'string', value: s, loc };
    }
    if (Node.isObjectLiteralExpression(node)) return this.object(node, scope);
    if (Node.isArrayLiteralExpression(node)) return this.array(node, scope);
    if (Node.isIdentifier(node)) {
      if (node.getText() === 'undefined') return undefined;
      return this.identifier(node.getText(), node, scope);
    }
    if (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) return this.member(node, scope);
    if (Node.isConditionalExpression(node)) {
      const cond = this.evaluate(node.getCondition(), scope);
      if (cond && cond.kind === 'boolean') return this.evaluate(cond.value ? node.getWhenTrue() : node.getWhenFalse(), scope);
      const a = this.evaluate(node.getWhenTrue(), scope);
      const b = this.evaluate(node.getWhenFalse(), scope);
      if (sameValue(a, b)) return a;
      return this.unknown(`a value that depends on the condition \`${shortText(node.getCondition().getText())}\``, node);
    }
    if (Node.isBinaryExpression(node)) {
      const op = node.getOperatorToken().getKind();
      if (op === SyntaxKind.QuestionQuestionToken || op === SyntaxKind.BarBarToken) {
        const left = this.evaluate(node.getLeft(), scope);
        if (left?.kind === 'unresolved') return left;
        const falsy = left === undefined || left.kind === 'null' || (op === SyntaxKind.BarBarToken && isFalsy(left));
        return falsy ? this.evaluate(node.getRight(), scope) : left;
      }
      if (op === SyntaxKind.AmpersandAmpersandToken) {
        const left = this.evaluate(node.getLeft(), scope);
        if (left?.kind === 'unresolved') return left;
        const falsy = left === undefined || left.kind === 'null' || isFalsy(left);
        return falsy ? left : this.evaluate(node.getRight(), scope);
      }
      return this.unknown('a computed value', node);
    }
    if (Node.isCallExpression(node)) {
      return this.unknown(`the result of calling ${shortText(node.getExpression().getText())}()`, node);
    }
    if (Node.isAwaitExpression(node)) return this.unknown('an awaited value', node);
    if (Node.isEnumDeclaration(node)) {
      const entries: ObjectEntry[] = [];
      let next = 0;
      for (const m of node.getMembers()) {
        const init = m.getInitializer();
        let value: ConfigValue;
        if (init) {
          value = this.evaluate(init, scope) ?? this.unknown('an enum member', m);
          if (value.kind === 'number') next = value.value + 1;
        } else value = { kind: 'number', value: next++, loc: this.loc(m) };
        entries.push({ type: 'prop', prop: { key: m.getName(), keyLoc: this.loc(m), value } });
      }
      return { kind: 'object', entries, loc };
    }
    if (isFunctionLike(this.tsm, node)) return this.unknown('a function', node);
    return this.unknown('an expression audiobg does not evaluate', node);
  }

  private identifier(name: string, node: TsNode, scope: Scope): ConfigValue | undefined {
    const found = this.lookup(scope, name);
    if (!found) {
      if (name === 'process') return this.unknown('the process environment', node);
      return this.unknown(`\`${name}\`, which is not defined in this file`, node);
    }
    const e = found.entry;
    switch (e.kind) {
      case 'value':
        return e.value;
      case 'opaque':
        return this.unknown(e.reason, node);
      case 'function':
        return this.unknown(`the function ${name}`, node);
      case 'import': {
        const v = this.hooks.importValue?.(e.binding, [], this.loc(node));
        return v ?? this.unknown(`\`${name}\`, imported from '${e.binding.module}'`, node);
      }
      case 'node': {
        const member = (e as { member?: string }).member;
        if (this.inProgress.has(e.node) && !member) return this.unknown(`\`${name}\`, which refers to itself`, node);
        this.inProgress.add(e.node);
        try {
          const v = this.evaluate(e.node, e.scope);
          return member ? (v?.kind === 'unresolved' ? v : getProp(v, member)) : v;
        } finally {
          this.inProgress.delete(e.node);
        }
      }
    }
  }

  private member(node: TsNode, scope: Scope): ConfigValue | undefined {
    const { Node } = this.tsm;
    // Collect the chain a.b.c (or a['b']) down to its root expression.
    const path: string[] = [];
    let cur: TsNode = node;
    for (;;) {
      if (Node.isPropertyAccessExpression(cur)) {
        path.unshift(cur.getName());
        cur = cur.getExpression();
      } else if (Node.isElementAccessExpression(cur)) {
        const arg = cur.getArgumentExpression();
        const k = arg ? this.evaluate(arg, scope) : undefined;
        if (k?.kind !== 'string' && k?.kind !== 'number') return this.unknown('a computed property', node);
        path.unshift(String(k.value));
        cur = cur.getExpression();
      } else if (Node.isParenthesizedExpression(cur) || Node.isNonNullExpression(cur) || Node.isAsExpression(cur)) {
        cur = cur.getExpression();
      } else break;
    }
    if (Node.isIdentifier(cur)) {
      const name = cur.getText();
      if (name === 'process' && path[0] === 'env') return this.unknown(`the environment variable ${path.slice(1).join('.') || 'process.env'}`, node);
      const found = this.lookup(scope, name);
      if (found?.entry.kind === 'import') {
        const v = this.hooks.importValue?.(found.entry.binding, path, this.loc(node));
        return v ?? this.unknown(`\`${shortText(node.getText())}\`, imported from '${found.entry.binding.module}'`, node);
      }
    }
    let v = this.evaluate(cur, scope);
    for (const key of path) {
      if (v === undefined || v.kind === 'null') return undefined;
      if (v.kind === 'unresolved') return v;
      if (v.kind === 'array' && key === 'length') return v.unknown.length ? v.unknown[0] : { kind: 'number', value: v.items.length, loc: this.loc(node) };
      if (v.kind === 'array' && /^\d+$/.test(key)) {
        v = v.unknown.length ? v.unknown[0] : v.items[Number(key)];
        continue;
      }
      v = getProp(v, key);
    }
    return v;
  }

  private object(node: TsNode, scope: Scope): ConfigObject {
    const { Node } = this.tsm;
    const lit = node.asKindOrThrow(this.tsm.SyntaxKind.ObjectLiteralExpression);
    const entries: ObjectEntry[] = [];
    for (const p of lit.getProperties()) {
      if (Node.isSpreadAssignment(p)) {
        const v = this.evaluate(p.getExpression(), scope);
        if (v === undefined || v.kind === 'null') continue;
        if (v.kind === 'object') entries.push(...v.entries);
        else if (v.kind === 'unresolved') entries.push({ type: 'unknown', value: v });
        else entries.push({ type: 'unknown', value: this.unknown('a spread of a value that is not an object', p) });
        continue;
      }
      if (Node.isShorthandPropertyAssignment(p)) {
        const value = this.identifier(p.getName(), p.getNameNode(), scope);
        if (value !== undefined) entries.push({ type: 'prop', prop: { key: p.getName(), keyLoc: this.loc(p), value } });
        continue;
      }
      if (Node.isPropertyAssignment(p) || Node.isMethodDeclaration(p) || Node.isGetAccessorDeclaration(p)) {
        const nameNode = p.getNameNode();
        let key: string | null = null;
        if (Node.isIdentifier(nameNode) || Node.isPrivateIdentifier(nameNode)) key = nameNode.getText();
        else if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) key = nameNode.getLiteralValue();
        else if (Node.isNumericLiteral(nameNode)) key = String(nameNode.getLiteralValue());
        else if (Node.isComputedPropertyName(nameNode)) {
          const k = this.evaluate(nameNode.getExpression(), scope);
          if (k?.kind === 'string' || k?.kind === 'number') key = String(k.value);
        }
        if (key === null) {
          entries.push({ type: 'unknown', value: this.unknown('a computed key', p) });
          continue;
        }
        if (!Node.isPropertyAssignment(p)) {
          entries.push({ type: 'prop', prop: { key, keyLoc: this.loc(p), value: this.unknown('a method', p) } });
          continue;
        }
        const value = this.evaluate(p.getInitializerOrThrow(), scope);
        if (value !== undefined) entries.push({ type: 'prop', prop: { key, keyLoc: this.loc(p), value } });
        else entries.push({ type: 'prop', prop: { key, keyLoc: this.loc(p), value: { kind: 'null', loc: this.loc(p) } } });
      }
    }
    return { kind: 'object', entries, loc: this.loc(node) };
  }

  private array(node: TsNode, scope: Scope): ConfigArray {
    const { Node } = this.tsm;
    const lit = node.asKindOrThrow(this.tsm.SyntaxKind.ArrayLiteralExpression);
    const out: ConfigArray = { kind: 'array', items: [], unknown: [], loc: this.loc(node) };
    for (const el of lit.getElements()) {
      if (Node.isSpreadElement(el)) {
        const v = this.evaluate(el.getExpression(), scope);
        if (v?.kind === 'array') {
          out.items.push(...v.items);
          out.unknown.push(...v.unknown);
        } else if (v?.kind === 'unresolved') out.unknown.push(v);
        else out.unknown.push(this.unknown('a spread of a value that is not an array', el));
        continue;
      }
      if (Node.isOmittedExpression(el)) continue;
      out.items.push(this.evaluate(el, scope) ?? { kind: 'null', loc: this.loc(el) });
    }
    return out;
  }

  /** The value a file exports under `name` (`default` for the default export). */
  exported(name: string): ConfigValue | undefined {
    const { Node } = this.tsm;
    if (name === 'default') {
      for (const st of this.sf.getStatements()) {
        if (Node.isExportAssignment(st) && !st.isExportEquals()) return this.evaluate(st.getExpression(), this.scopeOf(this.sf));
      }
      return undefined;
    }
    return this.identifier(name, this.sf, this.scopeOf(this.sf));
  }

  // ---- functions ----

  /** The function an expression denotes (an arrow, a function expression, or a name bound to one), or null. */
  functionOf(node: TsNode, scope: Scope = this.scopeAt(node)): TsNode | null {
    const { Node } = this.tsm;
    let cur = node;
    while (Node.isParenthesizedExpression(cur) || Node.isAsExpression(cur) || Node.isSatisfiesExpression(cur)) cur = cur.getExpression();
    if (isFunctionLike(this.tsm, cur)) return cur;
    if (Node.isIdentifier(cur)) {
      const found = this.lookup(scope, cur.getText());
      if (found?.entry.kind === 'function') return found.entry.node;
      if (found?.entry.kind === 'node') return this.functionOf(found.entry.node, found.entry.scope);
    }
    return null;
  }

  /**
   * The value a function returns when called with these arguments. Parameters are bound to the
   * argument values (destructuring `{ config }` is followed); a single return is required.
   */
  call(fn: TsNode, args: (ConfigValue | undefined)[]): ConfigValue | undefined {
    const { Node } = this.tsm;
    const scope = this.scopeOf(fn);
    const params = (fn as unknown as { getParameters(): TsNode[] }).getParameters();
    params.forEach((p, i) => {
      const arg = args[i];
      if (!Node.isParameterDeclaration(p)) return;
      const nameNode = p.getNameNode();
      if (Node.isIdentifier(nameNode)) scope.vars.set(nameNode.getText(), { kind: 'value', value: arg });
      else if (Node.isObjectBindingPattern(nameNode)) {
        for (const el of nameNode.getElements()) {
          const prop = el.getPropertyNameNode()?.getText() ?? el.getName();
          scope.vars.set(el.getName(), { kind: 'value', value: arg?.kind === 'unresolved' ? arg : getProp(arg, prop) });
        }
      }
    });
    const body = (fn as unknown as { getBody(): TsNode | undefined }).getBody();
    if (!body) return this.unknown('a function without a body', fn);
    if (!Node.isBlock(body)) return this.evaluate(body, scope);
    const returns = body.getDescendantsOfKind(this.tsm.SyntaxKind.ReturnStatement).filter((r) => enclosingFunction(this.tsm, r) === fn);
    if (returns.length === 0) return undefined;
    if (returns.length > 1) {
      const values = returns.map((r) => (r.getExpression() ? this.evaluate(r.getExpression()!, this.scopeAt(r)) : undefined));
      if (values.every((v) => sameValue(v, values[0]))) return values[0];
      return this.unknown('a function that returns different values on different paths', fn);
    }
    const expr = returns[0]!.getExpression();
    return expr ? this.evaluate(expr, this.scopeAt(returns[0]!)) : undefined;
  }
}

// ---- syntax helpers ----

export function requiredModule(tsm: TsMorphModule, node: TsNode): string | null {
  const { Node } = tsm;
  let cur = node;
  while (Node.isParenthesizedExpression(cur) || Node.isAsExpression(cur)) cur = cur.getExpression();
  if (!Node.isCallExpression(cur)) return null;
  const callee = cur.getExpression();
  const arg = cur.getArguments()[0];
  if (Node.isIdentifier(callee) && callee.getText() === 'require' && arg && Node.isStringLiteral(arg)) return arg.getLiteralValue();
  return null;
}

export function isFunctionLike(tsm: TsMorphModule, node: TsNode): boolean {
  const { Node } = tsm;
  return Node.isArrowFunction(node) || Node.isFunctionExpression(node) || Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node);
}

function functionName(tsm: TsMorphModule, fn: TsNode): string {
  const { Node } = tsm;
  if (Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn) || Node.isFunctionExpression(fn)) {
    const n = fn.getName();
    if (n) return `function ${n}()`;
  }
  const parent = fn.getParent();
  if (parent && Node.isVariableDeclaration(parent)) return `function ${parent.getName()}()`;
  return 'an enclosing function';
}

function boundNames(tsm: TsMorphModule, p: TsNode): string[] {
  const { Node } = tsm;
  if (!Node.isParameterDeclaration(p)) return [];
  const n = p.getNameNode();
  if (Node.isIdentifier(n)) return [n.getText()];
  if (Node.isObjectBindingPattern(n) || Node.isArrayBindingPattern(n)) {
    return n.getDescendantsOfKind(tsm.SyntaxKind.BindingElement).map((el) => el.getName());
  }
  return [];
}

/** The nearest enclosing function of a node (or null at top level). */
export function enclosingFunction(tsm: TsMorphModule, node: TsNode): TsNode | null {
  for (let p = node.getParent(); p; p = p.getParent()) if (isFunctionLike(tsm, p)) return p;
  return null;
}

/** The nearest enclosing scope container: a block, a function, or the source file. */
function enclosingContainer(tsm: TsMorphModule, node: TsNode, includeSelf = false): TsNode | null {
  const { Node } = tsm;
  for (let p: TsNode | undefined = includeSelf ? node : node.getParent(); p; p = p.getParent()) {
    if (p === node && !includeSelf) continue;
    if (Node.isSourceFile(p) || isFunctionLike(tsm, p)) return p;
    if (Node.isBlock(p) && !isFunctionLike(tsm, p.getParentOrThrow())) return p;
  }
  return null;
}

function statementsOf(tsm: TsMorphModule, container: TsNode): TsNode[] {
  const { Node } = tsm;
  if (Node.isSourceFile(container) || Node.isBlock(container)) return container.getStatements();
  if (isFunctionLike(tsm, container)) {
    const body = (container as unknown as { getBody(): TsNode | undefined }).getBody();
    if (body && Node.isBlock(body)) return body.getStatements();
  }
  return [];
}

function isFalsy(v: ConfigValue): boolean {
  return (v.kind === 'boolean' && !v.value) || (v.kind === 'string' && v.value === '') || (v.kind === 'number' && v.value === 0);
}

function sameValue(a: ConfigValue | undefined, b: ConfigValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'string' || a.kind === 'number' || a.kind === 'boolean') return a.value === (b as typeof a).value;
  return a.kind === 'null';
}

function shortText(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}
