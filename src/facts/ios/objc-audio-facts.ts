// Audio facts from an Objective-C syntax tree (tree-sitter-objc from tree-sitter-wasms 0.1.13).
//
// Grammar notes: a message `[r a:x b:y]` is a message_expression whose children are `[`, the
// receiver, then `identifier ':' argument` triples (a unary message is a lone identifier);
// `nil`, `YES` and `NO` are identifiers, `NULL` is a `null` node; `@selector(x:)` keeps its
// selector only in the node's text. Comments are `comment` nodes and string text is
// `string_content`, so identifiers never come from comments or strings.

import type { Location } from '../../findings/finding.js';
import { nodeLocation, walk, type SyntaxNode } from '../../parse/tree-sitter.js';
import { apiFromName, categoryFromName, modeFromName, notificationFromName, optionFromName, optionsFromRawValue } from './audio-session-vocab.js';
import { emptySourceFacts, type ErrorHandling, type IosSourceFacts, type OptionRef } from './source-facts.js';

export interface ObjcMessage {
  receiver: SyntaxNode | null;
  keywords: string[];
  args: (SyntaxNode | null)[];
  /** e.g. `setCategory:withOptions:error:`, or `play` for a unary message. */
  selector: string;
}

const SCOPES = new Set(['method_definition', 'function_definition', 'block_literal']);
const RESUME_SELECTORS = new Set(['play', 'start', 'startAndReturnError:', 'playAtTime:']);
const RESUME_FUNCTIONS = new Set(['AudioOutputUnitStart', 'AudioQueueStart', 'AUGraphStart']);

function loc(file: string, node: SyntaxNode): Location {
  return nodeLocation(file, node);
}

export function objcMessage(msg: SyntaxNode): ObjcMessage | null {
  if (msg.type !== 'message_expression') return null;
  const kids: SyntaxNode[] = [];
  for (let i = 0; i < msg.childCount; i++) {
    const c = msg.child(i)!;
    if (c.type !== 'comment') kids.push(c);
  }
  let i = 0;
  if (kids[i]?.type === '[') i++;
  const receiver = kids[i]?.isNamed ? kids[i]! : null;
  if (receiver) i++;
  const keywords: string[] = [];
  const args: (SyntaxNode | null)[] = [];
  let unary = false;
  while (i < kids.length) {
    const k = kids[i]!;
    if (k.type === 'identifier' && kids[i + 1]?.type === ':') {
      keywords.push(k.text);
      const a = kids[i + 2];
      args.push(a && a.type !== ']' ? a : null);
      i += 3;
      continue;
    }
    if (k.type === 'identifier' && keywords.length === 0 && !unary) {
      keywords.push(k.text);
      unary = true;
    }
    i++;
  }
  if (keywords.length === 0) return null;
  const selector = unary ? keywords[0]! : keywords.map((k) => `${k}:`).join('');
  return { receiver, keywords, args, selector };
}

function arg(m: ObjcMessage, keyword: string): SyntaxNode | null | undefined {
  const i = m.keywords.indexOf(keyword);
  return i < 0 ? undefined : m.args[i];
}

function errorHandling(m: ObjcMessage): ErrorHandling {
  const e = arg(m, 'error');
  if (e === undefined) return 'none';
  if (!e) return 'none';
  if (e.type === 'null' || (e.type === 'identifier' && e.text === 'nil') || (e.type === 'number_literal' && e.text === '0')) return 'error-nil';
  return 'checked';
}

function enclosingMethod(node: SyntaxNode): string | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'method_definition') return methodSelector(p).split(':')[0] ?? null;
    if (p.type === 'function_definition') {
      const decl = p.namedChildren.find((c) => c.type === 'function_declarator');
      const id = decl?.namedChildren.find((c) => c.type === 'identifier');
      return id?.text ?? null;
    }
  }
  return null;
}

