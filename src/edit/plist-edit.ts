// Formatting-preserving edits of XML property lists (Info.plist, .entitlements).

import { parseXml, walkElements, type XmlDocument, type XmlElement } from '../parse/xml.js';
import { dictGet, plistFromXml, type PlistValue } from '../parse/plist.js';
import { xmlText } from '../scaffold/escape.js';
import { insertChildLines, unitOf } from './xml-edit.js';
import { applyEdits, type TextEdit } from './text-edit.js';

export class PlistEditError extends Error {}

function elementAt(doc: XmlDocument, offset: number | undefined): XmlElement {
  for (const el of walkElements(doc.root)) if (el.start.offset === offset) return el;
  throw new PlistEditError('internal: plist value not found in its document');
}

function open(text: string): { doc: XmlDocument; root: PlistValue } {
  const doc = parseXml(text);
  const root = plistFromXml(doc.root);
  if (root.type !== 'dict') throw new PlistEditError('the property list is not a dictionary at the top');
  return { doc, root };
}

/** Ensure a top-level array key holds every one of `values` (appending what is missing). */
export function ensureArrayStrings(text: string, key: string, values: string[]): string {
  const edit = arrayStringsEdit(text, key, values);
  return edit ? applyEdits(text, [edit]) : text;
}

/** The one edit that appends the missing `values` to a top-level array key (null: nothing missing). */
export function arrayStringsEdit(text: string, key: string, values: string[]): TextEdit | null {
  const { doc, root } = open(text);
  const entry = dictGet(root, key);
  const unit = unitOf(doc);
  if (!entry) {
    const lines = [`<key>${xmlText(key)}</key>`, '<array>', ...values.map((v) => `${unit}<string>${xmlText(v)}</string>`), '</array>'];
    return insertChildLines(doc, elementAt(doc, root.loc.start), lines);
  }
  if (entry.value.type !== 'array') throw new PlistEditError(`${key} is a ${entry.value.type}, not an array; fix it by hand`);
  const present = new Set(entry.value.items.flatMap((i) => (i.type === 'string' ? [i.value] : [])));
  const missing = values.filter((v) => !present.has(v));
  if (!missing.length) return null;
  const arrayEl = elementAt(doc, entry.value.loc.start);
  return insertChildLines(doc, arrayEl, missing.map((v) => `<string>${xmlText(v)}</string>`));
}

/** Ensure a top-level key exists; an existing value is left as the user wrote it. */
export function ensureKey(text: string, key: string, valueXml: string): string {
  const edit = keyEdit(text, key, valueXml);
  return edit ? applyEdits(text, [edit]) : text;
}

/** The edit that adds a top-level key (null when it exists). */
export function keyEdit(text: string, key: string, valueXml: string): TextEdit | null {
  const { doc, root } = open(text);
  if (dictGet(root, key)) return null;
  return insertChildLines(doc, elementAt(doc, root.loc.start), [`<key>${xmlText(key)}</key>`, valueXml]);
}

/** A top-level key's value element: replace it with `valueXml` unless `keep` says the value is already right. */
export function replaceValueEdit(text: string, key: string, valueXml: string, keep: (v: PlistValue) => boolean): TextEdit | null {
  const { doc, root } = open(text);
  const entry = dictGet(root, key);
  if (!entry) return keyEdit(text, key, valueXml);
  if (keep(entry.value)) return null;
  const el = elementAt(doc, entry.value.loc.start);
  return { start: el.start.offset, end: el.end, text: valueXml };
}

export function stringValueXml(value: string): string {
  return `<string>${xmlText(value)}</string>`;
}

/** A new, empty XML property list in Xcode's layout. */
export function emptyPlist(eol = '\n'): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '</dict>',
    '</plist>',
    '',
  ].join(eol);
}
