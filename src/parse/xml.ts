// A small XML DOM with source positions, built on the saxes streaming parser.
// Strict well-formedness: the first error stops the parse and is reported with its line and column.
// DTDs are not processed, so entities declared in them (external or not) are never expanded:
// a reference to one is reported as an error, and nothing outside the text is ever read.

import { SaxesParser } from 'saxes';
import { LineIndex } from './text.js';

export interface XmlPosition {
  line: number;
  column: number;
  offset: number;
}

export interface XmlAttribute {
  name: string;
  value: string;
  /** Where the attribute name starts. */
  start: XmlPosition;
  /** Offsets of the raw value between the quotes (for formatting-preserving edits). */
  valueStart: number;
  valueEnd: number;
}

export interface XmlComment {
  kind: 'comment';
  text: string;
  start: XmlPosition;
  end: number;
}

export interface XmlText {
  kind: 'text';
  text: string;
  start: XmlPosition;
  end: number;
}

export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  parent: XmlElement | null;
  /** Position of the `<` that opens the element. */
  start: XmlPosition;
  /** Offset just after the `>` of the start tag. */
  startTagEnd: number;
  /** Offset just after the element's end (after `/>` or the end tag's `>`). */
  end: number;
  selfClosing: boolean;
}

export type XmlNode = XmlElement | XmlText | XmlComment;

export interface XmlDocument {
  root: XmlElement;
  comments: XmlComment[];
  lines: LineIndex;
  text: string;
}

export class XmlParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Deeper nesting is refused, so that recursive helpers (walkElements, textContent) cannot overflow the stack. */
export const MAX_DEPTH = 500;

/** Adds the likely cause to the parser's terse messages for the mistakes people actually make. */
function explain(message: string): string {
  if (message === 'malformed comment') {
    return 'malformed comment: XML does not allow "--" inside a comment (for an audiobg-ignore-next-line reason in XML, write ": reason")';
  }
  if (message === 'undefined entity') {
    return 'undefined entity: only the five XML entities (&amp; &lt; &gt; &quot; &apos;) and character references are expanded; audiobg never expands entities declared in a DTD';
  }
  return message;
}

export function parseXml(text: string): XmlDocument {
  const lines = new LineIndex(text);
  const pos = (offset: number): XmlPosition => ({ ...lines.position(offset), offset });
  const parser = new SaxesParser({ xmlns: false, position: true });
  let error: XmlParseError | null = null;
  let root: XmlElement | null = null;
  const stack: XmlElement[] = [];
  const comments: XmlComment[] = [];
  let pending: XmlElement | null = null;
  let lastClosed: XmlElement | null = null;

  const fail = (message: string) => {
    if (error) return;
    const p = lines.position(Math.max(0, Math.min(parser.position - 1, text.length)));
    error = new XmlParseError(message, p.line, p.column);
  };

  parser.on('error', (e) => {
    // saxes prefixes its messages with "line:column: " and ends them with a period.
    const message = e.message.replace(/^\d+:\d+:\s*/, '').replace(/\.$/, '');
    if (message === 'unexpected close tag' && !error) {
      // Point at the `</` rather than past the `>`, and say which element is still open.
      const at = text.lastIndexOf('</', Math.max(0, parser.position - 1));
      const name = at >= 0 ? /^<\/\s*([^\s>]*)/.exec(text.slice(at))?.[1] : undefined;
      // saxes closes the elements left open before it reports the mismatch: the one closed at
      // this very position is the one the author forgot to close.
      const open = lastClosed && lastClosed.end === parser.position && lastClosed.name !== name ? lastClosed : stack[stack.length - 1];
      const p = lines.position(at >= 0 ? at : Math.max(0, parser.position - 1));
      const detail = name && open ? `: </${name}> does not close <${open.name}>` : '';
      error = new XmlParseError(`unexpected close tag${detail}`, p.line, p.column);
      return;
    }
    if (message.startsWith('unclosed tag') && !error && stack.length) {
      // Found at the end of the text; the useful place is the start tag that was never closed.
      const open = stack[stack.length - 1]!;
      error = new XmlParseError(`unclosed tag: <${open.name}> is never closed`, open.start.line, open.start.column);
      return;
    }
    fail(explain(message));
  });
  parser.on('opentagstart', (tag) => {
    const startOffset = text.lastIndexOf('<', parser.position - 1);
    const parent = stack[stack.length - 1] ?? null;
    if (stack.length >= MAX_DEPTH) fail(`elements are nested more than ${MAX_DEPTH} levels deep`);
    pending = {
      kind: 'element',
      name: tag.name,
      attributes: [],
      children: [],
      parent,
      start: pos(Math.max(0, startOffset)),
      startTagEnd: -1,
      end: -1,
      selfClosing: false,
    };
  });
  parser.on('attribute', (attr) => {
    if (!pending) return;
    // The parser stands just after the closing quote of the value.
    const valueEnd = parser.position - 1;
    const quote = text[valueEnd];
    const valueStart = quote === '"' || quote === "'" ? text.lastIndexOf(quote, valueEnd - 1) + 1 : valueEnd;
    let nameStart = valueStart - 1;
    // Walk back over `="` and whitespace to the start of the name.
    nameStart = text.lastIndexOf(attr.name, nameStart);
    pending.attributes.push({
      name: attr.name,
      value: attr.value,
      start: pos(Math.max(0, nameStart)),
      valueStart,
      valueEnd,
    });
  });
  parser.on('opentag', (tag) => {
    const el = pending;
    pending = null;
    if (!el) return;
    el.startTagEnd = parser.position;
    el.selfClosing = tag.isSelfClosing;
    if (el.parent) el.parent.children.push(el);
    else if (!root) root = el;
    if (tag.isSelfClosing) el.end = parser.position;
    else stack.push(el);
  });
  parser.on('closetag', (tag) => {
    if (tag.isSelfClosing) return;
    const el = stack.pop();
    if (el) {
      el.end = parser.position;
      lastClosed = el;
    }
  });
  parser.on('text', (t) => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    const end = parser.position;
    parent.children.push({ kind: 'text', text: t, start: pos(Math.max(0, end - t.length)), end });
  });
  parser.on('cdata', (t) => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    const end = parser.position;
    parent.children.push({ kind: 'text', text: t, start: pos(Math.max(0, end - t.length - 3)), end });
  });
  parser.on('comment', (t) => {
    const end = parser.position;
    const startOffset = text.lastIndexOf('<!--', end - 1);
    const c: XmlComment = { kind: 'comment', text: t, start: pos(Math.max(0, startOffset)), end };
    comments.push(c);
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(c);
  });

  try {
    parser.write(text);
    if (!error) parser.close();
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (error) throw error;
  if (!root) throw new XmlParseError('the document has no root element', 1, 1);
  return { root, comments, lines, text };
}

// ---- small helpers for rules and facts ----

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.kind === 'element' && (name === undefined || c.name === name)) out.push(c);
  }
  return out;
}

export function attr(el: XmlElement, name: string): XmlAttribute | undefined {
  return el.attributes.find((a) => a.name === name);
}

export function attrValue(el: XmlElement, name: string): string | undefined {
  return attr(el, name)?.value;
}

export function textContent(el: XmlElement): string {
  let s = '';
  for (const c of el.children) {
    if (c.kind === 'text') s += c.text;
    else if (c.kind === 'element') s += textContent(c);
  }
  return s;
}

export function* walkElements(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) if (c.kind === 'element') yield* walkElements(c);
}
