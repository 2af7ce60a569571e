// `doctor --fix`: turn the fix intents rules attach to findings into text edits, with the same
// formatting-preserving edit helpers `audiobg add` uses, grouped per file.
//
// One pass works on the files as they are now. Intents that point at a position (an element, a
// `<string>`, a Swift option) are all computed against that same text and applied together, so
// two of them may never overlap: the later one waits for the next pass, after doctor has run again
// on the changed files. Intents that only name content ("this permission", "this array value")
// re-read the file after each change, so they never collide. Nothing here writes to disk: the
// caller stages every changed file at once (src/scaffold/apply-plan.ts).

import type { Finding } from '../findings/finding.js';
import type { FindingFixEdit } from '../report/reporter.js';
import type { FixIntent, FixPos } from '../findings/fix-intent.js';
import { attr, parseXml, walkElements, type XmlDocument, type XmlElement } from '../parse/xml.js';
import { decodeText, LineIndex } from '../parse/text.js';
import { applyEdits, eolOf, indentAt, indentUnitOf, type TextEdit } from './text-edit.js';
import { permissionsEdit } from './manifest-edit.js';
import { arrayStringsEdit, emptyPlist, replaceValueEdit, stringValueXml } from './plist-edit.js';
import { addBuildSetting } from './pbxproj-edit.js';
import { parsePbxproj, pbxGet, pbxString, pbxStrings, type PbxDict, type PbxProject } from '../parse/pbxproj.js';
import path from 'node:path';
import { insertChildLines, unitOf } from './xml-edit.js';
import { createRequire } from 'node:module';
import { xmlText } from '../scaffold/escape.js';

/** Attribute values are written in double quotes (xmlText escapes both kinds). */
const xmlAttr = xmlText;

export interface AppliedFix {
  ruleId: string;
  file: string;
  /** One line for the summary, e.g. "added android.permission.WAKE_LOCK". */
  what: string;
}

export interface FileFix {
  file: string;
  /** Null for a file the fix creates. */
  original: Buffer | null;
  content: Buffer;
}

export interface FixPass {
  files: FileFix[];
  applied: AppliedFix[];
  /** Findings held back because their edit overlaps one made in this pass (the next pass retries). */
  deferred: number;
  /** Findings whose every change was made in this pass. */
  fixedFindings: number;
  /** Fixes that could not be made, with the reason (the finding stays reported). */
  skipped: { ruleId: string; file: string; line: number; reason: string }[];
}

export class FixError extends Error {}

interface Open {
  file: string;
  original: Buffer;
  bom: boolean;
  /** Decoded text at the start of the pass (positions refer to it). */
  base: string;
  lines: LineIndex;
  positional: TextEdit[];
  content: { intent: FixIntent; ruleId: string; at: { file: string; line: number } }[];
}

