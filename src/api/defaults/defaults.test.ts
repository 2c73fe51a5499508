// Defaulting tables: input object → expected fields after applyDefaults (upstream SetDefaults_*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults, DecodeError, pullPolicyFor } from './index.js';

type Obj = Record<string, any>;
const run = (group: string, kind: string, o: Obj): Obj => {
  const obj = structuredClone({ metadata: { name: 'x' }, ...o });
  applyDefaults(group, kind, obj as never);
  return obj;
};

test('pullPolicyFor: Always for :latest and untagged, IfNotPresent for tags and digests', () => {
  const table: [string, string][] = [
    ['nginx', 'Always'], ['nginx:latest', 'Always'], ['nginx:1.25', 'IfNotPresent'], ['registry:5000/app', 'Always'],
    ['registry:5000/app:v1', 'IfNotPresent'], ['nginx@sha256:abc', 'IfNotPresent'], ['', 'Always'],
  ];
  for (const [image, want] of table) assert.equal(pullPolicyFor(image), want, image);
});

test('Pod: PodSpec, container, probe, volume and pod-only defaults', () => {
  const pod = run('', 'Pod', {
    spec: {
      containers: [{
        name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }],
        resources: { limits: { cpu: '0.5', memory: '1.5Gi' } },
        env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        livenessProbe: { httpGet: { port: 80 } },
      }],
      initContainers: [{ name: 'i', image: 'busybox' }],
      volumes: [{ name: 'a' }, { name: 'b', configMap: { name: 'cm' } }, { name: 'c', hostPath: { path: '/x' } }],
    },
  });
  const s = pod.spec;
  assert.equal(s.restartPolicy, 'Always');
  assert.equal(s.dnsPolicy, 'ClusterFirst');
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.equal(s.schedulerName, 'default-scheduler');
  assert.deepEqual(s.securityContext, {});
  assert.equal(s.enableServiceLinks, true);
  const c = s.containers[0];
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(c.resources, { limits: { cpu: '500m', memory: '1536Mi' }, requests: { cpu: '500m', memory: '1536Mi' } });
  assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.equal(s.initContainers[0].imagePullPolicy, 'Always');
  assert.deepEqual(s.initContainers[0].resources, {});
  assert.deepEqual(s.volumes[0], { name: 'a', emptyDir: {} });
  assert.equal(s.volumes[1].configMap.defaultMode, 420);
  assert.equal(s.volumes[2].hostPath.type, '');
});

test('Pod: client values win; hostNetwork copies container ports to host ports', () => {
  const pod = run('', 'Pod', { spec: { hostNetwork: true, restartPolicy: 'Never', terminationGracePeriodSeconds: 0, enableServiceLinks: false, containers: [{ name: 'c', image: 'i', imagePullPolicy: 'Never', ports: [{ containerPort: 8080, protocol: 'UDP' }] }] } });
  assert.equal(pod.spec.restartPolicy, 'Never');
  assert.equal(pod.spec.terminationGracePeriodSeconds, 0);
  assert.equal(pod.spec.enableServiceLinks, false);
  assert.equal(pod.spec.containers[0].imagePullPolicy, 'Never');
  assert.deepEqual(pod.spec.containers[0].ports[0], { containerPort: 8080, protocol: 'UDP', hostPort: 8080 });
});

test('quantities are canonicalised and rounded up to milli; a bad one is a DecodeError with upstream text', () => {
  const pod = run('', 'Pod', { spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '1n', memory: 1000, 'ephemeral-storage': '1e3', 'example.com/gpu': '2' } } }] } });
  assert.deepEqual(pod.spec.containers[0].resources.requests, { cpu: '1m', memory: '1k', 'ephemeral-storage': '1e3', 'example.com/gpu': '2' });
  assert.throws(() => run('', 'Pod', { spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 'lots' } } }] } }),
    (err: unknown) => err instanceof DecodeError && err.message === "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  const pvc = run('', 'PersistentVolumeClaim', { spec: { resources: { requests: { storage: '1024Mi' } } } });
  assert.equal(pvc.spec.resources.requests.storage, '1Gi');
  assert.equal(pvc.spec.volumeMode, 'Filesystem');
  assert.equal(pvc.status.phase, 'Pending');
});

