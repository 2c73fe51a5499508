// Subresources served by the node's kubelet (upstream pkg/registry/core/pod/rest/{log,subresources}.go
// and node/rest/proxy.go): pods/log, pods/exec, pods/attach, pods/portforward and nodes/proxy. The
// API server finds the pod's node, the node's kubelet endpoint (address + daemonEndpoints port), and
// proxies there over TLS with its kubelet-client certificate. Streaming upgrades (WebSocket, SPDY)
// are piped byte for byte: the kubelet speaks every protocol kubectl offers.
import https from 'node:https';
import tls from 'node:tls';
import { isIP } from 'node:net';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError, errors, statusFromError, type StatusReason } from '../../util/errors.js';
import { logger } from '../../util/log.js';
import type { RequestInfo } from '../http/requestinfo.js';
import type { HandlerContext, StoreLookup } from './context.js';

const log = logger('kubelet-proxy');

/** How the API server reaches kubelets (--kubelet-client-certificate/-key, --kubelet-certificate-authority). */
export interface KubeletClientConfig {
  certPem: string;
  keyPem: string;
  /** Verify kubelet serving certificates against this CA; without it they are not verified (upstream's default). */
  caPem?: string;
  /** Node address types tried in order (--kubelet-preferred-address-types). */
  preferredAddressTypes?: string[];
}

export interface KubeletProxyDeps {
  kubeletClient?: KubeletClientConfig;
}

const DEFAULT_ADDRESS_TYPES = ['InternalIP', 'ExternalIP', 'Hostname', 'InternalDNS', 'ExternalDNS'];
const POD_SUBRESOURCES = ['log', 'exec', 'attach', 'portforward'];

/** True for the resource/subresource pairs this module serves. */
export function isKubeletSubresource(info: Pick<RequestInfo, 'group' | 'resource' | 'subresource'>): boolean {
  if (info.group !== '') return false;
  if (info.resource === 'pods') return POD_SUBRESOURCES.includes(info.subresource);
  return info.resource === 'nodes' && info.subresource === 'proxy';
}

type Obj = Record<string, any>;

interface Location {
  host: string;
  port: number;
  /** Path plus query on the kubelet. */
  path: string;
}

function names(list: Obj[] | undefined): string {
  return (list ?? []).map((c) => c.name as string).join(' ');
}

function hasContainer(pod: Obj, name: string): boolean {
  const s = pod.spec ?? {};
  return [s.containers, s.initContainers, s.ephemeralContainers].some((l: Obj[] | undefined) => l?.some((c) => c.name === name));
}

