// Strategic merge patches on built-in kinds: the examples of the Kubernetes docs page "Update API
// Objects in Place Using kubectl patch", and the bodies kubectl sends for set image / set env /
// apply / rollout / debug / taint (kubectl-wire.md §7.2, §9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic.js';
import { StatusError } from '../../util/errors.js';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const POD = { group: '', version: 'v1', kind: 'Pod' };

/** The docs' deployment-patch.yaml. */
const patchDemo = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'patch-demo' },
  spec: {
    replicas: 2, selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        containers: [{ name: 'patch-demo-ctr', image: 'nginx' }],
        tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }],
      },
    },
  },
};

type PodSpecish = { containers: Record<string, unknown>[]; tolerations?: unknown[]; [k: string]: unknown };
const podSpec = (d: unknown): PodSpecish => (d as { spec: { template: { spec: PodSpecish } } }).spec.template.spec;

void test('docs: patch-file.yaml adds a container (merged by name, patch items first)', () => {
  const out = applyStrategicMergePatch(patchDemo,
    { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } } } }, DEPLOYMENT);
  // The docs show redis listed before nginx in the patched Deployment.
  assert.deepEqual(podSpec(out).containers, [{ name: 'patch-demo-ctr-2', image: 'redis' }, { name: 'patch-demo-ctr', image: 'nginx' }]);
  assert.deepEqual(podSpec(patchDemo).containers, [{ name: 'patch-demo-ctr', image: 'nginx' }], 'input untouched');
});

void test('docs: patch-file-tolerations.yaml replaces the tolerations list (no patch strategy)', () => {
  const out = applyStrategicMergePatch(patchDemo,
    { spec: { template: { spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] } } } }, DEPLOYMENT);
  assert.deepEqual(podSpec(out).tolerations, [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }]);
});

void test('docs: retainKeys on the deployment strategy', () => {
  const retainDemo = {
    metadata: { name: 'retainkeys-demo' },
    spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: '25%' } }, template: { spec: { containers: [] } } },
  };
  // Without the directive, rollingUpdate survives (which validation then rejects for Recreate).
  const plain = applyStrategicMergePatch(retainDemo, { spec: { strategy: { type: 'Recreate' } } }, DEPLOYMENT) as typeof retainDemo;
  assert.deepEqual(plain.spec.strategy, { type: 'Recreate', rollingUpdate: { maxSurge: '30%', maxUnavailable: '25%' } });
  // patch-file-retainkeys.yaml
  const kept = applyStrategicMergePatch(retainDemo, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, DEPLOYMENT) as typeof retainDemo;
  assert.deepEqual(kept.spec.strategy, { type: 'Recreate' });
});

void test('docs: $patch: replace on a map and on a list', () => {
  const out = applyStrategicMergePatch(patchDemo, {
    spec: { template: { metadata: { labels: { $patch: 'replace', tier: 'web' } }, spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'busybox' }] } } },
  }, DEPLOYMENT);
  const t = (out as { spec: { template: { metadata: { labels: unknown } } } }).spec.template;
  assert.deepEqual(t.metadata.labels, { tier: 'web' });
  assert.deepEqual(podSpec(out).containers, [{ name: 'only', image: 'busybox' }]);
});

