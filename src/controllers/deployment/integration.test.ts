// The controller manager with the replicaset, replicationcontroller and deployment controllers
// against the in-process API server. With no scheduler or kubelet yet, a stand-in binds every pod,
// marks it Running and Ready, and finishes graceful deletions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing/inprocess.js';
import { RestClient, configFromLoaded, refs, type EventObject, type ResourceOps } from '../../client/index.js';
import { configureLogging } from '../../util/log.js';
import { waitFor } from '../../util/wait.js';
import type { Deployment, Pod, ReplicaSet, ReplicationController } from '../controller-utils/index.js';
import { defaultControllerManagerConfig, runControllerManager } from '../manager.js';
import { replicaSetDescriptor } from '../replicaset/index.js';
import { replicationControllerDescriptor } from '../replicationcontroller/index.js';
import { POD_TEMPLATE_HASH, REVISION, REVISION_HISTORY } from './annotations.js';
import { deploymentDescriptor } from './index.js';

configureLogging({ quiet: true });
const NS = 'apps';

let srv: TestServer;
let client: RestClient;
const stop = new AbortController();
let manager: Promise<void>;
let kubelet: Promise<void>;

/** Binds, starts and readies pods; completes deletions (what a scheduler and kubelet would do). */
async function fakeKubelet(pods: ResourceOps<Pod>, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      for (const p of (await pods.list()).items) {
        const name = p.metadata.name!;
        if (p.metadata.deletionTimestamp) {
          await pods.delete(name, { gracePeriodSeconds: 0 }).catch(() => undefined);
          continue;
        }
        if (!p.spec?.nodeName) {
          await pods.createSubresource(name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: 'node-1' } }).catch(() => undefined);
          continue;
        }
        if (p.status?.phase !== 'Running') {
          const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
          await pods.updateStatus({ ...p, status: { ...p.status, phase: 'Running', conditions: [...(p.status?.conditions ?? []), { type: 'Ready', status: 'True', lastTransitionTime: now }] } }).catch(() => undefined);
        }
      }
    } catch { /* keep going */ }
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  srv = await startTestServer();
  client = new RestClient(configFromLoaded(srv.credentials, { qps: -1, userAgent: 'controllers-integration' }));
  await client.resource(refs.namespaces).create({ metadata: { name: NS } });
  manager = runControllerManager({
    client, descriptors: [replicaSetDescriptor, replicationControllerDescriptor, deploymentDescriptor], controllers: ['*'],
    config: defaultControllerManagerConfig, signal: stop.signal,
  });
  kubelet = fakeKubelet(client.resource<Pod>(refs.pods).namespace(NS), stop.signal);
});

after(async () => {
  stop.abort();
  await manager;
  await kubelet;
  client?.close();
  await srv?.stop();
});

const deployments = () => client.resource<Deployment>(refs.deployments).namespace(NS);
const replicaSets = () => client.resource<ReplicaSet>(refs.replicasets).namespace(NS);

/** What kubectl rollout status waits for. */
async function rolledOut(name: string): Promise<Deployment> {
  return waitFor(async () => {
    const d = await deployments().get(name);
    const s = d.status;
    const p = s?.conditions?.find((c) => c.type === 'Progressing');
    const a = s?.conditions?.find((c) => c.type === 'Available');
    const want = d.spec!.replicas!;
    return (s?.observedGeneration ?? 0) >= d.metadata.generation! && s?.updatedReplicas === want && s.replicas === want
      && s.availableReplicas === want && p?.reason === 'NewReplicaSetAvailable' && a?.status === 'True' ? d : undefined;
  }, { timeoutMs: 30_000, intervalMs: 100, what: `deployment ${name} rolled out` });
}

