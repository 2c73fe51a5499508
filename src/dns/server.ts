// The sockets: one UDP socket and one TCP listener on each listen address, sharing the port (a port
// of 0 picks a free one for both). TCP connections carry any number of length-framed queries
// (RFC 7766) and are closed after an idle period.
import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from '../util/log.js';
import type { QueryHandler } from './handler.js';
import { frame, readFrames } from './tcp-framing.js';

export interface ListenAddress {
  address: string;
  port: number;
}

export interface BoundListener {
  address: string;
  /** The port both the UDP socket and the TCP listener are bound to. */
  port: number;
  udp: dgram.Socket;
  tcp: net.Server;
  conns: Set<net.Socket>;
}

const TCP_IDLE_MS = 10_000;

/** Binds UDP then TCP on the same port; with port 0, retries when TCP finds the UDP port taken. */
export async function listen(addr: ListenAddress, handler: QueryHandler, log: Logger): Promise<BoundListener> {
  for (let attempt = 0; ; attempt++) {
    const udp = await bindUdp(addr, handler, log);
    const port = udp.address().port;
    try {
      const conns = new Set<net.Socket>();
      const tcp = await bindTcp({ address: addr.address, port }, handler, log, conns);
      return { address: addr.address, port, udp, tcp, conns };
    } catch (err) {
      udp.close();
      if (addr.port !== 0 || attempt >= 10 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}

function bindUdp(addr: ListenAddress, handler: QueryHandler, log: Logger): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: net.isIPv6(addr.address) ? 'udp6' : 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
  socket.on('message', (msg, rinfo) => {
    // No send callback: a failed send surfaces as the socket's 'error' event (logged below), and the
    // hot path saves a closure per reply.
    const send = (out: Buffer | null) => {
      if (out) socket.send(out, rinfo.port, rinfo.address);
    };
    const r = handler.handle(msg, 'udp');
    if (r instanceof Promise) void r.then(send, () => undefined);
    else send(r);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(addr.port, addr.address, () => {
      socket.off('error', reject);
      socket.on('error', (err) => log.warn('dns udp socket error', { err }));
      resolve(socket);
    });
  });
}

function bindTcp(addr: ListenAddress, handler: QueryHandler, log: Logger, conns: Set<net.Socket>): Promise<net.Server> {
  const server = net.createServer((conn) => {
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.setNoDelay(true);
    conn.setTimeout(TCP_IDLE_MS, () => conn.destroy());
    conn.on('error', () => conn.destroy());
    const send = (out: Buffer | null) => {
      if (out && !conn.destroyed) conn.write(frame(out));
    };
    conn.on('data', readFrames((msg) => {
      const r = handler.handle(msg, 'tcp');
      if (r instanceof Promise) void r.then(send, () => undefined);
      else send(r);
    }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: addr.address, port: addr.port, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', (err) => log.warn('dns tcp listener error', { err }));
      resolve(server);
    });
  });
}

/** Closes the sockets and every open TCP connection. */
export async function closeListener(l: BoundListener): Promise<void> {
  await new Promise<void>((resolve) => l.udp.close(() => resolve()));
  for (const c of l.conns) c.destroy();
  await new Promise<void>((resolve) => l.tcp.close(() => resolve()));
}
