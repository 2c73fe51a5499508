// The upgrade side of the kubelet API: exec, attach and port-forward over WebSocket (channel
// protocols v5/v4, and SPDY tunnelled in WebSocket for kubectl 1.31+ port-forward) or plain SPDY/3.1
// (kubectl ≤ 1.29, and every kubectl's fallback). The runtime session is opened before the 101, so
// a container that cannot exec answers with a plain Status the client prints.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { errors } from '../../util/errors.js';
import { logger } from '../../util/log.js';
import type { Clock } from '../../util/clock.js';
import type { ContainerRuntime, StreamSession } from '../runtime/index.js';
import {
  EXEC_WS_PROTOCOLS, PORTFORWARD, PORTFORWARD_WS_PROTOCOLS, SPDY_PORTFORWARD_TUNNEL, V4, negotiate,
} from './channel.js';
import { streamOptions, type KubeletRoute } from './paths.js';
import { holdOutput, runCommand, type CommandRequest } from './remotecommand.js';
import { wsCommandStreams } from './wsexec.js';
import { SpdyStreamCollector, expectedStreamTypes, spdyCommandStreams } from './spdyexec.js';
import { SpdySession, type SpdyTransport } from './spdy/connection.js';
import { SpdyPortForwarder, parsePorts, serveChannelPortForward, type PortDialer } from './portforward.js';
import { rejectUpgrade } from './respond.js';
import type { KubeletPods } from './types.js';

const log = logger('kubelet-streaming');

/** How long the client gets to open its SPDY streams (upstream's stream creation timeout is 30 s). */
const STREAM_CREATION_TIMEOUT_MS = 30_000;
/** After the Status, how long we wait for the client's GOAWAY before closing ourselves. */
const CLOSE_GRACE_MS = 10_000;