test('a Deployment becomes available, rolls out a new image and rolls back', { timeout: 90_000 }, async () => {
  await deployments().create({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: {
      replicas: 5, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
    },
  });
  const d1 = await rolledOut('web');
  assert.equal(d1.metadata.annotations?.[REVISION], '1');
  const rs1 = (await replicaSets().list()).items;
  assert.equal(rs1.length, 1);
  const first = rs1[0]!;
  assert.equal(first.metadata.annotations?.[REVISION], '1');
  assert.equal((await client.resource<Pod>(refs.pods).namespace(NS).list({ labelSelector: `${POD_TEMPLATE_HASH}=${first.metadata.labels![POD_TEMPLATE_HASH]}` })).items.length, 5);

  await deployments().patch('web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
  const d2 = await rolledOut('web');
  assert.equal(d2.metadata.annotations?.[REVISION], '2');
  const after2 = (await replicaSets().list()).items;
  assert.equal(after2.length, 2);
  assert.equal(after2.find((r) => r.metadata.name === first.metadata.name)!.spec!.replicas, 0);
  const second = after2.find((r) => r.metadata.name !== first.metadata.name)!;
  assert.equal(second.spec!.replicas, 5);
  assert.equal(second.spec!.template!.spec!.containers[0]!.image, 'nginx:2');

  // Roll back as kubectl rollout undo does: put revision 1's template (without the hash label) back.
  const template = structuredClone(first.spec!.template!);
  delete template.metadata!.labels![POD_TEMPLATE_HASH];
  await deployments().patch('web', 'json', [{ op: 'replace', path: '/spec/template', value: template }]);
  const d3 = await rolledOut('web');
  assert.equal(d3.metadata.annotations?.[REVISION], '3');
  const after3 = (await replicaSets().list()).items;
  assert.equal(after3.length, 2, 'the first ReplicaSet is reused');
  const reused = after3.find((r) => r.metadata.name === first.metadata.name)!;
  assert.equal(reused.spec!.replicas, 5);
  assert.equal(reused.metadata.annotations?.[REVISION], '3');
  assert.equal(reused.metadata.annotations?.[REVISION_HISTORY], '1');
  assert.equal(after3.find((r) => r.metadata.name === second.metadata.name)!.spec!.replicas, 0);

  // Events name their controllers and objects as upstream's do.
  const events = (await client.resource<EventObject>(refs.events).namespace(NS).list()).items;
  const scaling = events.filter((e) => e.reason === 'ScalingReplicaSet');
  assert.ok(scaling.length >= 1);
  for (const e of scaling) {
    assert.equal(e.reportingController, 'deployment-controller');
    assert.deepEqual([e.regarding.kind, e.regarding.name], ['Deployment', 'web']);
    assert.match(e.note, /^Scaled (up|down) replica set web-\w+ from \d+ to \d+$/);
  }
  assert.ok(scaling.some((e) => /^Scaled up replica set web-\w+ from 0 to 5$/.test(e.note)));
  const created = events.find((e) => e.reason === 'SuccessfulCreate')!;
  assert.equal(created.reportingController, 'replicaset-controller');
  assert.equal(created.regarding.kind, 'ReplicaSet');
  assert.match(created.note, /^Created pod: web-\w+-\w+$/);
});

test('a ReplicationController keeps its replicas', { timeout: 60_000 }, async () => {
  const rcs = client.resource<ReplicationController>(refs.replicationcontrollers).namespace(NS);
  await rcs.create({
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy' },
    spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  });
  await waitFor(async () => (await rcs.get('legacy')).status?.readyReplicas === 2, { timeoutMs: 30_000, what: 'rc ready' });
  const pods = client.resource<Pod>(refs.pods).namespace(NS);
  const mine = (await pods.list({ labelSelector: 'app=legacy' })).items;
  assert.equal(mine.length, 2);
  // A deleted pod is replaced.
  await pods.delete(mine[0]!.metadata.name!, { gracePeriodSeconds: 0 });
  await waitFor(async () => {
    const now = (await pods.list({ labelSelector: 'app=legacy' })).items.filter((p) => !p.metadata.deletionTimestamp);
    return now.length === 2 && !now.some((p) => p.metadata.name === mine[0]!.metadata.name);
  }, { timeoutMs: 30_000, what: 'replacement pod' });
});
