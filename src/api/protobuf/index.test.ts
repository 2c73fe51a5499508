import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../util/errors.js';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from './index.js';
import { envelope, mapEntry, mapEntryBytes, bytes, msg, objectMeta, str, vint, fixed32 } from './testing.js';

function badRequest(fn: () => unknown, match?: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' &&
    (match === undefined || match.test(e.message)));
}

void test('isKubernetesProtobuf matches the media type, ignoring parameters and case', () => {
  assert.equal(isKubernetesProtobuf('application/vnd.kubernetes.protobuf'), true);
  assert.equal(isKubernetesProtobuf('Application/VND.Kubernetes.Protobuf ; stream=watch'), true);
  assert.equal(isKubernetesProtobuf('application/json'), false);
  assert.equal(isKubernetesProtobuf('application/vnd.kubernetes.protobuf+x'), false);
  assert.equal(isKubernetesProtobuf(''), false);
  assert.equal(isKubernetesProtobuf(undefined), false);
});

void test('kubectl-wire.md §8.2: `kubectl create configmap cm-lit --from-literal=a=b`, byte for byte', () => {
  const body = Buffer.from(
    '6b387300' + '0a0f' + '0a02' + '7631' + '1209' + Buffer.from('ConfigMap').toString('hex') +
    '1220' + '0a16' + '0a06' + Buffer.from('cm-lit').toString('hex') + '1200' + '1a00' + '2200' + '2a00' + '3200' +
    '3800' + '4200' + '1206' + '0a0161' + '120162' + '1a00' + '2200', 'hex');
  assert.deepEqual(decodeKubernetesProtobuf(body), {
    kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cm-lit' }, data: { a: 'b' },
  });
});

void test('kubectl-wire.md §8.2: `kubectl auth can-i create pods`', () => {
  const attrs = Buffer.concat([str(1, 'default'), str(2, 'create'), str(3, ''), str(4, ''), str(5, 'pods'), str(6, ''), str(7, '')]);
  const raw = Buffer.concat([
    msg(1, objectMeta('')),
    msg(2, msg(1, attrs)),
    msg(3, vint(1, false), str(2, ''), str(3, ''), vint(4, false)),
  ]);
  assert.deepEqual(decodeKubernetesProtobuf(envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', raw)), {
    kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1',
    metadata: {},
    spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
    status: { allowed: false },
  });
});

/** A container as gogo writes it: all non-pointer scalars present even when empty. */
function container(name: string, image: string, ports: Buffer[]): Buffer {
  return Buffer.concat([
    str(1, name), str(2, image), str(5, ''), ...ports, msg(8), str(13, ''), str(14, ''),
    vint(16, false), vint(17, false), vint(18, false), str(20, ''),
  ]);
}

void test('a Deployment with a pod template decodes to what `-o json` shows', () => {
  const labels = mapEntry(11, 'app', 'web');
  const port = msg(6, str(1, ''), vint(2, 0), vint(3, 80), str(4, 'TCP'), str(5, ''));
  const podSpec = Buffer.concat([
    msg(2, container('nginx', 'nginx:1.27', [port])), str(3, ''), str(6, ''), str(8, ''), str(9, ''), str(10, ''),
    vint(11, false), vint(12, false), vint(13, false), str(16, ''), str(17, ''), str(19, ''), str(24, ''),
  ]);
  const spec = Buffer.concat([
    vint(1, 3),
    msg(2, mapEntry(1, 'app', 'web')),
    msg(3, msg(1, objectMeta('', [labels])), msg(2, podSpec)),
    msg(4, str(1, '')),
    vint(5, 0), vint(7, false),
  ]);
  const status = Buffer.concat([vint(1, 0), vint(2, 0), vint(3, 0), vint(4, 0), vint(5, 0), vint(7, 0)]);
  const raw = Buffer.concat([msg(1, objectMeta('web', [labels])), msg(2, spec), msg(3, status)]);
  assert.deepEqual(decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', raw)), {
    kind: 'Deployment', apiVersion: 'apps/v1',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }] },
      },
      strategy: {},
    },
    status: {},
  });
});

void test('replicas: 0 is kept (a pointer in Go), minReadySeconds: 0 is not (omitempty)', () => {
  const raw = Buffer.concat([msg(1, objectMeta('z')), msg(2, vint(1, 0), vint(5, 0))]);
  const obj = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', raw));
  assert.deepEqual(obj.spec, { replicas: 0 });
});

