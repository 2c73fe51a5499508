// One probe run (upstream pkg/kubelet/prober/prober.go runProbe and pkg/probe/{exec,http,tcp}):
// exec through the runtime, HTTP GET to the pod IP (200–399 is success), TCP connect, gRPC health.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { RuntimeService } from '../runtime/index.js';
import { isReason } from '../../util/errors.js';
import type { Obj } from '../types.js';
import { grpcProbe } from './grpc.js';

export type ProbeResult = 'success' | 'failure';

export interface ProbeOutcome {
  result: ProbeResult;
  output: string;
}

export interface ProbeTarget {
  runtime: Pick<RuntimeService, 'execSync'>;
  containerId: string;
  container: Obj;
  podIP: string;
}

const MAX_BODY = 10 * 1024;

/** A port given by number or by the name of one of the container's ports. */
export function resolvePort(port: unknown, container: Obj): number {
  if (typeof port === 'number') return port;
  const n = Number(port);
  if (Number.isInteger(n) && String(port).trim() !== '') return n;
  const p = (container.ports ?? []).find((x: Obj) => x.name === port);
  if (!p) throw new Error(`couldn't find port: ${String(port)} in ${container.name}`);
  return p.containerPort;
}

export async function runProbe(probe: Obj, t: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutS = probe.timeoutSeconds ?? 1;
  try {
    if (probe.exec) return await execProbe(probe.exec.command ?? [], t, timeoutS);
    if (probe.httpGet) return await httpProbe(probe.httpGet, t, timeoutS);
    if (probe.tcpSocket) return await tcpProbe(probe.tcpSocket.host || t.podIP, resolvePort(probe.tcpSocket.port, t.container), timeoutS);
    if (probe.grpc) return await grpcProbe(t.podIP, Number(probe.grpc.port), probe.grpc.service ?? '', timeoutS);
    return { result: 'failure', output: 'missing probe handler' };
  } catch (err) {
    return { result: 'failure', output: (err as Error).message };
  }
}

async function execProbe(cmd: string[], t: ProbeTarget, timeoutS: number): Promise<ProbeOutcome> {
  try {
    const r = await t.runtime.execSync(t.containerId, cmd, timeoutS);
    const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8').slice(0, MAX_BODY);
    return r.exitCode === 0 ? { result: 'success', output } : { result: 'failure', output };
  } catch (err) {
    if (isReason(err, 'Timeout')) return { result: 'failure', output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
    throw err;
  }
}

function httpProbe(g: Obj, t: ProbeTarget, timeoutS: number): Promise<ProbeOutcome> {
  const scheme = String(g.scheme ?? 'HTTP').toLowerCase();
  const host = g.host || t.podIP;
  const port = resolvePort(g.port ?? 80, t.container);
  let path = String(g.path ?? '/');
  if (!path.startsWith('/')) path = `/${path}`;
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  return new Promise((resolve) => {
    const mod = scheme === 'https' ? https : http;
    const req = mod.request(url, { method: 'GET', headers, timeout: timeoutS * 1000, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY);
        if (code >= 200 && code < 400) resolve({ result: 'success', output: body });
        else resolve({ result: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
      });
      res.on('error', (err) => resolve({ result: 'failure', output: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)));
    req.on('error', (err) => resolve({ result: 'failure', output: err.message.startsWith('Get ') ? err.message : `Get "${url}": ${dialError(err, host, port)}` }));
    req.end();
  });
}

function dialError(err: Error, host: string, port: number): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  return err.message;
}

function tcpProbe(host: string, port: number, timeoutS: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ result: 'failure', output: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutS * 1000);
    s.once('connect', () => {
      clearTimeout(timer);
      s.destroy();
      resolve({ result: 'success', output: '' });
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      resolve({ result: 'failure', output: dialError(err, host, port) });
    });
  });
}
