// A small bplist00 encoder for tests (the product only reads binary plists).

export type BValue =
  | string
  | number
  | boolean
  | Date
  | Uint8Array
  | BValue[]
  | { [key: string]: BValue }
  | { $real: number }
  | { $utf16: string };

/**
 * Encode a value as a binary property list. Integers become ints, `{ $real }` a real,
 * `{ $utf16 }` forces a UTF-16BE string (non-ASCII strings are UTF-16 anyway).
 */
export function encodeBplist(root: BValue, options: { refSize?: number; offsetSize?: number } = {}): Uint8Array {
  const objects: Uint8Array[] = [];
  const refs: number[][] = [];
  const refSize = options.refSize ?? 2;
  const offsetSize = options.offsetSize ?? 4;

  const intBytes = (n: number | bigint, size: number) => {
    const out = new Uint8Array(size);
    let v = BigInt(n);
    for (let i = size - 1; i >= 0; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return out;
  };
  const lengthHeader = (type: number, len: number): number[] => {
    if (len < 15) return [(type << 4) | len];
    const size = len < 0x100 ? 1 : len < 0x10000 ? 2 : 4;
    const pow = size === 1 ? 0 : size === 2 ? 1 : 2;
    return [(type << 4) | 0xf, 0x10 | pow, ...intBytes(len, size)];
  };

  const add = (v: BValue): number => {
    const idx = objects.length;
    objects.push(new Uint8Array());
    refs.push([]);
    let bytes: number[] = [];
    if (typeof v === 'boolean') bytes = [v ? 0x09 : 0x08];
    else if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= 0 && v < 2 ** 31) {
        const size = v < 0x100 ? 1 : v < 0x10000 ? 2 : 4;
        bytes = [0x10 | (size === 1 ? 0 : size === 2 ? 1 : 2), ...intBytes(v, size)];
      } else if (Number.isInteger(v)) {
        bytes = [0x13, ...intBytes(BigInt.asUintN(64, BigInt(v)), 8)];
      } else {
        const b = new Uint8Array(8);
        new DataView(b.buffer).setFloat64(0, v);
        bytes = [0x23, ...b];
      }
    } else if (typeof v === 'string') {
      if (/^[\x00-\x7f]*$/.test(v)) bytes = [...lengthHeader(5, v.length), ...Array.from(v, (c) => c.charCodeAt(0))];
      else bytes = utf16(v);
    } else if (v instanceof Date) {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, (v.getTime() - Date.UTC(2001, 0, 1)) / 1000);
      bytes = [0x33, ...b];
    } else if (v instanceof Uint8Array) {
      bytes = [...lengthHeader(4, v.length), ...v];
    } else if (Array.isArray(v)) {
      const kids = v.map(add);
      refs[idx] = kids;
      bytes = lengthHeader(0xa, v.length);
    } else if ('$real' in v && typeof v.$real === 'number') {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v.$real);
      bytes = [0x23, ...b];
    } else if ('$utf16' in v && typeof v.$utf16 === 'string') {
      bytes = utf16(v.$utf16);
    } else {
      const entries = Object.entries(v as Record<string, BValue>);
      const keys = entries.map(([k]) => add(k));
      const vals = entries.map(([, x]) => add(x));
      refs[idx] = [...keys, ...vals];
      bytes = lengthHeader(0xd, entries.length);
    }
    objects[idx] = Uint8Array.from(bytes);
    return idx;
  };
  const utf16 = (s: string): number[] => {
    const out = lengthHeader(6, s.length);
    for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) >> 8, s.charCodeAt(i) & 0xff);
    return out;
  };

  add(root);
  const chunks: number[] = [...Buffer.from('bplist00', 'latin1')];
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(chunks.length);
    chunks.push(...o);
    for (const r of refs[i]!) chunks.push(...intBytes(r, refSize));
  });
  const tableOffset = chunks.length;
  for (const off of offsets) chunks.push(...intBytes(off, offsetSize));
  chunks.push(0, 0, 0, 0, 0, 0, offsetSize, refSize);
  chunks.push(...intBytes(objects.length, 8), ...intBytes(0, 8), ...intBytes(tableOffset, 8));
  return Uint8Array.from(chunks);
}