/** Decide this pass's edits for the findings' intents. `read` gives a file's current bytes (or null). */
export async function planFixPass(findings: Finding[], read: (file: string) => Buffer | null): Promise<FixPass> {
  const pass: FixPass = { files: [], applied: [], deferred: 0, fixedFindings: 0, skipped: [] };
  const files = new Map<string, Open | null>();
  const open = (file: string): Open | null => {
    if (files.has(file)) return files.get(file)!;
    const bytes = read(file);
    let o: Open | null = null;
    if (bytes) {
      const d = decodeText(bytes);
      // Only UTF-8 text is rewritten: a UTF-16 file would come back in another encoding.
      if (d.ok && d.encoding === 'utf-8') o = { file, original: bytes, bom: d.bom, base: d.text, lines: new LineIndex(d.text), positional: [], content: [] };
    }
    files.set(file, o);
    return o;
  };
  const seen = new Set<string>();
  const created = new Map<string, Buffer>();

  for (const finding of findings) {
    const newFiles: { intent: FixIntent & { plist: string }; content: string }[] = [];
    const intents = (finding.fixes ?? []).filter((i) => i.kind !== 'manual');
    if (!intents.length) continue;
    // All of a finding's edits are made together or not at all.
    const staged: { o: Open; edit: TextEdit | null; intent: FixIntent }[] = [];
    let failure: string | null = null;
    let conflict = false;
    for (const intent of intents) {
      const key = JSON.stringify(intent);
      const o = open(intent.file);
      if (!o) {
        failure = `${intent.file} cannot be read as UTF-8 text`;
        break;
      }
      if (seen.has(key)) continue; // another finding asked for the very same change
      if (intent.kind === 'xcode-add-info-plist') {
        let r: { edits: TextEdit[]; content: string };
        try {
          r = xcodeInfoPlist(o, intent, read);
        } catch (e) {
          failure = (e as Error).message;
          break;
        }
        const others = [...o.positional, ...staged.filter((s) => s.o === o && s.edit).map((s) => s.edit!)];
        if (r.edits.some((e) => others.some((x) => touches(x, e))) || created.has(intent.plist)) {
          conflict = true;
          break;
        }
        for (const edit of r.edits) staged.push({ o, edit, intent });
        newFiles.push({ intent, content: r.content });
        continue;
      }
      if (!isPositional(intent)) {
        staged.push({ o, edit: null, intent });
        continue;
      }
      let edit: TextEdit | null;
      try {
        edit = await positionalEdit(o, intent);
      } catch (e) {
        failure = (e as Error).message;
        break;
      }
      if (!edit) continue;
      const others = [...o.positional, ...staged.filter((s) => s.o === o && s.edit).map((s) => s.edit!)];
      if (others.some((x) => touches(x, edit!))) {
        conflict = true;
        break;
      }
      staged.push({ o, edit, intent });
    }
    if (failure) {
      pass.skipped.push({ ruleId: finding.ruleId, file: finding.location.file, line: finding.location.line, reason: failure });
      continue;
    }
    if (conflict) {
      pass.deferred++;
      continue;
    }
    if (staged.length) pass.fixedFindings++;
    for (const n of newFiles) created.set(n.intent.plist, Buffer.from(n.content, 'utf8'));
    for (const s of staged) {
      if (s.intent.kind === 'xcode-add-info-plist' && seen.has(JSON.stringify(s.intent))) {
        s.o.positional.push(s.edit!);
        continue;
      }
      seen.add(JSON.stringify(s.intent));
      if (s.edit) {
        s.o.positional.push(s.edit);
        pass.applied.push({ ruleId: finding.ruleId, file: s.intent.file, what: describeIntent(s.intent) });
      } else s.o.content.push({ intent: s.intent, ruleId: finding.ruleId, at: finding.location });
    }
  }

  for (const o of files.values()) {
    if (!o || (!o.positional.length && !o.content.length)) continue;
    let text = applyEdits(o.base, o.positional);
    for (const { intent, ruleId, at } of o.content) {
      let edit: TextEdit | null;
      try {
        edit = contentEdit(text, intent);
      } catch (e) {
        pass.skipped.push({ ruleId, file: at.file, line: at.line, reason: (e as Error).message });
        continue;
      }
      if (!edit) continue;
      text = applyEdits(text, [edit]);
      pass.applied.push({ ruleId, file: intent.file, what: describeIntent(intent) });
    }
    if (text === o.base) continue;
    const content = Buffer.concat([o.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
    pass.files.push({ file: o.file, original: o.original, content });
  }
  for (const [file, content] of created) pass.files.push({ file, original: null, content });
  return pass;
}

function isPositional(i: FixIntent): boolean {
  return (
    i.kind === 'xml-set-attribute' || i.kind === 'manifest-add-intent-filter' || i.kind === 'plist-replace-string' || i.kind === 'swift-remove-option' || i.kind === 'objc-remove-option' || i.kind === 'json-set-true'
  );
}

/** Overlapping, or meeting at a point: either way the result would depend on the order. */
function touches(a: TextEdit, b: TextEdit): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function describeIntent(i: FixIntent): string {
  switch (i.kind) {
    case 'manifest-add-permission':
      return `declared ${i.permission}`;
    case 'xml-set-attribute':
      return `set ${i.name}="${i.value}"`;
    case 'manifest-add-intent-filter':
      return `added the ${i.action} intent filter`;
    case 'plist-add-array-string':
    case 'json-add-array-string':
      return `added "${i.value}" to ${i.kind === 'json-add-array-string' ? i.path.join('.') : i.key}`;
    case 'plist-replace-string':
      return `replaced "${i.from}" with "${i.to}"`;
    case 'plist-set-bool':
      return `set ${i.key} to ${i.value}`;
    case 'plist-add-string':
      return `added ${i.key} = "${i.value}"`;
    case 'swift-remove-option':
    case 'objc-remove-option':
      return `removed ${i.text} from the options`;
    case 'json-set-true':
      return 'turned an option on';
    case 'xcode-add-info-plist':
      return `created an Info.plist with ${i.key} = [${i.value}] for ${i.target} (INFOPLIST_FILE)`;
    case 'manual':
      return i.reason;
  }
}

// ---- edits that depend on a position in the file ----

function offsetOf(o: Open, p: FixPos): number {
  return o.lines.offset(p.line, p.column);
}

function elementAt(doc: XmlDocument, offset: number, file: string): XmlElement {
  for (const el of walkElements(doc.root)) if (el.start.offset === offset) return el;
  throw new FixError(`the element the fix is for is no longer where it was in ${file}`);
}

function parse(o: Open): XmlDocument {
  try {
    return parseXml(o.base);
  } catch (e) {
    throw new FixError(`${o.file} does not parse: ${(e as Error).message}`);
  }
}

async function positionalEdit(o: Open, intent: FixIntent): Promise<TextEdit | null> {
  switch (intent.kind) {
    case 'xml-set-attribute': {
      const doc = parse(o);
      const el = elementAt(doc, offsetOf(o, intent.element), o.file);
      return setAttributeEdit(o.base, el, intent.name, intent.value);
    }
    case 'manifest-add-intent-filter': {
      const doc = parse(o);
      const el = elementAt(doc, offsetOf(o, intent.element), o.file);
      const unit = unitOf(doc);
      return insertChildLines(doc, el, ['<intent-filter>', `${unit}<action android:name="${xmlAttr(intent.action)}" />`, '</intent-filter>']);
    }
    case 'plist-replace-string': {
      const doc = parse(o);
      const el = elementAt(doc, offsetOf(o, intent.at), o.file);
      const endTag = o.base.lastIndexOf('</', el.end);
      if (el.name !== 'string' || el.selfClosing || endTag < el.startTagEnd) throw new FixError(`no <string> element where the fix expects one in ${o.file}`);
      const current = o.base.slice(el.startTagEnd, endTag);
      if (current !== xmlText(intent.from) && current !== intent.from) throw new FixError(`the value is no longer "${intent.from}" in ${o.file}`);
      return { start: el.startTagEnd, end: endTag, text: xmlText(intent.to) };
    }
    case 'swift-remove-option':
      return swiftRemoveOption(o, intent.at, intent.text);
    case 'objc-remove-option':
      return objcRemoveOption(o, intent.at, intent.text);
    case 'json-set-true': {
      const { parseTree, findNodeAtOffset } = requireJsonc();
      const root = parseTree(o.base);
      const key = root ? findNodeAtOffset(root, offsetOf(o, intent.at) + 1) : undefined;
      const prop = key?.parent;
      const value = prop?.type === 'property' && prop.children?.[0] === key ? prop.children?.[1] : undefined;
      if (!value || value.type !== 'boolean') throw new FixError(`the option the fix is for is no longer where it was in ${o.file}`);
      if (value.value === true) return null;
      return { start: value.offset, end: value.offset + value.length, text: 'true' };
    }
    default:
      return null;
  }
}

/** Set (or replace the value of) an attribute, in the layout of the element's other attributes. */
function setAttributeEdit(text: string, el: XmlElement, name: string, value: string): TextEdit | null {
  const quoted = xmlAttr(value);
  const existing = attr(el, name);
  if (existing) {
    if (existing.value === value) return null;
    return { start: existing.valueStart, end: existing.valueEnd, text: quoted };
  }
  const last = el.attributes[el.attributes.length - 1];
  if (!last) return { start: el.start.offset + 1 + el.name.length, end: el.start.offset + 1 + el.name.length, text: ` ${name}="${quoted}"` };
  const after = last.valueEnd + 1; // past the closing quote
  // Attributes one per line stay one per line.
  if (last.start.line > el.start.line) return { start: after, end: after, text: `${eolOf(text)}${indentAt(text, last.start.offset)}${name}="${quoted}"` };
  return { start: after, end: after, text: ` ${name}="${quoted}"` };
}

/**
 * Remove one option from a Swift `setCategory` options argument, on the syntax tree: from a list
 * `[.a, .b]` the element and one separator go (the other elements, their spacing and comments
 * stay as written); a list of one becomes `[]`, and a lone option argument becomes `[]`.
 */
async function swiftRemoveOption(o: Open, at: FixPos, text: string): Promise<TextEdit> {
  const { getParser } = await import('../parse/tree-sitter.js');
  const parser = await getParser('swift');
  const source = o.base.includes('\r') ? o.base.replace(/\r(?!\n)/g, '\n') : o.base;
  const tree = parser.parse(source);
  try {
    let node = tree.rootNode.descendantForPosition({ row: at.line - 1, column: at.column - 1 });
    while (node.parent && node.parent.startIndex === node.startIndex && node.text !== text) node = node.parent;
    while (node.parent && node.parent.startIndex === node.startIndex && node.parent.text === text) node = node.parent;
    const gone = () => new FixError(`the option ${text} is no longer where it was in ${o.file}`);
    if (node.text !== text) throw gone();
    if (!['prefix_expression', 'navigation_expression', 'simple_identifier'].includes(node.type)) throw new FixError(`${text} is not a single option audiobg can remove`);
    const parent = node.parent;
    const argument = parent?.type === 'array_literal' ? parent.parent : parent;
    const label = argument?.type === 'value_argument' ? argument.namedChildren.find((c) => c.type === 'value_argument_label')?.text : undefined;
    // Only an option written in the call itself: one inside a shared `let` may be used elsewhere.
    if (!label || !['options', 'with', 'withOptions'].includes(label)) throw new FixError(`${text} is not written in the options argument of the call; remove it by hand`);
    // A call the parser could not read cleanly is not edited: its shape may not be what it seems.
    let call = argument!.parent;
    while (call && call.type !== 'call_expression') call = call.parent;
    if (!call || call.hasError) throw new FixError(`the call around ${text} does not parse cleanly; remove it by hand`);
    if (parent!.type !== 'array_literal') return { start: node.startIndex, end: node.endIndex, text: '[]' };
    const items = parent!.namedChildren.filter((c) => c.type !== 'comment' && c.type !== 'multiline_comment');
    const i = items.findIndex((c) => c.startIndex === node.startIndex);
    if (items.length === 1) {
      const open = parent!.startIndex + 1;
      const close = parent!.endIndex - 1;
      if (o.base.slice(open, node.startIndex).trim() || o.base.slice(node.endIndex, close).replace(',', '').trim()) {
        throw new FixError(`a comment sits beside ${text}; remove it by hand`);
      }
      return { start: open, end: close, text: '' };
    }
    // Between this element and its neighbour there must be only the comma and spacing.
    const range = i < items.length - 1 ? { start: node.startIndex, end: items[i + 1]!.startIndex } : { start: items[i - 1]!.endIndex, end: node.endIndex };
    const between = o.base.slice(range.start, range.end).replace(text, '');
    if (between.replace(',', '').trim() !== '' || (between.match(/,/g) ?? []).length !== 1) throw new FixError(`a comment sits beside ${text}; remove it by hand`);
    return { ...range, text: '' };
  } finally {
    tree.delete();
  }
}

/**
 * Remove one option constant from an Objective-C `withOptions:` argument: from `A | B` the
 * constant and its `|` go (line breaks and alignment of the rest stay); a lone option becomes 0.
 */
async function objcRemoveOption(o: Open, at: FixPos, text: string): Promise<TextEdit> {
  const { getParser } = await import('../parse/tree-sitter.js');
  const parser = await getParser('objc');
  const tree = parser.parse(o.base.includes('\r') ? o.base.replace(/\r(?!\n)/g, '\n') : o.base);
  try {
    const node = tree.rootNode.descendantForPosition({ row: at.line - 1, column: at.column - 1 });
    if (node.type !== 'identifier' || node.text !== text) throw new FixError(`the option ${text} is no longer where it was in ${o.file}`);
    let top = node;
    while (top.parent?.type === 'binary_expression' && top.parent.children.some((c) => c.type === '|')) top = top.parent;
    const message = top.parent;
    const keyword = top.previousSibling?.type === ':' ? top.previousSibling.previousSibling?.text : undefined;
    if (message?.type !== 'message_expression' || !keyword || !['withOptions', 'options'].includes(keyword)) {
      throw new FixError(`${text} is not written in the options argument of the message; remove it by hand`);
    }
    if (message.hasError) throw new FixError(`the message around ${text} does not parse cleanly; remove it by hand`);
    if (top === node) return { start: node.startIndex, end: node.endIndex, text: '0' };
    const parent = node.parent!;
    const [left, right] = [parent.children[0]!, parent.children[parent.children.length - 1]!];
    // Nodes are compared by position: web-tree-sitter hands out a new object on every access.
    const range = node.startIndex === right.startIndex ? { start: left.endIndex, end: node.endIndex } : { start: node.startIndex, end: right.startIndex };
    if (o.base.slice(range.start, range.end).replace(text, '').replace('|', '').trim() !== '') throw new FixError(`a comment sits beside ${text}; remove it by hand`);
    return { ...range, text: '' };
  } finally {
    tree.delete();
  }
}

// ---- edits that depend only on content (re-read after every change) ----

function contentEdit(text: string, intent: FixIntent): TextEdit | null {
  try {
    switch (intent.kind) {
      case 'manifest-add-permission':
        return permissionsEdit(text, [intent.permission]);
      case 'plist-add-array-string':
        return arrayStringsEdit(text, intent.key, [intent.value]);
      case 'plist-set-bool':
        return replaceValueEdit(text, intent.key, intent.value ? '<true/>' : '<false/>', (v) => v.type === 'bool' && v.value === intent.value);
      case 'plist-add-string':
        return replaceValueEdit(text, intent.key, stringValueXml(intent.value), (v) => v.type === 'string' && v.value.trim() !== '');
      case 'json-add-array-string':
        return jsonAddArrayString(text, intent.underExpo ? expoPrefixed(text, intent.path) : intent.path, intent.value);
      default:
        return null;
    }
  } catch (e) {
    if (e instanceof FixError) throw e;
    throw new FixError(`${intent.file}: ${(e as Error).message}`);
  }
}

/** app.json keeps the config under `expo` (or, rarely, at the top level). */
function expoPrefixed(text: string, jsonPath: (string | number)[]): (string | number)[] {
  const { parseTree, findNodeAtLocation } = requireJsonc();
  const root = parseTree(text);
  return root && findNodeAtLocation(root, ['expo'])?.type === 'object' ? ['expo', ...jsonPath] : jsonPath;
}

/** Append a string to a JSON array (created with its parents when absent), in the file's own layout. */
function jsonAddArrayString(text: string, jsonPath: (string | number)[], value: string): TextEdit | null {
  const { parseTree, findNodeAtLocation, modify } = requireJsonc();
  const root = parseTree(text);
  if (!root) throw new FixError('the file is not JSON');
  const node = findNodeAtLocation(root, jsonPath);
  if (node && node.type !== 'array') throw new FixError(`${jsonPath.join('.')} is not an array; fix it by hand`);
  if (node?.children?.some((c) => c.type === 'string' && c.value === value)) return null;
  const unit = indentUnitOf(text);
  const formattingOptions = { insertSpaces: unit !== '\t', tabSize: unit === '\t' ? 1 : unit.length, eol: eolOf(text) };
  const edits = node
    ? modify(text, [...jsonPath, -1], value, { formattingOptions, isArrayInsertion: true })
    : modify(text, jsonPath, [value], { formattingOptions });
  if (!edits.length) return null;
  if (edits.length > 1) {
    // One contiguous replacement covering every edit, so the caller deals with a single range.
    const start = Math.min(...edits.map((e) => e.offset));
    const end = Math.max(...edits.map((e) => e.offset + e.length));
    const replaced = applyEdits(text.slice(start, end), edits.map((e) => ({ start: e.offset - start, end: e.offset - start + e.length, text: e.content })));
    return { start, end, text: replaced };
  }
  const e = edits[0]!;
  return { start: e.offset, end: e.offset + e.length, text: e.content };
}

function requireJsonc(): typeof import('jsonc-parser') {
  return createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
}

/**
 * The change each finding's fix makes on its own, as one replacement per file in the current text
 * (for SARIF `fixes[]`). Findings without an automatic fix, or whose fix cannot be made, are absent.
 */
export async function fixEditsByFinding(findings: Finding[], read: (file: string) => Buffer | null): Promise<Map<Finding, FindingFixEdit[]>> {
  const out = new Map<Finding, FindingFixEdit[]>();
  const cache = new Map<string, Buffer | null>();
  const cachedRead = (f: string) => {
    if (!cache.has(f)) cache.set(f, read(f));
    return cache.get(f)!;
  };
  for (const finding of findings) {
    if (!finding.fixes?.some((i) => i.kind !== 'manual')) continue;
    const pass = await planFixPass([finding], cachedRead);
    if (pass.skipped.length || pass.deferred || !pass.files.length) continue;
    out.set(
      finding,
      pass.files.map((f) => {
        const before = f.original ? decodeText(f.original) : ({ ok: true, text: '' } as const);
        const after = decodeText(f.content);
        const a = before.ok ? before.text : '';
        const b = after.ok ? after.text : '';
        let start = 0;
        while (start < a.length && start < b.length && a[start] === b[start]) start++;
        let end = 0;
        while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
        const lines = new LineIndex(a);
        return { file: f.file, start: lines.position(start), end: lines.position(a.length - end), offset: start, length: a.length - end - start, text: b.slice(start, b.length - end) };
      }),
    );
  }
  return out;
}

/**
 * The pbxproj edits (INFOPLIST_FILE in every configuration of the target) and the new file for a
 * target whose Info.plist Xcode generates. Refused when any configuration already names a file.
 */
function xcodeInfoPlist(o: Open, intent: Extract<FixIntent, { kind: 'xcode-add-info-plist' }>, read: (file: string) => Buffer | null): { edits: TextEdit[]; content: string } {
  if (read(intent.plist)) throw new FixError(`${path.basename(intent.plist)} already exists; point INFOPLIST_FILE of ${intent.target} at it by hand`);
  let doc: ReturnType<typeof parsePbxproj>;
  try {
    doc = parsePbxproj(o.base);
  } catch (e) {
    throw new FixError(`${o.file} does not parse: ${(e as Error).message}`);
  }
  const objects = new Map<string, PbxDict>();
  const objs = pbxGet(doc.root, 'objects');
  if (objs?.type === 'dict') for (const e of objs.entries) if (e.value.type === 'dict') objects.set(e.key, e.value);
  const pbx: PbxProject = { file: o.file, doc, objects, rootObject: pbxString(doc.root, 'rootObject'), objectVersion: null };
  const targets = [...objects].filter(([, obj]) => pbxString(obj, 'isa') === 'PBXNativeTarget' && pbxString(obj, 'name') === intent.target);
  if (targets.length !== 1) throw new FixError(`no single target named ${intent.target} in ${o.file}`);
  const [targetId, target] = targets[0]!;
  const list = objects.get(pbxString(target, 'buildConfigurationList') ?? '');
  for (const id of pbxStrings(pbxGet(list, 'buildConfigurations'))) {
    if (pbxGet(pbxGet(objects.get(id), 'buildSettings'), 'INFOPLIST_FILE')) throw new FixError(`a configuration of ${intent.target} already sets INFOPLIST_FILE`);
  }
  const projectDir = path.dirname(path.dirname(o.file));
  const rel = path.relative(projectDir, intent.plist).split(path.sep).join('/');
  const edits = addBuildSetting(pbx, o.base, targetId, 'INFOPLIST_FILE', rel);
  if (!edits.length) throw new FixError(`${intent.target} has no build configurations to set INFOPLIST_FILE in`);
  // Xcode's own layout: tabs, and the project file's line ends.
  const eol = eolOf(o.base);
  const body = ['<dict>', `\t<key>${xmlText(intent.key)}</key>`, '\t<array>', `\t\t<string>${xmlText(intent.value)}</string>`, '\t</array>', '</dict>'];
  const content = emptyPlist(eol).replace(`<dict>${eol}</dict>`, body.join(eol));
  return { edits, content };
}
