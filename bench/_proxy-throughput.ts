// Userspace proxy throughput: wrk against one HTTP backend directly and through the userspace
// proxy's ClusterIP listener in front of the same backend, in the same run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createUserspaceProxier } from '../src/proxy/userspace/index.js';
import type { Endpoint, ServicePortInfo } from '../src/proxy/index.js';
import { emit, progress, round } from './lib.js';

const BACKEND = `
const http = require('node:http');
const body = Buffer.from('x'.repeat(64));
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-length': body.length }); res.end(body); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

function startBackend(): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['-e', BACKEND], { stdio: ['ignore', 'pipe', 'inherit'] });
    proc.once('error', reject);
    proc.stdout!.once('data', (d: Buffer) => resolve({ proc, port: Number(d.toString().trim()) }));
  });
}

interface WrkResult { rps: number; p50Ms: number; p99Ms: number }

function ms(v: string, unit: string): number {
  const n = Number(v);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

async function wrk(url: string, seconds: number, connections: number): Promise<WrkResult> {
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let s = '';
    p.stdout!.on('data', (d) => (s += d));
    p.once('error', reject);
    p.once('exit', () => resolve(s));
  });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  return { rps, p50Ms: p50 ? round(ms(p50[1]!, p50[2]!)) : 0, p99Ms: p99 ? round(ms(p99[1]!, p99[2]!)) : 0 };
}

export async function userspaceThroughput(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v wrk']).status !== 0) {
    progress('proxy: wrk not installed (Debian wrk); userspace throughput skipped');
    return;
  }
  const seconds = Number(process.env.BENCH_PROXY_SECONDS ?? 8);
  const connections = 32;
  const backend = await startBackend();
  const proxier = createUserspaceProxier({ nodeName: 'bench', clusterCIDR: '10.42.0.0/16', serviceCIDR: null });
  const clusterIP = '127.0.0.77';
  const svc: ServicePortInfo = {
    key: 'bench/web:http', name: { namespace: 'bench', name: 'web', port: 'http', protocol: 'TCP' }, type: 'ClusterIP',
    clusterIP, port: 8080, protocol: 'TCP', nodePort: 0, externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [],
    affinityTimeoutSeconds: 0, externalPolicyLocal: false, internalPolicyLocal: false, healthCheckNodePort: 0,
  };
  const ep: Endpoint = { ip: '127.0.0.1', port: backend.port, ready: true, serving: true, terminating: false, isLocal: true };
  try {
    await proxier.sync({ state: { services: new Map([[svc.key, svc]]), endpoints: new Map([[svc.key, [ep]]]) }, changed: null });
    await wrk(`http://127.0.0.1:${backend.port}/`, 2, connections); // warm-up
    progress(`proxy: wrk ${seconds} s, ${connections} connections, direct to the backend`);
    const direct = await wrk(`http://127.0.0.1:${backend.port}/`, seconds, connections);
    progress(`proxy: wrk ${seconds} s, ${connections} connections, through the userspace proxy`);
    const proxied = await wrk(`http://${clusterIP}:8080/`, seconds, connections);
    emit({ bench: 'proxy', case: 'userspace-throughput', requestsPerSec: round(proxied.rps, 0), p50Ms: proxied.p50Ms, p99Ms: proxied.p99Ms, ofDirect: round(proxied.rps / direct.rps, 2), connections });
    emit({ bench: 'proxy', case: 'userspace-throughput', peer: 'direct to the pod', requestsPerSec: round(direct.rps, 0), p50Ms: direct.p50Ms, p99Ms: direct.p99Ms, connections });
  } finally {
    await proxier.cleanup();
    backend.proc.kill();
  }
}