void test('kubectl set image, set env and apply-generated patches', () => {
  const web = {
    metadata: { name: 'web' },
    spec: { template: { spec: { containers: [
      { name: 'nginx', image: 'nginx:1.24', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
      { name: 'sidecar', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
    ] } } },
  };
  // kubectl set image deployment/web nginx=nginx:1.25
  const img = applyStrategicMergePatch(web, { spec: { template: { spec: { containers: [{ image: 'nginx:1.25', name: 'nginx' }] } } } }, DEPLOYMENT);
  assert.equal(podSpec(img).containers[0]!.image, 'nginx:1.25');
  assert.equal(podSpec(img).containers[1]!.name, 'sidecar');

  // kubectl set env deployment/web FOO=bar (as observed, kubectl-wire.md §7.2)
  const env = applyStrategicMergePatch(web, {
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ env: [{ name: 'FOO', value: 'bar' }], name: 'nginx' }] } } },
  }, DEPLOYMENT);
  // Env merges by name (patch items first); the sidecar the order list does not name stays, after it.
  assert.deepEqual(podSpec(env).containers.map((c) => c.name), ['nginx', 'sidecar']);
  assert.deepEqual(podSpec(env).containers[0]!.env, [{ name: 'FOO', value: 'bar' }, { name: 'A', value: '1' }]);

  // kubectl apply after removing the sidecar and changing a port and an env var (three-way diff).
  const applied = applyStrategicMergePatch(web, {
    spec: { template: { spec: {
      '$setElementOrder/containers': [{ name: 'nginx' }],
      containers: [
        { name: 'nginx', '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'A', value: '2' }],
          '$setElementOrder/ports': [{ containerPort: 8080 }], ports: [{ containerPort: 8080 }, { $patch: 'delete', containerPort: 80 }] },
        { $patch: 'delete', name: 'sidecar' },
      ],
    } } },
  }, DEPLOYMENT);
  assert.deepEqual(podSpec(applied).containers, [
    { name: 'nginx', image: 'nginx:1.24', env: [{ name: 'A', value: '2' }], ports: [{ containerPort: 8080 }] },
  ]);

  // A container removed with $patch: delete alone (kubectl patch).
  const del = applyStrategicMergePatch(web, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }, DEPLOYMENT);
  assert.deepEqual(podSpec(del).containers.map((c) => c.name), ['nginx']);
  // volumeMounts merge by mountPath.
  const vm = applyStrategicMergePatch(web, {
    spec: { template: { spec: { containers: [{ name: 'sidecar', volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }] }] } } },
  }, DEPLOYMENT);
  assert.deepEqual(podSpec(vm).containers[1]!.volumeMounts, [{ name: 'data', mountPath: '/data', readOnly: true }]);
});

