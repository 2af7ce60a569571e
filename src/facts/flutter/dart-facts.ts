// Audio facts of one Dart file, read from its tree-sitter syntax tree. Comments and string literals
// are nodes of their own, so a word in them never becomes a fact.
//
// The Dart grammar is flat: `AudioService.init(config: c)` is an `identifier` followed by `selector`
// siblings (`.init`, then the argument part), so calls are read as chains of a base name and
// selectors. Values are followed through `const` / `final` declarations of the same file (top-level,
// static fields as `Class.name`, and local variables), through named arguments and `const` objects.

import type { Location } from '../../findings/finding.js';
import { nodeLocation, walk, type SyntaxNode } from '../../parse/tree-sitter.js';
import type { ProjectFile } from '../../discover/find-files.js';
import type { Workspace } from '../../parse/workspace.js';
import { defineExtractor } from '../../parse/extractors.js';
import { DART_PREFILTER_WORDS, JUST_AUDIO_SOURCE_TYPES } from './packages.js';

/** What one Dart file says about audio, as plain data (kept by the fact cache, made by parsing workers too). */
export const FLUTTER_DART_FACTS = defineExtractor('flutter-dart-facts', async (ws: Workspace, file: ProjectFile): Promise<DartFileFacts | null> => {
  if (!ws.mentions(file, DART_PREFILTER_WORDS)) return null;
  try {
    return await ws.withTree(file, 'dart', (root) => extractDartFacts(file.path, root));
  } catch (e) {
    ws.report({ file: file.path, kind: 'parse-error', severity: 'warning', message: `Dart audio facts could not be extracted: ${(e as Error).message}` });
    return null;
  }
});

export type DartValue =
  | { kind: 'bool'; value: boolean; loc: Location }
  | { kind: 'string'; value: string; loc: Location }
  /** `AVAudioSessionCategory.playback`: a static member of a type. */
  | { kind: 'member'; type: string; name: string; loc: Location }
  /** `a | b`. */
  | { kind: 'or'; parts: DartValue[]; loc: Location }
  /** A set or list literal. */
  | { kind: 'collection'; items: DartValue[]; loc: Location }
  /** `X(...)`, `const X.named(...)`, `new X(...)`. */
  | { kind: 'object'; type: string; ctor: string | null; args: DartArgs; isConst: boolean; loc: Location }
  | { kind: 'unknown'; text: string; loc: Location };

export interface DartArgs {
  named: Map<string, { value: DartValue; keyLoc: Location }>;
  positional: DartValue[];
}

export interface DartCall {
  /** `AudioService.init`, `runApp`, `session.configure`, `AudioServiceConfig`. */
  callee: string;
  /** Base identifier and the member names after it. */
  base: string;
  members: string[];
  args: DartArgs;
  location: Location;
  /** Directly under `await`. */
  awaited: boolean;
  /** Name of the enclosing top-level function or method, if any. */
  enclosingFunction: string | null;
  /** Offset of the call, to order calls within a function. */
  offset: number;
}

export interface DartClass {
  name: string;
  superclass: string | null;
  location: Location;
}

export interface DartFileFacts {
  file: string;
  /** Package names imported with `package:` URIs. */
  imports: string[];
  calls: DartCall[];
  /** Every object construction found (including those nested in arguments and declarations). */
  objects: Extract<DartValue, { kind: 'object' }>[];
  classes: DartClass[];
  /** Top-level `main` function: its name's location. */
  main: Location | null;
}

/** Types whose constructions the facts keep. */
const OBJECT_TYPES = new Set([
  'AudioServiceConfig',
  'AudioSessionConfiguration',
  'AudioContextIOS',
  'AudioContext',
  'AudioPlayer',
  // just_audio's sources, whose `tag` just_audio_background reads as the MediaItem.
  ...JUST_AUDIO_SOURCE_TYPES,
]);

const WRAPPERS = new Set(['unary_expression', 'await_expression', 'parenthesized_expression', 'expression', 'primary']);