void test('a Secret with binary data: values become base64, as in JSON', () => {
  const bin = Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]);
  const raw = Buffer.concat([
    msg(1, objectMeta('s')),
    mapEntryBytes(2, 'bin', bin),
    mapEntryBytes(2, 'empty', Buffer.alloc(0)),
    str(3, 'Opaque'),
  ]);
  assert.deepEqual(decodeKubernetesProtobuf(envelope('v1', 'Secret', raw)), {
    kind: 'Secret', apiVersion: 'v1', metadata: { name: 's' },
    data: { bin: 'AAEC//4=', empty: '' }, type: 'Opaque',
  });
});

void test('a Service: IntOrString target ports, node ports, selector', () => {
  const svcPort = msg(1, str(1, '80-8080'), str(2, 'TCP'), vint(3, 80), msg(4, vint(1, 0), vint(2, 8080), str(3, '')), vint(5, 30080));
  const raw = Buffer.concat([
    msg(1, objectMeta('web', [mapEntry(11, 'app', 'web')])),
    msg(2, svcPort, mapEntry(2, 'app', 'web'), str(3, ''), str(4, 'NodePort'), str(7, ''), str(10, '')),
    msg(3, msg(1)),
  ]);
  assert.deepEqual(decodeKubernetesProtobuf(envelope('v1', 'Service', raw)), {
    kind: 'Service', apiVersion: 'v1',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }], selector: { app: 'web' }, type: 'NodePort' },
    status: { loadBalancer: {} },
  });
});

void test('a CronJob nests a whole job and pod template; pointers keep zeros', () => {
  const podSpec = Buffer.concat([msg(2, container('job', 'busybox', [])), str(3, 'OnFailure')]);
  const jobSpec = Buffer.concat([vint(7, 0), msg(6, msg(1, objectMeta('')), msg(2, podSpec))]);
  const raw = Buffer.concat([
    msg(1, objectMeta('nightly')),
    msg(2, str(1, '0 3 * * *'), str(3, ''), msg(5, msg(1, objectMeta('nightly')), msg(2, jobSpec)), vint(4, false)),
    msg(3),
  ]);
  assert.deepEqual(decodeKubernetesProtobuf(envelope('batch/v1', 'CronJob', raw)), {
    kind: 'CronJob', apiVersion: 'batch/v1', metadata: { name: 'nightly' },
    spec: {
      schedule: '0 3 * * *', suspend: false,
      jobTemplate: {
        metadata: { name: 'nightly' },
        spec: { backoffLimit: 0, template: { metadata: {}, spec: { containers: [{ name: 'job', image: 'busybox', resources: {} }], restartPolicy: 'OnFailure' } } },
      },
    },
    status: {},
  });
});

void test('a pod template with volumes, env, probes, security context, affinity and tolerations', () => {
  const probe = msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, vint(1, 1), str(3, 'http')), str(4, 'HTTP'))), vint(2, 5), vint(4, 10));
  const env = Buffer.concat([
    msg(7, str(1, 'A'), str(2, '1')),
    msg(7, str(1, 'B'), str(2, ''), msg(3, msg(4, msg(1, str(1, 'creds')), str(2, 'password'), vint(3, false)))),
  ]);
  const resources = msg(8, mapEntryBytes(1, 'cpu', str(1, '500m')), mapEntryBytes(2, 'memory', str(1, '64Mi')));
  const sc = msg(15, vint(4, 0), vint(5, true), msg(1, str(2, 'ALL')));
  const c = Buffer.concat([str(1, 'app'), str(2, 'app:v1'), str(3, 'serve'), str(3, '--port=80'), env, resources, probe, sc,
    msg(9, str(1, 'data'), vint(2, true), str(3, '/data'))]);
  const volumes = Buffer.concat([
    msg(1, str(1, 'data'), msg(2, msg(2, str(1, '')))),
    msg(1, str(1, 'cfg'), msg(2, msg(19, msg(1, str(1, 'settings')), vint(3, 0o644)))),
  ]);
  const affinity = msg(18, msg(1, msg(1, msg(1, msg(1, str(1, 'zone'), str(2, 'In'), str(3, 'a'), str(3, 'b'))))));
  const toleration = msg(22, str(1, 'gpu'), str(2, 'Exists'), str(3, ''), str(4, 'NoSchedule'), vint(5, 0));
  const podSpec = Buffer.concat([volumes, msg(2, c), vint(4, 30), affinity, toleration, vint(21, false), mapEntry(7, 'disk', 'ssd')]);
  const raw = Buffer.concat([msg(1, objectMeta('p')), msg(2, podSpec)]);
  const obj = decodeKubernetesProtobuf(envelope('v1', 'Pod', raw));
  assert.deepEqual(obj.spec, {
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'settings', defaultMode: 0o644 } }],
    containers: [{
      name: 'app', image: 'app:v1', command: ['serve', '--port=80'],
      env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'password', optional: false } } }],
      resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 10 },
      securityContext: { runAsUser: 0, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
    }],
    terminationGracePeriodSeconds: 30,
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
    tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 0 }],
    automountServiceAccountToken: false,
    nodeSelector: { disk: 'ssd' },
  });
});