/** upstream validateContainer, plus the kubectl.kubernetes.io/default-container annotation. */
export function resolveContainer(pod: Obj, requested: string | null): string {
  const name = pod.metadata?.name ?? '';
  if (requested) {
    if (!hasContainer(pod, requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const containers: Obj[] = pod.spec?.containers ?? [];
  if (containers.length === 1) return containers[0]!.name;
  if (containers.length === 0) throw errors.badRequest(`the pod ${name} does not contain any containers`);
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && hasContainer(pod, annotated)) return annotated;
  let msg = `a container name must be specified for pod ${name}, choose one of: [${names(containers)}]`;
  if (pod.spec?.initContainers?.length) msg += ` or one of the init containers: [${names(pod.spec.initContainers)}]`;
  if (pod.spec?.ephemeralContainers?.length) msg += ` or one of the ephemeral containers: [${names(pod.spec.ephemeralContainers)}]`;
  throw errors.badRequest(msg);
}

/** upstream ValidatePodLogOptions, as the API server answers it (422 PodLogOptions). */
function validateLogOptions(name: string, q: URLSearchParams): void {
  const causes: { reason: string; field: string; message: string }[] = [];
  const num = (k: string): number | undefined => {
    const v = q.get(k);
    if (v === null || v === '') return undefined;
    if (!/^-?\d+$/.test(v)) throw errors.badRequest(`invalid value for ${k}: ${JSON.stringify(v)}`);
    return Number(v);
  };
  const tail = num('tailLines');
  const limit = num('limitBytes');
  const since = num('sinceSeconds');
  if (tail !== undefined && tail < 0) causes.push({ reason: 'FieldValueInvalid', field: 'tailLines', message: `Invalid value: ${tail}: must be greater than or equal to 0` });
  if (limit !== undefined && limit < 1) causes.push({ reason: 'FieldValueInvalid', field: 'limitBytes', message: `Invalid value: ${limit}: must be greater than 0` });
  if (since !== undefined && since < 1) causes.push({ reason: 'FieldValueInvalid', field: 'sinceSeconds', message: `Invalid value: ${since}: must be greater than 0` });
  if (since !== undefined && q.get('sinceTime')) causes.push({ reason: 'FieldValueForbidden', field: '', message: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  if (causes.length) throw errors.invalid('PodLogOptions', '', name, causes);
}

/**
 * Why a pod without a node has no log yet, worded as the kubelet would for a container that has
 * not started (the brief's ask; upstream returns an empty body in this case).
 */
function notScheduledLogError(pod: Obj, container: string): StatusError {
  const st: Obj | undefined = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]
    .find((c: Obj) => c.name === container);
  const reason = st?.state?.waiting?.reason ?? 'ContainerCreating';
  return errors.badRequest(`container "${container}" in pod "${pod.metadata?.name}" is waiting to start: ${reason}`);
}

async function nodeEndpoint(stores: StoreLookup, nodeName: string, cfg: KubeletClientConfig): Promise<{ host: string; port: number }> {
  let node: Obj;
  try {
    node = await stores.store('', 'nodes').get('', nodeName);
  } catch (err) {
    if (err instanceof StatusError && err.code === 404) throw errors.notFound('nodes', '', nodeName);
    throw err;
  }
  const addresses: Obj[] = node.status?.addresses ?? [];
  let host: string | undefined;
  for (const t of cfg.preferredAddressTypes ?? DEFAULT_ADDRESS_TYPES) {
    host = addresses.find((a) => a.type === t && a.address)?.address;
    if (host) break;
  }
  if (!host) throw errors.badRequest(`no preferred addresses found; known addresses: [${addresses.map((a) => `{${a.type} ${a.address}}`).join(' ')}]`);
  const port = Number(node.status?.daemonEndpoints?.kubeletEndpoint?.Port) || 10250;
  return { host, port };
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** Where on which kubelet the request goes (upstream LogLocation/ExecLocation/PortForwardLocation/node ResourceLocation). */
export async function kubeletLocation(stores: StoreLookup, info: RequestInfo, query: URLSearchParams, cfg: KubeletClientConfig): Promise<Location> {
  if (info.resource === 'nodes') {
    const ep = await nodeEndpoint(stores, info.name, cfg);
    const rest = info.rest.map(enc).join('/');
    const qs = query.toString();
    return { ...ep, path: `/${rest}${qs ? `?${qs}` : ''}` };
  }
  const pod = await stores.store('', 'pods').get(info.namespace, info.name) as Obj;
  const ns = enc(info.namespace);
  const name = enc(info.name);
  const out = new URLSearchParams();
  let path: string;
  if (info.subresource === 'portforward') {
    for (const p of query.getAll('ports')) out.append('ports', p);
    path = `/portForward/${ns}/${name}`;
  } else {
    const container = resolveContainer(pod, query.get('container'));
    if (info.subresource === 'log') {
      validateLogOptions(info.name, query);
      if (!pod.spec?.nodeName) throw notScheduledLogError(pod, container);
      for (const k of ['follow', 'previous', 'timestamps', 'tailLines', 'sinceSeconds', 'sinceTime', 'limitBytes']) {
        const v = query.get(k);
        if (v !== null && v !== '' && v !== 'false') out.set(k, v);
      }
      path = `/containerLogs/${ns}/${name}/${enc(container)}`;
    } else {
      // upstream streamParams: the kubelet's names for the stream flags.
      const flag = (k: string) => ['true', '1', ''].includes(query.get(k) ?? 'false');
      if (info.subresource === 'exec') for (const c of query.getAll('command')) out.append('command', c);
      if (flag('stdin')) out.set('input', '1');
      if (flag('stdout')) out.set('output', '1');
      if (flag('stderr')) out.set('error', '1');
      if (flag('tty')) out.set('tty', '1');
      if (info.subresource === 'exec' && !query.getAll('command').length) {
        throw errors.badRequest('you must specify at least one command for the container');
      }
      path = `/${info.subresource}/${ns}/${name}/${enc(container)}`;
    }
  }
  if (!pod.spec?.nodeName) throw errors.badRequest(`pod ${info.name} does not have a host assigned`);
  const ep = await nodeEndpoint(stores, pod.spec.nodeName, cfg);
  const qs = out.toString();
  return { ...ep, path: path + (qs ? `?${qs}` : '') };
}

function tlsOptions(cfg: KubeletClientConfig, host: string): tls.ConnectionOptions {
  return {
    cert: cfg.certPem, key: cfg.keyPem,
    ...(cfg.caPem ? { ca: cfg.caPem, rejectUnauthorized: true } : { rejectUnauthorized: false }),
    ...(isIP(host) ? {} : { servername: host }),
    ALPNProtocols: ['http/1.1'],
  };
}

// One keep-alive agent per client configuration, so repeated log reads reuse TLS connections.
const agents = new WeakMap<KubeletClientConfig, https.Agent>();
function agentFor(cfg: KubeletClientConfig): https.Agent {
  let a = agents.get(cfg);
  if (!a) {
    a = new https.Agent({ keepAlive: true, maxSockets: 64 });
    agents.set(cfg, a);
  }
  return a;
}

function hostPort(loc: Location): string {
  return `${isIP(loc.host) === 6 ? `[${loc.host}]` : loc.host}:${loc.port}`;
}

function noKubeletClient(): StatusError {
  return errors.unavailable('the API server has no kubelet client certificate configured');
}

const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  409: 'Conflict', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

/** A kubelet's non-2xx answer as a Status (upstream GenericHttpResponseChecker): its Status if it sent one, else its text. */
function statusFromKubelet(code: number, body: string): Obj {
  try {
    const parsed = JSON.parse(body) as Obj;
    if (parsed?.kind === 'Status') return parsed;
  } catch { /* text body */ }
  return new StatusError(code, REASON_BY_CODE[code] ?? 'InternalError', body.trim() || `the server responded with the status code ${code} but did not return more information`).toStatus();
}

/** Non-upgrade requests: pods/log and nodes/proxy are proxied; the streaming subresources need an upgrade. */
export async function proxyToKubelet(ctx: HandlerContext, deps: KubeletProxyDeps): Promise<void> {
  const { info, req, res } = ctx;
  if (info.resource === 'pods' && info.subresource !== 'log') throw errors.badRequest('Upgrade request required');
  const cfg = deps.kubeletClient;
  if (!cfg) throw noKubeletClient();
  const loc = await kubeletLocation(ctx.stores, info, ctx.query, cfg);
  const url = `https://${hostPort(loc)}${loc.path}`;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || ['authorization', 'host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade'].includes(k) || k.startsWith('impersonate-')) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  // Logs are plain text; the kubelet does not compress.
  delete headers['accept-encoding'];
  await new Promise<void>((resolve, reject) => {
    const up = https.request(url, { method: req.method, headers, ...tlsOptions(cfg, loc.host), agent: agentFor(cfg) }, (kres) => {
      const code = kres.statusCode ?? 502;
      if (info.subresource === 'log' && code !== 200) {
        const chunks: Buffer[] = [];
        kres.on('data', (c: Buffer) => chunks.push(c));
        kres.on('end', () => {
          const st = statusFromKubelet(code, Buffer.concat(chunks).toString());
          const b = Buffer.from(JSON.stringify(st));
          res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': b.length });
          res.end(b);
          resolve();
        });
        kres.on('error', reject);
        return;
      }
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(kres.headers)) {
        if (v !== undefined && !['connection', 'keep-alive', 'transfer-encoding'].includes(k)) out[k] = v;
      }
      res.writeHead(code, out);
      // Follow streams: every chunk goes out as it arrives.
      if (info.subresource === 'log') res.flushHeaders();
      kres.pipe(res);
      kres.on('end', resolve);
      kres.on('error', () => {
        res.destroy();
        resolve();
      });
    });
    res.on('close', () => up.destroy());
    up.on('error', (err) => {
      if (res.headersSent) {
        res.destroy();
        resolve();
        return;
      }
      reject(new StatusError(500, 'InternalError', `Get "${url}": ${err.message}`));
    });
    req.pipe(up);
  });
}

function writeStatusOnSocket(socket: Duplex, err: unknown): void {
  const st = statusFromError(err);
  const body = JSON.stringify(st);
  socket.end(`HTTP/1.1 ${st.code} ${STATUS_CODES[st.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Hop-by-hop and credential headers that must not reach the kubelet. */
const DROP_ON_UPGRADE = new Set(['authorization', 'host', 'keep-alive', 'proxy-authorization', 'proxy-connection']);

/**
 * An upgrade (WebSocket or SPDY) already authenticated and authorized: open TLS to the kubelet,
 * replay the request line and headers with the kubelet path, then pipe both directions as they are.
 */
export async function proxyUpgradeToKubelet(opts: {
  req: IncomingMessage; socket: Duplex; head: Buffer; info: RequestInfo; query: URLSearchParams;
  stores: StoreLookup; deps: KubeletProxyDeps;
}): Promise<void> {
  const { req, socket, head } = opts;
  socket.on('error', () => {});
  try {
    const cfg = opts.deps.kubeletClient;
    if (!cfg) throw noKubeletClient();
    const loc = await kubeletLocation(opts.stores, opts.info, opts.query, cfg);
    const up = tls.connect({ host: loc.host, port: loc.port, ...tlsOptions(cfg, loc.host) });
    await new Promise<void>((resolve, reject) => {
      up.once('secureConnect', resolve);
      up.once('error', reject);
    }).catch((err: Error) => {
      up.destroy();
      throw new StatusError(500, 'InternalError', `error dialing backend: ${err.message}`);
    });
    const lines = [`${req.method ?? 'GET'} ${loc.path} HTTP/1.1`, `Host: ${hostPort(loc)}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const k = req.rawHeaders[i]!;
      const lk = k.toLowerCase();
      if (DROP_ON_UPGRADE.has(lk) || lk.startsWith('impersonate-')) continue;
      lines.push(`${k}: ${req.rawHeaders[i + 1]}`);
    }
    up.write(lines.join('\r\n') + '\r\n\r\n');
    if (head.length) up.write(head);
    up.on('error', () => socket.destroy());
    socket.on('close', () => up.destroy());
    up.on('close', () => socket.destroy());
    up.pipe(socket);
    socket.pipe(up);
  } catch (err) {
    const st = statusFromError(err);
    if (st.code >= 500) log.warn('kubelet upgrade proxy failed', { url: req.url, err });
    writeStatusOnSocket(socket, err);
  }
}

/** Refuses an upgrade on the raw socket (authentication/authorization failures, unknown paths). */
export function rejectUpgradeRequest(socket: Duplex, err: unknown): void {
  writeStatusOnSocket(socket, err);
}
