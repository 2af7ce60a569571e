// A small static evaluator for JS/TS expressions on ts-morph syntax trees: object and array
// literals, spreads, constants (in scope or imported through a hook), property access, `??`/`||`,
// `as`/`satisfies`, and calling a config function of `({ config })`. Anything that would need the
// code to run becomes an `unresolved` value with the reason. Nothing is ever executed.
//
// React Native's `Platform` is evaluated for one platform at a time: with `platform` set,
// `Platform.OS` is 'ios' or 'android', `Platform.select({ ios, android, native, default })` picks
// its branch, and `===`/`!==`/`==`/`!=` between known values are decided. Without it (app configs)
// they stay unresolved.
//
// Parameters of a function are unknown unless a frame binds them (see withFrames): the wrapper
// following in js-facts.ts binds a wrapper's parameters to the values of each of its call sites.
// Evaluation records which functions' unbound parameters it needed (see tracking).

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

export type Platform = 'ios' | 'android';

export interface EvalHooks {
  /**
   * The value of `imported` (then `path`) from another module, e.g. an enum member of a library or an
   * exported constant of a local file, evaluated for `platform`; undefined when the hook does not know it.
   */
  importValue?(binding: ImportBinding, path: string[], loc: Location, platform: Platform | null): ConfigValue | undefined;
}

/** Argument values bound to the parameters of functions, by function node. */
export type Frames = ReadonlyMap<TsNode, readonly (ConfigValue | undefined)[]>;

type Entry =
  | { kind: 'node'; node: TsNode; scope: Scope }
  | { kind: 'value'; value: ConfigValue | undefined }
  | { kind: 'function'; node: TsNode }
  | { kind: 'import'; binding: ImportBinding }
  | { kind: 'opaque'; reason: string }
  /** A parameter (or a name destructured from one): `path` leads from the argument to the value, `init` is its default. */
  | { kind: 'param'; fn: TsNode; index: number; path: string[]; init: TsNode | null; reason: string };

interface Scope {
  vars: Map<string, Entry>;
  parent: Scope | null;
}

const MAX_DEPTH = 40;