void test('RBAC: a RoleBinding keeps its roleRef and subjects', () => {
  const raw = Buffer.concat([
    msg(1, objectMeta('rb')),
    msg(2, str(1, 'User'), str(2, 'rbac.authorization.k8s.io'), str(3, 'alice'), str(4, '')),
    msg(2, str(1, 'ServiceAccount'), str(2, ''), str(3, 'bot'), str(4, 'ns1')),
    msg(3, str(1, 'rbac.authorization.k8s.io'), str(2, 'Role'), str(3, 'reader')),
  ]);
  assert.deepEqual(decodeKubernetesProtobuf(envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', raw)), {
    kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'rb' },
    subjects: [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
      { kind: 'ServiceAccount', name: 'bot', namespace: 'ns1' },
    ],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
  });
});

void test('an Ingress: the inlined rule value merges into the rule', () => {
  const backend = msg(2, msg(4, str(1, 'web'), msg(2, str(1, ''), vint(2, 80))));
  const rule = msg(3, str(1, 'example.com'), msg(2, msg(1, msg(1, str(1, '/'), backend, str(3, 'Prefix')))));
  const raw = Buffer.concat([msg(1, objectMeta('ing')), msg(2, rule, str(4, 'nginx')), msg(3, msg(1))]);
  const obj = decodeKubernetesProtobuf(envelope('networking.k8s.io/v1', 'Ingress', raw));
  assert.deepEqual(obj.spec, {
    rules: [{ host: 'example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } }, pathType: 'Prefix' }] } }],
    ingressClassName: 'nginx',
  });
});

void test('PDB, PriorityClass, HPA, quota, TokenRequest and SelfSubjectReview', () => {
  const pdb = decodeKubernetesProtobuf(envelope('policy/v1', 'PodDisruptionBudget', Buffer.concat([
    msg(1, objectMeta('pdb')), msg(2, msg(1, vint(1, 1), vint(2, 0), str(3, '50%')), msg(2, mapEntry(1, 'app', 'web'))),
  ])));
  assert.deepEqual(pdb.spec, { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } });

  const pc = decodeKubernetesProtobuf(envelope('scheduling.k8s.io/v1', 'PriorityClass', Buffer.concat([
    msg(1, objectMeta('high')), vint(2, 0), vint(3, false), str(4, ''),
  ])));
  assert.deepEqual(pc, { kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: { name: 'high' }, value: 0 });

  const hpa = decodeKubernetesProtobuf(envelope('autoscaling/v1', 'HorizontalPodAutoscaler', Buffer.concat([
    msg(1, objectMeta('web')),
    msg(2, msg(1, str(1, 'Deployment'), str(2, 'web'), str(3, 'apps/v1')), vint(2, 1), vint(3, 5), vint(4, 80)),
    msg(3, vint(3, 0), vint(4, 0)),
  ])));
  assert.deepEqual(hpa.spec, { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80 });
  assert.deepEqual(hpa.status, { currentReplicas: 0, desiredReplicas: 0 });

  const quota = decodeKubernetesProtobuf(envelope('v1', 'ResourceQuota', Buffer.concat([
    msg(1, objectMeta('q')), msg(2, mapEntryBytes(1, 'pods', str(1, '10')), mapEntryBytes(1, 'requests.cpu', str(1, '2'))), msg(3),
  ])));
  assert.deepEqual(quota.spec, { hard: { pods: '10', 'requests.cpu': '2' } });

  const token = decodeKubernetesProtobuf(envelope('authentication.k8s.io/v1', 'TokenRequest', Buffer.concat([
    msg(1, objectMeta('')), msg(2, str(1, 'https://kubernetes.default.svc'), vint(4, 3600)), msg(3, str(1, ''), msg(2)),
  ])));
  assert.deepEqual(token, {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: {},
    spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600 }, status: { token: '' },
  });

  const ssr = decodeKubernetesProtobuf(envelope('authentication.k8s.io/v1', 'SelfSubjectReview', Buffer.concat([
    msg(1, objectMeta('')), msg(2, msg(1, str(1, ''), str(2, ''))),
  ])));
  assert.deepEqual(ssr, { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: {} } });
});

