// The small HTTP endpoint every component besides the API server exposes (kube-scheduler's and
// kube-controller-manager's secure ports serve the same paths): /healthz, /livez, /readyz and
// /metrics. Plain HTTP on loopback by default — the data is health and counters, no cluster state.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from './metrics.js';

export interface ComponentServerOptions {
  bindAddress?: string;
  /** 0 = pick a free port. */
  port: number;
  metrics: MetricsRegistry;
  /** Named readiness checks (e.g. "informer-sync", "leader-election"). */
  checks?: Record<string, () => boolean>;
}

export class ComponentServer {
  private server?: Server;

  constructor(private readonly opts: ComponentServerOptions) {}

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (path === '/metrics') {
        res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
        res.end(this.opts.metrics.render());
        return;
      }
      const m = /^\/(healthz|livez|readyz)$/.exec(path);
      if (!m) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('404 page not found\n');
        return;
      }
      const checks = m[1] === 'livez' ? {} : this.opts.checks ?? {};
      const results = Object.entries(checks).map(([name, ok]) => [name, safe(ok)] as const);
      const healthy = results.every(([, ok]) => ok);
      let body = healthy ? 'ok' : `${m[1]} check failed`;
      if (url.searchParams.has('verbose')) {
        body = ['[+]ping ok', ...results.map(([n, ok]) => `[${ok ? '+' : '-'}]${n} ${ok ? 'ok' : 'failed'}`), `${m[1]} check ${healthy ? 'passed' : 'failed'}`].join('\n');
      }
      res.writeHead(healthy ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(body + '\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.bindAddress ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

function safe(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