/** `channelManager:didActivateAudioSession:` from a method definition. */
function methodSelector(def: SyntaxNode): string {
  const parts: string[] = [];
  let hasParams = false;
  for (const c of def.namedChildren) {
    if (c.type === 'identifier') parts.push(c.text);
    else if (c.type === 'method_parameter') hasParams = true;
  }
  return hasParams ? parts.map((p) => `${p}:`).join('') : (parts[0] ?? '');
}

function identifierText(n: SyntaxNode | null | undefined): string | null {
  if (!n) return null;
  if (n.type === 'identifier') return n.text;
  if (n.type === 'parenthesized_expression' && n.namedChildren.length === 1) return identifierText(n.namedChildren[0]);
  return null;
}

/** The initialiser of a local `T name = value;` declared earlier in an enclosing block. */
function resolveLocal(at: SyntaxNode, name: string): SyntaxNode | null {
  for (let p = at.parent; p; p = p.parent) {
    if (SCOPES.has(p.type)) return null;
    if (p.type !== 'compound_statement') continue;
    for (const decl of p.namedChildren) {
      if (decl.startIndex >= at.startIndex) break;
      if (decl.type !== 'declaration') continue;
      for (const init of decl.namedChildren) {
        if (init.type !== 'init_declarator') continue;
        const id = init.namedChildren[0];
        if (id?.type === 'identifier' && id.text === name) return init.namedChildren.at(-1) ?? null;
      }
    }
  }
  return null;
}

function resolveOptions(file: string, expr: SyntaxNode | null | undefined, depth = 0): { options: OptionRef[]; resolved: boolean } {
  if (!expr || depth > 4) return { options: [], resolved: false };
  switch (expr.type) {
    case 'identifier': {
      const o = optionFromName(expr.text);
      if (o) return { options: [{ option: o, text: expr.text, location: loc(file, expr) }], resolved: true };
      if (expr.text === 'kNilOptions') return { options: [], resolved: true };
      const v = resolveLocal(expr, expr.text);
      return v ? resolveOptions(file, v, depth + 1) : { options: [], resolved: false };
    }
    case 'binary_expression': {
      const op = expr.child(1);
      if (op?.type !== '|') return { options: [], resolved: false };
      const l = resolveOptions(file, expr.namedChildren[0], depth + 1);
      const r = resolveOptions(file, expr.namedChildren[1], depth + 1);
      return { options: [...l.options, ...r.options], resolved: l.resolved && r.resolved };
    }
    case 'parenthesized_expression':
      return expr.namedChildren.length === 1 ? resolveOptions(file, expr.namedChildren[0], depth + 1) : { options: [], resolved: false };
    case 'cast_expression':
      return resolveOptions(file, expr.namedChildren.at(-1), depth + 1);
    case 'number_literal': {
      const n = Number(expr.text.replace(/[uUlL]+$/, ''));
      const opts = Number.isFinite(n) ? optionsFromRawValue(n) : null;
      return opts ? { options: opts.map((o) => ({ option: o, text: expr.text, location: loc(file, expr) })), resolved: true } : { options: [], resolved: false };
    }
    default:
      return { options: [], resolved: false };
  }
}

function identifiersIn(node: SyntaxNode): string[] {
  const out: string[] = [];
  walk(node, (n) => {
    if (n.type === 'identifier' || n.type === 'field_identifier' || n.type === 'type_identifier') out.push(n.text);
  });
  return out;
}

function looksLikeSession(receiver: SyntaxNode | null): boolean {
  if (!receiver) return false;
  const words = identifiersIn(receiver);
  if (words.some((w) => w === 'AVAudioSession' || w === 'sharedInstance' || /session$/i.test(w))) return true;
  if (receiver.type === 'identifier') {
    const v = resolveLocal(receiver, receiver.text);
    if (v) return identifiersIn(v).some((w) => w === 'AVAudioSession' || w === 'sharedInstance');
  }
  return false;
}

