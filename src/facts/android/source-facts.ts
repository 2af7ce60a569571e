// Kotlin and Java sources → plain facts (classes, functions, calls with folded arguments, enclosing
// branches). Both extractors produce the same shapes, so rules do not care about the language.
// Everything here works on tree-sitter syntax trees: comments and string contents never become calls.

import path from 'node:path';
import type { ProjectFile } from '../../discover/find-files.js';
import type { Location } from '../../findings/finding.js';
import { nodeLocation, walk, type SyntaxNode } from '../../parse/tree-sitter.js';
import type { Workspace } from '../../parse/workspace.js';
import { defineExtractor } from '../../parse/extractors.js';
import type { ConstValue, Guard, SourceArg, SourceCall, SourceClass, SourceFunction } from './android-model.js';

/** Words that make a source file worth parsing (a cheap prefilter, not a match). */
export const SOURCE_PREFILTER = [
  'Service',
  'Receiver',
  'startForeground',
  'stopForeground',
  'setWakeMode',
  'AudioFocus',
  'setAudioAttributes',
  'Player',
  'MediaSession',
  'onReceive',
];

const COMMENT_TYPES = new Set(['comment', 'line_comment', 'block_comment', 'multiline_comment']);
const SCOPE_FUNCTIONS = new Set(['run', 'apply', 'let', 'also', 'with', 'use']);

/** The classes of one Kotlin or Java file, as plain data (kept by the fact cache, made by parsing workers too). */
export const ANDROID_SOURCE_FACTS = defineExtractor('android-source-facts', async (ws: Workspace, file: ProjectFile): Promise<SourceClass[]> => {
  if (!ws.mentions(file, SOURCE_PREFILTER)) return [];
  const lang = file.kind === 'kotlin' ? 'kotlin' : 'java';
  try {
    return (await ws.withTree(file, lang, (root) => new Extractor(file.path, lang).run(root))) ?? [];
  } catch (e) {
    ws.report({ file: file.path, kind: 'parse-error', severity: 'warning', message: `could not extract Android facts: ${(e as Error).message}` });
    return [];
  }
});

export async function extractSourceClasses(ws: Workspace, file: ProjectFile): Promise<SourceClass[]> {
  return ws.extract(file, ANDROID_SOURCE_FACTS);
}

/** Node text with comments cut out and whitespace collapsed. */
export function cleanText(node: SyntaxNode): string {
  let text = node.text;
  walk(node, (n) => {
    if (COMMENT_TYPES.has(n.type)) {
      text = text.replace(n.text, ' ');
      return false;
    }
    return true;
  });
  return text.replace(/\s+/g, ' ').trim();
}

/** Node identity: web-tree-sitter returns a new wrapper object on every access, so compare ids. */
function same(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

function named(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c) => !COMMENT_TYPES.has(c.type));
}

function childOfType(node: SyntaxNode, ...types: string[]): SyntaxNode | null {
  for (const c of node.children) if (types.includes(c.type)) return c;
  return null;
}

interface ClassBuilder {
  cls: SourceClass;
}

interface Ctx {
  cls: ClassBuilder | null;
  /** The member function calls are attached to. */
  fn: SourceFunction | null;
  fnChain: string[];
  guards: Guard[];
  scopeReceiver: string | null;
  assignedTo: string | null;
  /** Inside an anonymous object / class body. */
  anonymous: boolean;
  locals: Map<string, SyntaxNode>;
  /** The class-level property / field whose initializer the walk is in (a listener lambda or object). */
  initializer?: string;
  /** Parameter names of the innermost function (an anonymous listener's override included). */
  fnParams?: string[];
}

class Extractor {
  private readonly classes: SourceClass[] = [];
  private packageName = '';
  private imports: string[] = [];
  private guardId = 0;
  /** Constant-like declarations of the file (class/object/top-level vals, final fields), by simple name. */
  private readonly constants = new Map<string, SyntaxNode>();
  private facade: ClassBuilder | null = null;
  /** Nodes already read as part of something else (a recovered class body). */
  private readonly skipped = new Set<number>();

  constructor(
    private readonly file: string,
    private readonly lang: 'kotlin' | 'java',
  ) {}

  run(root: SyntaxNode): SourceClass[] {
    this.collectHeader(root);
    this.collectConstants(root);
    const ctx: Ctx = { cls: null, fn: null, fnChain: [], guards: [], scopeReceiver: null, assignedTo: null, anonymous: false, locals: new Map() };
    for (const c of root.namedChildren) this.visit(c, ctx);
    return this.classes;
  }