test('pod templates get PodSpec defaults but not the pod-only ones', () => {
  const d = run('apps', 'Deployment', { spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1' } } }] } } } });
  const ts = d.spec.template.spec;
  assert.equal(ts.enableServiceLinks, undefined);
  assert.equal(ts.containers[0].resources.requests, undefined);
  assert.equal(ts.restartPolicy, 'Always');
  assert.equal(ts.containers[0].imagePullPolicy, 'Always');
});

test('workload defaults: Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController', () => {
  const d = run('apps', 'Deployment', { spec: { template: { spec: { containers: [] } } } });
  assert.deepEqual({ replicas: d.spec.replicas, strategy: d.spec.strategy, rhl: d.spec.revisionHistoryLimit, pds: d.spec.progressDeadlineSeconds },
    { replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, rhl: 10, pds: 600 });
  const recreate = run('apps', 'Deployment', { spec: { strategy: { type: 'Recreate' } } });
  assert.deepEqual(recreate.spec.strategy, { type: 'Recreate' });
  const sts = run('apps', 'StatefulSet', { spec: {} });
  assert.deepEqual(sts.spec, {
    podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' }, replicas: 1, revisionHistoryLimit: 10,
  });
  const stsOnDelete = run('apps', 'StatefulSet', { spec: { updateStrategy: { type: 'RollingUpdate' } } });
  assert.deepEqual(stsOnDelete.spec.updateStrategy, { type: 'RollingUpdate' });
  const ds = run('apps', 'DaemonSet', { spec: {} });
  assert.deepEqual(ds.spec, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
  assert.deepEqual(run('apps', 'ReplicaSet', { spec: {} }).spec, { replicas: 1 });
  const rc = run('', 'ReplicationController', { spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [] } } } });
  assert.deepEqual(rc.spec.selector, { app: 'x' });
  assert.deepEqual(rc.metadata.labels, { app: 'x' });
  assert.equal(rc.spec.replicas, 1);
});

test('batch defaults: Job, and CronJob whose jobTemplate gets only pod template defaults', () => {
  const job = run('batch', 'Job', { spec: { template: { metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'Never', containers: [] } } } });
  assert.deepEqual(
    { c: job.spec.completions, p: job.spec.parallelism, b: job.spec.backoffLimit, m: job.spec.completionMode, s: job.spec.suspend, r: job.spec.podReplacementPolicy },
    { c: 1, p: 1, b: 6, m: 'NonIndexed', s: false, r: 'TerminatingOrFailed' },
  );
  assert.deepEqual(job.metadata.labels, { a: 'b' });
  const parallel = run('batch', 'Job', { spec: { parallelism: 3, podFailurePolicy: { rules: [] } } });
  assert.equal(parallel.spec.completions, undefined);
  assert.equal(parallel.spec.podReplacementPolicy, 'Failed');
  const noRestart = run('batch', 'Job', { spec: { template: { spec: { containers: [] } } } });
  assert.equal(noRestart.spec.template.spec.restartPolicy, 'Always', 'upstream leaves it to validation to reject');
  const cj = run('batch', 'CronJob', { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } } });
  assert.deepEqual({ c: cj.spec.concurrencyPolicy, s: cj.spec.suspend, ok: cj.spec.successfulJobsHistoryLimit, f: cj.spec.failedJobsHistoryLimit }, { c: 'Allow', s: false, ok: 3, f: 1 });
  assert.equal(cj.spec.jobTemplate.spec.backoffLimit, undefined);
  assert.equal(cj.spec.jobTemplate.spec.template.spec.dnsPolicy, 'ClusterFirst');
});

