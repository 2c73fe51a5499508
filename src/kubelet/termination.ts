// Termination messages (upstream kuberuntime_container.go getTerminationMessage): the file the
// container wrote at terminationMessagePath (4 KiB at most), or with FallbackToLogsOnError and a
// failed container and an empty file, the tail of its log (80 lines, 2 KiB).
import { readFile } from 'node:fs/promises';
import { readCriLog, type ContainerStatus } from './runtime/index.js';
import { LABEL } from './types.js';

const MAX_BYTES = 4096;
const MAX_LOG_BYTES = 2048;
const MAX_LOG_LINES = 80;

export async function terminationMessage(s: ContainerStatus): Promise<string> {
  const file = s.annotations['skiff.io/termination-log-host'];
  let msg = '';
  if (file) msg = await readFile(file, 'utf8').then((t) => t.slice(0, MAX_BYTES), () => '');
  if (!msg && s.annotations[LABEL.terminationMessagePolicy] === 'FallbackToLogsOnError' && s.exitCode !== 0 && s.logPath) {
    const text = await readFile(s.logPath, 'utf8').catch(() => '');
    const lines = readCriLog(text).map((r) => r.message.replace(/\n$/, ''));
    let tail = lines.slice(-MAX_LOG_LINES).join('\n');
    if (Buffer.byteLength(tail) > MAX_LOG_BYTES) tail = Buffer.from(tail).subarray(-MAX_LOG_BYTES).toString();
    msg = tail;
  }
  return msg;
}