  private loc(node: SyntaxNode): Location {
    return nodeLocation(this.file, node);
  }

  private collectHeader(root: SyntaxNode): void {
    for (const c of root.namedChildren) {
      if (c.type === 'package_header' || c.type === 'package_declaration') {
        const id = named(c).find((n) => n.type === 'identifier' || n.type === 'scoped_identifier');
        if (id) this.packageName = id.text.replace(/\s+/g, '');
      }
      if (c.type === 'import_list') {
        for (const h of c.namedChildren) if (h.type === 'import_header') this.imports.push(importText(h));
      }
      if (c.type === 'import_header' || c.type === 'import_declaration') this.imports.push(importText(c));
    }
  }

  private collectConstants(root: SyntaxNode): void {
    walk(root, (n) => {
      if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'constructor_declaration' || n.type === 'lambda_literal') return false;
      if (this.lang === 'kotlin' && n.type === 'property_declaration') {
        const kind = childOfType(n, 'binding_pattern_kind');
        const decl = childOfType(n, 'variable_declaration');
        const value = propertyValue(n);
        if (kind?.text === 'val' && decl && value) {
          const id = childOfType(decl, 'simple_identifier');
          if (id) this.constants.set(id.text, value);
        }
        return false;
      }
      if (this.lang === 'java' && n.type === 'field_declaration') {
        const mods = childOfType(n, 'modifiers');
        if (mods && /\bfinal\b/.test(mods.text)) {
          for (const d of n.namedChildren) {
            if (d.type !== 'variable_declarator') continue;
            const id = d.childForFieldName('name');
            const value = d.childForFieldName('value');
            if (id && value) this.constants.set(id.text, value);
          }
        }
        return false;
      }
      return true;
    });
  }

  // ---- classes ----

  private newClass(node: SyntaxNode, nameNode: SyntaxNode, kind: SourceClass['kind'], supertypes: string[], outer: ClassBuilder | null): ClassBuilder {
    const name = nameNode.text;
    const prefix = this.packageName ? this.packageName + '.' : '';
    const cls: SourceClass = {
      name,
      qualifiedName: outer ? `${outer.cls.qualifiedName}.${name}` : prefix + name,
      binaryName: outer ? `${outer.cls.binaryName}$${name}` : prefix + name,
      packageName: this.packageName,
      file: this.file,
      language: this.lang,
      kind,
      location: this.loc(nameNode),
      supertypes,
      outer: outer ? outer.cls.qualifiedName : null,
      functions: [],
      fields: [],
      calls: [],
      imports: this.imports,
    };
    this.classes.push(cls);
    void node;
    return { cls };
  }

  /** Pseudo class for Kotlin top-level functions (the `FileKt` facade). */
  private facadeClass(root: SyntaxNode): ClassBuilder {
    if (!this.facade) {
      const stem = path.basename(this.file).replace(/\.(kt|java)$/, '');
      const name = stem.charAt(0).toUpperCase() + stem.slice(1) + 'Kt';
      const prefix = this.packageName ? this.packageName + '.' : '';
      const cls: SourceClass = {
        name,
        qualifiedName: prefix + name,
        binaryName: prefix + name,
        packageName: this.packageName,
        file: this.file,
        language: this.lang,
        kind: 'object',
        location: this.loc(root),
        supertypes: [],
        outer: null,
        functions: [],
        fields: [],
        calls: [],
        imports: this.imports,
      };
      this.classes.push(cls);
      this.facade = { cls };
    }
    return this.facade;
  }

  private kotlinSupertypes(node: SyntaxNode): string[] {
    const out: string[] = [];
    for (const c of node.namedChildren) {
      if (c.type !== 'delegation_specifier') continue;
      const ut = c.type === 'delegation_specifier' ? findFirst(c, 'user_type') : null;
      if (ut) out.push(userTypeName(ut));
    }
    return out;
  }

  private javaSupertypes(node: SyntaxNode): string[] {
    const out: string[] = [];
    const sc = node.childForFieldName('superclass');
    if (sc) for (const t of named(sc)) out.push(javaTypeName(t));
    const ifs = node.childForFieldName('interfaces') ?? childOfType(node, 'super_interfaces', 'extends_interfaces');
    if (ifs) {
      const list = childOfType(ifs, 'type_list') ?? ifs;
      for (const t of named(list)) if (t.type !== 'type_list') out.push(javaTypeName(t));
    }
    return out;
  }

  /** Parameter names of a function / method / constructor declaration. */
  private params(node: SyntaxNode): string[] {
    const out: string[] = [];
    const list = childOfType(node, 'function_value_parameters', 'formal_parameters');
    if (!list) return out;
    for (const p of list.namedChildren) {
      if (p.type === 'parameter') {
        const id = childOfType(p, 'simple_identifier');
        if (id) out.push(id.text);
      } else if (p.type === 'formal_parameter' || p.type === 'spread_parameter') {
        const id = p.childForFieldName('name') ?? childOfType(p, 'identifier');
        if (id) out.push(id.text);
      }
    }
    return out;
  }

  // ---- the walk ----

  private visit(node: SyntaxNode, ctx: Ctx): void {
    if (COMMENT_TYPES.has(node.type) || this.skipped.has(node.id)) return;
    switch (node.type) {
      // Kotlin classes
      case 'class_declaration':
      case 'object_declaration':
      case 'interface_declaration':
      case 'enum_declaration':
      case 'record_declaration': {
        const nameNode = this.lang === 'kotlin' ? childOfType(node, 'type_identifier') : node.childForFieldName('name');
        if (!nameNode) break;
        const kind: SourceClass['kind'] =
          node.type === 'object_declaration'
            ? 'object'
            : node.type === 'interface_declaration' || node.children.some((c) => c.type === 'interface')
              ? 'interface'
              : node.type === 'enum_declaration' || /\benum\b/.test(childOfType(node, 'modifiers')?.text ?? '')
                ? 'enum'
                : 'class';
        const supertypes = this.lang === 'kotlin' ? this.kotlinSupertypes(node) : this.javaSupertypes(node);
        const cb = this.newClass(node, nameNode, kind, supertypes, ctx.cls);
        const inner: Ctx = { cls: cb, fn: null, fnChain: [], guards: [], scopeReceiver: null, assignedTo: null, anonymous: false, locals: new Map() };
        const body = childOfType(node, 'class_body', 'enum_class_body', 'interface_body', 'enum_body') ?? node.childForFieldName('body');
        if (body) for (const c of body.namedChildren) this.visit(c, inner);
        else if (this.lang === 'kotlin') {
          // `class Foo\n@Inject\nconstructor(...) : Bar { ... }`: the grammar ends the class at the line
          // break and reads the rest as an expression whose trailing lambda is the class body.
          const recovered = annotatedConstructorBody(node);
          if (recovered) {
            this.skipped.add(recovered.sibling.id);
            for (const c of recovered.statements) this.visit(c, inner);
          }
        }
        return;
      }
      case 'companion_object': {
        const body = childOfType(node, 'class_body');
        if (body) for (const c of body.namedChildren) this.visit(c, ctx);
        return;
      }
      case 'object_literal': {
        const body = childOfType(node, 'class_body');
        const inner: Ctx = { ...ctx, anonymous: true, assignedTo: null };
        for (const c of node.namedChildren) if (!same(c, body) && c.type !== 'delegation_specifier') this.visit(c, inner);
        if (body) for (const c of body.namedChildren) this.visit(c, inner);
        return;
      }
      case 'function_declaration':
      case 'method_declaration':
      case 'constructor_declaration':
      case 'secondary_constructor':
      case 'anonymous_initializer':
      case 'static_initializer': {
        const name =
          node.type === 'function_declaration'
            ? childOfType(node, 'simple_identifier')?.text
            : node.type === 'method_declaration'
              ? node.childForFieldName('name')?.text
              : node.type === 'anonymous_initializer'
                ? 'init'
                : node.type === 'static_initializer'
                  ? '<clinit>'
                  : 'constructor';
        if (!name) break;
        let cls = ctx.cls;
        if (!cls) cls = this.facadeClass(node.tree.rootNode);
        let fn = ctx.fn;
        if (!ctx.anonymous && ctx.fnChain.length === 0) {
          const nameNode = node.type === 'function_declaration' ? childOfType(node, 'simple_identifier') : node.childForFieldName('name');
          fn = { name, location: this.loc(nameNode ?? node), calls: [], classLiterals: [], params: this.params(node) };
          cls.cls.functions.push(fn);
        }
        const inner: Ctx = { cls, fn, fnChain: [name, ...ctx.fnChain], guards: ctx.fnChain.length ? ctx.guards : [], scopeReceiver: null, assignedTo: null, anonymous: ctx.anonymous, locals: new Map(ctx.fnChain.length ? ctx.locals : []) };
        const params = fn && fn !== ctx.fn ? fn.params : this.params(node);
        if (params.length) inner.fnParams = params;
        if (ctx.anonymous && ctx.initializer) inner.initializer = ctx.initializer;
        for (const c of node.namedChildren) this.visit(c, inner);
        return;
      }
      case 'call_expression':
      case 'method_invocation':
      case 'object_creation_expression':
        this.visitCall(node, ctx);
        return;
      case 'if_expression':
      case 'if_statement':
        this.visitIf(node, ctx);
        return;
      case 'ternary_expression': {
        const cond = node.childForFieldName('condition');
        const a = node.childForFieldName('consequence');
        const b = node.childForFieldName('alternative');
        if (cond && a && b) {
          const id = ++this.guardId;
          const condition = cleanText(cond);
          this.visit(cond, ctx);
          const location = this.loc(cond);
          this.visit(a, { ...ctx, guards: [...ctx.guards, { id, condition, branch: 'then', location }] });
          this.visit(b, { ...ctx, guards: [...ctx.guards, { id, condition, branch: 'else', location }] });
          return;
        }
        break;
      }
      case 'when_expression':
        this.visitWhen(node, ctx);
        return;
      case 'switch_expression':
      case 'switch_statement':
        this.visitSwitch(node, ctx);
        return;
      case 'property_declaration': {
        const decl = childOfType(node, 'variable_declaration');
        const id = decl ? childOfType(decl, 'simple_identifier') : null;
        if (id && decl && ctx.cls && !ctx.fnChain.length && !ctx.anonymous) {
          const t = childOfType(decl, 'user_type', 'nullable_type');
          const ut = t?.type === 'nullable_type' ? childOfType(t, 'user_type') : t;
          ctx.cls.cls.fields.push({ name: id.text, type: ut ? userTypeName(ut) : null, location: this.loc(id) });
        }
        const value = propertyValue(node);
        if (id && value && ctx.fnChain.length && childOfType(node, 'binding_pattern_kind')?.text === 'val') ctx.locals.set(id.text, value);
        const inner: Ctx = { ...ctx, assignedTo: id?.text ?? null };
        if (id && ctx.cls && !ctx.fnChain.length && !ctx.anonymous) inner.initializer = id.text;
        for (const c of node.namedChildren) if (!same(c, decl)) this.visit(c, inner);
        return;
      }
      case 'field_declaration': {
        if (ctx.cls && !ctx.fnChain.length && !ctx.anonymous) {
          const t = node.childForFieldName('type');
          for (const d of node.namedChildren) {
            const id = d.type === 'variable_declarator' ? d.childForFieldName('name') : null;
            if (id) ctx.cls.cls.fields.push({ name: id.text, type: t ? javaTypeName(t) : null, location: this.loc(id) });
          }
        }
        break;
      }
      case 'variable_declarator': {
        const id = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        if (id && value && ctx.fnChain.length) ctx.locals.set(id.text, value);
        const inner: Ctx = { ...ctx, assignedTo: id?.text ?? null };
        if (id && ctx.cls && !ctx.fnChain.length && !ctx.anonymous) inner.initializer = id.text;
        if (value) this.visit(value, inner);
        return;
      }
      case 'assignment':
      case 'assignment_expression': {
        const left = this.lang === 'kotlin' ? childOfType(node, 'directly_assignable_expression') : node.childForFieldName('left');
        const target = left ? lastIdentifier(left) : null;
        for (const c of node.namedChildren) if (!same(c, left)) this.visit(c, { ...ctx, assignedTo: target });
        return;
      }
      case 'callable_reference':
      case 'class_literal': {
        const t = childOfType(node, 'type_identifier', 'scoped_type_identifier', 'simple_identifier');
        if (t && node.children.some((c) => c.type === 'class')) ctx.fn?.classLiterals.push(lastSegment(t.text));
        return;
      }
      default:
        break;
    }
    for (const c of node.namedChildren) this.visit(c, ctx);
  }

  private visitIf(node: SyntaxNode, ctx: Ctx): void {
    let cond: SyntaxNode | null;
    let thenBody: SyntaxNode | null;
    let elseBody: SyntaxNode | null;
    if (this.lang === 'java') {
      cond = node.childForFieldName('condition');
      thenBody = node.childForFieldName('consequence');
      elseBody = node.childForFieldName('alternative');
    } else {
      const bodies = node.namedChildren.filter((c) => c.type === 'control_structure_body');
      cond = named(node).find((c) => c.type !== 'control_structure_body') ?? null;
      // An `if` whose then-branch is empty (`if (x) else y`) is rare; map by the `else` keyword position.
      const elseKw = node.children.find((c) => c.type === 'else');
      const before = (b: SyntaxNode) => !elseKw || b.startIndex < elseKw.startIndex;
      thenBody = bodies.find(before) ?? null;
      elseBody = elseKw ? (bodies.find((b) => !before(b)) ?? null) : null;
    }
    if (!cond) {
      for (const c of node.namedChildren) this.visit(c, ctx);
      return;
    }
    const id = ++this.guardId;
    const condition = cleanText(cond).replace(/^\((.*)\)$/, '$1');
    this.visit(cond, ctx);
    const location = this.loc(cond);
    if (thenBody) this.visit(thenBody, { ...ctx, guards: [...ctx.guards, { id, condition, branch: 'then', location }] });
    if (elseBody) this.visit(elseBody, { ...ctx, guards: [...ctx.guards, { id, condition, branch: 'else', location }] });
  }

  private visitWhen(node: SyntaxNode, ctx: Ctx): void {
    const subjectNode = childOfType(node, 'when_subject');
    const subject = subjectNode ? cleanText(subjectNode).replace(/^\((.*)\)$/, '$1') : undefined;
    if (subjectNode) this.visit(subjectNode, ctx);
    for (const entry of node.namedChildren) {
      if (entry.type !== 'when_entry') continue;
      const conds = entry.namedChildren.filter((c) => c.type === 'when_condition');
      const condition = conds.length ? conds.map((c) => cleanText(c)).join(', ') : 'else';
      const id = ++this.guardId;
      const guard: Guard = { id, condition, branch: 'case', location: this.loc(conds[0] ?? entry) };
      if (subject !== undefined) guard.subject = subject;
      for (const c of conds) this.visit(c, ctx);
      for (const c of entry.namedChildren) if (c.type !== 'when_condition') this.visit(c, { ...ctx, guards: [...ctx.guards, guard] });
    }
  }

  private visitSwitch(node: SyntaxNode, ctx: Ctx): void {
    const condNode = node.childForFieldName('condition');
    const subject = condNode ? cleanText(condNode).replace(/^\((.*)\)$/, '$1') : undefined;
    if (condNode) this.visit(condNode, ctx);
    const body = node.childForFieldName('body');
    if (!body) return;
    for (const group of body.namedChildren) {
      if (group.type !== 'switch_block_statement_group' && group.type !== 'switch_rule') {
        this.visit(group, ctx);
        continue;
      }
      const labels = group.namedChildren.filter((c) => c.type === 'switch_label');
      const condition = labels.map((l) => cleanText(l).replace(/^case\s+/, '').replace(/:$/, '')).join(', ') || 'default';
      const guard: Guard = { id: ++this.guardId, condition, branch: 'case', location: this.loc(labels[0] ?? group) };
      if (subject !== undefined) guard.subject = subject;
      for (const c of group.namedChildren) if (c.type !== 'switch_label') this.visit(c, { ...ctx, guards: [...ctx.guards, guard] });
    }
  }

  private visitCall(node: SyntaxNode, ctx: Ctx): void {
    const call = this.lang === 'kotlin' ? this.kotlinCall(node, ctx) : this.javaCall(node, ctx);
    let cls = ctx.cls;
    if (!cls) cls = this.facadeClass(node.tree.rootNode);
    if (call) {
      cls.cls.calls.push(call);
      ctx.fn?.calls.push(call);
    }
    // Children: the receiver chain and the arguments keep the current context; a trailing lambda of a
    // scope function gets the receiver as its implicit `this`.
    let scope: string | null = null;
    if (call && SCOPE_FUNCTIONS.has(call.name)) {
      scope = call.name === 'with' ? (call.args[0]?.text ?? null) : call.receiver;
    }
    for (const c of node.namedChildren) {
      if (this.lang === 'kotlin' && c.type === 'call_suffix') {
        for (const s of c.namedChildren) {
          if (s.type === 'annotated_lambda' && scope) this.visit(s, { ...ctx, cls, scopeReceiver: scope, assignedTo: null });
          else this.visit(s, { ...ctx, cls });
        }
        continue;
      }
      if (this.lang === 'java' && c.type === 'class_body') {
        this.visit(c, { ...ctx, cls, anonymous: true, assignedTo: null });
        continue;
      }
      this.visit(c, { ...ctx, cls });
    }
  }

  private baseCall(node: SyntaxNode, ctx: Ctx, name: string, receiver: string | null, args: SourceArg[], constructor: boolean): SourceCall {
    return {
      name,
      receiver,
      args,
      constructor,
      location: this.loc(node),
      className: ctx.cls?.cls.qualifiedName ?? this.facade?.cls.qualifiedName ?? '',
      functionChain: ctx.fnChain,
      guards: ctx.guards,
      scopeReceiver: ctx.scopeReceiver,
      assignedTo: ctx.assignedTo,
      ...(ctx.initializer ? { initializer: ctx.initializer } : {}),
      ...(ctx.fnParams ? { fnParams: ctx.fnParams } : {}),
    };
  }

  private kotlinCall(node: SyntaxNode, ctx: Ctx): SourceCall | null {
    const callee = node.namedChildren[0];
    const suffix = childOfType(node, 'call_suffix');
    if (!callee || !suffix) return null;
    let name: string | null = null;
    let receiver: string | null = null;
    let nameNode: SyntaxNode = callee;
    if (callee.type === 'simple_identifier') name = callee.text;
    else if (callee.type === 'navigation_expression') {
      const nav = callee.namedChildren[callee.namedChildren.length - 1];
      const id = nav && nav.type === 'navigation_suffix' ? childOfType(nav, 'simple_identifier') : null;
      if (id) {
        name = id.text;
        nameNode = id;
        const recv = callee.namedChildren[0];
        receiver = recv && !same(recv, nav) ? cleanText(recv) : null;
      }
    }
    if (!name) return null;
    const args: SourceArg[] = [];
    const va = childOfType(suffix, 'value_arguments');
    if (va) {
      for (const a of va.namedChildren) {
        if (a.type !== 'value_argument') continue;
        const hasLabel = a.children.some((c) => c.type === '=');
        const parts = named(a);
        const label = hasLabel && parts[0]?.type === 'simple_identifier' ? parts[0].text : null;
        const expr = parts[parts.length - 1];
        if (!expr) continue;
        args.push({ text: cleanText(expr), label, value: this.fold(expr, ctx, 0), classLiterals: classLiteralsIn(expr) });
      }
    }
    const call = this.baseCall(node, ctx, name, receiver, args, /^[A-Z]/.test(name));
    // Report a chained call (`ExoPlayer.Builder(ctx)\n  .setWakeMode(...)`) on the line of its name.
    if (!same(nameNode, callee)) call.location = { ...this.loc(nameNode), endLine: call.location.endLine, endColumn: call.location.endColumn };
    return call;
  }

  private javaCall(node: SyntaxNode, ctx: Ctx): SourceCall | null {
    const argList = node.childForFieldName('arguments');
    const args: SourceArg[] = [];
    if (argList) for (const a of named(argList)) args.push({ text: cleanText(a), label: null, value: this.fold(a, ctx, 0), classLiterals: classLiteralsIn(a) });
    if (node.type === 'object_creation_expression') {
      const type = node.childForFieldName('type');
      if (!type) return null;
      const full = javaTypeName(type);
      const parts = full.split('.');
      const call = this.baseCall(node, ctx, parts[parts.length - 1]!, parts.length > 1 ? parts.slice(0, -1).join('.') : null, args, true);
      return call;
    }
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return null;
    const obj = node.childForFieldName('object');
    const call = this.baseCall(node, ctx, nameNode.text, obj ? cleanText(obj) : null, args, false);
    if (obj) call.location = { ...this.loc(nameNode), endLine: call.location.endLine, endColumn: call.location.endColumn };
    return call;
  }

  // ---- constant folding ----

  private fold(node: SyntaxNode, ctx: Ctx, depth: number): ConstValue {
    const text = cleanText(node);
    if (depth > 6) return { kind: 'unknown', text };
    switch (node.type) {
      case 'boolean_literal':
      case 'true':
      case 'false':
        return { kind: 'bool', value: node.text === 'true', text };
      case 'integer_literal':
      case 'long_literal':
      case 'decimal_integer_literal':
      case 'hex_literal':
      case 'hex_integer_literal':
      case 'bin_literal':
      case 'binary_integer_literal': {
        const v = parseIntLiteral(node.text);
        return v === null ? { kind: 'unknown', text } : { kind: 'int', value: v, text };
      }
      case 'string_literal': {
        if (node.namedChildren.some((c) => /interpolation|template/.test(c.type))) return { kind: 'unknown', text };
        return { kind: 'string', value: node.text.replace(/^"|"$/g, ''), text };
      }
      case 'parenthesized_expression': {
        const inner = named(node)[0];
        return inner ? this.fold(inner, ctx, depth + 1) : { kind: 'unknown', text };
      }
      case 'prefix_expression':
      case 'unary_expression': {
        const inner = named(node)[named(node).length - 1];
        if (inner && node.text.trim().startsWith('-')) {
          const v = this.fold(inner, ctx, depth + 1);
          if (v.kind === 'int') return { kind: 'int', value: -v.value, text };
        }
        return { kind: 'unknown', text };
      }
      case 'simple_identifier':
      case 'identifier': {
        const local = ctx.locals.get(node.text) ?? this.constants.get(node.text);
        if (local && !same(local, node)) return this.fold(local, ctx, depth + 1);
        return { kind: 'name', name: node.text, qualifier: null, text };
      }
      case 'navigation_expression':
      case 'field_access': {
        let last: SyntaxNode | null = null;
        let qualifierNode: SyntaxNode | null = null;
        if (node.type === 'field_access') {
          last = node.childForFieldName('field');
          qualifierNode = node.childForFieldName('object');
        } else {
          const nav = node.namedChildren[node.namedChildren.length - 1];
          last = nav?.type === 'navigation_suffix' ? childOfType(nav, 'simple_identifier') : null;
          qualifierNode = node.namedChildren[0] ?? null;
        }
        if (!last) return { kind: 'unknown', text };
        const qualifier = qualifierNode ? cleanText(qualifierNode) : null;
        // A constant of this file referenced through its class (`PlaybackService.TYPE`, `Companion.TYPE`).
        const own = this.constants.get(last.text);
        if (own && qualifier && /^[A-Z]/.test(lastSegment(qualifier)) && this.classes.some((c) => c.name === lastSegment(qualifier)) ) {
          return this.fold(own, ctx, depth + 1);
        }
        return { kind: 'name', name: last.text, qualifier, text };
      }
      case 'infix_expression': {
        const parts = named(node);
        if (parts.length === 3 && parts[1]!.type === 'simple_identifier' && parts[1]!.text === 'or') {
          return orOf([this.fold(parts[0]!, ctx, depth + 1), this.fold(parts[2]!, ctx, depth + 1)], text);
        }
        return { kind: 'unknown', text };
      }
      case 'binary_expression': {
        const op = node.childForFieldName('operator')?.text;
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        if (op === '|' && l && r) return orOf([this.fold(l, ctx, depth + 1), this.fold(r, ctx, depth + 1)], text);
        return { kind: 'unknown', text };
      }
      case 'if_expression': {
        const bodies = node.namedChildren.filter((c) => c.type === 'control_structure_body');
        const cond = named(node).find((c) => c.type !== 'control_structure_body');
        if (bodies.length === 2 && cond) {
          const a = lastExpression(bodies[0]!);
          const b = lastExpression(bodies[1]!);
          if (a && b) return { kind: 'cond', condition: cleanText(cond), then: this.fold(a, ctx, depth + 1), else: this.fold(b, ctx, depth + 1), text };
        }
        return { kind: 'unknown', text };
      }
      case 'ternary_expression': {
        const cond = node.childForFieldName('condition');
        const a = node.childForFieldName('consequence');
        const b = node.childForFieldName('alternative');
        if (cond && a && b) return { kind: 'cond', condition: cleanText(cond), then: this.fold(a, ctx, depth + 1), else: this.fold(b, ctx, depth + 1), text };
        return { kind: 'unknown', text };
      }
      default:
        return { kind: 'unknown', text };
    }
  }
}

