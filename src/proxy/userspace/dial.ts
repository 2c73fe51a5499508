// Connecting to a backend with retries (upstream pkg/proxy/userspace/proxysocket.go,
// TryConnectEndpoints): up to four attempts with growing timeouts, each after a failure moving to
// the next endpoint and ignoring the client's affinity entry.
import net from 'node:net';
import type { Clock } from '../../util/clock.js';
import type { Target } from './roundrobin.js';
import { targetKey } from './roundrobin.js';

/** upstream EndpointDialTimeouts. */
export const DIAL_TIMEOUTS_MS: readonly number[] = [250, 500, 1000, 2000];

export interface Picker {
  next(clientIP: string, ignoreAffinity: boolean): Target | undefined;
}

export interface DialOptions {
  clock: Clock;
  timeoutsMs?: readonly number[];
  /** Aborts the attempts (the client went away). */
  signal?: AbortSignal;
  /** Called once per failed attempt (for logs). */
  onFailure?: (target: string, err: Error) => void;
}

/** One attempt: a connected half-open-capable socket, or a rejection after timeoutMs. */
export function dialOnce(t: Target, timeoutMs: number, clock: Clock, signal?: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: t.ip, port: t.port, allowHalfOpen: true });
    const finish = (err?: Error) => {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
      sock.off('connect', onConnect);
      sock.off('error', finish);
      if (err) {
        sock.on('error', () => {}); // late errors of an abandoned socket must not crash the process
        sock.destroy();
        reject(err);
      } else {
        resolve(sock);
      }
    };
    const onConnect = () => finish();
    const onAbort = () => finish(new Error('dial aborted'));
    const timer = clock.setTimer(timeoutMs, () => finish(new Error(`dial ${targetKey(t)}: timeout after ${timeoutMs}ms`)));
    sock.once('connect', onConnect);
    sock.once('error', finish);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Dials the endpoints picker offers for clientIP until one answers; rejects when all attempts fail. */
export async function dialWithRetries(picker: Picker, clientIP: string, o: DialOptions): Promise<{ socket: net.Socket; target: Target }> {
  const timeouts = o.timeoutsMs ?? DIAL_TIMEOUTS_MS;
  let last: Error = new Error('no endpoints');
  for (let i = 0; i < timeouts.length; i++) {
    if (o.signal?.aborted) throw new Error('dial aborted');
    const target = picker.next(clientIP, i > 0);
    if (!target) throw new Error('no endpoints');
    try {
      return { socket: await dialOnce(target, timeouts[i]!, o.clock, o.signal), target };
    } catch (err) {
      last = err as Error;
      if (o.signal?.aborted) throw last;
      o.onFailure?.(targetKey(target), last);
    }
  }
  throw last;
}