void test('ObjectMeta: generation, timestamps, owner references, finalizers, annotations', () => {
  const owner = msg(13, str(1, 'ReplicaSet'), str(3, 'rs'), str(4, 'u-1'), str(5, 'apps/v1'), vint(6, true));
  const meta = objectMeta('x', [vint(7, 2), str(3, 'ns'), msg(9, vint(1, 1_700_000_000)), owner, str(14, 'f/one'), mapEntry(12, 'note', '')]);
  const obj = decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', msg(1, meta)));
  assert.deepEqual(obj.metadata, {
    name: 'x', namespace: 'ns', generation: 2, deletionTimestamp: '2023-11-14T22:13:20Z',
    ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', uid: 'u-1', apiVersion: 'apps/v1', controller: true }],
    finalizers: ['f/one'], annotations: { note: '' },
  });
});

void test('unknown fields of every wire type are skipped', () => {
  const raw = Buffer.concat([
    msg(1, objectMeta('cm'), vint(99, 5), str(100, 'future')),
    fixed32(50, 7), vint(51, 1), msg(52, str(1, 'x')),
    mapEntry(2, 'k', 'v'),
  ]);
  assert.deepEqual(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', raw)), {
    kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cm' }, data: { k: 'v' },
  });
});

void test('map keys from the wire cannot touch prototypes; later duplicates win', () => {
  const raw = Buffer.concat([msg(1, objectMeta('cm')), mapEntry(2, '__proto__', 'x'), mapEntry(2, 'a', '1'), mapEntry(2, 'a', '2')]);
  const obj = decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', raw));
  const data = obj.data as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.deepEqual(Object.keys(data), ['__proto__', 'a']);
  assert.equal(data.a, '2');
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

void test('repeated int fields accept both packed and unpacked encodings', () => {
  const sc = msg(14, vint(4, 1000), bytes(4, Buffer.from([0x88, 0x27, 0x01])));
  const obj = decodeKubernetesProtobuf(envelope('v1', 'Pod', Buffer.concat([msg(1, objectMeta('p')), msg(2, sc)])));
  assert.deepEqual(obj.spec, { securityContext: { supplementalGroups: [1000, 5000, 1] } });
});

void test('unknown kinds, missing magic, trailing junk and wrong wire types are 400 BadRequest', () => {
  badRequest(() => decodeKubernetesProtobuf(envelope('example.com/v1', 'Widget', Buffer.alloc(0))), /"Widget"/);
  badRequest(() => decodeKubernetesProtobuf(envelope('v1', '', Buffer.alloc(0))), /no kind/);
  badRequest(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"ConfigMap"}')), /k8s/);
  badRequest(() => decodeKubernetesProtobuf(Buffer.alloc(0)));
  badRequest(() => decodeKubernetesProtobuf(Buffer.concat([envelope('v1', 'ConfigMap', Buffer.alloc(0)), Buffer.from([0x0a, 0x05])])));
  badRequest(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', vint(1, 3))), /wrong wire type/);
  badRequest(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', msg(1, vint(1, 1)))), /wrong wire type/);
  const gz = Buffer.concat([Buffer.from('k8s\0', 'latin1'), msg(1, str(1, 'v1'), str(2, 'ConfigMap')), str(3, 'gzip')]);
  badRequest(() => decodeKubernetesProtobuf(gz), /gzip/);
});

void test('an empty object body still yields kind and apiVersion', () => {
  assert.deepEqual(decodeKubernetesProtobuf(envelope('v1', 'Namespace', Buffer.alloc(0))), { kind: 'Namespace', apiVersion: 'v1' });
});