function orOf(parts: ConstValue[], text: string): ConstValue {
  const flat: ConstValue[] = [];
  for (const p of parts) {
    if (p.kind === 'or') flat.push(...p.parts);
    else flat.push(p);
  }
  return { kind: 'or', parts: flat, text };
}

function parseIntLiteral(raw: string): number | null {
  const t = raw.replace(/_/g, '').replace(/[lLuU]+$/, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[bB][01]+$/.test(t)) return parseInt(t.slice(2), 2);
  if (/^\d+$/.test(t)) return parseInt(t, 10);
  return null;
}

function lastExpression(body: SyntaxNode): SyntaxNode | null {
  const parts = named(body);
  if (parts.length === 1 && parts[0]!.type === 'statements') {
    const st = named(parts[0]!);
    return st[st.length - 1] ?? null;
  }
  return parts[parts.length - 1] ?? null;
}

/**
 * The body of a Kotlin class whose annotated primary constructor starts on the next line
 * (`class Foo\n@Inject\nconstructor(...) : Bar { ... }`), which tree-sitter-kotlin parses as a bodiless
 * class followed by an annotated `constructor(...)` expression with a trailing lambda.
 */
function annotatedConstructorBody(cls: SyntaxNode): { sibling: SyntaxNode; statements: SyntaxNode[] } | null {
  const sibling = cls.nextNamedSibling;
  if (!sibling || !sibling.text.startsWith('@') || sibling.startPosition.row > cls.endPosition.row + 3) return null;
  let ctor = false;
  let body: SyntaxNode | null = null;
  walk(sibling, (n) => {
    if (n.type === 'simple_identifier' && n.text === 'constructor') ctor = true;
    // The body's statements: in a trailing lambda, or straight in an ERROR node after `{`.
    if (n.type === 'statements') {
      if (!body || n.startIndex > body.startIndex) body = n;
      return false;
    }
    return true;
  });
  if (!ctor || !body) return null;
  return { sibling, statements: named(body) };
}

