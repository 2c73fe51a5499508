// End-to-end: `skiff server` (controller manager + scheduler) with hollow nodes, driven by the real
// kubectl: deployments roll out and back, garbage collection cascades, namespaces empty themselves,
// silent nodes are tainted and their pods evicted, EndpointSlices follow ready pods, Jobs complete,
// CronJobs fire, and two controller managers share one lease.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, kubectl, kubectlOk, missingKubectl, startServer, startSkiff, type RunningProcess, type RunningServer } from './harness.js';

const skip = missingKubectl();

describe('controllers (kubectl 1.32, hollow nodes)', { skip }, () => {
  let srv: RunningServer;
  const procs: RunningProcess[] = [];
  const k = (args: string[], input?: string) => kubectlOk(srv, args, input === undefined ? {} : { input });
  const json = <T = any>(args: string[]): T => JSON.parse(k([...args, '-o', 'json'])) as T;

  before(async () => {
    // Short leases (renewed every second) so a silent node is noticed after 5 s.
    srv = await startServer(['--no-agent', '--node-monitor-grace-period', '5']);
    procs.push(await startSkiff(['hollow-nodes', '--kubeconfig', srv.kubeconfig, '--count', '3', '--node-lease-duration-seconds', '4'], 'hollow nodes are ready.'));
  });

  after(async () => {
    for (const p of procs) await p.stop();
    await srv?.stop();
  });

  test('deployment: available, rolling update, undo, scale, delete cascades', async () => {
    k(['create', 'deployment', 'web', '--image=registry.example/web:1', '--replicas=5']);
    k(['wait', '--for=condition=Available', 'deployment/web', '--timeout=60s']);
    assert.equal(json(['get', 'deployment', 'web']).status.availableReplicas, 5);

    k(['set', 'image', 'deployment/web', 'web=registry.example/web:2']);
    const status = k(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    assert.match(status, /successfully rolled out/);
    const rs = json<{ items: any[] }>(['get', 'rs', '-l', 'app=web']).items;
    assert.equal(rs.length, 2);
    assert.deepEqual(rs.map((r) => r.spec.replicas).sort(), [0, 5]);

    k(['rollout', 'undo', 'deployment/web']);
    k(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    assert.equal(json(['get', 'deployment', 'web']).spec.template.spec.containers[0].image, 'registry.example/web:1');
    assert.match(k(['rollout', 'history', 'deployment/web']), /REVISION/);

    k(['scale', 'deployment/web', '--replicas=2']);
    await eventually(() => json<{ items: unknown[] }>(['get', 'pods', '-l', 'app=web', '--field-selector', 'status.phase=Running']).items.length === 2 && json(['get', 'deployment', 'web']).status.replicas === 2, 'scaled to 2');

    k(['delete', 'deployment', 'web']);
    await eventually(() => json<{ items: unknown[] }>(['get', 'rs,pods', '-l', 'app=web']).items.length === 0, 'replica sets and pods of web to be garbage collected');
  });

  test('garbage collection: foreground waits for dependents, orphan leaves them', async () => {
    k(['create', 'deployment', 'fg', '--image=registry.example/fg:1', '--replicas=2']);
    k(['wait', '--for=condition=Available', 'deployment/fg', '--timeout=60s']);
    // kubectl waits until the owner is gone, which foreground deletion allows only after its dependents.
    k(['delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=60s']);
    assert.equal(json<{ items: unknown[] }>(['get', 'rs', '-l', 'app=fg']).items.length, 0);

    k(['create', 'deployment', 'orph', '--image=registry.example/orph:1', '--replicas=2']);
    k(['wait', '--for=condition=Available', 'deployment/orph', '--timeout=60s']);
    k(['delete', 'deployment', 'orph', '--cascade=orphan']);
    await eventually(() => kubectl(srv, ['get', 'deployment', 'orph']).code !== 0, 'orph deployment gone');
    const left = json<{ items: any[] }>(['get', 'rs', '-l', 'app=orph']).items;
    assert.equal(left.length, 1, 'the replica set is orphaned, not deleted');
    assert.equal((left[0].metadata.ownerReferences ?? []).length, 0, 'its owner reference is removed');
    assert.equal(json<{ items: unknown[] }>(['get', 'pods', '-l', 'app=orph']).items.length, 2);
  });

  test('deleting a namespace removes everything in it', async () => {
    k(['create', 'namespace', 'scratch']);
    k(['-n', 'scratch', 'create', 'deployment', 'x', '--image=registry.example/x:1', '--replicas=2']);
    k(['-n', 'scratch', 'create', 'configmap', 'c', '--from-literal=a=b']);
    await eventually(() => json<{ items: unknown[] }>(['-n', 'scratch', 'get', 'pods']).items.length === 2, 'pods in scratch');
    k(['delete', 'namespace', 'scratch', '--timeout=60s']);
    assert.notEqual(kubectl(srv, ['get', 'namespace', 'scratch']).code, 0);
  });

  test('service EndpointSlices track ready pods', async () => {
    k(['create', 'deployment', 'api', '--image=registry.example/api:1', '--replicas=3', '--port=8080']);
    k(['expose', 'deployment', 'api', '--port=80', '--target-port=8080']);
    const ready = () => json<{ items: any[] }>(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=api']).items
      .flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready).length;
    await eventually(() => ready() === 3, '3 ready endpoints');
    k(['scale', 'deployment/api', '--replicas=1']);
    await eventually(() => ready() === 1, '1 ready endpoint after scaling down');
    const ep = json(['get', 'endpoints', 'api']);
    assert.equal(ep.subsets[0].addresses.length, 1);
    assert.equal(ep.subsets[0].ports[0].port, 8080);
  });

  test('a Job with completions 5 and parallelism 2 completes; a CronJob creates a Job', async () => {
    k(['apply', '-f', '-'], `apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  completions: 5
  parallelism: 2
  template:
    metadata:
      annotations: {hollow.skiff.io/exit-after-seconds: "1"}
    spec:
      restartPolicy: Never
      containers: [{name: work, image: registry.example/work:1}]
`);
    let maxActive = 0;
    await eventually(() => {
      const j = json(['get', 'job', 'batch']);
      maxActive = Math.max(maxActive, j.status?.active ?? 0);
      return (j.status?.conditions ?? []).some((c: any) => c.type === 'Complete' && c.status === 'True');
    }, 'job batch to complete', 60_000);
    assert.equal(json(['get', 'job', 'batch']).status.succeeded, 5);
    assert.ok(maxActive <= 2, `at most 2 active pods (saw ${maxActive})`);

    k(['create', 'cronjob', 'tick', '--image=registry.example/tick:1', '--schedule=*/1 * * * *']);
    const job = await eventually(() => json<{ items: any[] }>(['get', 'jobs']).items.find((j) => j.metadata.ownerReferences?.[0]?.name === 'tick'), 'a job created by cronjob tick', 75_000);
    assert.match(job.metadata.name, /^tick-\d+$/);
  });

  test('a node that stops heartbeating becomes NotReady, is tainted, and its pods are evicted', async () => {
    const lone = await startSkiff(['hollow-nodes', '--kubeconfig', srv.kubeconfig, '--count', '1', '--name-prefix', 'lone-', '--start-index', '50', '--node-lease-duration-seconds', '4'], 'hollow nodes are ready.');
    k(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: doomed}
spec:
  nodeSelector: {kubernetes.io/hostname: lone-50}
  tolerations:
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
  containers: [{name: app, image: registry.example/app:1}]
`);
    await eventually(() => json(['get', 'pod', 'doomed']).status?.phase === 'Running', 'doomed running');
    lone.proc.kill('SIGKILL');
    await lone.stop();
    const node = await eventually(() => {
      const n = json(['get', 'node', 'lone-50']);
      const ready = (n.status.conditions ?? []).find((c: any) => c.type === 'Ready');
      return ready?.status === 'Unknown' && (n.spec.taints ?? []).some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? n : undefined;
    }, 'lone-50 NotReady with the unreachable taint', 30_000);
    assert.equal((node.status.conditions as any[]).find((c) => c.type === 'Ready').reason, 'NodeStatusUnknown');
    assert.match(k(['get', 'node', 'lone-50']), /NotReady/);
    // Evicted after tolerationSeconds: deleted (it stays Terminating while its kubelet is gone).
    await eventually(() => {
      const r = kubectl(srv, ['get', 'pod', 'doomed', '-o', 'json']);
      return r.code !== 0 || !!JSON.parse(r.stdout).metadata.deletionTimestamp;
    }, 'doomed to be evicted', 30_000);
  });
});

describe('two controller managers share one lease (kubectl 1.32)', { skip }, () => {
  let srv: RunningServer;
  const managers: RunningProcess[] = [];

  before(async () => {
    srv = await startServer(['--no-agent', '--disable-controller-manager']);
  });

  after(async () => {
    for (const m of managers) await m.stop();
    await srv?.stop();
  });

  test('only the leader acts; killing it hands over', async () => {
    const holder = () => JSON.parse(kubectlOk(srv, ['-n', 'kube-system', 'get', 'lease', 'kube-controller-manager', '-o', 'json'])).spec.holderIdentity as string;
    managers.push(await startSkiff(['controller-manager', '--kubeconfig', srv.kubeconfig], 'Controller manager is running'));
    const first = holder();
    const second = startSkiff(['controller-manager', '--kubeconfig', srv.kubeconfig], 'Controller manager is running', 60_000);
    // The standby does not start its controllers while the first holds the lease.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(holder(), first);
    kubectlOk(srv, ['create', 'deployment', 'ha', '--image=registry.example/ha:1']);
    await eventually(() => JSON.parse(kubectlOk(srv, ['get', 'rs', '-l', 'app=ha', '-o', 'json'])).items.length === 1, 'a replica set from the leader');
    const t0 = Date.now();
    managers[0]!.proc.kill('SIGKILL');
    managers.push(await second);
    assert.notEqual(holder(), first);
    const took = (Date.now() - t0) / 1000;
    assert.ok(took < 25, `handover took ${took} s`);
    kubectlOk(srv, ['scale', 'deployment/ha', '--replicas=3']);
    await eventually(() => JSON.parse(kubectlOk(srv, ['get', 'rs', '-l', 'app=ha', '-o', 'json'])).items[0]?.spec.replicas === 3, 'the new leader acts');
  });
});
