// kubectl explain, strict field validation and client-side apply against the complete OpenAPI that
// Skiff serves from the generated type schemas — with the real kubectl 1.32, and 1.27, which first
// reads /openapi/v2 in protobuf.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, kubectlOk, kubectlVersion, missingKubectl, startServer, type RunningServer } from './harness.js';

const skip = missingKubectl();

// Joined so that kubectl's line wrapping does not matter.
const words = (s: string): string => s.replace(/\s+/g, ' ');

const POD_WITH_UNKNOWN = `apiVersion: v1
kind: Pod
metadata:
  name: PODNAME
spec:
  containers:
  - name: c
    image: nginx
    foo: bar
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: REPLICAS
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: IMAGE
        ports:
        - containerPort: 80
        env:
        - {name: A, value: "1"}
`;

describe('explain and fieldValidation with the real kubectl', { skip, timeout: 300_000 }, () => {
  let srv: RunningServer;
  const file = (name: string, text: string): string => {
    const p = join(srv.dataDir, name);
    writeFileSync(p, text);
    return p;
  };

  before(async () => {
    srv = await startServer(['--no-agent']);
  });
  after(async () => {
    assert.equal(await srv?.stop(), 0);
  });

  test('explain pods.spec.containers.livenessProbe prints upstream descriptions', () => {
    const out = kubectlOk(srv, ['explain', 'pods.spec.containers.livenessProbe']);
    assert.match(out, /^KIND:\s+Pod$/m);
    assert.match(out, /^FIELD: livenessProbe <Probe>$/m);
    assert.match(words(out), /Periodic probe of container liveness\. Container will be restarted if the probe fails\./);
    assert.match(out, /^ {2}httpGet\t<HTTPGetAction>$/m);
    assert.match(out, /^ {2}failureThreshold\t<integer>$/m);
    // Upstream 1.32 (kubernetes/api v0.32.0, core/v1 Probe.InitialDelaySeconds), word for word.
    assert.ok(words(out).includes('initialDelaySeconds <integer> Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'), out);
  });

  test('explain deployment --recursive walks the whole type', () => {
    const out = kubectlOk(srv, ['explain', 'deployment', '--recursive']);
    assert.match(out, /^GROUP:\s+apps$/m);
    assert.match(out, /^KIND:\s+Deployment$/m);
    assert.match(out, /Deployment enables declarative updates for Pods and ReplicaSets\./);
    for (const line of [/^ {4}selector\t<LabelSelector> -required-$/m, /^ {6}rollingUpdate\t<RollingUpdateDeployment>$/m,
      /^ {8}maxSurge\t<IntOrString>$/m, /^ {6}spec\t<PodSpec>$/m, /^ {8}containers\t<\[\]Container> -required-$/m,
      /^ {10}livenessProbe\t<Probe>$/m, /^ {12}limits\t<map\[string\]Quantity>$/m, /^ {4}conditions\t<\[\]DeploymentCondition>$/m]) {
      assert.match(out, line);
    }
    // Upstream 1.32 (kubernetes/api v0.32.0, apps/v1 DeploymentSpec.MinReadySeconds), word for word.
    const field = kubectlOk(srv, ['explain', 'deployment.spec.minReadySeconds']);
    assert.ok(words(field).includes('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)'), field);
  });

  test('create --validate=strict rejects an unknown field and stores nothing', () => {
    const p = file('strict.yaml', POD_WITH_UNKNOWN.replace('PODNAME', 'strict'));
    const r = kubectl(srv, ['create', '--validate=strict', '-f', p]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec\.containers\[0\]\.foo"/);
    const get = kubectl(srv, ['get', 'pod', 'strict']);
    assert.notEqual(get.code, 0);
    assert.match(get.stderr, /NotFound|not found/);
  });

  test('create --validate=warn stores the object and prints the warning', () => {
    const p = file('warn.yaml', POD_WITH_UNKNOWN.replace('PODNAME', 'warned'));
    const r = kubectl(srv, ['create', '--validate=warn', '-f', p]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pod\/warned created/);
    assert.match(r.stderr, /Warning: unknown field "spec\.containers\[0\]\.foo"/);
    const stored = JSON.parse(kubectlOk(srv, ['get', 'pod', 'warned', '-o', 'json']));
    assert.equal(stored.spec.containers[0].foo, undefined, 'the unknown field is dropped');
  });

  test('raw bodies: duplicate fields are reported as upstream words them', () => {
    // kubectl re-encodes manifests (dropping repeated keys) except with --raw, which sends the file as is.
    const json = file('dup.json', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1","a":"2"},"bogus":true}');
    const strict = kubectl(srv, ['create', '--raw', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', '-f', json]);
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus", duplicate field "data\.a"/);
    const warn = kubectl(srv, ['create', '--raw', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', '-f', json]);
    assert.equal(warn.code, 0, warn.stderr);
    assert.match(warn.stderr, /Warning: unknown field "bogus"/);
    assert.match(warn.stderr, /Warning: duplicate field "data\.a"/);
    assert.equal(JSON.parse(kubectlOk(srv, ['get', 'cm', 'dup', '-o', 'json'])).data.a, '2', 'the last value wins, as in Go');
  });

  test('apply -f twice, then a change: kubectl computes strategic merge patches from the schemas', () => {
    const manifest = (replicas: number, image: string) => file('web.yaml', DEPLOYMENT.replace('REPLICAS', String(replicas)).replace('IMAGE', image));
    assert.match(kubectlOk(srv, ['apply', '-f', manifest(1, 'nginx:1')]), /deployment\.apps\/web created/);
    assert.match(kubectlOk(srv, ['apply', '-f', manifest(1, 'nginx:1')]), /deployment\.apps\/web unchanged/);
    assert.match(kubectlOk(srv, ['apply', '-f', manifest(2, 'nginx:2')]), /deployment\.apps\/web configured/);
    const d = JSON.parse(kubectlOk(srv, ['get', 'deployment', 'web', '-o', 'json']));
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.template.spec.containers.map((c: { name: string; image: string }) => [c.name, c.image]), [['nginx', 'nginx:2']]);
    assert.deepEqual(d.spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }]);
  });

  test('kubectl 1.27 (OpenAPI v2 in protobuf first) explains and validates too', { skip: kubectlVersion(27) ? undefined : 'kubectl 1.27 not installed' }, () => {
    const bin = kubectlVersion(27)!;
    const out = kubectlOk(srv, ['explain', 'pods.spec.containers.livenessProbe'], { bin });
    assert.match(out, /FIELD: livenessProbe <Probe>/);
    assert.ok(words(out).includes('Number of seconds after the container has started before liveness probes are initiated.'), out);
    const p = file('strict127.yaml', POD_WITH_UNKNOWN.replace('PODNAME', 'strict127'));
    const r = kubectl(srv, ['create', '--validate=strict', '-f', p], { bin });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /strict decoding error: unknown field "spec\.containers\[0\]\.foo"/);
    const web = file('web127.yaml', DEPLOYMENT.replace('REPLICAS', '1').replace('IMAGE', 'nginx:1').replace(/name: web$/m, 'name: web127'));
    assert.match(kubectlOk(srv, ['apply', '-f', web], { bin }), /web127 created/);
    assert.match(kubectlOk(srv, ['apply', '-f', web], { bin }), /web127 unchanged/);
  });
});