/** The protocols a client offers, from repeated and comma-joined headers. */
function offered(req: IncomingMessage, header: string): string[] {
  return (req.headersDistinct[header] ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

function isWebSocket(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

function isSpdy(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase().startsWith('spdy/3.1');
}

type StreamRoute = Extract<KubeletRoute, { kind: 'exec' | 'attach' | 'portforward' }>;

export class StreamingServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // The protocol is picked before handleUpgrade (see chosen) and only echoed here.
    handleProtocols: (_protocols, req) => this.chosen.get(req) ?? false,
  });
  private readonly chosen = new WeakMap<IncomingMessage, string>();
  private readonly sockets = new Set<Duplex>();

  constructor(private readonly runtime: ContainerRuntime, private readonly pods: KubeletPods, private readonly clock: Clock) {}

  /** Ends every open stream (server shutdown). */
  closeAll(): void {
    for (const s of this.sockets) s.destroy();
    this.wss.close();
  }

  async handle(route: StreamRoute, req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): Promise<void> {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    try {
      const ws = isWebSocket(req);
      if (!ws && !isSpdy(req)) throw errors.badRequest('Upgrade request required');
      const kp = this.pods.find(route.namespace, route.pod);
      if (!kp || (route.uid && route.uid !== kp.uid)) throw errors.notFoundPath('pod does not exist');
      if (route.kind === 'portforward') {
        if (!kp.sandboxId) throw errors.badRequest(`pod ${route.namespace}/${route.pod} has no running sandbox`);
        const sandboxId = kp.sandboxId;
        const dial: PortDialer = (port) => this.runtime.portForward(sandboxId, port);
        const desc = `${sandboxId}, uid ${kp.uid}`;
        if (ws) return this.portForwardWs(req, socket, head, query, dial, desc);
        return this.portForwardSpdy(req, socket, head, dial, desc);
      }
      const c = kp.containers.get(route.container);
      if (!c?.id) throw errors.notFoundPath(`container not found ("${route.container}")`);
      const so = streamOptions(query);
      if (!so.stdin && !so.stdout && !so.stderr) throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
      const cmd = query.getAll('command');
      if (route.kind === 'exec' && cmd.length === 0) throw errors.badRequest('you must specify at least one command for the container');
      const creq: CommandRequest = { kind: route.kind, ...so };
      const protocol = ws ? negotiate(offered(req, 'sec-websocket-protocol'), EXEC_WS_PROTOCOLS) : negotiate(offered(req, 'x-stream-protocol-version'), [V4]);
      if (!protocol) {
        throw errors.badRequest(`unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered(req, ws ? 'sec-websocket-protocol' : 'x-stream-protocol-version'))}, server supports ${JSON.stringify(ws ? EXEC_WS_PROTOCOLS : [V4])}`);
      }
      // Open first: an exec that cannot start is a plain error response, not a broken stream.
      const session = holdOutput(route.kind === 'exec'
        ? await this.runtime.exec(c.id, { cmd, ...so })
        : await this.runtime.attach(c.id, so));
      if (ws) this.commandWs(req, socket, head, protocol, session, creq);
      else this.commandSpdy(socket, head, protocol, session, creq);
    } catch (err) {
      rejectUpgrade(socket, err);
    }
  }

  private commandWs(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string, session: StreamSession, creq: CommandRequest): void {
    this.chosen.set(req, protocol);
    let upgraded = false;
    // A handshake ws refuses never reaches the callback: do not leave the process running.
    socket.once('close', () => {
      if (!upgraded) session.close();
    });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      void runCommand(async () => session, wsCommandStreams(ws, protocol, creq), creq, this.clock);
    });
  }

  private commandSpdy(socket: Duplex, head: Buffer, protocol: string, session: StreamSession, creq: CommandRequest): void {
    const collector = new SpdyStreamCollector(expectedStreamTypes(creq));
    const goneFns: (() => void)[] = [];
    let finished = false;
    const spdy = this.spdyOverSocket(socket, head, protocol, {
      onStream: (s) => collector.add(s),
      onGoAway: () => {
        if (finished) spdy.close();
      },
      onClose: () => {
        if (finished) return;
        // Gone before the end (or before opening its streams): stop the process.
        session.close();
        for (const fn of goneFns) fn();
      },
    });
    const timer = this.clock.setTimer(STREAM_CREATION_TIMEOUT_MS, () => {
      log.debug('SPDY client did not open its streams in time');
      session.close();
      spdy.close();
    });
    void collector.all.then((streams) => {
      timer.cancel();
      const cs = spdyCommandStreams(streams, creq, (fn) => goneFns.push(fn), () => {
        finished = true;
        this.clock.setTimer(CLOSE_GRACE_MS, () => spdy.close());
      });
      return runCommand(async () => session, cs, creq, this.clock);
    });
  }

  /** Answers 101 for SPDY and runs a session on the socket. */
  private spdyOverSocket(socket: Duplex, head: Buffer, protocol: string, events: ConstructorParameters<typeof SpdySession>[1]): SpdySession {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
    const transport: SpdyTransport = {
      write: (b, flushed) => {
        if (socket.destroyed) flushed();
        else socket.write(b, () => flushed());
      },
      end: () => socket.end(),
    };
    const spdy = new SpdySession(transport, events);
    socket.on('data', (c: Buffer) => spdy.feed(c));
    socket.on('close', () => spdy.transportClosed());
    if (head.length) spdy.feed(head);
    return spdy;
  }

  private portForwardSpdy(req: IncomingMessage, socket: Duplex, head: Buffer, dial: PortDialer, desc: string): void {
    const protocol = negotiate(offered(req, 'x-stream-protocol-version'), [PORTFORWARD]);
    if (!protocol) throw errors.badRequest(`unable to upgrade: unable to negotiate protocol: server supports ["${PORTFORWARD}"]`);
    const fwd = new SpdyPortForwarder(dial, desc);
    this.spdyOverSocket(socket, head, protocol, { onStream: (s) => fwd.onStream(s) });
  }

  private portForwardWs(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams, dial: PortDialer, desc: string): void {
    const protocol = negotiate(offered(req, 'sec-websocket-protocol'), PORTFORWARD_WS_PROTOCOLS);
    if (!protocol) throw errors.badRequest(`unable to upgrade: unable to negotiate protocol: server supports ${JSON.stringify(PORTFORWARD_WS_PROTOCOLS)}`);
    let ports: number[] = [];
    if (protocol !== SPDY_PORTFORWARD_TUNNEL) {
      try {
        ports = parsePorts(query);
      } catch (err) {
        throw errors.badRequest((err as Error).message);
      }
      if (!ports.length) throw errors.badRequest('query parameter "port" is required');
    }
    this.chosen.set(req, protocol);
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if (protocol !== SPDY_PORTFORWARD_TUNNEL) {
        serveChannelPortForward(ws, ports, dial, desc);
        return;
      }
      // kubectl 1.31+: the WebSocket's binary payloads are one SPDY byte stream (kubectl-wire §12.1).
      const fwd = new SpdyPortForwarder(dial, desc);
      const spdy = new SpdySession({
        write: (b, flushed) => {
          if (ws.readyState === ws.OPEN) ws.send(b, { binary: true }, () => flushed());
          else flushed();
        },
        end: () => ws.close(1000),
      }, { onStream: (s) => fwd.onStream(s) });
      ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
        spdy.feed(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
      });
      ws.on('close', () => spdy.transportClosed());
      ws.on('error', () => {});
    });
  }
}
