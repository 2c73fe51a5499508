// Sync timing of iptables mode (not a test): N services × 2 endpoints in a throwaway network
// namespace, as root. Prints one JSON line per case (DESIGN.md §8 style), progress on stderr.
//   node --import tsx src/proxy/iptables/bench-sync.ts [services...]   (default: 1000 10000)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ServicePortInfo, Endpoint } from '../types.js';
import { netnsRunner, runCommand } from './exec.js';
import { createIptablesProxier } from './proxier.js';
import { renderRules } from './render.js';
import { makeEndpoint, makeService } from './testdata.js';

const quietLog = { debug() {}, info() {}, warn() {}, error() {}, v() { return quietLog; }, with() { return quietLog; } };

function state(n: number, shift = 0) {
  const services = new Map<string, ServicePortInfo>();
  const endpoints = new Map<string, Endpoint[]>();
  for (let i = 0; i < n; i++) {
    const ip = `10.43.${(i >> 8) & 255}.${i & 255}`;
    const svc = makeService(`ns${i % 50}`, `svc${i}`, 'http', { clusterIP: ip, port: 80, nodePort: i < 2000 ? 30000 + i : 0 });
    services.set(svc.key, svc);
    const base = 2 * i + (i === 0 ? shift : 0);
    endpoints.set(svc.key, [0, 1].map((k) => makeEndpoint(`10.42.${((base + k) >> 8) & 255}.${(base + k) & 255}`, 8080)));
  }
  return { services, endpoints };
}

// CPU time (ms) of this process plus its waited-for children (iptables-restore & co.): on a shared,
// loaded machine wall time mostly measures the queue for the CPU.
function cpuMs(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').slice(readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[15 - 2]) + Number(f[16 - 2]);
  const self = process.cpuUsage();
  return ticks * 10 + (self.user + self.system) / 1000;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('needs root (creates a network namespace)');
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  for (const n of sizes.length ? sizes : [1000, 10000]) {
    const ns = `skiff-ipt-bench-${randomBytes(3).toString('hex')}`;
    await runCommand(['ip', 'netns', 'add', ns]);
    try {
      const exec = netnsRunner(ns);
      const st = state(n);
      let t = performance.now();
      const r = renderRules({ state: st, clusterCIDR: '10.42.0.0/16' });
      const renderMs = performance.now() - t;
      const p = createIptablesProxier({ nodeName: 'n1', clusterCIDR: '10.42.0.0/16', exec, log: quietLog, conntrack: false });
      t = performance.now();
      await p.sync({ state: st, changed: null });
      const firstMs = performance.now() - t;
      t = performance.now();
      let c = cpuMs();
      await p.sync({ state: st, changed: null });
      const fullMs = performance.now() - t;
      const fullCpuMs = cpuMs() - c;
      // Time render + restore alone, as the periodic full resync would minus the jump checks.
      t = performance.now();
      c = cpuMs();
      const again = renderRules({ state: st, clusterCIDR: '10.42.0.0/16' });
      const rr = await exec(['iptables-restore', '--noflush', '--counters', '-w'], again.text);
      const renderRestoreMs = performance.now() - t;
      const renderRestoreCpuMs = cpuMs() - c;
      if (rr.code !== 0) throw new Error(rr.stderr);
      const st2 = state(n, 1);
      t = performance.now();
      const part = await p.sync({ state: st2, changed: new Set(['ns0/svc0:http']) });
      const partialMs = performance.now() - t;
      const line = {
        bench: 'proxy-iptables', case: `sync-${n}x2`, services: n, endpoints: 2 * n, rules: r.filterRules + r.natRules,
        bytes: r.text.length, largeClusterMode: r.largeClusterMode, renderMs: +renderMs.toFixed(1),
        firstFullSyncMs: +firstMs.toFixed(1), fullSyncMs: +fullMs.toFixed(1), renderPlusRestoreMs: +renderRestoreMs.toFixed(1),
        fullSyncCpuMs: Math.round(fullCpuMs), renderPlusRestoreCpuMs: Math.round(renderRestoreCpuMs), loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ')[0],
        partialSyncMs: +partialMs.toFixed(1), partialFull: part.full,
      };
      process.stdout.write(JSON.stringify(line) + '\n');
      await p.cleanup();
    } finally {
      await runCommand(['ip', 'netns', 'del', ns]);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
