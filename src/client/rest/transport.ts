// HTTP(S) to one API server over a keep-alive agent: credentials, client-side rate limiting,
// Retry-After handling (client-go retries 429s and Retry-After 5xx up to 10 times), user agent.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { IncomingMessage } from 'node:http';
import { realClock, type Clock } from '../../util/clock.js';
import { skiffVersion } from '../../util/version.js';
import { TokenBucket, unlimited, type RateLimiter } from '../flowcontrol/index.js';
import { DEFAULT_BURST, DEFAULT_QPS, type RestConfig } from './config.js';
import { errorFromResponse } from './errors.js';

export interface RawRequest {
  method: string;
  /** Path and query, relative to the server URL. */
  path: string;
  body?: string | Buffer;
  contentType?: string;
  signal?: AbortSignal | undefined;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const arch = process.arch === 'x64' ? 'amd64' : process.arch;

export class Transport {
  readonly limiter: RateLimiter;
  private readonly agent: http.Agent;
  private readonly url: URL;
  private readonly basePath: string;
  private readonly mod: typeof http | typeof https;
  private readonly clock: Clock;
  private readonly headers: Record<string, string>;

  constructor(readonly config: RestConfig) {
    this.url = new URL(config.server);
    this.basePath = this.url.pathname.replace(/\/+$/, '');
    this.clock = config.clock ?? realClock;
    const qps = config.qps ?? DEFAULT_QPS;
    this.limiter = config.rateLimiter ?? (qps < 0 ? unlimited : new TokenBucket(qps || DEFAULT_QPS, config.burst ?? DEFAULT_BURST, this.clock));
    if (this.url.protocol === 'https:') {
      this.mod = https;
      // One TLS context for every connection: building it (parsing the CA, cert and key) per
      // connection is costly for components that open many (watches, bursts of writes).
      const ctx: tls.SecureContextOptions = {};
      if (config.caPem && !config.insecureSkipTlsVerify) ctx.ca = config.caPem;
      if (config.certPem) ctx.cert = config.certPem;
      if (config.keyPem) ctx.key = config.keyPem;
      this.agent = new https.Agent({ keepAlive: true, rejectUnauthorized: !config.insecureSkipTlsVerify, secureContext: tls.createSecureContext(ctx) });
    } else if (this.url.protocol === 'http:') {
      this.mod = http;
      this.agent = new http.Agent({ keepAlive: true });
    } else {
      throw new Error(`client: unsupported server URL ${config.server}`);
    }
    this.headers = { 'user-agent': config.userAgent ?? `skiff/v${skiffVersion} (${process.platform}/${arch})`, accept: 'application/json' };
    if (config.token) this.headers.authorization = `Bearer ${config.token}`;
  }

  /** One request, buffered; non-2xx answers reject with a StatusError. */
  async request(req: RawRequest): Promise<RawResponse> {
    const max = this.config.maxRetries ?? 10;
    for (let attempt = 0; ; attempt++) {
      await this.limiter.wait(req.signal);
      const res = await this.send(req, false);
      const body = await readAll(res);
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return { status, headers: res.headers, body };
      const retryAfter = Number(res.headers['retry-after']);
      if (attempt < max && Number.isFinite(retryAfter) && retryAfter >= 0 && (status === 429 || status >= 500)) {
        await this.clock.sleep(Math.max(retryAfter, 1) * 1000, req.signal);
        continue;
      }
      throw errorFromResponse(status, body, req.method, req.path);
    }
  }

  /** Opens a streaming response (a watch); a non-200 answer rejects with a StatusError. */
  async stream(req: RawRequest): Promise<IncomingMessage> {
    await this.limiter.wait(req.signal);
    const res = await this.send(req, true);
    const status = res.statusCode ?? 0;
    if (status !== 200) throw errorFromResponse(status, await readAll(res), req.method, req.path);
    return res;
  }

  close(): void {
    this.agent.destroy();
  }

  private send(req: RawRequest, streaming: boolean): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      req.signal?.throwIfAborted();
      const headers: Record<string, string> = { ...this.headers };
      if (req.body !== undefined) {
        headers['content-type'] = req.contentType ?? 'application/json';
        headers['content-length'] = String(Buffer.byteLength(req.body));
      }
      const r = this.mod.request({
        protocol: this.url.protocol, hostname: this.url.hostname.replace(/^\[|\]$/g, ''), port: this.url.port || undefined,
        method: req.method, path: this.basePath + req.path, headers, agent: this.agent,
        signal: req.signal,
      }, resolve);
      r.on('error', reject);
      const timeout = this.config.timeoutMs ?? 0;
      if (!streaming && timeout > 0) {
        r.setTimeout(timeout, () => r.destroy(new Error(`client: ${req.method} ${req.path}: no response within ${timeout} ms`)));
      }
      r.end(req.body);
    });
  }
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('client: response aborted')));
  });
}
