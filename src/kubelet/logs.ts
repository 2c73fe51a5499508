// Container log rotation (upstream pkg/kubelet/logs/container_log_manager.go, simplified): a
// running container's CRI log over maxBytes is renamed to `<log>.<timestamp>` and the runtime
// reopens it; only the newest maxFiles−1 rotated files are kept (no compression).
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RuntimeService } from './runtime/index.js';

export interface LogRotation {
  maxBytes: number;
  maxFiles: number;
}

export const DEFAULT_LOG_ROTATION: LogRotation = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 };

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('.', '-');
}

/** Rotates one container's log if it is too big; resolves true when it did. */
export async function rotateIfNeeded(rt: Pick<RuntimeService, 'reopenContainerLog'>, id: string, logPath: string, r: LogRotation, now: number): Promise<boolean> {
  const s = await stat(logPath).catch(() => undefined);
  if (!s || s.size < r.maxBytes) return false;
  await rename(logPath, `${logPath}.${stamp(now)}`);
  await rt.reopenContainerLog(id);
  const dir = dirname(logPath);
  const prefix = `${basename(logPath)}.`;
  const rotated = (await readdir(dir)).filter((f) => f.startsWith(prefix)).sort();
  for (const f of rotated.slice(0, Math.max(0, rotated.length - (r.maxFiles - 1)))) await rm(join(dir, f), { force: true });
  return true;
}
