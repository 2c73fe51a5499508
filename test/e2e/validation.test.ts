// Defaulting, validation and deletion options as real kubectl 1.32 sees them against `skiff server`
// (the controller manager is off, so objects held by GC finalizers stay visible; GC itself is covered by controllers.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, kubectlOk, missingKubectl, startServer, type RunningServer } from './harness.js';

const skip = missingKubectl();

describe('validation, defaulting and deletion options with kubectl', { skip, timeout: 180_000 }, () => {
  let srv: RunningServer;
  const k = (...args: string[]) => kubectlOk(srv, args);
  const file = (name: string, text: string) => {
    const p = join(srv.dataDir, name);
    writeFileSync(p, text);
    return p;
  };

  before(async () => {
    srv = await startServer(['--no-agent', '--disable-controller-manager']);
  });
  after(async () => {
    assert.equal(await srv?.stop(), 0);
  });

  test('an invalid name is a 422 with upstream wording, and nothing is stored', () => {
    const bad = file('bad-name.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata:\n  "bad key": v\n');
    const r = kubectl(srv, ['create', '-f', bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The ConfigMap "Bad_Name" is invalid: /);
    assert.match(r.stderr, /metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '\.', and must start and end with an alphanumeric character \(e\.g\. 'example\.com', regex used for validation is '\[a-z0-9\]/);
    assert.match(r.stderr, /data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/);
    assert.doesNotMatch(k('get', 'configmaps', '-o', 'name'), /Bad_Name/i);
    const single = file('no-image.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: noimage\nspec:\n  containers:\n  - name: c\n');
    const r2 = kubectl(srv, ['create', '-f', single]);
    assert.match(r2.stderr, /The Pod "noimage" is invalid: spec\.containers\[0\]\.image: Required value/);
    assert.match(kubectl(srv, ['get', 'pod', 'noimage']).stderr, /NotFound/);
  });

  test('a bad quantity is refused as upstream refuses it while decoding, and nothing is stored', () => {
    const bad = file('bad-qty.yaml', [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: badqty', 'spec:', '  containers:', '  - name: c', '    image: nginx',
      '    resources:', '      limits:', '        memory: 1GB', '',
    ].join('\n'));
    const r = kubectl(srv, ['create', '-f', bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /BadRequest/);
    assert.ok(r.stderr.includes(`Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`), r.stderr);
    assert.match(kubectl(srv, ['get', 'pod', 'badqty']).stderr, /NotFound/);
    // A good one is stored in canonical form.
    const good = file('good-qty.yaml', [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: goodqty', 'spec:', '  containers:', '  - name: c', '    image: nginx',
      '    resources:', '      limits:', '        memory: 1.5Gi', '        cpu: "0.5"', '',
    ].join('\n'));
    k('create', '-f', good);
    const pod = JSON.parse(k('get', 'pod', 'goodqty', '-o', 'json'));
    assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '500m', memory: '1536Mi' }, requests: { cpu: '500m', memory: '1536Mi' } });
    assert.equal(pod.spec.containers[0].imagePullPolicy, 'Always');
  });

  test('create deployment --dry-run=server shows upstream defaults and stores nothing', () => {
    const d = JSON.parse(k('create', 'deployment', 'web', '--image=nginx:1.25', '--dry-run=server', '-o', 'json'));
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    const ts = d.spec.template.spec;
    assert.equal(ts.restartPolicy, 'Always');
    assert.equal(ts.dnsPolicy, 'ClusterFirst');
    assert.equal(ts.schedulerName, 'default-scheduler');
    assert.equal(ts.terminationGracePeriodSeconds, 30);
    assert.deepEqual(ts.securityContext, {});
    assert.equal(ts.enableServiceLinks, undefined, 'pod-only default');
    assert.deepEqual(ts.containers[0], {
      name: 'nginx', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', resources: {},
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
    });
    assert.match(k('create', 'deployment', 'web', '--image=nginx', '--dry-run=server', '-o', 'yaml'), /maxSurge: 25%/);
    assert.match(kubectl(srv, ['get', 'deployment', 'web']).stderr, /NotFound.*deployments\.apps "web" not found/);
  });

  test('an immutable selector is refused on update', () => {
    k('create', 'deployment', 'sel', '--image=nginx');
    const r = kubectl(srv, ['patch', 'deployment', 'sel', '--type=merge', '-p', '{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Deployment "sel" is invalid: spec\.selector: Invalid value: .*field is immutable/);
  });

  test('delete --cascade=orphan and --cascade=foreground leave the object marked with the GC finalizer', () => {
    const table: [string, string, string][] = [['orph', 'orphan', 'orphan'], ['fore', 'foreground', 'foregroundDeletion']];
    for (const [name, cascade, finalizer] of table) {
      k('create', 'deployment', name, '--image=nginx');
      assert.match(k('delete', 'deployment', name, `--cascade=${cascade}`, '--wait=false'), new RegExp(`deployment.apps "${name}" deleted`));
      const obj = JSON.parse(k('get', 'deployment', name, '-o', 'json'));
      assert.deepEqual(obj.metadata.finalizers, [finalizer], cascade);
      assert.ok(obj.metadata.deletionTimestamp, cascade);
      assert.equal(obj.metadata.deletionGracePeriodSeconds, 0);
    }
    // Background (kubectl's default) deletes at once.
    k('create', 'deployment', 'back', '--image=nginx');
    k('delete', 'deployment', 'back');
    assert.match(kubectl(srv, ['get', 'deployment', 'back']).stderr, /NotFound/);
  });
});
