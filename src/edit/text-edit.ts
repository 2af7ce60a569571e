// The one edit model for `audiobg add` and a later `doctor --fix`: replace a range of the
// original text with new text. Everything outside the ranges stays byte for byte.

export interface TextEdit {
  /** 0-based offsets into the original text; start === end inserts. */
  start: number;
  end: number;
  text: string;
}

export class EditConflictError extends Error {}

export function applyEdits(original: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.start < sorted[i - 1]!.end) throw new EditConflictError('two edits overlap; refusing to guess');
  }
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end < e.start || e.end > original.length) throw new EditConflictError('edit range outside the text');
    out += original.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + original.slice(pos);
}

/** The line ending a file already uses (CRLF files stay CRLF). */
export function eolOf(text: string): string {
  const crlf = text.indexOf('\r\n');
  const lf = text.indexOf('\n');
  return crlf >= 0 && crlf < lf + 1 ? '\r\n' : '\n';
}

/** Leading whitespace of the line that contains `offset`. */
export function indentAt(text: string, offset: number): string {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  let end = lineStart;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(lineStart, end);
}

/** The file's indentation unit: a tab, or the most common smallest step between nested lines. */
export function indentUnitOf(text: string): string {
  const widths = new Map<number, number>();
  let tabs = 0;
  let prev = 0;
  for (const line of text.split(/\r?\n|\r/)) {
    if (!line.trim()) continue;
    const m = /^[ \t]*/.exec(line)![0];
    if (m.includes('\t')) {
      tabs++;
      continue;
    }
    const d = m.length - prev;
    if (d > 0) widths.set(d, (widths.get(d) ?? 0) + 1);
    prev = m.length;
  }
  let best = 4;
  let bestCount = 0;
  for (const [w, c] of widths) if (c > bestCount || (c === bestCount && w < best)) [best, bestCount] = [w, c];
  if (tabs > bestCount) return '\t';
  return ' '.repeat(best);
}
