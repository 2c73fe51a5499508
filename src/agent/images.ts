// Air-gapped images, as k3s does them: tarballs (docker-archive or OCI layout archives) imported into
// the CRI runtime's image store — at agent start from a data-dir folder, and on demand with
// `skiff images import FILE.tar`. containerd's CRI has no import call, so this goes through
// containerd's own client (`ctr`, shipped with containerd) into the "k8s.io" namespace CRI uses.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** unix:///run/containerd/containerd.sock → /run/containerd/containerd.sock */
export function socketPath(endpoint: string): string {
  if (endpoint.startsWith('unix://')) return endpoint.slice('unix://'.length);
  if (endpoint.startsWith('/')) return endpoint;
  throw new Error(`CRI endpoint ${endpoint}: only unix sockets are supported`);
}

/**
 * Imports one tarball; resolves to the image references it contained. Fails with a message that
 * says what is wrong when the file, ctr or containerd's socket is missing.
 */
export function importImageTarball(endpoint: string, file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let socket: string;
    try {
      socket = socketPath(endpoint);
    } catch (err) {
      reject(err);
      return;
    }
    if (!existsSync(file)) {
      reject(new Error(`importing ${file}: no such file`));
      return;
    }
    if (!existsSync(socket)) {
      reject(new Error(`importing ${file}: containerd is not running (no socket at ${socket})`));
      return;
    }
    execFile('ctr', ['--address', socket, '-n', 'k8s.io', 'images', 'import', file], { timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'ctr (from the containerd package) is not installed' : (stderr || err.message).trim();
        reject(new Error(`importing ${file}: ${why}`));
        return;
      }
      // ctr prints "unpacking <ref> (sha256:…)...done" per image.
      resolve([...stdout.matchAll(/unpacking (\S+) \(/g)].map((m) => m[1]!));
    });
  });
}

/** Imports every *.tar / *.tar.gz / *.tgz / *.tar.zst in dir (missing dir: nothing to do). */
export async function importImageDir(endpoint: string, dir: string, log?: (msg: string, fields: Record<string, unknown>) => void): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/\.(tar|tar\.gz|tgz|tar\.zst)$/.test(f)) continue;
    const refs = await importImageTarball(endpoint, join(dir, f));
    log?.('imported image tarball', { file: f, images: refs });
    out.push(...refs);
  }
  return out;
}
