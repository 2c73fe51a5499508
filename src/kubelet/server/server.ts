// The kubelet's HTTPS API (port 10250): health, the pods it runs, container logs, exec/attach/
// port-forward streams and the stats summary. Clients authenticate with a certificate from the
// cluster CA (the API server's kubelet-client certificate in practice); /healthz is open.
import https from 'node:https';
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { errors } from '../../util/errors.js';
import { logger } from '../../util/log.js';
import { realClock, type Clock } from '../../util/clock.js';
import { parseKubeletPath } from './paths.js';
import { parseLogOptions, streamLog } from './logs.js';
import { containerNotFound, resolveLogSource } from './logsource.js';
import { rejectUpgrade, sendStatusError } from './respond.js';
import { SummaryProvider } from './stats.js';
import { StreamingServer } from './streaming.js';
import type { KubeletServer, KubeletServerOptions } from './types.js';

const log = logger('kubelet-server');

function authenticated(req: IncomingMessage): boolean {
  const sock = req.socket as TLSSocket;
  return sock.authorized === true && Object.keys(sock.getPeerCertificate?.() ?? {}).length > 0;
}

function sendJson(res: ServerResponse, body: unknown): void {
  const b = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': b.length });
  res.end(b);
}

export async function startKubeletServer(opts: KubeletServerOptions & { clock?: Clock }): Promise<KubeletServer> {
  const clock = opts.clock ?? realClock;
  const streaming = new StreamingServer(opts.runtime, opts.pods, clock);
  const summary = new SummaryProvider(opts.runtime, opts.pods, opts.nodeName ?? hostname(), clock);
  const responses = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    responses.add(res);
    res.on('close', () => responses.delete(res));
    try {
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const route = parseKubeletPath(url.pathname);
      if (route?.kind === 'healthz') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        return;
      }
      if (!authenticated(req)) throw errors.unauthorized();
      if (!route) throw errors.notFoundPath();
      const method = req.method ?? 'GET';
      switch (route.kind) {
        case 'pods':
          return sendJson(res, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: opts.pods.list() });
        case 'summary':
          return sendJson(res, await summary.summary());
        case 'metrics': {
          if (!opts.metrics) throw errors.notFoundPath();
          res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
          res.end(opts.metrics());
          return;
        }
        case 'logs': {
          if (method !== 'GET') throw errors.methodNotAllowed();
          const lo = parseLogOptions(url.searchParams, clock.now());
          const kp = opts.pods.find(route.namespace, route.pod);
          if (!kp) throw errors.notFoundPath(`pod "${route.pod}" does not exist`);
          if (!kp.containers.has(route.container)) throw containerNotFound(route.container, route.pod);
          const src = resolveLogSource(kp, route.pod, route.container, lo.previous);
          const ac = new AbortController();
          res.on('close', () => ac.abort());
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'X-Content-Type-Options': 'nosniff' });
          if (lo.follow) res.flushHeaders();
          await streamLog(src.path, lo, res, {
            clock, signal: ac.signal,
            isRunning: async () => !!src.followId && (await opts.runtime.containerStatus(src.followId)).state === 'CONTAINER_RUNNING',
          }).catch((err: unknown) => {
            // A log file that vanished (container removed) ends the response; nothing else to say.
            log.debug('log stream ended with an error', { err });
          });
          res.end();
          return;
        }
        default:
          // exec/attach/portForward only work as upgrades.
          throw errors.badRequest('Upgrade request required');
      }
    } catch (err) {
      const code = sendStatusError(res, err);
      if (code >= 500) log.warn('kubelet request failed', { url: req.url, err });
    }
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    try {
      if (!authenticated(req)) throw errors.unauthorized();
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const route = parseKubeletPath(url.pathname);
      if (!route || (route.kind !== 'exec' && route.kind !== 'attach' && route.kind !== 'portforward')) throw errors.notFoundPath();
      void streaming.handle(route, req, socket, head, url.searchParams);
    } catch (err) {
      rejectUpgrade(socket, err);
    }
  }

  const server = https.createServer({
    cert: opts.tls.certPem,
    key: opts.tls.keyPem,
    ca: opts.clientCAPem,
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
    requestTimeout: 0,
  }, (req, res) => void handle(req, res));
  server.on('upgrade', upgrade);
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info('kubelet API listening', { address: opts.bindAddress, port });
  return {
    port,
    async stop() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      streaming.closeAll();
      for (const res of responses) res.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}
