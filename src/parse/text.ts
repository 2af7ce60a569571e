// Turning bytes into text we can parse, and offsets into line/column positions.

export type DecodeResult =
  | { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; bom: boolean }
  | { ok: false; reason: 'binary' | 'binary-plist'; message: string };

/**
 * Decode a file's bytes. Handles UTF-8 (with or without BOM) and UTF-16 with a BOM.
 * Content with a NUL byte anywhere and no UTF-16 BOM is treated as binary: we never guess at
 * it, and binary data never reaches a parser (an image renamed `.swift`, a compiled plist).
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  }
  if (startsWithAscii(bytes, 'bplist')) {
    return {
      ok: false,
      reason: 'binary-plist',
      message: 'this is a binary property list, which audiobg cannot read; convert it with `plutil -convert xml1 <file>` to have it checked',
    };
  }
  let start = 0;
  let bom = false;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    start = 3;
    bom = true;
  }
  // indexOf on a byte array is a native scan, so checking the whole file costs next to nothing.
  if (bytes.indexOf(0, start) !== -1) {
    return { ok: false, reason: 'binary', message: 'the file holds binary data, not text' };
  }
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes.subarray(start)), encoding: 'utf-8', bom };
}

function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** Maps UTF-16 offsets in a string to 1-based line and column. Handles \n, \r\n and lone \r. */
export class LineIndex {
  // Built on first use: most files read for the keyword prefilter never need a position.
  private lineStarts: number[] | null = null;

  constructor(readonly text: string) {}

  private get starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const text = this.text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
    return starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line and column of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  /** 0-based offset of a 1-based line and column. */
  offset(line: number, column: number): number {
    const start = this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
    return start + column - 1;
  }

  /** The text of a 1-based line, without its line terminator. */
  lineText(line: number): string {
    if (line < 1 || line > this.starts.length) return '';
    const start = this.starts[line - 1]!;
    const end = line < this.starts.length ? this.starts[line]! : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }
}

/**
 * An MPEG transport stream (a video segment of an HLS stream) shares the `.ts` extension with
 * TypeScript. Its 188-byte packets each start with the sync byte 0x47.
 */
export function isMpegTransportStream(bytes: Uint8Array): boolean {
  if (bytes.length < 188 || bytes[0] !== 0x47) return false;
  for (let i = 188; i < Math.min(bytes.length, 188 * 4); i += 188) if (bytes[i] !== 0x47) return false;
  return true;
}