void test('kubectl apply: annotations, labels and data of a ConfigMap (no special fields)', () => {
  const cm = { metadata: { name: 'c', labels: { team: 'y' }, annotations: { a: 'x' } }, data: { k: 'v', old: 'o' } };
  const out = applyStrategicMergePatch(cm, {
    data: { k: 'v2', k2: 'new', old: null },
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' }, labels: { team: 'z' } },
  }, { group: '', version: 'v1', kind: 'ConfigMap' });
  assert.deepEqual(out, {
    metadata: { name: 'c', labels: { team: 'z' }, annotations: { a: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
    data: { k: 'v2', k2: 'new' },
  });
});

void test('metadata: finalizers merge as a set, $deleteFromPrimitiveList removes, ownerReferences merge by uid', () => {
  const cm = { metadata: { name: 'c', finalizers: ['a', 'b'], ownerReferences: [{ uid: '1', kind: 'X', name: 'x' }] } };
  const GVK = { group: '', version: 'v1', kind: 'ConfigMap' };
  const add = applyStrategicMergePatch(cm, { metadata: { finalizers: ['c', 'a'] } }, GVK) as typeof cm;
  assert.deepEqual(add.metadata.finalizers, ['c', 'a', 'b']);
  const del = applyStrategicMergePatch(cm, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, GVK) as typeof cm;
  assert.deepEqual(del.metadata.finalizers, ['b']);
  const own = applyStrategicMergePatch(cm, { metadata: { ownerReferences: [{ uid: '1', controller: true }, { uid: '2', kind: 'Y', name: 'y' }] } }, GVK) as typeof cm;
  assert.deepEqual(own.metadata.ownerReferences, [{ uid: '1', kind: 'X', name: 'x', controller: true }, { uid: '2', kind: 'Y', name: 'y' }]);
});

void test('every pod-template path merges containers by name', () => {
  const c = (image: string): unknown => ({ containers: [{ name: 'a', image }, { name: 'b', image: 'b' }] });
  // [group, kind, wraps a pod spec at the kind's pod-template path]
  const cases: [string, string, (s: unknown) => unknown][] = [
    ['apps', 'Deployment', (s) => ({ spec: { template: { spec: s } } })],
    ['apps', 'ReplicaSet', (s) => ({ spec: { template: { spec: s } } })],
    ['apps', 'StatefulSet', (s) => ({ spec: { template: { spec: s } } })],
    ['apps', 'DaemonSet', (s) => ({ spec: { template: { spec: s } } })],
    ['batch', 'Job', (s) => ({ spec: { template: { spec: s } } })],
    ['batch', 'CronJob', (s) => ({ spec: { jobTemplate: { spec: { template: { spec: s } } } } })],
    ['', 'ReplicationController', (s) => ({ spec: { template: { spec: s } } })],
    ['', 'PodTemplate', (s) => ({ template: { spec: s } })],
    ['', 'Pod', (s) => ({ spec: s })],
  ];
  for (const [group, kind, wrap] of cases) {
    const out = applyStrategicMergePatch(wrap(c('old')), wrap({ containers: [{ name: 'a', image: 'new' }] }), { group, version: 'v1', kind });
    assert.deepEqual(out, wrap(c('new')), `${group}/${kind}`);
  }
});

void test('kubectl rollout pause/resume/restart, debug, taint and status patches', () => {
  const d = { spec: { paused: true, template: { metadata: { annotations: { x: '1' } } } } };
  assert.deepEqual(applyStrategicMergePatch(d, { spec: { paused: null } }, DEPLOYMENT), { spec: { template: { metadata: { annotations: { x: '1' } } } } });
  const restarted = applyStrategicMergePatch(d, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T07:23:46Z' } } } } }, DEPLOYMENT);
  assert.deepEqual((restarted as typeof d).spec.template.metadata.annotations, { x: '1', 'kubectl.kubernetes.io/restartedAt': '2026-11-22T07:23:46Z' });

  // kubectl debug: pods/<n>/ephemeralcontainers, merged by name.
  const pod = { spec: { containers: [{ name: 'app' }], ephemeralContainers: [{ name: 'debugger-1', image: 'busybox' }] } };
  const dbg = applyStrategicMergePatch(pod, { spec: { ephemeralContainers: [{ name: 'debugger-2', image: 'busybox', targetContainerName: 'app' }] } }, POD);
  assert.deepEqual((dbg as typeof pod).spec.ephemeralContainers.map((c) => c.name), ['debugger-2', 'debugger-1']);

  // kubectl taint sends the whole list: taints have no strategy; podCIDRs merge as a set.
  const node = { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }], podCIDRs: ['10.42.0.0/24'] }, status: {
    conditions: [{ type: 'Ready', status: 'False' }, { type: 'MemoryPressure', status: 'False' }],
    addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
  } };
  const NODE = { group: '', version: 'v1', kind: 'Node' };
  const tainted = applyStrategicMergePatch(node, { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } }, NODE) as typeof node;
  assert.deepEqual(tainted.spec.taints, [{ key: 'b', effect: 'NoExecute' }]);
  // Kubelet-style status patch: conditions and addresses merge by type.
  const st = applyStrategicMergePatch(node, { status: {
    '$setElementOrder/conditions': [{ type: 'Ready' }, { type: 'MemoryPressure' }],
    conditions: [{ type: 'Ready', status: 'True' }],
    addresses: [{ type: 'Hostname', address: 'n1' }],
  } }, NODE) as typeof node;
  assert.deepEqual(st.status.conditions, [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }]);
  assert.deepEqual(st.status.addresses, [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '10.0.0.1' }]);

  // Service ports merge by port.
  const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
  const sp = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, { group: '', version: 'v1', kind: 'Service' }) as typeof svc;
  assert.deepEqual(sp.spec.ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);

  // A PodDisruptionBudget's selector has strategy "replace".
  const pdb = { spec: { selector: { matchLabels: { a: '1' } } } };
  const pp = applyStrategicMergePatch(pdb, { spec: { selector: { matchLabels: { b: '2' } } } }, { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' });
  assert.deepEqual(pp, { spec: { selector: { matchLabels: { b: '2' } } } });

  // Deployment status conditions (status subresource).
  const ds = { status: { conditions: [{ type: 'Available', status: 'False' }, { type: 'Progressing', status: 'True' }] } };
  const dsOut = applyStrategicMergePatch(ds, { status: { conditions: [{ type: 'Available', status: 'True' }] } }, DEPLOYMENT) as typeof ds;
  assert.deepEqual(dsOut.status.conditions, [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True' }]);
});

void test('custom resources are refused with 415 as upstream; subresource kinds are accepted', () => {
  assert.throws(() => applyStrategicMergePatch({}, { spec: {} }, { group: 'example.com', version: 'v1', kind: 'Widget' }), (e: unknown) =>
    e instanceof StatusError && e.code === 415 &&
    e.message === 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  assert.deepEqual(applyStrategicMergePatch({ spec: { replicas: 1 } }, { spec: { replicas: 3 } }, { group: 'autoscaling', version: 'v1', kind: 'Scale' }),
    { spec: { replicas: 3 } });
});
