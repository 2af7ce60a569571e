// Escapers, one per destination a template variable can land in. A value is only ever
// inserted through one of these, so a name with quotes, backslashes, `$`, `<`, `&`, emoji or
// any script produces files that still parse.

function hex4(c: number): string {
  return c.toString(16).padStart(4, '0');
}

/** Inside a Swift "..." literal. Backslash first, so `\(` can never become interpolation. */
export function swiftString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out;
}

/** Inside a Kotlin "..." literal (also Gradle Kotlin DSL). `$` would start a template. */
export function kotlinString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '$') out += '\\$';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u${hex4(c)}`;
    else out += ch;
  }
  return out;
}

/** XML text or a double- or single-quoted attribute value. */
export function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * The text of an Android string resource: Android's own escapes (apostrophes, quotes,
 * backslashes, a leading @ or ?) first, then XML escaping.
 */
export function androidString(s: string): string {
  let out = s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  if (out.startsWith('@') || out.startsWith('?')) out = `\\${out}`;
  return xmlText(out).replace(/&apos;/g, "'").replace(/&quot;/g, '"');
}

/** Inside a double-quoted project.pbxproj string. */
export function pbxprojString(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out;
}

/** Plain Markdown text: characters that would start markup are backslash-escaped. */
export function markdownText(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (m) => (m === '<' ? '&lt;' : m === '>' ? '&gt;' : m === '&' ? '&amp;' : `\\${m}`));
}

/**
 * The inside of a double-quoted JSON string, which is also a valid JavaScript/TypeScript string
 * body (U+2028/U+2029 escaped too, for older JS parsers).
 */
export function jsonString(s: string): string {
  return JSON.stringify(s).slice(1, -1).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export const ESCAPERS: Record<string, (s: string) => string> = {
  json: jsonString,
  js: jsonString,
  swift: swiftString,
  kotlin: kotlinString,
  gradle: kotlinString,
  xml: xmlText,
  plist: xmlText,
  'android-string': androidString,
  pbxproj: pbxprojString,
  markdown: markdownText,
};
