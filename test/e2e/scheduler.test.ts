// End-to-end: `skiff server` (with its scheduler) plus `skiff hollow-nodes` processes, driven by the
// real kubectl. Pods land where kube-scheduler would put them; unschedulable pods show upstream's
// FailedScheduling message and schedule once a fitting node joins; priority preempts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, kubectl, kubectlOk, missingKubectl, startServer, startSkiff, type RunningProcess, type RunningServer } from './harness.js';

const skip = missingKubectl();

describe('scheduler with hollow nodes (kubectl 1.32)', { skip }, () => {
  let srv: RunningServer;
  const pools: RunningProcess[] = [];
  const hollow = async (args: string[]) => {
    pools.push(await startSkiff(['hollow-nodes', '--kubeconfig', srv.kubeconfig, ...args], 'hollow nodes are ready.'));
  };
  const k = (args: string[], input?: string) => kubectlOk(srv, args, input === undefined ? {} : { input });
  const nodeOf = (pod: string) => k(['get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}']).trim();
  const boundTo = (pod: string) => eventually(() => nodeOf(pod), `${pod} to be bound`);
  const apply = (yaml: string) => k(['apply', '-f', '-'], yaml);
  const pod = (name: string, spec: string, meta = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${meta}spec:
  containers:
  - name: app
    image: registry.example/app:1
${spec}`;

  before(async () => {
    srv = await startServer(['--no-agent']);
    // zone a: 0-1, zone b: 2-3 (32 cpu each); one tainted gpu node; one small node for preemption.
    await hollow(['--count', '2', '--start-index', '0', '--node-labels', 'topology.kubernetes.io/zone=a,pool=general']);
    await hollow(['--count', '2', '--start-index', '2', '--node-labels', 'topology.kubernetes.io/zone=b,pool=general']);
    await hollow(['--count', '1', '--name-prefix', 'gpu-', '--start-index', '10', '--node-labels', 'pool=gpu', '--register-with-taints', 'dedicated=gpu:NoSchedule']);
    await hollow(['--count', '1', '--name-prefix', 'small-', '--start-index', '20', '--cpu', '2', '--node-labels', 'pool=small']);
  });

  after(async () => {
    for (const p of pools) await p.stop();
    await srv?.stop();
  });

  test('nodeSelector and node affinity', async () => {
    apply(pod('sel-b', '  nodeSelector:\n    topology.kubernetes.io/zone: b\n'));
    assert.match(await boundTo('sel-b'), /^hollow-node-[23]$/);
    apply(pod('aff-a', `  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - {key: topology.kubernetes.io/zone, operator: In, values: [a]}
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        preference:
          matchExpressions:
          - {key: kubernetes.io/hostname, operator: In, values: [hollow-node-1]}
`));
    assert.equal(await boundTo('aff-a'), 'hollow-node-1');
  });

  test('taints and tolerations', async () => {
    apply(pod('gpu-no-tol', '  nodeSelector:\n    pool: gpu\n'));
    apply(pod('gpu-tol', '  nodeSelector:\n    pool: gpu\n  tolerations:\n  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}\n'));
    assert.equal(await boundTo('gpu-tol'), 'gpu-10');
    const msg = await eventually(() => {
      const out = k(['describe', 'pod', 'gpu-no-tol']);
      return /FailedScheduling/.test(out) ? out : undefined;
    }, 'FailedScheduling for gpu-no-tol');
    assert.match(msg, /0\/6 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 5 node\(s\) didn't match Pod's node affinity\/selector\. preemption: 0\/6 nodes are available: 6 Preemption is not helpful for scheduling\./);
    assert.equal(nodeOf('gpu-no-tol'), '');
  });

  test('pod anti-affinity and topology spread', async () => {
    for (let i = 0; i < 4; i++) {
      apply(pod(`spread-${i}`, `  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: DoNotSchedule
    labelSelector: {matchLabels: {app: spread}}
  nodeSelector:
    pool: general
`, '  labels:\n    app: spread\n'));
      await boundTo(`spread-${i}`);
    }
    const zones = [0, 1, 2, 3].map((i) => (Number(nodeOf(`spread-${i}`).split('-').pop()) < 2 ? 'a' : 'b'));
    assert.deepEqual(zones.sort(), ['a', 'a', 'b', 'b']);

    const anti = (name: string) => pod(name, `  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector: {matchLabels: {app: anti}}
  nodeSelector:
    pool: general
`, '  labels:\n    app: anti\n');
    for (let i = 0; i < 4; i++) {
      apply(anti(`anti-${i}`));
      await boundTo(`anti-${i}`);
    }
    assert.equal(new Set([0, 1, 2, 3].map((i) => nodeOf(`anti-${i}`))).size, 4, 'one anti-affinity pod per node');
    apply(anti('anti-4'));
    const out = await eventually(() => {
      const d = k(['describe', 'pod', 'anti-4']);
      return /FailedScheduling/.test(d) ? d : undefined;
    }, 'FailedScheduling for anti-4');
    assert.match(out, /4 node\(s\) didn't match pod anti-affinity rules/);
  });

  test('host ports and resource requests; a fitting node joining schedules the pending pod', async () => {
    const hp = (name: string) => pod(name, '    ports:\n    - {containerPort: 80, hostPort: 8080}\n  nodeSelector:\n    kubernetes.io/hostname: hollow-node-0\n');
    apply(hp('hp-1'));
    assert.equal(await boundTo('hp-1'), 'hollow-node-0');
    apply(hp('hp-2'));
    const d = await eventually(() => {
      const s = k(['describe', 'pod', 'hp-2']);
      return /FailedScheduling/.test(s) ? s : undefined;
    }, 'FailedScheduling for hp-2');
    assert.match(d, /1 node\(s\) didn't have free ports for the requested pod ports/);

    apply(pod('huge', '    resources:\n      requests: {cpu: "64"}\n'));
    const h = await eventually(() => {
      const s = k(['describe', 'pod', 'huge']);
      return /FailedScheduling/.test(s) ? s : undefined;
    }, 'FailedScheduling for huge');
    assert.match(h, /Insufficient cpu/);
    await hollow(['--count', '1', '--name-prefix', 'big-', '--start-index', '30', '--cpu', '96']);
    assert.equal(await boundTo('huge'), 'big-30');
  });

  test('a high-priority pod preempts a low-priority one on a full node', async () => {
    apply(`apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: low}
value: 1000
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000000
`);
    const small = (name: string, prio: string) => pod(name, `    resources:\n      requests: {cpu: 1500m}\n  priorityClassName: ${prio}\n  nodeSelector:\n    pool: small\n`);
    apply(small('victim', 'low'));
    assert.equal(await boundTo('victim'), 'small-20');
    apply(small('preemptor', 'high'));
    assert.equal(await boundTo('preemptor'), 'small-20');
    // The victim was evicted (the hollow kubelet completed its graceful deletion).
    await eventually(() => kubectl(srv, ['get', 'pod', 'victim']).code !== 0, 'victim to be gone');
    const events = k(['get', 'events', '--field-selector', 'involvedObject.name=victim', '-o', 'jsonpath={.items[*].reason}']);
    assert.match(events, /Preempted/);
  });
});
