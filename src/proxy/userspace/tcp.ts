// A TCP listener on one service address: accept, dial a backend (with retries), copy bytes both
// ways. Both sockets allow half-open so a client that shuts down its write side after the request
// still gets the reply (brief §1.2: Node ends the socket at once otherwise).
import net from 'node:net';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { Picker } from './dial.js';
import { dialWithRetries } from './dial.js';

export interface TcpListenerOptions {
  ip: string;
  port: number;
  /** The endpoints for a new connection, looked up per connection so updates need no rebind. */
  picker: () => Picker | undefined;
  clock: Clock;
  log: Logger;
  dialTimeoutsMs?: readonly number[];
}

export class TcpListener {
  private readonly conns = new Set<net.Socket>();

  private constructor(private readonly server: net.Server, private readonly o: TcpListenerOptions) {}

  /** Binds ip:port; rejects with the bind error (EADDRINUSE, EADDRNOTAVAIL, ...). */
  static listen(o: TcpListenerOptions): Promise<TcpListener> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const l = new TcpListener(server, o);
    server.on('connection', (c) => l.accept(c));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: o.ip, port: o.port }, () => {
        server.off('error', reject);
        server.on('error', (err) => o.log.warn('listener error', { addr: `${o.ip}:${o.port}`, err }));
        resolve(l);
      });
    });
  }

  /** Open client connections. */
  get connections(): number {
    return this.conns.size;
  }

  /** Stops accepting; open connections keep flowing (upstream closed only the listener too). */
  close(): void {
    this.server.close();
  }

  /** Stops accepting and cuts every open connection. */
  destroy(): void {
    this.server.close();
    for (const c of this.conns) c.destroy();
  }

  private accept(client: net.Socket): void {
    this.conns.add(client);
    const clientIP = client.remoteAddress ?? '';
    const abort = new AbortController();
    let upstream: net.Socket | undefined;
    const teardown = () => {
      abort.abort();
      client.destroy();
      upstream?.destroy();
    };
    client.on('error', teardown);
    client.on('close', (hadError) => {
      this.conns.delete(client);
      // A client gone before the dial finished, or with an error, takes the backend side down.
      if (hadError || !upstream) teardown();
    });
    const picker = this.o.picker();
    if (!picker) return void client.destroy();
    dialWithRetries(picker, clientIP, {
      clock: this.o.clock,
      timeoutsMs: this.o.dialTimeoutsMs,
      signal: abort.signal,
      onFailure: (target, err) => this.o.log.v(2).info('dial failed, trying next endpoint', { target, err }),
    }).then(({ socket }) => {
      if (client.destroyed) return void socket.destroy();
      upstream = socket;
      socket.on('error', teardown);
      socket.on('close', (hadError) => { if (hadError) teardown(); });
      // pipe() ends the other side's writable when one side's readable ends (half-close), and
      // resumes the client paused by pauseOnConnect.
      client.pipe(socket);
      socket.pipe(client);
    }, (err: Error) => {
      if (!abort.signal.aborted) this.o.log.warn('no endpoint answered', { addr: `${this.o.ip}:${this.o.port}`, err });
      client.destroy();
    });
  }
}
