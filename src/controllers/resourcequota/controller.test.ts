// Resource quota controller tests: usage per resource and scope, status writes only on change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { fakeControllerEnv } from '../testing/index.js';
import { ResourceQuotaController } from './controller.js';

configureLogging({ quiet: true });
type Obj = Record<string, any>;
let n = 0;

function quota(hard: Record<string, string>, extra: Obj = {}, status?: Obj): KubeObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'ns', resourceVersion: '1' }, spec: { hard, ...extra }, ...(status ? { status } : {}) };
}

function pod(res: { requests?: Obj; limits?: Obj } | undefined, extra: Obj = {}, phase = 'Running'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${++n}`, namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'i', ...(res ? { resources: res } : {}) }], ...extra }, status: { phase },
  };
}

const obj = (apiVersion: string, kind: string, spec: Obj = {}): KubeObject => ({ apiVersion, kind, metadata: { name: `o${++n}`, namespace: 'ns' }, spec });

async function used(objs: KubeObject[], q: KubeObject) {
  const env = fakeControllerEnv([q, ...objs], { clock: new FakeClock() });
  const c = new ResourceQuotaController({ client: env.client, informers: env.ctx.informers, clock: env.clock });
  env.fillCaches();
  env.client.clearActions();
  await c.sync('ns/q');
  const w = env.writes();
  return { status: (w.at(-1)?.object as Obj | undefined)?.status, writes: w };
}

test('compute usage: requests, limits, cpu/memory aliases; terminal pods use none but still count', async () => {
  const hard = { pods: '10', 'count/pods': '10', 'requests.cpu': '4', 'requests.memory': '4Gi', 'limits.cpu': '8', 'limits.memory': '8Gi', cpu: '4', memory: '4Gi' };
  const { status } = await used([
    pod({ requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } }),
    pod({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '64Mi' } }),
    pod({ requests: { cpu: '2', memory: '1Gi' } }, {}, 'Succeeded'),
    pod(undefined),
  ], quota(hard));
  assert.deepEqual(status.hard, hard);
  assert.deepEqual(status.used, {
    'count/pods': '4', cpu: '750m', 'limits.cpu': '1500m', 'limits.memory': '320Mi', memory: '192Mi', pods: '3', 'requests.cpu': '750m', 'requests.memory': '192Mi',
  });
});

test('init containers raise requests to their maximum', async () => {
  const p = pod({ requests: { cpu: '100m' } }, { initContainers: [{ name: 'i', image: 'i', resources: { requests: { cpu: '1' } } }] });
  const { status } = await used([p], quota({ 'requests.cpu': '10' }));
  assert.equal(status.used['requests.cpu'], '1');
});

test('scopes: Terminating, NotTerminating, BestEffort (pods only), NotBestEffort, PriorityClass', async () => {
  const term = pod({ requests: { cpu: '1' } }, { activeDeadlineSeconds: 30 });
  const be = pod(undefined);
  const hi = pod({ requests: { cpu: '2' } }, { priorityClassName: 'high' });
  const objs = [term, be, hi];
  const cases: [Obj, Record<string, string>, Record<string, string>][] = [
    [{ scopes: ['Terminating'] }, { pods: '5', 'requests.cpu': '5' }, { pods: '1', 'requests.cpu': '1' }],
    [{ scopes: ['NotTerminating'] }, { pods: '5', 'requests.cpu': '5' }, { pods: '2', 'requests.cpu': '2' }],
    [{ scopes: ['BestEffort'] }, { pods: '5', 'requests.cpu': '5' }, { pods: '1' }],
    [{ scopes: ['NotBestEffort'] }, { pods: '5' }, { pods: '2' }],
    [{ scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }, { pods: '5', cpu: '9' }, { pods: '1', cpu: '2' }],
    [{ scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'DoesNotExist' }] } }, { pods: '5' }, { pods: '2' }],
  ];
  for (const [extra, hard, want] of cases) {
    const { status } = await used(objs, quota(hard, extra));
    assert.deepEqual(status.used, want, JSON.stringify(extra));
  }
});

test('object counts: services, node ports, load balancers, claims with storage classes, configmaps, secrets, count/<resource>.<group>', async () => {
  const hard = {
    services: '10', 'services.nodeports': '10', 'services.loadbalancers': '10', persistentvolumeclaims: '10', 'requests.storage': '100Gi',
    'fast.storageclass.storage.k8s.io/requests.storage': '50Gi', configmaps: '10', secrets: '10', 'count/deployments.apps': '10', 'count/jobs.batch': '5', resourcequotas: '1',
  };
  const { status } = await used([
    obj('v1', 'Service', { type: 'ClusterIP', ports: [{ port: 80 }] }),
    obj('v1', 'Service', { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] }),
    obj('v1', 'Service', { type: 'LoadBalancer', ports: [{ port: 443 }] }),
    obj('v1', 'PersistentVolumeClaim', { storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } }),
    obj('v1', 'PersistentVolumeClaim', { resources: { requests: { storage: '5Gi' } } }),
    obj('v1', 'ConfigMap'), obj('v1', 'Secret'), obj('v1', 'Secret'),
    obj('apps/v1', 'Deployment', { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [] } } }),
  ], quota(hard));
  assert.deepEqual(status.used, {
    configmaps: '1', 'count/deployments.apps': '1', 'count/jobs.batch': '0', 'fast.storageclass.storage.k8s.io/requests.storage': '10Gi',
    persistentvolumeclaims: '2', 'requests.storage': '15Gi', resourcequotas: '1', secrets: '2', services: '3', 'services.loadbalancers': '1', 'services.nodeports': '3',
  });
});

test('no write when status already matches; hard is rewritten when spec changes', async () => {
  const hard = { pods: '5' };
  const same = await used([pod(undefined)], quota(hard, {}, { hard, used: { pods: '1' } }));
  assert.equal(same.writes.length, 0);
  const changed = await used([pod(undefined)], quota({ pods: '6' }, {}, { hard, used: { pods: '1' } }));
  assert.deepEqual(changed.status.hard, { pods: '6' });
});

test('full resync every 5 minutes', async () => {
  const env = fakeControllerEnv([quota({ pods: '1' })], { clock: new FakeClock() });
  const c = new ResourceQuotaController({ client: env.client, informers: env.ctx.informers, clock: env.clock });
  env.fillCaches();
  const ac = new AbortController();
  const running = c.run(1, ac.signal);
  env.clock.advance(5 * 60_000);
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(env.client.filterActions({ resource: 'resourcequotas', writesOnly: true }).length >= 1);
  ac.abort();
  await running;
});
