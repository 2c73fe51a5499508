// Test fixtures for kubelet unit tests: a kubelet on a FakeRuntime, a FakeClient and a FakeClock,
// with fixed host facts, and a pod builder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../api/types.js';
import { FakeClient, refs } from '../client/index.js';
import { FakeClock } from '../util/clock.js';
import { waitFor } from '../util/wait.js';
import { startKubelet, type Kubelet } from './kubelet.js';
import { FakeRuntime, type FakeRuntimeOptions } from './runtime/index.js';
import type { Obj } from './types.js';

export const NODE = 'node-a';

export function makePod(name: string, spec: Obj = {}, meta: Obj = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...meta },
    spec: { nodeName: NODE, restartPolicy: 'Always', terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh'] }], ...spec },
    status: { phase: 'Pending' },
  };
}

export interface Harness {
  client: FakeClient;
  runtime: FakeRuntime;
  clock: FakeClock;
  kubelet: Kubelet;
  dataDir: string;
  pod(name: string): Promise<Obj>;
  /** Polls fn (real time) until truthy; resolves to its value without `false`. */
  until<T>(fn: () => T | Promise<T>, what: string): Promise<Exclude<NonNullable<T>, false | '' | 0>>;
  close(): Promise<void>;
}

export async function harness(opts: { objects?: KubeObject[]; runtime?: FakeRuntimeOptions; reserved?: Record<string, string> } = {}): Promise<Harness> {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const client = new FakeClient({ clock, objects: opts.objects ?? [] });
  const runtime = new FakeRuntime({ clock, ...opts.runtime });
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-kubelet-'));
  const kubelet = await startKubelet({
    client, runtime, nodeName: NODE, dataDir, clock, clusterDNS: '10.43.0.10', clusterDomain: 'cluster.local',
    privileged: false, ...(opts.reserved ? { reserved: opts.reserved } : {}),
    hostFacts: { capacity: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi', pods: '110' }, internalIP: '192.168.1.10', hostname: 'host', nodeInfo: { operatingSystem: 'linux', architecture: 'amd64' } },
  });
  const pods = client.resource(refs.pods).namespace('default');
  return {
    client, runtime, clock, kubelet, dataDir,
    pod: (name) => pods.get(name) as Promise<Obj>,
    until: <T>(fn: () => T | Promise<T>, what: string) => waitFor(fn, { timeoutMs: 5000, intervalMs: 5, what }) as Promise<Exclude<NonNullable<T>, false | '' | 0>>,
    async close() {
      await kubelet.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
