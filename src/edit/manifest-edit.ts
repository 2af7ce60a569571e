// Formatting-preserving edits of AndroidManifest.xml: permissions and a <service> element.

import { attrValue, childElements, parseXml, type XmlElement } from '../parse/xml.js';
import { applyEdits, type TextEdit } from './text-edit.js';
import { insertChildLines, unitOf } from './xml-edit.js';

export class ManifestEditError extends Error {}

/** Add `<uses-permission>` elements for the permissions not yet declared. */
export function ensurePermissions(text: string, permissions: string[]): string {
  const edit = permissionsEdit(text, permissions);
  return edit ? applyEdits(text, [edit]) : text;
}

/** The one edit that declares the missing permissions after the last one (null: all declared). */
export function permissionsEdit(text: string, permissions: string[]): TextEdit | null {
  const doc = parseXml(text);
  const manifest = doc.root;
  if (manifest.name !== 'manifest') throw new ManifestEditError(`the root element is <${manifest.name}>, not <manifest>`);
  const existing = childElements(manifest, 'uses-permission');
  const have = new Set(existing.map((e) => attrValue(e, 'android:name')));
  const missing = permissions.filter((p) => !have.has(p));
  if (!missing.length) return null;
  const lines = missing.map((p) => `<uses-permission android:name="${p}" />`);
  const last = existing[existing.length - 1];
  const firstChild = childElements(manifest)[0];
  return last
    ? insertChildLines(doc, manifest, lines, last)
    : firstChild
      ? insertChildLines(doc, manifest, lines, undefined, firstChild)
      : insertChildLines(doc, manifest, lines);
}

/**
 * Add a component element inside <application> unless one with the same android:name exists.
 * `lines` is the element as formatted lines relative to its own indentation; `unit` in the
 * returned callback gives the file's indentation step for nested lines.
 */
export function ensureApplicationChild(
  text: string,
  element: string,
  className: string,
  build: (unit: string) => string[],
): { text: string; existing: XmlElement | null } {
  const doc = parseXml(text);
  const app = childElements(doc.root, 'application')[0];
  if (!app) throw new ManifestEditError('the manifest has no <application> element to add the service to');
  const packageName = attrValue(doc.root, 'package') ?? '';
  const existing =
    childElements(app, element).find((e) => {
      const n = attrValue(e, 'android:name') ?? '';
      const full = n.startsWith('.') ? packageName + n : n;
      return n === className || full === className || className.endsWith(`.${n}`) || (n.startsWith('.') && className.endsWith(n));
    }) ?? null;
  if (existing) return { text, existing };
  const edit: TextEdit = insertChildLines(doc, app, build(unitOf(doc)));
  return { text: applyEdits(text, [edit]), existing: null };
}
