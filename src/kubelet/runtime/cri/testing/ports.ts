// Small waiting helpers shared by the harness's daemons.
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port on 127.0.0.1 that was free a moment ago (the daemon may still lose a race for it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once `path` (a unix socket) or `port` on 127.0.0.1 accepts a connection. */
function tryConnect(target: { path: string } | { port: number; host: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(target as { path: string });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/**
 * Polls until the target accepts connections; fails after timeoutMs or as soon as `alive()` says
 * the daemon has exited.
 */
export async function waitForListener(target: { path: string } | { port: number; host: string }, o: { timeoutMs: number; alive: () => boolean; what: string }): Promise<void> {
  const until = performance.now() + o.timeoutMs;
  for (;;) {
    if (!o.alive()) throw new Error(`${o.what} exited before it was listening`);
    if (await tryConnect(target)) return;
    if (performance.now() > until) throw new Error(`${o.what} is not listening after ${o.timeoutMs} ms`);
    await sleep(20);
  }
}
