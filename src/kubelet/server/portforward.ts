// Port forwarding into a pod's sandbox. Two wire forms (upstream kubelet cri/streaming/portforward):
// - SPDY (`portforward.k8s.io`; kubectl, plain or tunnelled in WebSocket): per client connection a
//   pair of streams with headers streamtype=error|data, port, requestid. Bytes move on the data
//   stream; a failure is a text message on the error stream; both get FIN when done.
// - WebSocket channels (`v4.channel.k8s.io`; client-node): ports come from the query; port i has
//   data channel 2i and error channel 2i+1, each opened by a message carrying the port (uint16 LE).
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { logger } from '../../util/log.js';
import { decodeFrame, encodeFrame, encodePortPrefix } from './channel.js';
import type { SpdyStream } from './spdy/connection.js';

const log = logger('kubelet-portforward');

/** Opens a byte stream to a port of the pod (runtime.portForward bound to the sandbox). */
export type PortDialer = (port: number) => Promise<Duplex>;

function forwardError(port: number, podDesc: string, err: unknown): string {
  return `error forwarding port ${port} to pod ${podDesc}: ${err instanceof Error ? err.message : String(err)}`;
}

/** Pairs SPDY streams by requestid and forwards each pair. */
export class SpdyPortForwarder {
  private readonly pending = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();

  constructor(private readonly dial: PortDialer, private readonly podDesc: string) {}

  onStream(s: SpdyStream): void {
    const type = s.headers['streamtype'];
    const requestId = s.headers['requestid'] ?? '';
    if (type !== 'error' && type !== 'data') {
      s.cancel();
      return;
    }
    const pair = this.pending.get(requestId) ?? {};
    pair[type] = s;
    this.pending.set(requestId, pair);
    // kubectl opens the error stream first; the data stream completes the pair.
    if (pair.data && pair.error) {
      this.pending.delete(requestId);
      void this.forward(pair.data, pair.error);
    }
  }

  private async forward(data: SpdyStream, error: SpdyStream): Promise<void> {
    const portText = data.headers['port'] ?? '';
    const port = Number(portText);
    const fail = (msg: string) => {
      error.write(Buffer.from(msg));
      error.end();
      data.end();
    };
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      fail(`invalid port header ${JSON.stringify(portText)}`);
      return;
    }
    let conn: Duplex;
    try {
      conn = await this.dial(port);
    } catch (err) {
      fail(forwardError(port, this.podDesc, err));
      return;
    }
    let failed = false;
    conn.on('data', (c: Buffer) => {
      if (!data.write(c)) {
        conn.pause();
        data.onceDrain(() => conn.resume());
      }
    });
    conn.on('end', () => {
      data.end();
      if (!failed) error.end();
    });
    conn.on('error', (err) => {
      failed = true;
      log.debug('port-forward connection failed', { port, err });
      fail(forwardError(port, this.podDesc, err));
    });
    conn.on('close', () => {
      data.end();
      if (!failed) error.end();
    });
    data.data.on('data', (c: Buffer) => {
      if (!conn.writableEnded) conn.write(c);
    });
    data.data.on('end', () => {
      if (!conn.writableEnded) conn.end();
    });
    data.onReset(() => conn.destroy());
  }
}

/** Parses the `ports` query (repeated and/or comma-separated), as upstream's NewV4Options. */
export function parsePorts(query: URLSearchParams): number[] {
  const out: number[] = [];
  for (const v of query.getAll('ports')) {
    for (const p of v.split(',')) {
      const t = p.trim();
      if (!t) continue;
      const n = Number(t);
      if (!/^\d+$/.test(t) || n < 1 || n > 65535) throw new Error(`unable to parse "${t}" as a port: must be 1-65535`);
      out.push(n);
    }
  }
  return out;
}

/** Channel-based port-forward over one WebSocket (client-node's protocol). */
export function serveChannelPortForward(ws: WebSocket, ports: number[], dial: PortDialer, podDesc: string): void {
  const conns = new Map<number, Duplex>();
  // Bytes the client sent before the dial finished, per data channel.
  const early = new Map<number, Buffer[]>();
  let open = ports.length;
  const doneOne = () => {
    open--;
    if (open <= 0 && ws.readyState === ws.OPEN) ws.close(1000);
  };
  const send = (b: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(b, { binary: true });
  };
  ports.forEach((port, i) => {
    const dataCh = 2 * i;
    const errCh = 2 * i + 1;
    send(encodePortPrefix(dataCh, port));
    send(encodePortPrefix(errCh, port));
    dial(port).then((conn) => {
      if (ws.readyState !== ws.OPEN) {
        conn.destroy();
        return;
      }
      conns.set(dataCh, conn);
      for (const b of early.get(dataCh) ?? []) conn.write(b);
      early.delete(dataCh);
      conn.on('data', (c: Buffer) => send(encodeFrame(dataCh, c)));
      conn.on('error', (err) => send(encodeFrame(errCh, forwardError(port, podDesc, err))));
      conn.on('close', doneOne);
    }, (err: unknown) => {
      send(encodeFrame(errCh, forwardError(port, podDesc, err)));
      doneOne();
    });
  });
  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    const buf = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    const f = decodeFrame(buf);
    if (!f || f.channel % 2 !== 0 || !f.payload.length) return;
    const conn = conns.get(f.channel);
    if (conn) conn.write(f.payload);
    else early.set(f.channel, [...(early.get(f.channel) ?? []), f.payload]);
  });
  ws.on('close', () => {
    for (const c of conns.values()) c.destroy();
  });
  ws.on('error', () => {});
}