export function extractDartFacts(file: string, root: SyntaxNode): DartFileFacts {
  const loc = (n: SyntaxNode) => {
    const l = nodeLocation(file, n);
    return { file, line: l.line, column: l.column };
  };
  const facts: DartFileFacts = { file, imports: [], calls: [], objects: [], classes: [], main: null };

  // ---- declarations, for following names to values ----
  const decls = new Map<string, SyntaxNode[][]>();
  const addDecl = (name: string, seq: SyntaxNode[]) => {
    const list = decls.get(name) ?? [];
    list.push(seq);
    decls.set(name, list);
  };
  const afterEquals = (n: SyntaxNode): SyntaxNode[] => {
    const kids = n.children;
    const i = kids.findIndex((k) => k.type === '=');
    return i < 0 ? [] : kids.slice(i + 1);
  };
  walk(root, (n) => {
    if (n.type === 'static_final_declaration' || n.type === 'initialized_variable_definition' || n.type === 'initialized_identifier') {
      const name = n.childForFieldName('name') ?? n.namedChildren.find((c) => c.type === 'identifier');
      if (!name) return;
      const seq = afterEquals(n);
      if (!seq.length) return;
      addDecl(name.text, seq);
      const cls = enclosing(n, ['class_definition']);
      const clsName = cls?.childForFieldName('name')?.text;
      if (clsName) addDecl(`${clsName}.${name.text}`, seq);
    }
  });

  const resolving = new Set<string>();
  const resolveName = (name: string, at: SyntaxNode): DartValue => {
    const seqs = decls.get(name);
    if (!seqs || seqs.length !== 1 || resolving.has(name)) return { kind: 'unknown', text: name, loc: loc(at) };
    resolving.add(name);
    try {
      return evalSeq(seqs[0]!);
    } finally {
      resolving.delete(name);
    }
  };

  // ---- values ----
  const parseArgs = (argsNode: SyntaxNode | null): DartArgs => {
    const out: DartArgs = { named: new Map(), positional: [] };
    if (!argsNode) return out;
    for (const a of argsNode.namedChildren) {
      if (a.type === 'named_argument') {
        const label = a.namedChildren.find((c) => c.type === 'label');
        const key = label?.namedChildren.find((c) => c.type === 'identifier');
        if (!label || !key) continue;
        const rest = a.children.filter((c) => c.startIndex >= label.endIndex);
        out.named.set(key.text, { value: evalSeq(rest), keyLoc: loc(key) });
      } else if (a.type === 'argument') {
        out.positional.push(evalSeq(a.children));
      }
    }
    return out;
  };

  const objectOf = (type: string, ctor: string | null, argsNode: SyntaxNode | null, isConst: boolean, at: SyntaxNode): DartValue => {
    const v = { kind: 'object' as const, type, ctor, args: parseArgs(argsNode), isConst, loc: loc(at) };
    return v;
  };

  function evalSeq(seq: SyntaxNode[]): DartValue {
    const nodes = seq.filter((n) => n.type !== 'comment' && n.type !== 'const_builtin' && n.type !== 'await' && n.type !== 'new');
    const first = nodes[0];
    if (!first) return { kind: 'unknown', text: '', loc: { file, line: 1, column: 1 } };
    if (nodes.length === 1) {
      const n = first;
      if (WRAPPERS.has(n.type)) return evalSeq(n.children.filter((c) => c.type !== '(' && c.type !== ')'));
      if (n.type === 'true' || n.type === 'false') return { kind: 'bool', value: n.type === 'true', loc: loc(n) };
      if (n.type === 'string_literal') {
        if (n.namedChildren.some((c) => c.type.includes('interpolation') || c.type === 'template_substitution')) return { kind: 'unknown', text: n.text, loc: loc(n) };
        const raw = n.text;
        const m = /^r?('''|"""|'|")([\s\S]*)\1$/.exec(raw);
        return m ? { kind: 'string', value: m[2]!, loc: loc(n) } : { kind: 'unknown', text: raw, loc: loc(n) };
      }
      if (n.type === 'identifier') return resolveName(n.text, n);
      if (n.type === 'bitwise_or_expression') {
        const parts: SyntaxNode[][] = [[]];
        for (const c of n.children) {
          if (c.type === '|') parts.push([]);
          else parts[parts.length - 1]!.push(c);
        }
        const vals = parts.map(evalSeq);
        return { kind: 'or', parts: vals.flatMap((v) => (v.kind === 'or' ? v.parts : [v])), loc: loc(n) };
      }
      if (n.type === 'set_or_map_literal' || n.type === 'list_literal') {
        const items: SyntaxNode[][] = [[]];
        for (const c of n.children) {
          if (c.type === ',' ) items.push([]);
          else if (c.type !== '{' && c.type !== '}' && c.type !== '[' && c.type !== ']' && c.type !== 'const_builtin' && c.type !== 'type_arguments') items[items.length - 1]!.push(c);
        }
        return { kind: 'collection', items: items.filter((i) => i.length).map(evalSeq), loc: loc(n) };
      }
      if (n.type === 'const_object_expression' || n.type === 'new_expression') {
        const type = n.namedChildren.find((c) => c.type === 'type_identifier');
        const ctor = n.namedChildren.find((c) => c.type === 'identifier');
        const args = n.namedChildren.find((c) => c.type === 'arguments') ?? null;
        if (!type) return { kind: 'unknown', text: n.text, loc: loc(n) };
        return objectOf(type.text, ctor?.text ?? null, args, n.type === 'const_object_expression', n);
      }
      return { kind: 'unknown', text: n.text, loc: loc(n) };
    }
    // A chain: identifier followed by selectors.
    if (first.type === 'identifier' && nodes.slice(1).every((n) => n.type === 'selector')) {
      const chain = readChain(first, nodes.slice(1));
      const members = chain.parts.filter((p) => p.kind === 'member').map((p) => p.name);
      const calls = chain.parts.filter((p) => p.kind === 'args');
      // `Type.member` (an enum value or a static constant).
      if (calls.length === 0 && members.length === 1) {
        const qualified = `${first.text}.${members[0]}`;
        if (decls.has(qualified)) return resolveName(qualified, first);
        if (/^[A-Z]/.test(first.text)) return { kind: 'member', type: first.text, name: members[0]!, loc: loc(first) };
      }
      // `Type(...)` or `Type.named(...)`; an import prefix (`as_.Type(...)`) is dropped.
      let parts = chain.parts;
      let base = first.text;
      if (/^[a-z_]/.test(base) && parts[0]?.kind === 'member' && /^[A-Z]/.test(parts[0].name)) {
        base = parts[0].name;
        parts = parts.slice(1);
      }
      if (/^[A-Z]/.test(base)) {
        if (parts.length === 1 && parts[0]!.kind === 'args') return objectOf(base, null, parts[0]!.node, false, first);
        if (parts.length === 2 && parts[0]!.kind === 'member' && parts[1]!.kind === 'args') return objectOf(base, parts[0]!.name, parts[1]!.node, false, first);
      }
    }
    return { kind: 'unknown', text: nodes.map((n) => n.text).join(''), loc: loc(first) };
  }

  // ---- walk: imports, classes, main, calls, objects ----
  walk(root, (n) => {
    switch (n.type) {
      case 'comment':
      case 'documentation_comment':
      case 'string_literal':
        return false;
      case 'import_specification': {
        const uri = n.namedChildren.find((c) => c.type === 'configurable_uri' || c.type === 'uri');
        const m = uri ? /^['"]package:([a-zA-Z0-9_]+)\//.exec(uri.text) : null;
        if (m) facts.imports.push(m[1]!);
        return false;
      }
      case 'class_definition': {
        const name = n.childForFieldName('name');
        const sup = n.childForFieldName('superclass');
        const supType = sup?.namedChildren.find((c) => c.type === 'type_identifier');
        if (name) facts.classes.push({ name: name.text, superclass: supType?.text ?? null, location: loc(name) });
        return true;
      }
      case 'function_signature': {
        const name = n.childForFieldName('name');
        if (name?.text === 'main' && n.parent?.type === 'program') facts.main = loc(name);
        return true;
      }
      case 'const_object_expression':
      case 'new_expression': {
        const v = evalSeq([n]);
        if (v.kind === 'object' && OBJECT_TYPES.has(v.type)) facts.objects.push(v);
        return true;
      }
    }
    // Chains start at an identifier child followed by selector siblings.
    const kids = n.children;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.type !== 'identifier' || kids[i + 1]?.type !== 'selector') continue;
      let j = i + 1;
      while (kids[j]?.type === 'selector') j++;
      const sels = kids.slice(i + 1, j);
      const chain = readChain(k, sels);
      // Each call in the chain: the names up to it, then its arguments.
      const names: string[] = [];
      for (const p of chain.parts) {
        if (p.kind === 'member') {
          names.push(p.name);
          continue;
        }
        const members = [...names];
        const callee = [k.text, ...members].join('.');
        facts.calls.push({
          callee,
          base: k.text,
          members,
          args: parseArgs(p.node),
          location: loc(k),
          awaited: awaitedAt(chain.parts, chain.parts.indexOf(p), n.type === 'await_expression'),
          enclosingFunction: enclosingFunctionName(n),
          offset: k.startIndex,
        });
        names.push('()');
      }
      const v = evalSeq(kids.slice(i, j));
      if (v.kind === 'object' && OBJECT_TYPES.has(v.type)) facts.objects.push(v);
      i = j - 1;
    }
    return true;
  });
  return facts;
}

/** A call is waited for when it ends an awaited chain, or when `.then(...)` follows it. */
function awaitedAt(parts: ChainPart[], i: number, underAwait: boolean): boolean {
  const next = parts[i + 1];
  if (next?.kind === 'member' && (next.name === 'then' || next.name === 'whenComplete')) return true;
  return underAwait && i === parts.length - 1;
}

type ChainPart = { kind: 'member'; name: string } | { kind: 'args'; node: SyntaxNode | null };

function readChain(_base: SyntaxNode, selectors: SyntaxNode[]): { parts: ChainPart[] } {
  const parts: ChainPart[] = [];
  for (const s of selectors) {
    const inner = s.namedChildren[0];
    if (!inner) continue;
    if (inner.type === 'argument_part') {
      parts.push({ kind: 'args', node: inner.namedChildren.find((c) => c.type === 'arguments') ?? null });
    } else if (inner.type === 'unconditional_assignable_selector' || inner.type === 'conditional_assignable_selector') {
      const id = inner.namedChildren.find((c) => c.type === 'identifier');
      if (id) parts.push({ kind: 'member', name: id.text });
    }
  }
  return { parts };
}

function enclosing(n: SyntaxNode, types: string[]): SyntaxNode | null {
  let p = n.parent;
  while (p && !types.includes(p.type)) p = p.parent;
  return p;
}

/** Name of the function whose body holds `n`: the `function_signature` / `method_signature` just before its body. */
function enclosingFunctionName(n: SyntaxNode): string | null {
  let p: SyntaxNode | null = n;
  while (p) {
    if (p.type === 'function_body') {
      const sig = p.previousNamedSibling;
      const s = sig?.type === 'method_signature' ? sig.namedChildren[0] : sig;
      const name = s?.childForFieldName('name') ?? s?.namedChildren.find((c) => c.type === 'identifier');
      if (name && s && (s.type === 'function_signature' || s.type.endsWith('signature'))) return name.text;
      if (p.parent?.type === 'function_expression') {
        p = p.parent;
        continue;
      }
    }
    p = p.parent;
  }
  return null;
}
