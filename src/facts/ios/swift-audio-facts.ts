// Audio facts from a Swift syntax tree (tree-sitter-swift as shipped in tree-sitter-wasms 0.1.13).
//
// Grammar notes that shape this code:
// - `try X.a().b(...)` parses as a call whose callee is a navigation whose leftmost operand is
//   the try_expression (`try` binds to `X.a()`), so a call's `try` is looked for both above the
//   call and at the far left of its callee;
// - `.playback` is a prefix_expression, `AVAudioSession.Category.playback` a navigation_expression;
// - `nil` is an anonymous token (it has no named node), `case .ended:` puts `ended` in a pattern;
// - comments are `comment` / `multiline_comment` nodes and string text is `line_str_text`, so no
//   identifier node ever comes from a comment or a string literal.

import type { Location } from '../../findings/finding.js';
import { nodeLocation, walk, type SyntaxNode } from '../../parse/tree-sitter.js';
import {
  apiFromName,
  categoryFromName,
  modeFromName,
  notificationFromName,
  optionFromName,
  optionsFromRawValue,
  type CategoryName,
} from './audio-session-vocab.js';
import { emptySourceFacts, type ErrorHandling, type IosSourceFacts, type OptionRef } from './source-facts.js';

interface Arg {
  label: string | null;
  /** The argument's expression; may be an anonymous token such as `nil`. */
  value: SyntaxNode | null;
  node: SyntaxNode;
}

interface CallInfo {
  name: string;
  receiver: SyntaxNode | null;
  args: Arg[];
  /** Trailing closures and closure arguments. */
  closures: SyntaxNode[];
}

const FUNCTION_SCOPES = new Set(['function_declaration', 'init_declaration', 'deinit_declaration', 'lambda_literal', 'computed_property', 'computed_getter', 'computed_setter']);

const INTERRUPTION_MARKERS = new Set(['AVAudioSessionInterruptionTypeKey', 'InterruptionType', 'interruptionNotification', 'AVAudioSessionInterruption', 'AVAudioSessionInterruptionNotification']);

/** Calls that (re)start playback when made on a player / engine object. */
const RESUME_METHODS = new Set(['play', 'start', 'playImmediately']);
/** C functions that start audio units and queues. */
const RESUME_FUNCTIONS = new Set(['AudioOutputUnitStart', 'AudioQueueStart', 'AUGraphStart']);

function loc(file: string, node: SyntaxNode): Location {
  return nodeLocation(file, node);
}

function named(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren;
}

function childOfType(node: SyntaxNode, type: string): SyntaxNode | null {
  return node.namedChildren.find((c) => c.type === type) ?? null;
}

/** The member name of `.x`, `A.B.x` or `x`; null for other expressions. */
export function lastIdentifier(expr: SyntaxNode | null): string | null {
  if (!expr) return null;
  switch (expr.type) {
    case 'simple_identifier':
      return expr.text;
    case 'prefix_expression': {
      const kids = named(expr);
      const id = kids[kids.length - 1];
      // `.playback` only: a prefix operator such as `!x` is not a member reference.
      return id?.type === 'simple_identifier' && expr.child(0)?.type === '.' ? id.text : null;
    }
    case 'navigation_expression': {
      const suffix = named(expr).at(-1);
      if (suffix?.type !== 'navigation_suffix') return null;
      const id = named(suffix).at(-1);
      return id?.type === 'simple_identifier' ? id.text : null;
    }
    case 'parenthesized_expression':
      return named(expr).length === 1 ? lastIdentifier(named(expr)[0]!) : null;
    default:
      return null;
  }
}

export function swiftCallInfo(call: SyntaxNode): CallInfo | null {
  if (call.type !== 'call_expression') return null;
  const callee = call.namedChild(0);
  const suffix = childOfType(call, 'call_suffix');
  if (!callee || !suffix) return null;
  let name: string | null = null;
  let receiver: SyntaxNode | null = null;
  if (callee.type === 'simple_identifier') {
    name = callee.text;
  } else if (callee.type === 'navigation_expression') {
    const navSuffix = named(callee).at(-1);
    const id = navSuffix?.type === 'navigation_suffix' ? named(navSuffix).at(-1) : null;
    if (id?.type === 'simple_identifier') name = id.text;
    receiver = callee.namedChild(0);
  }
  if (!name) return null;
  const args: Arg[] = [];
  const closures: SyntaxNode[] = [];
  for (const part of named(suffix)) {
    if (part.type === 'value_arguments') {
      for (const a of named(part)) {
        if (a.type !== 'value_argument') continue;
        const labelNode = childOfType(a, 'value_argument_label');
        let value: SyntaxNode | null = null;
        for (let i = a.childCount - 1; i >= 0; i--) {
          const c = a.child(i)!;
          if (c.type === 'value_argument_label' || c.type === ':' || c.type === 'comment' || c.type === 'multiline_comment') continue;
          value = c;
          break;
        }
        args.push({ label: labelNode ? labelNode.text : null, value, node: a });
        if (value?.type === 'lambda_literal') closures.push(value);
      }
    } else if (part.type === 'lambda_literal' || part.type === 'annotated_lambda') {
      closures.push(part);
    }
  }
  return { name, receiver, args, closures };
}

