// Writes that never leave a half-written file behind: write a temporary file beside the
// target, flush it, then rename it over the target (atomic on the same file system).
// Readers see either the old file or the complete new one; a failed write leaves no litter.
//
// The user's file stays the user's: a symbolic link is written through to its target and stays a
// link, an existing file keeps its permission bits, and a file with no write permission at all is
// refused (EACCES), even for root, which the kernel would let through.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const target = resolveLinks(file);
  let mode: number | null = null;
  try {
    const st = fs.statSync(target);
    if (st.isFile()) {
      mode = st.mode & 0o7777;
      if ((mode & 0o222) === 0) {
        throw Object.assign(new Error(`${file} is read-only`), { code: 'EACCES', path: file });
      }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', mode ?? 0o666);
  try {
    fs.writeFileSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (mode !== null) fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** The file a path finally names, following symbolic links (also a dangling one, to the file it would create). */
function resolveLinks(file: string): string {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(current);
    } catch {
      return current;
    }
    if (!st.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw Object.assign(new Error(`too many levels of symbolic links: ${file}`), { code: 'ELOOP', path: file });
}
