// The real kubectl (1.32 through the dispatcher, plus pinned 1.27 and 1.33) against `skiff server`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, kubectlOk, kubectlVersion, missingKubectl, startServer, type RunningServer } from './harness.js';

const skip = missingKubectl();

describe('kubectl against skiff server', { skip, timeout: 300_000 }, () => {
  let srv: RunningServer;
  const k = (...args: string[]) => kubectlOk(srv, args);

  before(async () => {
    srv = await startServer(['--no-agent']);
  });
  after(async () => {
    assert.equal(await srv?.stop(), 0, 'server exits 0 on SIGTERM');
  });

  test('version and discovery', () => {
    assert.match(k('version'), /Server Version: v1\.32\.0/);
    const resources = k('api-resources', '-o', 'wide');
    for (const r of ['pods', 'services', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'controllerrevisions', 'jobs', 'cronjobs',
      'leases', 'endpointslices', 'poddisruptionbudgets', 'horizontalpodautoscalers', 'ingresses', 'ingressclasses', 'networkpolicies',
      'clusterroles', 'rolebindings', 'priorityclasses', 'storageclasses', 'runtimeclasses', 'certificatesigningrequests', 'limitranges',
      'resourcequotas', 'persistentvolumes', 'persistentvolumeclaims', 'podtemplates', 'replicationcontrollers', 'serviceaccounts', 'events']) {
      assert.match(resources, new RegExp(`^${r}\\s`, 'm'), `api-resources lists ${r}`);
    }
    const versions = k('api-versions');
    for (const gv of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v2', 'autoscaling/v1', 'events.k8s.io/v1', 'policy/v1', 'rbac.authorization.k8s.io/v1']) {
      assert.match(versions, new RegExp(`^${gv.replace('.', '\\.')}$`, 'm'));
    }
    assert.equal(JSON.parse(k('get', '--raw', '/version')).minor, '32');
  });

  test('create -f, get in every output format, delete', () => {
    const file = join(srv.dataDir, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-file\n  labels: {app: demo}\ndata:\n  k: v\n');
    assert.match(k('create', '-f', file), /configmap\/cm-file created/);
    assert.match(k('get', 'cm', 'cm-file', '-o', 'yaml'), /k: v/);
    const obj = JSON.parse(k('get', 'cm', 'cm-file', '-o', 'json'));
    assert.equal(obj.data.k, 'v');
    assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.equal(k('get', 'cm', 'cm-file', '-o', 'name').trim(), 'configmap/cm-file');
    assert.equal(k('get', 'cm', 'cm-file', '-o', 'jsonpath={.metadata.labels.app}'), 'demo');
    assert.match(k('get', 'cm', 'cm-file', '-o', 'custom-columns=N:.metadata.name,K:.data.k'), /cm-file\s+v/);
    const dup = kubectl(srv, ['create', '-f', file]);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /AlreadyExists.*configmaps "cm-file" already exists/);
    assert.match(k('delete', '-f', file), /configmap "cm-file" deleted/);
    assert.match(kubectl(srv, ['get', 'cm', 'cm-file']).stderr, /NotFound.*configmaps "cm-file" not found/);
  });

  test('imperative create commands (protobuf bodies)', () => {
    assert.match(k('create', 'namespace', 'e2e'), /namespace\/e2e created/);
    assert.match(k('create', 'configmap', 'c1', '-n', 'e2e', '--from-literal=a=b'), /configmap\/c1 created/);
    assert.match(k('create', 'secret', 'generic', 's1', '-n', 'e2e', '--from-literal=user=admin'), /secret\/s1 created/);
    assert.equal(Buffer.from(k('get', 'secret', 's1', '-n', 'e2e', '-o', 'jsonpath={.data.user}'), 'base64').toString(), 'admin');
    assert.match(k('create', 'deployment', 'web', '-n', 'e2e', '--image=nginx:1.25', '--replicas=2'), /deployment.apps\/web created/);
    assert.match(k('create', 'service', 'clusterip', 'web', '-n', 'e2e', '--tcp=80:8080'), /service\/web created/);
    assert.match(k('create', 'job', 'once', '-n', 'e2e', '--image=busybox', '--', 'echo', 'hi'), /job.batch\/once created/);
    const deploy = JSON.parse(k('get', 'deploy', 'web', '-n', 'e2e', '-o', 'json'));
    assert.equal(deploy.spec.replicas, 2);
    assert.equal(deploy.spec.template.spec.containers[0].image, 'nginx:1.25');
    assert.equal(deploy.spec.strategy.rollingUpdate.maxSurge, '25%');
    assert.equal(deploy.metadata.generation, 1);
    const svc = JSON.parse(k('get', 'svc', 'web', '-n', 'e2e', '-o', 'json'));
    assert.match(svc.spec.clusterIP, /^10\.43\.\d+\.\d+$/);
    assert.equal(svc.spec.ports[0].targetPort, 8080);
    assert.equal(k('auth', 'can-i', 'create', 'pods').trim(), 'yes');
  });

  test('wide tables carry upstream columns', () => {
    k('run', 'p1', '-n', 'e2e', '--image=nginx', '--labels=app=web');
    const pods = k('get', 'pods', '-n', 'e2e', '-o', 'wide');
    assert.match(pods, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/m);
    assert.match(pods, /^p1\s+0\/1\s+Pending\s+0\s+/m);
    assert.match(k('get', 'deployments', '-n', 'e2e', '-o', 'wide'), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nweb\s+[0-2]\/2\s+[0-2]\s+[0-2]\s+\S+\s+nginx\s+nginx:1\.25\s+app=web/m);
    assert.match(k('get', 'services', '-n', 'e2e', '-o', 'wide'), /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\nweb\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\s+app=web/m);
  });

  test('label, annotate, replace, scale', () => {
    k('label', 'deploy', 'web', '-n', 'e2e', 'tier=frontend');
    k('annotate', 'deploy', 'web', '-n', 'e2e', 'note=hello');
    const d = JSON.parse(k('get', 'deploy', 'web', '-n', 'e2e', '-o', 'json'));
    assert.equal(d.metadata.labels.tier, 'frontend');
    assert.equal(d.metadata.annotations.note, 'hello');
    assert.equal(d.metadata.generation, 1, 'metadata changes do not bump generation');
    d.spec.template.spec.containers[0].image = 'nginx:1.26';
    const file = join(srv.dataDir, 'deploy.json');
    writeFileSync(file, JSON.stringify(d));
    assert.match(k('replace', '-f', file), /deployment.apps\/web replaced/);
    const stale = kubectl(srv, ['replace', '-f', file]);
    assert.match(stale.stderr, /Conflict.*the object has been modified/);
    assert.match(k('scale', 'deploy', 'web', '-n', 'e2e', '--replicas=4'), /deployment.apps\/web scaled/);
    const after = JSON.parse(k('get', 'deploy', 'web', '-n', 'e2e', '-o', 'json'));
    assert.equal(after.spec.replicas, 4);
    assert.equal(after.spec.template.spec.containers[0].image, 'nginx:1.26');
    assert.equal(after.metadata.generation, 3);
    assert.match(k('scale', 'deploy', 'web', '-n', 'e2e', '--current-replicas=4', '--replicas=1'), /scaled/);
  });

  test('get --chunk-size pages through 100 objects', () => {
    k('create', 'namespace', 'many');
    const docs = Array.from({ length: 100 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${String(i).padStart(3, '0')}\n  namespace: many\ndata:\n  i: "${i}"\n`).join('---\n');
    const file = join(srv.dataDir, 'many.yaml');
    writeFileSync(file, docs);
    k('create', '-f', file);
    const names = k('get', 'cm', '-n', 'many', '--chunk-size=10', '-o', 'name').trim().split('\n').filter((n) => n.startsWith('configmap/cm-'));
    assert.equal(names.length, 100);
    assert.deepEqual(names, [...names].sort());
    const table = k('get', 'cm', '-n', 'many', '--chunk-size=10', '-l', 'app!=x');
    assert.equal(table.trim().split('\n').filter((l) => l.startsWith('cm-')).length, 100);
    assert.match(k('delete', 'cm', '--all', '-n', 'many'), /configmap "cm-099" deleted/);
    // Only the root CA bundle the controller manager publishes in every namespace is left.
    assert.deepEqual(k('get', 'cm', '-n', 'many', '-o', 'name').trim().split('\n').filter(Boolean), ['configmap/kube-root-ca.crt']);
  });

  test('get -w streams changes', async () => {
    const w = spawn('/usr/bin/kubectl', [`--cache-dir=${join(srv.dataDir, 'kubectl-cache')}`, 'get', 'cm', '-n', 'e2e', '-w', '--request-timeout=20s'], {
      env: { ...process.env, KUBECONFIG: srv.kubeconfig },
    });
    let out = '';
    w.stdout.on('data', (d) => (out += d));
    const seen = (re: RegExp) => new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`watch output lacks ${re}: ${out}`)), 15_000);
      const check = () => re.test(out) && (clearTimeout(t), resolve());
      w.stdout.on('data', check);
      check();
    });
    await seen(/^c1\s+1\s+/m);
    k('create', 'configmap', 'watched', '-n', 'e2e', '--from-literal=x=1');
    await seen(/^watched\s+1\s+/m);
    k('patch', 'configmap', 'watched', '-n', 'e2e', '--type=merge', '-p', '{"data":{"y":"2"}}');
    await seen(/^watched\s+2\s+/m);
    w.kill();
  });

  for (const minor of [27, 33]) {
    const bin = kubectlVersion(minor);
    test(`smoke with kubectl 1.${minor}`, { skip: bin ? undefined : `kubectl.1.${minor} not installed` }, () => {
      const kv = (...args: string[]) => kubectlOk(srv, args, { bin });
      assert.match(kv('version'), new RegExp(`Client Version: (v1\\.${minor}|version\\.Info\\{Major:"1", Minor:"${minor}")`));
      assert.match(kv('api-resources'), /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/m);
      const ns = `smoke${minor}`;
      kv('create', 'namespace', ns);
      kv('create', 'configmap', 'c', '-n', ns, '--from-literal=a=b');
      kv('create', 'deployment', 'd', '-n', ns, '--image=nginx');
      const file = join(srv.dataDir, `smoke${minor}.yaml`);
      writeFileSync(file, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: ${ns}\nstringData:\n  k: v\n`);
      kv('create', '-f', file);
      assert.match(kv('get', 'deploy', '-n', ns, '-o', 'wide'), /^d\s+[01]\/1\s+[01]\s+[01]/m);
      assert.match(kv('get', 'cm,secret', '-n', ns), /configmap\/c\s+1/);
      kv('label', 'cm', 'c', '-n', ns, 'x=y');
      kv('scale', 'deploy', 'd', '-n', ns, '--replicas=3');
      assert.equal(kv('get', 'deploy', 'd', '-n', ns, '-o', 'jsonpath={.spec.replicas}'), '3');
      assert.match(kv('delete', 'cm', 'c', '-n', ns), /deleted/);
      assert.equal(kv('auth', 'can-i', 'list', 'pods').trim(), 'yes');
    });
  }
});