/** The call, or the `try` / `try await` expression wrapping it, so findings start at `try`. */
function statementStart(call: SyntaxNode): SyntaxNode {
  let n = call;
  let p = call.parent;
  while (p && (p.type === 'await_expression' || p.type === 'try_expression')) {
    n = p;
    p = p.parent;
  }
  return n;
}

function tryOperatorOf(tryExpr: SyntaxNode): string {
  const op = childOfType(tryExpr, 'try_operator');
  return (op?.text ?? 'try').replace(/\s+/g, '');
}

/** The `try` that applies to this call, if any. */
function tryOf(call: SyntaxNode): { op: string; node: SyntaxNode } | null {
  let p = call.parent;
  while (p && (p.type === 'await_expression' || p.type === 'parenthesized_expression')) p = p.parent;
  if (p?.type === 'try_expression') return { op: tryOperatorOf(p), node: p };
  // Grammar quirk: `try A.shared().m()` is call(navigation(try(A.shared()), m)).
  let n: SyntaxNode | null = call.namedChild(0);
  while (n && (n.type === 'navigation_expression' || n.type === 'call_expression' || n.type === 'await_expression')) {
    n = n.namedChild(0);
    if (n?.type === 'try_expression') return { op: tryOperatorOf(n), node: n };
  }
  return null;
}

/** For a plain `try`: is the call inside a do/catch, and does the catch do anything? */
function catchHandling(from: SyntaxNode): ErrorHandling {
  let child = from;
  let p = from.parent;
  while (p) {
    if (FUNCTION_SCOPES.has(p.type)) return 'propagated';
    if (p.type === 'do_statement' && child.type !== 'catch_block') {
      const catches = named(p).filter((c) => c.type === 'catch_block');
      if (catches.length > 0) {
        const allEmpty = catches.every((c) => !named(c).some((k) => k.type === 'statements'));
        return allEmpty ? 'empty-catch' : 'checked';
      }
    }
    child = p;
    p = p.parent;
  }
  return 'propagated';
}

/**
 * Whether the optional a `try?` produces is looked at: `if (try? s.setActive(true)) != nil`,
 * `guard let _ = try? ...`, `let ok = (try? ...) != nil` handle the failure; a bare statement or
 * `_ = try? ...` throws it away.
 */
function tryResultUsed(call: SyntaxNode, tryNode: SyntaxNode): boolean {
  const containsCall = tryNode.startIndex <= call.startIndex && tryNode.endIndex >= call.endIndex;
  let outer = containsCall ? tryNode : call;
  while (outer.parent && ['tuple_expression', 'parenthesized_expression', 'await_expression'].includes(outer.parent.type)) {
    // A tuple of one element is just parentheses; a real tuple is a use of the value.
    if (outer.parent.type === 'tuple_expression' && outer.parent.namedChildCount > 1) return true;
    outer = outer.parent;
  }
  const parent = outer.parent;
  if (!parent || parent.type === 'statements') return false;
  if (parent.type === 'assignment') {
    const target = parent.childForFieldName('target');
    return target?.text.trim() !== '_';
  }
  return true;
}

function errorHandlingOf(call: SyntaxNode, info: CallInfo): ErrorHandling {
  const t = tryOf(call);
  if (t) {
    if (t.op === 'try?') return tryResultUsed(call, t.node) ? 'checked' : 'try?';
    if (t.op === 'try!') return 'try!';
    return catchHandling(t.node);
  }
  // Swift 1-2: setCategory(_:error:) with an NSErrorPointer.
  const err = info.args.find((a) => a.label === 'error');
  if (err) return err.value?.type === 'nil' || err.value?.text === 'nil' ? 'error-nil' : 'checked';
  return 'none';
}

function enclosingFunctionName(node: SyntaxNode): string | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_declaration') return childOfType(p, 'simple_identifier')?.text ?? null;
    if (p.type === 'init_declaration') return 'init';
  }
  return null;
}

/**
 * The value of a `let` constant visible from `at`: declared earlier in an enclosing block of the
 * same function, or as a stored `let` of the enclosing type. `var`s are never resolved.
 */
