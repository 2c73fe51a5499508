// The job and cronjob controllers against an in-process API server through the REST client: a Job
// with completions 5 / parallelism 2 completes as the test marks its pods Succeeded (never more than
// two active), and a CronJob "*/1 * * * *" creates a Job (the cronjob controller's clock is a
// FakeClock set two minutes ahead, so the test does not wait for a minute boundary).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/testing/inprocess.js';
import type { KubeObject } from '../../api/types.js';
import { RestClient, SharedInformerFactory, configFromLoaded, refs } from '../../client/index.js';
import { FakeClock } from '../../util/clock.js';
import { configureLogging } from '../../util/log.js';
import { waitFor } from '../../util/wait.js';
import { CronJobController } from '../cronjob/index.js';
import { JobController } from './controller.js';
import { TRACKING_FINALIZER } from './pods.js';

configureLogging({ quiet: true });
type Obj = Record<string, any>;
const NS = 'jobs-it';

describe('job and cronjob controllers against the API server', { timeout: 120_000 }, () => {
  let srv: TestServer;
  let client: RestClient;
  let informers: SharedInformerFactory;
  const ac = new AbortController();
  const runs: Promise<void>[] = [];

  before(async () => {
    srv = await startTestServer();
    client = new RestClient(configFromLoaded(srv.credentials, { qps: -1, userAgent: 'skiff-job-it' }));
    await client.resource(refs.namespaces).create({ metadata: { name: NS } });
    informers = new SharedInformerFactory(client, { namespace: NS });
    const jobs = new JobController({ client, informers });
    const cronClock = new FakeClock(Date.now() + 120_000);
    const cron = new CronJobController({ client, informers, clock: cronClock });
    informers.start(ac.signal);
    assert.equal(await informers.waitForCacheSync(ac.signal), true);
    runs.push(jobs.run(2, ac.signal), cron.run(1, ac.signal));
  });

  after(async () => {
    ac.abort();
    await Promise.allSettled(runs);
    await informers?.shutdown();
    client?.close();
    await srv?.stop();
  });

  const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } };

  test('completions 5, parallelism 2: at most two active, Complete once five succeeded', async () => {
    const jobs = client.resource(refs.jobs).namespace(NS);
    const pods = client.resource(refs.pods).namespace(NS);
    const job = await jobs.create({ metadata: { name: 'five' }, spec: { completions: 5, parallelism: 2, template } } as KubeObject);
    const selector = `batch.kubernetes.io/controller-uid=${job.metadata.uid}`;
    let maxActive = 0;
    let marked = 0;
    await waitFor(async () => {
      const list = (await pods.list({ labelSelector: selector })).items as (KubeObject & { status?: Obj })[];
      const active = list.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp);
      maxActive = Math.max(maxActive, active.length);
      for (const p of active) {
        assert.ok(p.metadata.finalizers?.includes(TRACKING_FINALIZER), 'pods carry the tracking finalizer');
        await pods.patch(p.metadata.name!, 'merge', { status: { phase: 'Succeeded', conditions: [{ type: 'Ready', status: 'False' }] } }, { subresource: 'status' });
        marked++;
      }
      const cur = await jobs.get('five') as KubeObject & { status?: Obj };
      return (cur.status?.conditions ?? []).some((c: Obj) => c.type === 'Complete' && c.status === 'True') ? cur : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100, what: 'job five to complete' });
    const done = await jobs.get('five') as KubeObject & { status?: Obj };
    assert.equal(done.status!.succeeded, 5);
    assert.equal(done.status!.active, 0);
    assert.ok(done.status!.completionTime);
    assert.deepEqual(done.status!.conditions.map((c: Obj) => c.type), ['SuccessCriteriaMet', 'Complete']);
    assert.ok(maxActive <= 2, `at most 2 active (saw ${maxActive})`);
    assert.equal(marked, 5, 'exactly five pods were ever created and run');
    const left = (await pods.list({ labelSelector: selector })).items;
    assert.ok(left.every((p) => !p.metadata.finalizers?.includes(TRACKING_FINALIZER)), 'finalizers removed');
  });

  test('a CronJob */1 creates a Job owned by it', async () => {
    const cjs = client.resource(refs.cronjobs).namespace(NS);
    const cj = await cjs.create({ metadata: { name: 'every-minute' }, spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template } } } } as KubeObject);
    const job = await waitFor(async () => {
      const items = (await client.resource(refs.jobs).namespace(NS).list()).items;
      return items.find((j) => j.metadata.ownerReferences?.some((o) => o.uid === cj.metadata.uid));
    }, { timeoutMs: 30_000, intervalMs: 100, what: 'a job from the cronjob' });
    assert.match(job.metadata.name!, /^every-minute-\d+$/);
    assert.ok(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']);
    const status = await waitFor(async () => {
      const cur = await cjs.get('every-minute') as KubeObject & { status?: Obj };
      return cur.status?.active?.length ? cur.status : undefined;
    }, { timeoutMs: 10_000, what: 'cronjob status.active' });
    assert.equal(status.active[0].name, job.metadata.name);
    assert.ok(status.lastScheduleTime);
  });
});
