// A UDP "listener" on one service address (upstream pkg/proxy/userspace/proxysocket.go,
// udpProxySocket): per client ip:port a connected socket to the chosen backend, kept while
// datagrams flow and dropped after an idle timeout; replies go back through the service socket, so
// the client sees them come from the service address.
import dgram from 'node:dgram';
import type { Clock, Timer } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { Picker } from './dial.js';
import { targetKey } from './roundrobin.js';

export interface UdpListenerOptions {
  ip: string;
  port: number;
  picker: () => Picker | undefined;
  clock: Clock;
  log: Logger;
  idleTimeoutMs: number;
}

interface Session {
  sock: dgram.Socket;
  target: string;
  connected: boolean;
  pending: Buffer[];
  lastActive: number;
  timer: Timer;
}

/** Datagrams queued per session while its backend socket connects (a burst, not a buffer). */
const MAX_PENDING = 64;

export class UdpListener {
  private readonly sessions = new Map<string, Session>();
  private closed = false;

  private constructor(private readonly sock: dgram.Socket, private readonly o: UdpListenerOptions) {}

  static listen(o: UdpListenerOptions): Promise<UdpListener> {
    const sock = dgram.createSocket({ type: o.ip.includes(':') ? 'udp6' : 'udp4' });
    const l = new UdpListener(sock, o);
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind({ address: o.ip, port: o.port }, () => {
        sock.off('error', reject);
        sock.on('error', (err) => o.log.warn('udp socket error', { addr: `${o.ip}:${o.port}`, err }));
        sock.on('message', (msg, rinfo) => l.onClientMessage(msg, rinfo));
        resolve(l);
      });
    });
  }

  /** Live client sessions. */
  get connections(): number {
    return this.sessions.size;
  }

  /** Ends sessions whose backend is no longer an endpoint, so their next datagram picks a live one. */
  retain(targets: ReadonlySet<string>): void {
    for (const [k, s] of this.sessions) if (!targets.has(s.target)) this.endSession(k, s);
  }

  close(): void {
    this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [k, s] of this.sessions) this.endSession(k, s);
    this.sock.close();
  }

  private onClientMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`;
    let s = this.sessions.get(key);
    if (!s) {
      const created = this.newSession(key, rinfo);
      if (!created) return; // no endpoints: drop, like a closed port would
      s = created;
    }
    s.lastActive = this.o.clock.monotonic();
    if (s.connected) s.sock.send(msg);
    else if (s.pending.length < MAX_PENDING) s.pending.push(msg);
  }

  private newSession(key: string, client: dgram.RemoteInfo): Session | undefined {
    const target = this.o.picker()?.next(client.address, false);
    if (!target) return undefined;
    const sock = dgram.createSocket({ type: target.ip.includes(':') ? 'udp6' : 'udp4' });
    const s: Session = {
      sock, target: targetKey(target), connected: false, pending: [],
      lastActive: this.o.clock.monotonic(),
      timer: this.o.clock.setTimer(this.o.idleTimeoutMs, () => this.onIdleCheck(key, s)),
    };
    this.sessions.set(key, s);
    // An ICMP port unreachable shows up as ECONNREFUSED on a connected socket: end the session so
    // the client's next datagram chooses again.
    sock.on('error', (err) => {
      this.o.log.v(2).info('udp backend error', { target: s.target, err });
      this.endSession(key, s);
    });
    sock.on('message', (reply) => {
      s.lastActive = this.o.clock.monotonic();
      if (!this.closed) this.sock.send(reply, client.port, client.address);
    });
    sock.connect(target.port, target.ip, () => {
      if (this.sessions.get(key) !== s) return; // ended while connecting: the socket is closed
      s.connected = true;
      for (const m of s.pending) sock.send(m);
      s.pending = [];
    });
    return s;
  }

  private onIdleCheck(key: string, s: Session): void {
    const idle = this.o.clock.monotonic() - s.lastActive;
    if (idle >= this.o.idleTimeoutMs) this.endSession(key, s);
    else s.timer = this.o.clock.setTimer(this.o.idleTimeoutMs - idle, () => this.onIdleCheck(key, s));
  }

  private endSession(key: string, s: Session): void {
    if (this.sessions.get(key) !== s) return;
    this.sessions.delete(key);
    s.timer.cancel();
    try {
      s.sock.close();
    } catch {
      // already closed
    }
  }
}
