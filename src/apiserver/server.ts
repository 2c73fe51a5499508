// The API server: HTTPS (HTTP/1.1, as kubectl-wire §1), authentication, authorization, the
// non-resource endpoints (health, metrics, version, discovery, OpenAPI) and resource routing.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend } from '../storage/index.js';
import { errors } from '../util/errors.js';
import { logger } from '../util/log.js';
import { Counter, Histogram, MetricsRegistry } from '../util/metrics.js';
import { lookupResource } from '../api/registry.js';
import type { Authenticator, UserInfo } from './authn/index.js';
import { authenticateRequest } from './authn/index.js';
import { parseRequestInfo, type RequestInfo } from './http/requestinfo.js';
import { sendError } from './http/respond.js';
import { Stores } from './stores.js';
import { route } from './router.js';
import type { HandlerContext } from './handlers/context.js';
import type { TokenIssuerConfig } from './handlers/token.js';
import { loadSigningKey } from './serviceaccount/index.js';
import type { Authorizer } from './authz/authorizer.js';
import { serveNonResource } from './nonresource.js';
import type { Duplex } from 'node:stream';
import {
  isKubeletSubresource, proxyUpgradeToKubelet, rejectUpgradeRequest, type KubeletClientConfig,
} from './handlers/kubelet-proxy.js';

const log = logger('apiserver');

export interface APIServerConfig {
  backend: Backend;
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  tls: { certPem: string; keyPem: string; caPem: string };
  authenticator: Authenticator;
  authorizer: Authorizer;
  serviceCIDR: string;
  /** The address clients should use (kubeconfig server URL host). */
  advertiseAddress?: string;
  /** Events each resource's watch cache keeps (--default-watch-cache-size). */
  watchCacheSize?: number;
  /** Watches without timeoutSeconds end after a random time in [this, 2×this] seconds (--min-request-timeout). */
  minRequestTimeoutSeconds?: number;
  /** Client certificate (and optional CA for the kubelets' serving certs) for logs/exec/port-forward/node proxy. */
  kubeletClient?: KubeletClientConfig;
  /** PEM private key (EC P-256) that signs serviceaccounts/token tokens; without it the subresource is 404. */
  serviceAccountSigningKeyPem?: string;
  /** --service-account-issuer (default https://kubernetes.default.svc.cluster.local). */
  serviceAccountIssuer?: string;
}

export class APIServer {
  readonly stores: Stores;
  readonly metrics = new MetricsRegistry();
  private server?: https.Server;
  private ready = false;
  private readonly requests = this.metrics.register(new Counter('apiserver_request_total', 'Counter of apiserver requests broken out for each verb, group, version, resource, subresource and HTTP response code.', ['verb', 'group', 'version', 'resource', 'subresource', 'code']));
  private readonly latency = this.metrics.register(new Histogram('apiserver_request_duration_seconds', 'Response latency distribution in seconds for each verb, group, version, resource and subresource.', ['verb', 'group', 'version', 'resource', 'subresource']));
  private readonly inflight = new Set<ServerResponse>();
  /** Upgraded (streaming) connections: the HTTP server no longer tracks them. */
  private readonly upgraded = new Set<Duplex>();
  private readonly tokenIssuer?: TokenIssuerConfig;

