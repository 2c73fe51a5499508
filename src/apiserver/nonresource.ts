// Non-resource endpoints: health (/healthz, /livez, /readyz with ?verbose), /metrics, /version,
// discovery (/api, /apis, per group and group/version, aggregated v2/v2beta1) and OpenAPI.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../util/errors.js';
import { PROMETHEUS_CONTENT_TYPE } from '../util/metrics.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, negotiateDiscovery, versionInfo } from './discovery/index.js';
import { openapiV2Json, openapiV2Protobuf, openapiV3Document, openapiV3Index } from './openapi/index.js';
import type { UserInfo } from './authn/index.js';
import { sendJson } from './http/respond.js';

interface ServerView {
  isReady(): boolean;
  renderMetrics(): string;
  config: { bindAddress: string; advertiseAddress?: string };
  port: number;
}

const HEALTH_CHECKS = ['ping', 'log', 'etcd', 'poststarthook/start-apiserver'];

/** Serves a non-resource path; returns the HTTP code sent. */
export async function serveNonResource(server: ServerView, req: IncomingMessage, res: ServerResponse, url: URL, user: UserInfo): Promise<number> {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const health = /^\/(healthz|livez|readyz)(\/.*)?$/.exec(path);
  if (health) return serveHealth(server, res, health[1]!, health[2], url.searchParams.has('verbose'));
  if (path === '/version') return json(res, versionInfo());
  if (user.username === 'system:anonymous') throw errors.forbidden(`forbidden: User "system:anonymous" cannot get path "${path}"`);
  if (req.method !== 'GET' && req.method !== 'HEAD') throw errors.methodNotAllowed();
  if (path === '/metrics') {
    const text = server.renderMetrics();
    res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return 200;
  }
  if (path === '/api' || path === '/apis') {
    const choice = negotiateDiscovery(req.headers.accept);
    if (choice.kind === 'aggregated') {
      const body = JSON.stringify(aggregatedDiscovery(path === '/api' ? 'api' : 'apis', choice.version));
      res.writeHead(200, { 'Content-Type': choice.contentType, 'Content-Length': Buffer.byteLength(body), Vary: 'Accept' });
      res.end(body);
      return 200;
    }
    const host = `${server.config.advertiseAddress ?? server.config.bindAddress}:${server.port}`;
    return json(res, path === '/api' ? apiVersions(host) : apiGroupList(), { Vary: 'Accept' });
  }
  let m = /^\/api\/([^/]+)$/.exec(path);
  if (m) return jsonOr404(res, apiResourceList('', m[1]!));
  m = /^\/apis\/([^/]+)$/.exec(path);
  if (m) return jsonOr404(res, apiGroup(m[1]!));
  m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) return jsonOr404(res, apiResourceList(m[1]!, m[2]!));
  if (path === '/openapi/v2') {
    const accept = req.headers.accept ?? '';
    if (accept.includes('protobuf')) {
      const body = openapiV2Protobuf();
      res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': body.length });
      res.end(body);
      return 200;
    }
    return json(res, openapiV2Json());
  }
  if (path === '/openapi/v3') return json(res, openapiV3Index());
  m = /^\/openapi\/v3\/(.+)$/.exec(path);
  if (m) {
    const doc = openapiV3Document(m[1]!);
    if (!doc) throw errors.notFoundPath();
    const headers: Record<string, string> = { Etag: `"${doc.hash}"`, Vary: 'Accept' };
    // A hashed URL never changes: clients may cache it for a year (as upstream).
    if (url.searchParams.get('hash') === doc.hash) headers['Cache-Control'] = 'public, immutable, max-age=31536000';
    else headers['Cache-Control'] = 'no-cache, private';
    if (req.headers['if-none-match'] === `"${doc.hash}"`) {
      res.writeHead(304, headers);
      res.end();
      return 304;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(doc.json), ...headers });
    res.end(doc.json);
    return 200;
  }
  throw errors.notFoundPath();
}

function json(res: ServerResponse, body: unknown, headers: Record<string, string> = {}): number {
  sendJson(res, 200, body, headers);
  return 200;
}

function jsonOr404(res: ServerResponse, body: unknown): number {
  if (body === undefined) throw errors.notFoundPath();
  return json(res, body);
}

function serveHealth(server: ServerView, res: ServerResponse, which: string, sub: string | undefined, verbose: boolean): number {
  const ok = which === 'livez' || server.isReady();
  if (sub) {
    const name = sub.slice(1);
    if (!HEALTH_CHECKS.includes(name) && name !== 'shutdown') throw errors.notFoundPath();
    const pass = name === 'ping' || ok;
    res.writeHead(pass ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(pass ? 'ok' : `[-]${name} failed: reason withheld\n`);
    return pass ? 200 : 500;
  }
  let body = 'ok';
  if (verbose || !ok) {
    body = HEALTH_CHECKS.map((c) => `[${ok || c === 'ping' ? '+' : '-'}]${c} ${ok || c === 'ping' ? 'ok' : 'failed: reason withheld'}`).join('\n') + `\n${which} check ${ok ? 'passed' : 'failed'}\n`;
  }
  res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
  return ok ? 200 : 500;
}
