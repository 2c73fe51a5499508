// The atomic writer (upstream pkg/volume/util/atomic_writer.go): a volume's files live in a
// timestamped directory `..<ts>`; `..data` is a symlink to it, swapped with a rename so readers
// see the old or the new set whole; each top-level name is a symlink `name -> ..data/name`.
import { chmod, lstat, mkdir, readFile, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface Payload {
  /** Bytes of the file. */
  data: Buffer | string;
  /** Permission bits (default 0o644). */
  mode?: number;
}

const DATA = '..data';

async function currentTarget(dir: string): Promise<string | undefined> {
  try {
    return await readlink(join(dir, DATA));
  } catch {
    return undefined;
  }
}

async function same(dir: string, target: string, files: Map<string, Payload>): Promise<boolean> {
  const existing = await listFiles(join(dir, target));
  if (existing.length !== files.size) return false;
  for (const [p, f] of files) {
    try {
      const cur = await readFile(join(dir, target, p));
      if (!cur.equals(Buffer.from(f.data))) return false;
      if (((await stat(join(dir, target, p))).mode & 0o777) !== (f.mode ?? 0o644)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(join(root, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...await listFiles(root, p));
    else out.push(p);
  }
  return out;
}

/** Checks a payload path as upstream validatePath: relative, no `..` elements, not starting with `..`. */
export function validatePayloadPath(p: string): void {
  if (!p) throw new Error('invalid path: must not be empty');
  if (p.startsWith('/')) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.split('/').includes('..')) throw new Error(`invalid path: must not contain '..': ${p}`);
  if (p.startsWith('..')) throw new Error(`invalid path: must not start with '..': ${p}`);
}

/**
 * Makes dir hold exactly `files` (relative path → payload), atomically. Resolves to true when it
 * wrote anything (false when the content was already current).
 */
export async function writeAtomic(dir: string, files: Map<string, Payload>, now: Date = new Date()): Promise<boolean> {
  for (const p of files.keys()) validatePayloadPath(p);
  await mkdir(dir, { recursive: true });
  const old = await currentTarget(dir);
  if (old && await same(dir, old, files)) return false;
  // ..2026_01_01_00_00_00.123456789-style name, unique per write.
  const ts = `..${now.toISOString().replace(/[-:T]/g, '_').replace('Z', '')}${Math.random().toString(36).slice(2, 8)}`;
  const tsDir = join(dir, ts);
  await mkdir(tsDir, { recursive: true });
  for (const [p, f] of files) {
    const full = join(tsDir, p);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, f.data);
    await chmod(full, f.mode ?? 0o644);
  }
  const tmpLink = join(dir, '..data_tmp');
  await rm(tmpLink, { force: true });
  await symlink(ts, tmpLink);
  await rename(tmpLink, join(dir, DATA));
  // Top-level user-visible names point through ..data.
  const tops = new Set([...files.keys()].map((p) => p.split('/')[0]!));
  for (const t of tops) {
    const link = join(dir, t);
    const st = await lstat(link).catch(() => undefined);
    if (st?.isSymbolicLink()) continue;
    if (st) await rm(link, { recursive: true, force: true });
    await symlink(join(DATA, t), link);
  }
  // Remove names that are gone and the old timestamped directory.
  for (const e of await readdir(dir)) {
    if (e.startsWith('..')) {
      if (e !== DATA && e !== ts) await rm(join(dir, e), { recursive: true, force: true });
      continue;
    }
    if (!tops.has(e)) await rm(join(dir, e), { recursive: true, force: true });
  }
  return true;
}