  constructor(readonly config: APIServerConfig) {
    this.stores = new Stores(config.backend, { serviceCIDR: config.serviceCIDR, watchCacheSize: config.watchCacheSize });
    if (config.serviceAccountSigningKeyPem) {
      this.tokenIssuer = {
        key: loadSigningKey(config.serviceAccountSigningKeyPem),
        ...(config.serviceAccountIssuer ? { issuer: config.serviceAccountIssuer } : {}),
      };
    }
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get url(): string {
    const host = this.config.advertiseAddress ?? this.config.bindAddress;
    return `https://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Loads the caches, repairs allocations and starts listening. */
  async start(): Promise<void> {
    await this.stores.start();
    const server = https.createServer({
      cert: this.config.tls.certPem,
      key: this.config.tls.keyPem,
      ca: this.config.tls.caPem,
      requestCert: true,
      rejectUnauthorized: false,
      // kubectl offers h2 and http/1.1; we speak HTTP/1.1 only (kubectl-wire §1).
      ALPNProtocols: ['http/1.1'],
      keepAliveTimeout: 65_000,
      headersTimeout: 60_000,
      requestTimeout: 0,
      maxHeaderSize: 64 * 1024,
    }, (req, res) => void this.handle(req, res));
    server.on('clientError', (_err, socket) => socket.destroy());
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.handleUpgrade(req, socket, head));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.bindAddress, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.ready = true;
    log.info('API server listening', { url: this.url });
  }

  /** Stops accepting, ends open watches, and stops the caches. */
  async stop(): Promise<void> {
    this.ready = false;
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const res of this.inflight) res.destroy();
      for (const socket of this.upgraded) socket.destroy();
      server.closeAllConnections();
      await closed;
    }
    await this.stores.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = performance.now();
    this.inflight.add(res);
    res.on('close', () => this.inflight.delete(res));
    let info: RequestInfo | undefined;
    let code = 500;
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      const user = await authenticateRequest(this.config.authenticator, req);
      if (!info.isResourceRequest) {
        code = await serveNonResource(this, req, res, url, user);
        return;
      }
      await this.authorize(user, info);
      const resource = lookupResource(info.group, info.version, info.resource);
      if (!resource) throw errors.notFoundPath();
      const store = this.stores.forResource(resource);
      if (resource.namespaced && info.namespace === '' && !['list', 'watch', 'create'].includes(info.verb) && resource.stored) {
        throw errors.notFoundPath();
      }
      if (resource.namespaced && !info.namespace && info.verb === 'create' && resource.stored) throw errors.notFoundPath();
      const ctx: HandlerContext = {
        req, res, info, query: url.searchParams, user, resource,
        store: store!, stores: this.stores,
        namespace: resource.namespaced ? info.namespace : '',
        warnings: [],
        minRequestTimeoutSeconds: this.config.minRequestTimeoutSeconds ?? 1800,
      };
      await route(ctx, {
        authorize: (u, attrs) => this.config.authorizer.authorize(u, attrs),
        authenticateToken: (t) => this.authenticateToken(t),
        ...(this.config.kubeletClient ? { kubeletClient: this.config.kubeletClient } : {}),
        ...(this.tokenIssuer ? { serviceAccountTokens: this.tokenIssuer } : {}),
      });
      code = res.statusCode;
    } catch (err) {
      code = sendError(res, err).code;
      if (code >= 500) log.warn('request failed', { method: req.method, url: req.url, code, err });
    } finally {
      if (info?.isResourceRequest) {
        const labels = { verb: info.verb.toUpperCase(), group: info.group, version: info.version, resource: info.resource, subresource: info.subresource };
        this.requests.inc({ ...labels, code: String(code) });
        if (info.verb !== 'watch') this.latency.observe(labels, (performance.now() - start) / 1000);
      }
    }
  }

  // ---- streaming upgrades (kubelet-proxy.ts) ----
  // WebSocket and SPDY upgrades (exec, attach, port-forward) arrive here instead of handle():
  // authenticate and authorize exactly as a normal request, then hand the socket to the proxy.
  private async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => {});
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      const user = await authenticateRequest(this.config.authenticator, req);
      if (!info.isResourceRequest || !isKubeletSubresource(info)) throw errors.badRequest('Upgrade request required');
      await this.authorize(user, info);
      // upstream 1.31+ (AuthorizePodWebsocketUpgradeCreatePermission): a WebSocket GET to a
      // streaming subresource also needs the create verb, as the SPDY POST always did.
      if (info.verb === 'get' && info.resource === 'pods' && info.subresource !== 'log') {
        await this.authorize(user, { ...info, verb: 'create' });
      }
      await proxyUpgradeToKubelet({
        req, socket, head, info, query: url.searchParams, stores: this.stores,
        deps: this.config.kubeletClient ? { kubeletClient: this.config.kubeletClient } : {},
      });
    } catch (err) {
      rejectUpgradeRequest(socket, err);
    }
  }

  private async authorize(user: UserInfo, info: RequestInfo): Promise<void> {
    const d = await this.config.authorizer.authorize(user, {
      verb: info.verb, group: info.group, version: info.version, resource: info.resource,
      subresource: info.subresource, namespace: info.namespace, name: info.name,
    });
    if (!d.allowed) {
      const res = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
      const where = info.namespace ? ` in the namespace "${info.namespace}"` : ' at the cluster scope';
      throw errors.forbidden(`${res}${info.group ? '.' + info.group : ''}${info.name ? ` "${info.name}"` : ''} is forbidden: User "${user.username}" cannot ${info.verb} resource "${res}" in API group "${info.group}"${where}${d.reason ? `: ${d.reason}` : ''}`);
    }
  }

  private async authenticateToken(token: string): Promise<UserInfo | null> {
    const fake = { headers: { authorization: `Bearer ${token}` }, socket: {} } as unknown as IncomingMessage;
    try {
      return await this.config.authenticator.authenticate(fake);
    } catch {
      return null;
    }
  }

  /** Prometheus text for /metrics. */
  renderMetrics(): string {
    return this.metrics.render();
  }
}

