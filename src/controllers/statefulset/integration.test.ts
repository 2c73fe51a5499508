// StatefulSet and DaemonSet controllers against an in-process API server: ordered creation waiting
// for readiness, revisions and status through real validation; one pinned daemon pod per node.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing/inprocess.js';
import type { KubeObject } from '../../api/types.js';
import { RestClient, SharedInformerFactory, configFromLoaded, refs } from '../../client/index.js';
import { configureLogging } from '../../util/log.js';
import { waitFor } from '../../util/wait.js';
import { DaemonSetController } from '../daemonset/index.js';
import { StatefulSetController } from './controller.js';

configureLogging({ quiet: true });
type Obj = Record<string, any>;
const NS = 'sts-it';

describe('statefulset and daemonset controllers against the API server', { timeout: 120_000 }, () => {
  let srv: TestServer;
  let client: RestClient;
  let informers: SharedInformerFactory;
  const ac = new AbortController();
  const runs: Promise<void>[] = [];

  before(async () => {
    srv = await startTestServer();
    client = new RestClient(configFromLoaded(srv.credentials, { qps: -1, userAgent: 'skiff-sts-it' }));
    await client.resource(refs.namespaces).create({ metadata: { name: NS } });
    for (const n of ['n1', 'n2']) await client.resource(refs.nodes).create({ metadata: { name: n, labels: { 'kubernetes.io/hostname': n } } });
    informers = new SharedInformerFactory(client);
    const sts = new StatefulSetController({ client, informers });
    const ds = new DaemonSetController({ client, informers });
    informers.start(ac.signal);
    assert.equal(await informers.waitForCacheSync(ac.signal), true);
    runs.push(sts.run(2, ac.signal), ds.run(1, ac.signal));
  });

  after(async () => {
    ac.abort();
    await Promise.allSettled(runs);
    await informers?.shutdown();
    client?.close();
    await srv?.stop();
  });

  const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };
  const markReady = (name: string) => client.resource(refs.pods).namespace(NS).patch(name, 'merge', {
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] },
  }, { subresource: 'status' });

  test('OrderedReady: web-1 only after web-0 is Running and Ready; status and revisions', async () => {
    const sets = client.resource(refs.statefulsets).namespace(NS);
    const pods = client.resource(refs.pods).namespace(NS);
    await sets.create({
      metadata: { name: 'web' },
      spec: { replicas: 2, serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } },
    } as KubeObject);
    await waitFor(() => pods.get('web-0').catch(() => undefined), { timeoutMs: 10_000, what: 'web-0' });
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(pods.get('web-1'), 'web-1 waits for web-0');
    await markReady('web-0');
    await waitFor(() => pods.get('web-1').catch(() => undefined), { timeoutMs: 10_000, what: 'web-1' });
    await markReady('web-1');
    const st = await waitFor(async () => {
      const s = ((await sets.get('web')) as KubeObject & { status?: Obj }).status;
      return s?.readyReplicas === 2 && s.currentReplicas === 2 ? s : undefined;
    }, { timeoutMs: 10_000, what: 'status ready 2' });
    assert.equal(st.replicas, 2);
    assert.equal(st.updatedReplicas, 2);
    assert.equal(st.currentRevision, st.updateRevision);
    const revs = (await client.resource(refs.controllerrevisions).namespace(NS).list()).items;
    assert.ok(revs.some((r) => r.metadata.name === st.updateRevision));
    const p0 = await pods.get('web-0') as KubeObject & { spec?: Obj };
    assert.equal(p0.metadata.labels?.['controller-revision-hash'], st.updateRevision);
    assert.equal(p0.spec?.hostname, 'web-0');
    assert.equal(p0.spec?.subdomain, 'web');
  });

  test('DaemonSet: one pod per node, pinned by node affinity', async () => {
    await client.resource(refs.daemonsets).namespace(NS).create({
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: podSpec } },
    } as KubeObject);
    const pinned = await waitFor(async () => {
      const items = (await client.resource(refs.pods).namespace(NS).list({ labelSelector: 'app=agent' })).items as (KubeObject & { spec?: Obj })[];
      const nodes = items.map((p) => p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0]).sort();
      return nodes.length === 2 ? nodes : undefined;
    }, { timeoutMs: 10_000, what: 'two daemon pods' });
    assert.deepEqual(pinned, ['n1', 'n2']);
    const st = await waitFor(async () => {
      const s = ((await client.resource(refs.daemonsets).namespace(NS).get('agent')) as KubeObject & { status?: Obj }).status;
      return s?.desiredNumberScheduled === 2 ? s : undefined;
    }, { timeoutMs: 10_000, what: 'daemonset status' });
    assert.equal(st.numberMisscheduled, 0);
  });
});
