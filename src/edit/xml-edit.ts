// Formatting-preserving edits of XML documents (AndroidManifest.xml, XML property lists):
// new elements are spliced in with the indentation and line endings the file already uses.

import type { XmlDocument, XmlElement } from '../parse/xml.js';
import { childElements } from '../parse/xml.js';
import { eolOf, indentAt, indentUnitOf, type TextEdit } from './text-edit.js';

/**
 * Insert `lines` (already-formatted XML, one entry per line, without indentation for the child
 * level itself) as the last children of `parent` — or right after `after` when given.
 */
export function insertChildLines(
  doc: XmlDocument,
  parent: XmlElement,
  lines: string[],
  after?: XmlElement,
  before?: XmlElement,
): TextEdit {
  const text = doc.text;
  const eol = eolOf(text);
  const unit = indentUnitOf(text);
  const parentIndent = indentAt(text, parent.start.offset);
  const kids = childElements(parent);
  const childIndent = kids.length ? indentAt(text, kids[0]!.start.offset) : parentIndent + unit;
  const block = lines.map((l) => (l ? childIndent + l : l));

  if (parent.selfClosing) {
    // <application ... /> becomes <application ...> children </application>
    let closeAt = text.lastIndexOf('/>', parent.end);
    // `<service ... />` becomes `<service ...>`, not `<service ... >`.
    while (closeAt > parent.start.offset && (text[closeAt - 1] === ' ' || text[closeAt - 1] === '\t')) closeAt--;
    const tagEnd = parent.end;
    return {
      start: closeAt,
      end: tagEnd,
      text: `>${eol}${block.join(eol)}${eol}${parentIndent}</${parent.name}>`,
    };
  }
  if (before) {
    // Start at the anchor's own line so the new block sits above it with the same indentation.
    const lineStart = before.start.offset - indentAt(text, before.start.offset).length;
    return { start: lineStart, end: lineStart, text: `${block.join(eol)}${eol}` };
  }
  const anchor = after ?? kids[kids.length - 1];
  if (anchor) {
    return { start: anchor.end, end: anchor.end, text: `${eol}${block.join(eol)}` };
  }
  // An empty element `<x></x>` or one holding only text/comments: insert before the end tag.
  const endTagStart = text.lastIndexOf('</', parent.end);
  const inner = text.slice(parent.startTagEnd, endTagStart);
  const onOwnLine = /\n[ \t]*$/.test(inner);
  return {
    start: onOwnLine ? endTagStart - indentAt(text, endTagStart).length : endTagStart,
    end: endTagStart,
    text: `${onOwnLine ? '' : eol}${block.join(eol)}${eol}${parentIndent}`,
  };
}

/** Indentation unit of the document, for building nested snippets. */
export function unitOf(doc: XmlDocument): string {
  return indentUnitOf(doc.text);
}
