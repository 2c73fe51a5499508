// A throwaway single-member etcd for tests and benchmarks: the Debian `etcd` binary on free
// loopback ports with a temporary data dir, started healthy and removed afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { waitFor } from '../../../util/wait.js';

/** The etcd binary: $ETCD_BIN, /usr/bin/etcd, or the first `etcd` on PATH. */
export function findEtcd(): string | undefined {
  const candidates = [process.env.ETCD_BIN, '/usr/bin/etcd', ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'etcd'))];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/**
 * Why etcd tests should skip, or undefined to run them. With CI=true a missing binary is not a
 * reason to skip: the tests run and fail, so CI cannot silently lose etcd coverage.
 */
export function etcdSkipReason(): string | undefined {
  if (findEtcd() || process.env.CI === 'true') return undefined;
  return 'etcd binary not found (install etcd-server, or set ETCD_BIN)';
}

export interface EtcdServer {
  /** host:port of the client URL. */
  endpoint: string;
  /** The datastore URL for openBackend: etcd://host:port. */
  url: string;
  /** Stops the member (SIGTERM, or SIGKILL when hard) and starts it again on the same ports and data. */
  restart(opts?: { hard?: boolean; downMs?: number }): Promise<void>;
  /** Stops the member and removes its data. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts etcd and resolves once /health says it is serving. */
export async function startEtcd(): Promise<EtcdServer> {
  const bin = findEtcd();
  if (!bin) throw new Error('etcd binary not found (install etcd-server, or set ETCD_BIN)');
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const args = [
    '--name', 'default', '--data-dir', join(dataDir, 'data'),
    '--listen-client-urls', clientUrl, '--advertise-client-urls', clientUrl,
    '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `default=${peerUrl}`,
    // Room for a 1.5 MiB value plus the request around it (the store's own value cap).
    '--max-request-bytes', String(2 * 1024 * 1024),
    '--log-level', 'error', '--logger', 'zap',
  ];
  let proc: ChildProcess | undefined;
  let stderr = '';
  const launch = async () => {
    stderr = '';
    const p = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ETCD_UNSUPPORTED_ARCH: process.env.ETCD_UNSUPPORTED_ARCH ?? '' } });
    p.stderr!.setEncoding('utf8');
    p.stderr!.on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    proc = p;
    let exited = false;
    p.once('exit', () => (exited = true));
    await waitFor(async () => {
      if (exited) throw new Error(`etcd exited: ${stderr}`);
      const res = await fetch(`${clientUrl}/health`).catch(() => undefined);
      return res?.ok && ((await res.json()) as { health?: string }).health === 'true';
    }, { timeoutMs: 20_000, intervalMs: 50, what: 'etcd to become healthy' });
  };
  const kill = async (signal: NodeJS.Signals) => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill(signal);
    await gone;
  };
  try {
    await launch();
  } catch (err) {
    await kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint: `127.0.0.1:${client}`,
    url: `etcd://127.0.0.1:${client}`,
    async restart(opts = {}) {
      await kill(opts.hard ? 'SIGKILL' : 'SIGTERM');
      if (opts.downMs) await new Promise((r) => setTimeout(r, opts.downMs));
      await launch();
    },
    async stop() {
      await kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
