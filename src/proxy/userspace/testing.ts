// Test fixtures for this folder: service/endpoint builders and tiny named backends.
import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from '../../util/log.js';
import type { Endpoint, ProxyState, ServicePortInfo } from '../types.js';

export function makeService(p: Omit<Partial<ServicePortInfo>, 'name'> & { name: string; clusterIP: string; port: number }): ServicePortInfo {
  const { name, ...rest } = p;
  const protocol = p.protocol ?? 'TCP';
  return {
    key: `default/${name}`,
    name: { namespace: 'default', name, port: '', protocol },
    type: 'ClusterIP', protocol, nodePort: 0, externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [],
    affinityTimeoutSeconds: 0, externalPolicyLocal: false, internalPolicyLocal: false, healthCheckNodePort: 0,
    ...rest,
  };
}

export function makeEndpoint(ip: string, port: number, p: Partial<Endpoint> = {}): Endpoint {
  return { ip, port, ready: true, serving: true, terminating: false, isLocal: true, ...p };
}

export function makeState(entries: [ServicePortInfo, Endpoint[]][]): ProxyState {
  return {
    services: new Map(entries.map(([s]) => [s.key, s])),
    endpoints: new Map(entries.map(([s, e]) => [s.key, e])),
  };
}

export interface Backend {
  name: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP backend that reads the request until the client half-closes, then answers
 * "<name>:<request>" and closes. Without 'end' from the client it never answers.
 */
export async function startTcpBackend(name: string, host = '127.0.0.1'): Promise<Backend> {
  const socks = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    socks.add(s);
    s.on('close', () => socks.delete(s));
    s.on('error', () => s.destroy());
    let req = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      req += d;
      // "ping\n" asks for an immediate answer without a half-close (long-lived connections).
      if (req.endsWith('ping\n')) {
        s.write(`${name}:pong\n`);
        req = '';
      }
    });
    s.on('end', () => s.end(`${name}:${req}`));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    name, port,
    close: () => new Promise<void>((r) => {
      for (const s of socks) s.destroy();
      server.close(() => r());
    }),
  };
}

/** A UDP backend that answers every datagram with "<name>:<datagram>". */
export async function startUdpBackend(name: string, host = '127.0.0.1'): Promise<Backend> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (m, r) => sock.send(`${name}:${m.toString()}`, r.port, r.address));
  await new Promise<void>((r) => sock.bind(0, host, r));
  return { name, port: sock.address().port, close: () => new Promise<void>((r) => sock.close(() => r())) };
}

/** Connects, writes payload, half-closes, and resolves with everything read until EOF. */
export function tcpRequest(host: string, port: number, payload = 'hi'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, allowHalfOpen: true });
    let out = '';
    s.setEncoding('utf8');
    s.on('connect', () => s.end(payload));
    s.on('data', (d: string) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

/** Sends one datagram from sock and resolves with the first reply and its source address. */
export function udpRequest(sock: dgram.Socket, host: string, port: number, payload: string, timeoutMs = 2000): Promise<{ text: string; from: string }> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      sock.off('message', onMsg);
      reject(new Error('udp: no reply'));
    }, timeoutMs);
    const onMsg = (m: Buffer, r: dgram.RemoteInfo) => {
      clearTimeout(t);
      sock.off('message', onMsg);
      resolve({ text: m.toString(), from: `${r.address}:${r.port}` });
    };
    sock.on('message', onMsg);
    sock.send(payload, port, host);
  });
}

/** A port with nothing listening on host (bound then released). */
export async function deadPort(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A fresh loopback address (all of 127/8 is local) so tests never share a listener address. */
export function loopbackIP(): string {
  const r = () => 1 + Math.floor(Math.random() * 254);
  return `127.${100 + Math.floor(Math.random() * 100)}.${r()}.${r()}`;
}

/** A logger that keeps warn/error lines for assertions and prints nothing. */
export function recordingLogger(): Logger & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const l = {
    lines,
    debug: () => {},
    info: () => {},
    warn: (msg: string) => void lines.push({ level: 'warn', msg }),
    error: (msg: string) => void lines.push({ level: 'error', msg }),
    v: () => l,
    with: () => l,
  };
  return l;
}