function resolveLet(at: SyntaxNode, name: string): SyntaxNode | null {
  for (let p = at.parent; p; p = p.parent) {
    const isBlock = p.type === 'statements';
    const isTypeBody = p.type === 'class_body' || p.type === 'protocol_body' || p.type === 'enum_class_body';
    if (isBlock || isTypeBody) {
      for (const decl of named(p)) {
        if (decl.type !== 'property_declaration') continue;
        if (isBlock && decl.startIndex >= at.startIndex) break;
        const binding = childOfType(decl, 'value_binding_pattern');
        if (binding?.text !== 'let') continue;
        const value = letValue(decl, name);
        if (value) return value;
      }
    }
    if (isTypeBody) return null;
  }
  return null;
}

function letValue(decl: SyntaxNode, name: string): SyntaxNode | null {
  let matched = false;
  for (let i = 0; i < decl.childCount; i++) {
    const c = decl.child(i)!;
    if (c.type === 'pattern') matched = c.text === name;
    else if (matched && c.type === '=') {
      for (let j = i + 1; j < decl.childCount; j++) {
        const v = decl.child(j)!;
        if (v.isNamed && v.type !== 'comment') return v;
      }
      return null;
    }
  }
  return null;
}

function resolveCategory(expr: SyntaxNode | null, depth = 0): CategoryName | null {
  if (!expr || depth > 3) return null;
  const id = lastIdentifier(expr);
  if (!id) return null;
  const c = categoryFromName(id);
  if (c) return c;
  if (expr.type === 'simple_identifier') return resolveCategory(resolveLet(expr, expr.text), depth + 1);
  return null;
}

function parseInteger(text: string): number | null {
  const t = text.replace(/_/g, '');
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** The option set an expression denotes, as far as it can be known without running the code. */
function resolveOptions(file: string, expr: SyntaxNode | null, depth = 0): { options: OptionRef[]; resolved: boolean } {
  if (!expr || depth > 3) return { options: [], resolved: false };
  switch (expr.type) {
    case 'array_literal': {
      const out: OptionRef[] = [];
      let resolved = true;
      for (const el of named(expr)) {
        if (el.type === 'comment' || el.type === 'multiline_comment') continue;
        const r = resolveOptions(file, el, depth + 1);
        out.push(...r.options);
        if (!r.resolved) resolved = false;
      }
      return { options: out, resolved };
    }
    case 'prefix_expression':
    case 'navigation_expression': {
      const id = lastIdentifier(expr);
      const o = id ? optionFromName(id) : null;
      return o ? { options: [{ option: o, text: expr.text, location: loc(file, expr) }], resolved: true } : { options: [], resolved: false };
    }
    case 'simple_identifier': {
      const o = optionFromName(expr.text);
      if (o) return { options: [{ option: o, text: expr.text, location: loc(file, expr) }], resolved: true };
      const v = resolveLet(expr, expr.text);
      return v ? resolveOptions(file, v, depth + 1) : { options: [], resolved: false };
    }
    case 'call_expression': {
      // AVAudioSession.CategoryOptions(rawValue: 0x11) / .init(rawValue: 1)
      const info = swiftCallInfo(expr);
      const raw = info?.args.find((a) => a.label === 'rawValue');
      const isOptionsType = info && (info.name === 'CategoryOptions' || info.name === 'AVAudioSessionCategoryOptions' || info.name === 'init');
      if (raw && isOptionsType && raw.value && /_literal$/.test(raw.value.type)) {
        const n = parseInteger(raw.value.text);
        const opts = n === null ? null : optionsFromRawValue(n);
        if (opts) return { options: opts.map((o) => ({ option: o, text: expr.text, location: loc(file, expr) })), resolved: true };
      }
      return { options: [], resolved: false };
    }
    case 'parenthesized_expression':
      return named(expr).length === 1 ? resolveOptions(file, named(expr)[0]!, depth + 1) : { options: [], resolved: false };
    default:
      return { options: [], resolved: false };
  }
}

/** Does the receiver look like an AVAudioSession (by name or by a `let` bound to sharedInstance())? */
function looksLikeSession(receiver: SyntaxNode | null): boolean {
  if (!receiver) return false;
  const words = identifiersIn(receiver);
  if (words.some((w) => w === 'AVAudioSession' || w === 'sharedInstance' || /session$/i.test(w))) return true;
  if (receiver.type === 'simple_identifier') {
    const v = resolveLet(receiver, receiver.text);
    if (v) return identifiersIn(v).some((w) => w === 'AVAudioSession' || w === 'sharedInstance');
    const paramType = parameterType(receiver, receiver.text);
    if (paramType) return identifiersIn(paramType).includes('AVAudioSession');
  }
  return false;
}

/** The declared type of a parameter of an enclosing function or closure, e.g. `s: AVAudioSession`. */
function parameterType(at: SyntaxNode, name: string): SyntaxNode | null {
  for (let p = at.parent; p; p = p.parent) {
    if (p.type !== 'function_declaration' && p.type !== 'init_declaration') continue;
    for (const param of named(p)) {
      if (param.type !== 'parameter') continue;
      const ids = named(param).filter((c) => c.type === 'simple_identifier');
      const type = named(param).find((c) => c.type !== 'simple_identifier');
      if (ids.at(-1)?.text === name && type) return type;
    }
    return null;
  }
  return null;
}

function identifiersIn(node: SyntaxNode): string[] {
  const out: string[] = [];
  walk(node, (n) => {
    if (n.type === 'simple_identifier' || n.type === 'type_identifier') out.push(n.text);
  });
  return out;
}

function boolLiteral(v: SyntaxNode | null): boolean | null {
  if (!v) return null;
  if (v.type === 'boolean_literal') return v.text === 'true';
  return null;
}

function selectorName(sel: SyntaxNode | null): string | null {
  if (!sel || sel.type !== 'selector_expression') return null;
  const inner = named(sel)[0];
  if (!inner) return null;
  if (inner.type === 'call_expression') return swiftCallInfo(inner)?.name ?? null;
  return lastIdentifier(inner);
}

function hasDescendant(node: SyntaxNode, pred: (n: SyntaxNode) => boolean): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (pred(n)) {
      found = true;
      return false;
    }
    return true;
  });
  return found;
}