function boolValue(n: SyntaxNode | null | undefined): boolean | null {
  if (!n) return null;
  const t = n.text;
  if (t === 'YES' || t === 'true' || t === '1') return true;
  if (t === 'NO' || t === 'false' || t === '0') return false;
  return null;
}

function selectorFromNode(n: SyntaxNode | null | undefined): string | null {
  if (!n || n.type !== 'selector_expression') return null;
  // The grammar keeps the selector only in the text: `@selector(handleInterruption:)`.
  const m = /^@selector\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(n.text);
  return m ? m[1]! : null;
}

export function extractObjcAudioFacts(file: string, root: SyntaxNode): IosSourceFacts {
  const facts = emptySourceFacts();
  const messages: SyntaxNode[] = [];
  const cCalls: SyntaxNode[] = [];
  const branches: { start: number; end: number; node: SyntaxNode }[] = [];
  const activating = new Set<string>();
  const setActiveTrueAt: number[] = [];

  walk(root, (n) => {
    switch (n.type) {
      case 'comment':
      case 'string_literal':
        return false;
      case 'module_import': {
        const id = n.namedChildren.find((c) => c.type === 'identifier');
        if (id) facts.imports.push({ module: id.text.split('.')[0]!, location: loc(file, n) });
        return false;
      }
      case 'preproc_include': {
        const lib = n.namedChildren.find((c) => c.type === 'system_lib_string');
        const m = lib ? /^<([^/>]+)\//.exec(lib.text) : null;
        if (m) facts.imports.push({ module: m[1]!, location: loc(file, n) });
        return false;
      }
      case 'message_expression':
        messages.push(n);
        break;
      case 'call_expression':
        cCalls.push(n);
        break;
      case 'identifier':
      case 'type_identifier':
      case 'field_identifier': {
        const api = apiFromName(n.text);
        if (api) facts.apis.push({ api, name: n.text, location: loc(file, n) });
        if (n.text === 'AVAudioSessionRouteChangeReasonOldDeviceUnavailable') facts.oldDeviceUnavailable.push(loc(file, n));
        break;
      }
      case 'method_definition':
        if (methodSelector(n) === 'channelManager:didActivateAudioSession:') facts.pttDidActivate.push(loc(file, n));
        break;
      case 'case_statement': {
        // case AVAudioSessionInterruptionTypeEnded: ...
        const value = n.namedChildren[0];
        const colon = findChild(n, ':');
        if (value && colon && identifierText(value) === 'AVAudioSessionInterruptionTypeEnded') branches.push({ start: colon.endIndex, end: n.endIndex, node: n });
        break;
      }
      case 'if_statement': {
        const cond = n.namedChildren[0];
        const then = n.namedChildren[1];
        if (cond && then && identifiersIn(cond).includes('AVAudioSessionInterruptionTypeEnded')) branches.push({ start: then.startIndex, end: then.endIndex, node: n });
        break;
      }
    }
    return true;
  });

  for (const msg of messages) {
    const m = objcMessage(msg);
    if (!m) continue;
    const first = m.keywords[0];
    if (first === 'setCategory') facts.categorySetters.push(loc(file, msg));
    if (first === 'setCategory' && m.selector !== 'setCategory') {
      const catNode = m.args[0];
      const catId = identifierText(catNode);
      const category = catId ? categoryFromName(catId) : null;
      if (!category && !looksLikeSession(m.receiver)) continue;
      const optNode = arg(m, 'withOptions') ?? arg(m, 'options');
      const optGiven = m.keywords.includes('withOptions') || m.keywords.includes('options');
      const opts = optGiven ? resolveOptions(file, optNode) : { options: [], resolved: true };
      const modeId = identifierText(arg(m, 'mode'));
      const policyId = identifierText(arg(m, 'routeSharingPolicy'));
      facts.setCategory.push({
        lang: 'objc',
        location: loc(file, msg),
        category,
        categoryLocation: catNode ? loc(file, catNode) : null,
        mode: modeId ? modeFromName(modeId) : null,
        modeLocation: arg(m, 'mode') ? loc(file, arg(m, 'mode')!) : null,
        policy: policyId ? policyId.replace(/^AVAudioSessionRouteSharingPolicy/, '').replace(/^./, (c) => c.toLowerCase()) : null,
        optionsGiven: optGiven,
        options: opts.options,
        optionsResolved: opts.resolved,
        errorHandling: errorHandling(m),
        enclosingFunction: enclosingMethod(msg),
      });
    } else if (first === 'setActive' && m.args.length > 0) {
      if (!looksLikeSession(m.receiver)) continue;
      const active = boolValue(m.args[0]);
      facts.setActive.push({ lang: 'objc', location: loc(file, msg), active, errorHandling: errorHandling(m), enclosingFunction: enclosingMethod(msg) });
      if (active === true) {
        setActiveTrueAt.push(msg.startIndex);
        const fn = enclosingMethod(msg);
        if (fn) activating.add(fn);
      }
    } else if (first === 'setMode' && m.args.length > 0 && looksLikeSession(m.receiver)) {
      const id = identifierText(m.args[0]);
      facts.setMode.push({ location: loc(file, msg), mode: id ? modeFromName(id) : null });
    } else if (first === 'addObserver' && m.keywords.includes('name')) {
      const id = identifierText(arg(m, 'name'));
      const notification = id ? notificationFromName(id) : null;
      if (!notification) continue;
      const selector = selectorFromNode(arg(m, 'selector'));
      facts.observers.push({ notification, location: loc(file, msg), handler: selector ? 'selector' : 'unknown', selector });
    } else if (first === 'addObserverForName') {
      const id = identifierText(m.args[0]);
      const notification = id ? notificationFromName(id) : null;
      if (!notification) continue;
      const block = arg(m, 'usingBlock');
      facts.observers.push({ notification, location: loc(file, msg), handler: block ? 'closure' : 'unknown', selector: null });
    }
  }

  for (const c of cCalls) {
    const fn = c.namedChildren[0];
    if (fn?.type === 'identifier' && fn.text === 'AudioSessionSetProperty') facts.categorySetters.push(loc(file, c));
  }

  for (const b of branches) {
    const scope = enclosingScope(b.node);
    const scopeStart = scope?.startIndex ?? 0;
    const inBranch = [...messages, ...cCalls].filter((c) => c.startIndex >= b.start && c.endIndex <= b.end).sort((x, y) => x.startIndex - y.startIndex);
    const callsBefore: string[] = [];
    for (const c of inBranch) {
      let name: string | null = null;
      let isResume = false;
      if (c.type === 'message_expression') {
        const m = objcMessage(c);
        if (!m) continue;
        name = m.keywords[0]!;
        const onSelf = m.receiver?.type === 'identifier' && m.receiver.text === 'self';
        isResume = RESUME_SELECTORS.has(m.selector) && !onSelf;
      } else {
        const fn = c.namedChildren[0];
        name = fn?.type === 'identifier' ? fn.text : null;
        isResume = !!name && RESUME_FUNCTIONS.has(name);
      }
      if (isResume) {
        facts.interruptionResumes.push({
          location: loc(file, c),
          reactivatedBefore: setActiveTrueAt.some((at) => at >= scopeStart && at < c.startIndex),
          callsBefore: [...callsBefore],
          handlerFunction: enclosingMethod(c),
        });
        break;
      }
      if (name) callsBefore.push(name);
    }
  }

  facts.activatingFunctions = [...activating];
  return facts;
}

function findChild(n: SyntaxNode, type: string): SyntaxNode | null {
  for (let i = 0; i < n.childCount; i++) if (n.child(i)!.type === type) return n.child(i)!;
  return null;
}

function enclosingScope(n: SyntaxNode): SyntaxNode | null {
  for (let p = n.parent; p; p = p.parent) if (SCOPES.has(p.type)) return p;
  return null;
}