function propertyValue(node: SyntaxNode): SyntaxNode | null {
  const eq = node.children.findIndex((c) => c.type === '=');
  if (eq >= 0) {
    for (let k = eq + 1; k < node.children.length; k++) {
      const c = node.children[k]!;
      if (c.isNamed && !COMMENT_TYPES.has(c.type)) return c;
    }
  }
  return null;
}

function importText(node: SyntaxNode): string {
  const id = node.namedChildren.find((c) => c.type === 'identifier' || c.type === 'scoped_identifier');
  let text = id ? id.text.replace(/\s+/g, '') : '';
  if (node.children.some((c) => c.type === 'wildcard_import' || c.type === 'asterisk' || c.text === '*')) text += '.*';
  return text;
}

function findFirst(node: SyntaxNode, type: string): SyntaxNode | null {
  let found: SyntaxNode | null = null;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === type) {
      found = n;
      return false;
    }
    return true;
  });
  return found;
}

/** `Player.Listener` from a Kotlin user_type (generic arguments dropped). */
function userTypeName(ut: SyntaxNode): string {
  return ut.namedChildren
    .filter((c) => c.type === 'type_identifier' || c.type === 'simple_user_type')
    .map((c) => (c.type === 'simple_user_type' ? (childOfType(c, 'simple_identifier', 'type_identifier')?.text ?? c.text) : c.text))
    .join('.');
}