test('Service defaults by type', () => {
  const table: [Obj, Obj][] = [
    [{ ports: [{ port: 80 }] }, { type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }],
    [{ type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] }, { type: 'NodePort', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], ports: [{ port: 80, protocol: 'TCP', targetPort: 'http' }] }],
    [{ type: 'LoadBalancer', ports: [{ port: 80 }] }, { type: 'LoadBalancer', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true, ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }],
    [{ type: 'ExternalName', externalName: 'example.com' }, { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' }],
    [{ sessionAffinity: 'ClientIP', ports: [{ port: 1 }] }, { type: 'ClusterIP', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } }, internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], ports: [{ port: 1, protocol: 'TCP', targetPort: 1 }] }],
  ];
  for (const [spec, want] of table) {
    const svc = run('', 'Service', { spec });
    assert.deepEqual(svc.spec, want, JSON.stringify(spec));
    assert.deepEqual(svc.status, { loadBalancer: {} });
  }
});

test('other groups: Secret, Namespace, PV, HPA, NetworkPolicy, RBAC, PriorityClass, EndpointSlice, StorageClass', () => {
  const secret = run('', 'Secret', { data: { a: 'YQ==' }, stringData: { b: 'hello', a: 'over' } });
  assert.deepEqual(secret, { metadata: { name: 'x' }, type: 'Opaque', data: { a: 'b3Zlcg==', b: 'aGVsbG8=' } });
  const ns = run('', 'Namespace', {});
  assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'x' });
  assert.deepEqual(ns.status, { phase: 'Active' });
  const pv = run('', 'PersistentVolume', { spec: { capacity: { storage: '5000Mi' } } });
  assert.deepEqual({ r: pv.spec.persistentVolumeReclaimPolicy, m: pv.spec.volumeMode, c: pv.spec.capacity.storage, p: pv.status.phase }, { r: 'Retain', m: 'Filesystem', c: '5000Mi', p: 'Pending' });
  const hpa = run('autoscaling', 'HorizontalPodAutoscaler', { spec: { maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } });
  assert.equal(hpa.spec.minReplicas, 1);
  assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual(hpa.spec.behavior.scaleDown, { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], selectPolicy: 'Max' });
  assert.equal(hpa.spec.behavior.scaleUp.policies.length, 2);
  const bare = run('autoscaling', 'HorizontalPodAutoscaler', { spec: { maxReplicas: 3, behavior: {} } });
  assert.deepEqual(bare.spec.behavior.scaleDown, { policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], selectPolicy: 'Max' });
  assert.deepEqual(bare.spec.behavior.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
  assert.deepEqual(run('networking.k8s.io', 'NetworkPolicy', { spec: { podSelector: {} } }).spec.policyTypes, ['Ingress']);
  const np = run('networking.k8s.io', 'NetworkPolicy', { spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } });
  assert.deepEqual(np.spec.policyTypes, ['Ingress', 'Egress']);
  assert.equal(np.spec.egress[0].ports[0].protocol, 'TCP');
  const rb = run('rbac.authorization.k8s.io', 'RoleBinding', { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's', namespace: 'n' }] });
  assert.equal(rb.roleRef.apiGroup, 'rbac.authorization.k8s.io');
  assert.deepEqual(rb.subjects.map((s: Obj) => s.apiGroup), ['rbac.authorization.k8s.io', '']);
  assert.equal(run('scheduling.k8s.io', 'PriorityClass', { value: 5 }).preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(run('discovery.k8s.io', 'EndpointSlice', { addressType: 'IPv4', ports: [{ port: 80 }] }).ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  const sc = run('storage.k8s.io', 'StorageClass', { provisioner: 'p' });
  assert.deepEqual({ r: sc.reclaimPolicy, v: sc.volumeBindingMode }, { r: 'Delete', v: 'Immediate' });
});