const isEndedRef = (n: SyntaxNode) => n.type === 'simple_identifier' && n.text === 'ended';

export function extractSwiftAudioFacts(file: string, root: SyntaxNode): IosSourceFacts {
  const facts = emptySourceFacts();
  const calls: SyntaxNode[] = [];
  const branches: { scopeStart: number; start: number; end: number; node: SyntaxNode }[] = [];
  const activating = new Set<string>();
  const setActiveTrueAt: number[] = [];

  walk(root, (n) => {
    switch (n.type) {
      case 'comment':
      case 'multiline_comment':
        return false;
      case 'import_declaration': {
        const id = childOfType(n, 'identifier');
        const first = id ? childOfType(id, 'simple_identifier') : null;
        if (first) facts.imports.push({ module: first.text, location: loc(file, n) });
        return false;
      }
      case 'call_expression':
        calls.push(n);
        break;
      case 'simple_identifier':
      case 'type_identifier': {
        const api = apiFromName(n.text);
        if (api) facts.apis.push({ api, name: n.text, location: loc(file, n) });
        if (n.text === 'oldDeviceUnavailable') facts.oldDeviceUnavailable.push(loc(file, n));
        break;
      }
      case 'function_declaration': {
        const name = childOfType(n, 'simple_identifier')?.text;
        if (name === 'channelManager') {
          const params = named(n).filter((c) => c.type === 'parameter');
          if (params.some((p) => p.namedChild(0)?.text === 'didActivate')) facts.pttDidActivate.push(loc(file, n));
        }
        break;
      }
      case 'switch_entry': {
        const pattern = childOfType(n, 'switch_pattern');
        const body = childOfType(n, 'statements');
        if (pattern && body && hasDescendant(pattern, isEndedRef)) branches.push({ scopeStart: 0, start: body.startIndex, end: body.endIndex, node: n });
        break;
      }
      case 'if_statement': {
        const body = childOfType(n, 'statements');
        if (body) {
          const conditions = named(n).filter((c) => c.endIndex <= body.startIndex);
          if (conditions.some((c) => hasDescendant(c, isEndedRef))) branches.push({ scopeStart: 0, start: body.startIndex, end: body.endIndex, node: n });
        }
        break;
      }
      case 'guard_statement': {
        const elseBody = childOfType(n, 'statements');
        const conditions = named(n).filter((c) => !elseBody || c.endIndex <= elseBody.startIndex);
        if (n.parent && conditions.some((c) => hasDescendant(c, isEndedRef))) branches.push({ scopeStart: 0, start: n.endIndex, end: n.parent.endIndex, node: n });
        break;
      }
    }
    return true;
  });

  for (const call of calls) {
    const info = swiftCallInfo(call);
    if (!info) continue;
    if (info.name === 'setCategory' || info.name === 'AudioSessionSetProperty') facts.categorySetters.push(loc(file, call));
    switch (info.name) {
      case 'setCategory': {
        const first = info.args[0];
        if (!first || (first.label !== null && first.label !== '_')) break;
        const category = resolveCategory(first.value);
        if (!category && !looksLikeSession(info.receiver)) break;
        const modeArg = info.args.find((a) => a.label === 'mode');
        const policyArg = info.args.find((a) => a.label === 'policy');
        const optArg = info.args.find((a) => a.label === 'options' || a.label === 'with' || a.label === 'withOptions');
        const opts = optArg ? resolveOptions(file, optArg.value) : { options: [], resolved: true };
        const modeName = lastIdentifier(modeArg?.value ?? null);
        facts.setCategory.push({
          lang: 'swift',
          location: loc(file, statementStart(call)),
          category,
          categoryLocation: first.value ? loc(file, first.value) : null,
          mode: modeName ? modeFromName(modeName) : null,
          modeLocation: modeArg?.value ? loc(file, modeArg.value) : null,
          policy: lastIdentifier(policyArg?.value ?? null),
          optionsGiven: !!optArg,
          options: opts.options,
          optionsResolved: opts.resolved,
          errorHandling: errorHandlingOf(call, info),
          enclosingFunction: enclosingFunctionName(call),
        });
        break;
      }
      case 'setActive': {
        const first = info.args[0];
        if (!first || (first.label !== null && first.label !== '_')) break;
        if (!looksLikeSession(info.receiver)) break;
        const active = boolLiteral(first.value);
        facts.setActive.push({
          lang: 'swift',
          location: loc(file, statementStart(call)),
          active,
          errorHandling: errorHandlingOf(call, info),
          enclosingFunction: enclosingFunctionName(call),
        });
        if (active === true) {
          setActiveTrueAt.push(call.startIndex);
          const fn = enclosingFunctionName(call);
          if (fn) activating.add(fn);
        }
        break;
      }
      case 'setMode': {
        const first = info.args[0];
        if (!first || !looksLikeSession(info.receiver)) break;
        const m = lastIdentifier(first.value);
        facts.setMode.push({ location: loc(file, call), mode: m ? modeFromName(m) : null });
        break;
      }
      case 'addObserver': {
        const nameArg = info.args.find((a) => a.label === 'name' || a.label === 'forName');
        const id = lastIdentifier(nameArg?.value ?? null);
        const notification = id ? notificationFromName(id) : null;
        if (!notification) break;
        const sel = info.args.find((a) => a.label === 'selector');
        const selector = selectorName(sel?.value ?? null);
        facts.observers.push({
          notification,
          location: loc(file, call),
          handler: selector ? 'selector' : info.closures.length > 0 ? 'closure' : 'unknown',
          selector,
        });
        break;
      }
      case 'publisher':
      case 'notifications':
      case 'notification': {
        const arg = info.args.find((a) => a.label === 'for' || a.label === 'named' || (info.name === 'notification' && a.label === null));
        const id = lastIdentifier(arg?.value ?? null);
        const notification = id ? notificationFromName(id) : null;
        if (notification) facts.observers.push({ notification, location: loc(file, call), handler: 'stream', selector: null });
        break;
      }
    }
  }

  // `.ended` branches of interruption handlers: does playback restart without reactivation?
  for (const b of branches) {
    const scope = interruptionScope(b.node);
    if (!scope) continue;
    const inBranch = calls.filter((c) => c.startIndex >= b.start && c.endIndex <= b.end).sort((x, y) => x.startIndex - y.startIndex);
    const callsBefore: string[] = [];
    for (const c of inBranch) {
      const info = swiftCallInfo(c);
      if (!info) continue;
      const isResume =
        (RESUME_METHODS.has(info.name) && info.receiver !== null && info.receiver.type !== 'self_expression') ||
        (RESUME_FUNCTIONS.has(info.name) && info.receiver === null);
      if (isResume) {
        facts.interruptionResumes.push({
          location: loc(file, c),
          reactivatedBefore: setActiveTrueAt.some((at) => at >= scope.startIndex && at < c.startIndex),
          callsBefore: [...callsBefore],
          handlerFunction: enclosingFunctionName(c),
        });
        break;
      }
      callsBefore.push(info.name);
    }
  }

  facts.activatingFunctions = [...activating];
  return facts;
}

/** The function or closure around an `.ended` branch that reads interruption notifications. */
function interruptionScope(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (!FUNCTION_SCOPES.has(p.type)) continue;
    if (hasDescendant(p, (n) => (n.type === 'simple_identifier' || n.type === 'type_identifier') && INTERRUPTION_MARKERS.has(n.text))) return p;
  }
  return null;
}