/** `Foo.Bar` from a Java type node (generic arguments dropped). */
function javaTypeName(t: SyntaxNode): string {
  if (t.type === 'generic_type') {
    const base = t.namedChildren.find((c) => c.type === 'type_identifier' || c.type === 'scoped_type_identifier');
    return base ? javaTypeName(base) : t.text;
  }
  if (t.type === 'scoped_type_identifier') {
    return t.namedChildren
      .filter((c) => c.type === 'type_identifier' || c.type === 'scoped_type_identifier' || c.type === 'generic_type')
      .map(javaTypeName)
      .join('.');
  }
  return t.text.replace(/<.*$/s, '').replace(/\s+/g, '');
}

function classLiteralsIn(node: SyntaxNode): string[] {
  const out: string[] = [];
  walk(node, (n) => {
    if (COMMENT_TYPES.has(n.type)) return false;
    if ((n.type === 'callable_reference' || n.type === 'class_literal') && n.children.some((c) => c.type === 'class')) {
      const t = childOfType(n, 'type_identifier', 'scoped_type_identifier', 'simple_identifier');
      if (t) out.push(lastSegment(t.text));
    }
    return true;
  });
  return out;
}

function lastIdentifier(node: SyntaxNode): string | null {
  let last: string | null = null;
  walk(node, (n) => {
    if (n.type === 'simple_identifier' || n.type === 'identifier') last = n.text;
  });
  return last;
}

export function lastSegment(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1]!;
}