export class Evaluator {
  private readonly scopes = new Map<TsNode, Scope>();
  private readonly inProgress = new Set<TsNode>();
  private depth = 0;
  private frames: Frames = new Map();
  private touched: Set<TsNode> | null = null;
  /** The platform `Platform.OS` stands for; null: unknown (e.g. in an app config). */
  platform: Platform | null = null;
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
      const reason = `a parameter of ${functionName(this.tsm, container)}`;
      (container as unknown as { getParameters(): TsNode[] }).getParameters().forEach((p, index) => {
        for (const b of paramBindings(this.tsm, p)) {
          scope.vars.set(b.name, b.rest ? { kind: 'opaque', reason } : { kind: 'param', fn: container, index, path: b.path, init: b.init, reason });
        }
      });
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
              scope.vars.set(el.getName(), { kind: 'node', node: init, scope, ...{ member: prop, memberInit: el.getInitializer() ?? null } } as Entry);
            }
          }
        }
      } else if (Node.isFunctionDeclaration(st) && st.getName()) {
        scope.vars.set(st.getName()!, { kind: 'function', node: st });
      } else if (Node.isEnumDeclaration(st)) {
        scope.vars.set(st.getName(), { kind: 'node', node: st, scope });
      } else if (Node.isClassDeclaration(st) && st.getName()) {
        scope.vars.set(st.getName()!, { kind: 'node', node: st, scope });
      }
    }
    return scope;
  }

  /** The scope in effect at a node (innermost block / function / file). */
  scopeAt(node: TsNode): Scope {
    const c = enclosingContainer(this.tsm, node, true);
    return this.scopeOf(c ?? this.sf);
  }

  /** What a name denotes where `at` is written: the syntax node it is bound to, or an import; null otherwise (a parameter, unknown). */
  nameAt(name: string, at: TsNode): { kind: 'node'; node: TsNode } | { kind: 'import'; binding: ImportBinding } | null {
    const found = this.lookup(this.scopeAt(at), name);
    if (!found) return null;
    const e = found.entry;
    if (e.kind === 'function') return { kind: 'node', node: e.node };
    if (e.kind === 'node' && !(e as { member?: string }).member) return { kind: 'node', node: e.node };
    if (e.kind === 'import') return { kind: 'import', binding: e.binding };
    return null;
  }

  /** True when nothing in scope declares `name` (a global such as `console`, or a name audiobg does not see declared). */
  isUndeclared(name: string, at: TsNode): boolean {
    return this.lookup(this.scopeAt(at), name) === undefined;
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
      const why = cond?.kind === 'unresolved' && cond.reason.includes('Platform.OS') ? 'the platform (`Platform.OS`)' : `the condition \`${shortText(node.getCondition().getText())}\``;
      return this.bounded(this.unknown(`a value that depends on ${why}`, node), [a, b]);
    }
    if (Node.isBinaryExpression(node)) {
      const op = node.getOperatorToken().getKind();
      if (op === SyntaxKind.QuestionQuestionToken || op === SyntaxKind.BarBarToken) {
        const left = this.evaluate(node.getLeft(), scope);
        // Either side may be the value: its keys are bounded by both sides'.
        if (left?.kind === 'unresolved') return this.bounded(left, [left, this.evaluate(node.getRight(), scope)]);
        const falsy = left === undefined || left.kind === 'null' || (op === SyntaxKind.BarBarToken && isFalsy(left));
        return falsy ? this.evaluate(node.getRight(), scope) : left;
      }
      if (op === SyntaxKind.AmpersandAmpersandToken) {
        const left = this.evaluate(node.getLeft(), scope);
        // `cond && { ... }`: a falsy value (which a spread ignores) or the right side.
        if (left?.kind === 'unresolved') return this.bounded(left, [undefined, this.evaluate(node.getRight(), scope)]);
        const falsy = left === undefined || left.kind === 'null' || isFalsy(left);
        return falsy ? left : this.evaluate(node.getRight(), scope);
      }
      if (op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken) {
        const l = this.evaluate(node.getLeft(), scope);
        const r = this.evaluate(node.getRight(), scope);
        if (l?.kind === 'unresolved') return l;
        if (r?.kind === 'unresolved') return r;
        const loose = op === SyntaxKind.EqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken;
        const eq = primitiveEquals(l, r, loose);
        if (eq === null) return this.unknown('a comparison of values audiobg does not compare', node);
        const negate = op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken;
        return { kind: 'boolean', value: negate ? !eq : eq, loc };
      }
      return this.unknown('a computed value', node);
    }
    if (Node.isCallExpression(node)) {
      const select = this.platformSelect(node, scope);
      if (select) return select.value;
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
      case 'param': {
        const args = this.frames.get(e.fn);
        if (!args) {
          this.touched?.add(e.fn);
          return this.unknown(e.reason, node);
        }
        let v = args[e.index];
        for (const k of e.path) {
          if (v === undefined || v.kind === 'unresolved') break;
          v = getProp(v, k);
        }
        if (v === undefined && e.init) v = this.evaluate(e.init, this.scopeOf(e.fn));
        return v;
      }
      case 'function':
        return this.unknown(`the function ${name}`, node);
      case 'import': {
        const v = this.hooks.importValue?.(e.binding, [], this.loc(node), this.platform);
        return v ?? this.unknown(`\`${name}\`, imported from '${e.binding.module}'`, node);
      }
      case 'node': {
        const { member, memberInit } = e as { member?: string; memberInit?: TsNode | null };
        if (this.inProgress.has(e.node) && !member) return this.unknown(`\`${name}\`, which refers to itself`, node);
        this.inProgress.add(e.node);
        try {
          const v = this.evaluate(e.node, e.scope);
          if (!member) return v;
          // const { mode = 'default' } = options: the default when the property is absent.
          const picked = v?.kind === 'unresolved' ? (v.keys && !v.keys.includes(member) ? undefined : v) : getProp(v, member);
          return picked === undefined && memberInit ? this.evaluate(memberInit, e.scope) : picked;
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
      if (found?.entry.kind === 'import' && isPlatformBinding(found.entry.binding) && path.length === 1 && path[0] === 'OS') {
        if (this.platform) return { kind: 'string', value: this.platform, loc: this.loc(node) };
        return this.unknown('the platform the app runs on (`Platform.OS`)', node);
      }
      if (found?.entry.kind === 'import') {
        const v = this.hooks.importValue?.(found.entry.binding, path, this.loc(node), this.platform);
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
        // Spreading undefined, null, a boolean or a number adds nothing (`...(cond && { ... })`).
        if (v === undefined || v.kind === 'null' || v.kind === 'boolean' || v.kind === 'number') continue;
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

  /** The props object a JSX element passes to its component: attributes and spread attributes (children are not read). */
  jsxProps(el: TsNode): ConfigObject {
    const { Node } = this.tsm;
    const entries: ObjectEntry[] = [];
    const attrs = Node.isJsxOpeningElement(el) || Node.isJsxSelfClosingElement(el) ? el.getAttributes() : [];
    for (const a of attrs) {
      if (Node.isJsxSpreadAttribute(a)) {
        const v = this.evaluate(a.getExpression());
        if (v === undefined || v.kind === 'null' || v.kind === 'boolean' || v.kind === 'number') continue;
        if (v.kind === 'object') entries.push(...v.entries);
        else entries.push({ type: 'unknown', value: v.kind === 'unresolved' ? v : this.unknown('a spread of a value that is not an object', a) });
        continue;
      }
      if (!Node.isJsxAttribute(a)) continue;
      const key = a.getNameNode().getText();
      const init = a.getInitializer();
      let value: ConfigValue | undefined = { kind: 'boolean', value: true, loc: this.loc(a) };
      if (init && Node.isStringLiteral(init)) value = { kind: 'string', value: init.getLiteralValue(), loc: this.loc(init) };
      else if (init && Node.isJsxExpression(init)) {
        const e = init.getExpression();
        value = e ? this.evaluate(e) : undefined;
      } else if (init) value = this.unknown('a JSX element as a prop', init);
      entries.push({ type: 'prop', prop: { key, keyLoc: this.loc(a), value: value ?? { kind: 'null', loc: this.loc(a) } } });
    }
    return { kind: 'object', entries, loc: this.loc(el) };
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

  // ---- frames, tracking, platform ----

  /** Run `f` with these parameter bindings added (a function already bound keeps the new binding). */
  withFrames<T>(frames: Frames, f: () => T): T {
    const saved = this.frames;
    const merged = new Map(saved);
    for (const [fn, args] of frames) merged.set(fn, args);
    this.frames = merged;
    try {
      return f();
    } finally {
      this.frames = saved;
    }
  }

  /** Run `f` for one platform (null: Platform.OS unknown). */
  withPlatform<T>(platform: Platform | null, f: () => T): T {
    const saved = this.platform;
    this.platform = platform;
    try {
      return f();
    } finally {
      this.platform = saved;
    }
  }

  /** Run `f` and return the functions whose parameters it needed without a frame binding them. */
  tracking<T>(f: () => T): { result: T; unbound: Set<TsNode> } {
    const saved = this.touched;
    const unbound = new Set<TsNode>();
    this.touched = unbound;
    try {
      return { result: f(), unbound };
    } finally {
      this.touched = saved;
      if (saved) for (const fn of unbound) saved.add(fn);
    }
  }

  /** `Platform.select({ ios, android, native, default })` from react-native, decided for the current platform. */
  private platformSelect(node: TsNode, scope: Scope): { value: ConfigValue | undefined } | null {
    const { Node } = this.tsm;
    if (!Node.isCallExpression(node)) return null;
    const callee = node.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'select') return null;
    const recv = callee.getExpression();
    if (!Node.isIdentifier(recv)) return null;
    const found = this.lookup(scope, recv.getText());
    if (found?.entry.kind !== 'import' || !isPlatformBinding(found.entry.binding)) return null;
    const arg = node.getArguments()[0];
    const spec = arg ? this.evaluate(arg, scope) : undefined;
    if (!spec || spec.kind !== 'object') return { value: spec?.kind === 'unresolved' ? spec : this.unknown('a Platform.select() of a value that is not an object', node) };
    const has = (k: string): ConfigValue | undefined | 'absent' => {
      const v = getProp(spec, k);
      return v === undefined && !spec.entries.some((e) => e.type === 'prop' && e.prop.key === k) ? 'absent' : v;
    };
    // React Native: `'ios' in spec ? spec.ios : 'native' in spec ? spec.native : spec.default`.
    if (this.platform) {
      for (const k of [this.platform, 'native', 'default']) {
        const v = has(k);
        if (v !== 'absent') return { value: v };
      }
      return { value: undefined };
    }
    const branches = ['ios', 'android', 'native', 'default'].map(has).filter((v): v is ConfigValue | undefined => v !== 'absent');
    return { value: this.bounded(this.unknown('a value that depends on the platform (`Platform.select`)', node), branches) };
  }

  /** An unknown value that is one of `candidates`: when all are objects (or nothing), it can only set their keys. */
  private bounded(u: Unresolved, candidates: (ConfigValue | undefined)[]): Unresolved {
    const keys = new Set<string>();
    for (const c of candidates) {
      const ks = possibleKeys(c);
      if (ks === null) return u;
      for (const k of ks) keys.add(k);
    }
    return { ...u, keys: [...keys] };
  }


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
   * argument values (destructuring `{ config }` and defaults are followed); the returns must agree.
   */
  call(fn: TsNode, args: (ConfigValue | undefined)[]): ConfigValue | undefined {
    return this.withFrames(new Map([[fn, args]]), () => this.returnValue(fn));
  }

  private returnValue(fn: TsNode): ConfigValue | undefined {
    const { Node } = this.tsm;
    const scope = this.scopeOf(fn);
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

interface ParamBinding {
  name: string;
  /** Property names from the argument to the value (object destructuring). */
  path: string[];
  init: TsNode | null;
  /** A rest element or array destructuring: not followed. */
  rest: boolean;
}

/** The names a parameter binds, with how each is reached from the argument. */
function paramBindings(tsm: TsMorphModule, p: TsNode): ParamBinding[] {
  const { Node } = tsm;
  if (!Node.isParameterDeclaration(p)) return [];
  const out: ParamBinding[] = [];
  const visit = (n: TsNode, path: string[], init: TsNode | null, rest: boolean) => {
    if (Node.isIdentifier(n)) out.push({ name: n.getText(), path, init, rest });
    else if (Node.isObjectBindingPattern(n)) {
      for (const el of n.getElements()) {
        const prop = el.getPropertyNameNode();
        const key = prop && (Node.isIdentifier(prop) || Node.isStringLiteral(prop)) ? (Node.isStringLiteral(prop) ? prop.getLiteralValue() : prop.getText()) : prop ? null : el.getName();
        visit(el.getNameNode(), [...path, key ?? ''], el.getInitializer() ?? null, rest || key === null || !!el.getDotDotDotToken());
      }
    } else if (Node.isArrayBindingPattern(n)) {
      for (const el of n.getElements()) if (Node.isBindingElement(el)) visit(el.getNameNode(), path, null, true);
    }
  };
  // A destructured parameter's own default applies before destructuring: not followed for nested names.
  const nameNode = p.getNameNode();
  visit(nameNode, [], Node.isIdentifier(nameNode) ? (p.getInitializer() ?? null) : null, !!p.getDotDotDotToken());
  return out;
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

/** `import { Platform } from 'react-native'` (or `import * as RN` ... is not followed). */
function isPlatformBinding(b: ImportBinding): boolean {
  return b.module === 'react-native' && b.imported === 'Platform';
}

/**
 * The keys a value can give an object it is spread into: its own (and its bounded unknown parts'),
 * none for undefined / null / booleans / numbers, null when they cannot be bounded.
 */
export function possibleKeys(v: ConfigValue | undefined): string[] | null {
  if (v === undefined || v.kind === 'null' || v.kind === 'boolean' || v.kind === 'number') return [];
  if (v.kind === 'unresolved') return v.keys ?? null;
  if (v.kind !== 'object') return null;
  const out = new Set<string>();
  for (const e of v.entries) {
    if (e.type === 'prop') out.add(e.prop.key);
    else if (e.value.keys) for (const k of e.value.keys) out.add(k);
    else return null;
  }
  return [...out];
}

function primitiveEquals(a: ConfigValue | undefined, b: ConfigValue | undefined, loose: boolean): boolean | null {
  const prim = (v: ConfigValue | undefined): { p: string | number | boolean | null | undefined } | null => {
    if (v === undefined) return { p: undefined };
    if (v.kind === 'null') return { p: null };
    if (v.kind === 'string' || v.kind === 'number' || v.kind === 'boolean') return { p: v.value };
    return null;
  };
  const x = prim(a);
  const y = prim(b);
  if (!x || !y) return null;
  if (loose && (x.p === null || x.p === undefined) && (y.p === null || y.p === undefined)) return true;
  if (loose && typeof x.p !== typeof y.p) return null;
  return x.p === y.p;
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
