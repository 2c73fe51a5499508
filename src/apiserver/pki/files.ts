// Reading and writing the PEM files under DATA/tls. Private keys are 0600 (and the folder 0700),
// as k3s and kubeadm keep them; every write goes to a temporary file first and is renamed into
// place, so a crash mid-write leaves the old file or the new one, never half of one.
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertAndKey } from './certs.js';

/** Creates `dir` (mode 0700) if missing. */
export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Reads `<base>.crt` and `<base>.key`; null when either is missing. */
export async function readPair(dir: string, base: string): Promise<CertAndKey | null> {
  const certPem = await readOptional(join(dir, `${base}.crt`));
  const keyPem = await readOptional(join(dir, `${base}.key`));
  return certPem && keyPem ? { certPem, keyPem } : null;
}

/** Writes `<base>.key` (0600) then `<base>.crt` (0644), each atomically. */
export async function writePair(dir: string, base: string, pair: CertAndKey): Promise<void> {
  await writeAtomic(join(dir, `${base}.key`), pair.keyPem, 0o600);
  await writeAtomic(join(dir, `${base}.crt`), pair.certPem, 0o644);
}

/** Writes `data` to `path` via a temporary sibling and rename; `mode` applies even when replacing. */
export async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode });
  // writeFile's mode only applies when it creates the file, and the umask may have narrowed it.
  await chmod(tmp, mode);
  await rename(tmp, path);
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
