// End-to-end "kubectl-grade API" acceptance with the real kubectl 1.32 (plus 1.27 and 1.33 smoke
// passes) against `skiff server` with hollow nodes: the client-side apply lifecycle (last-applied
// annotation, prune), diff, non-interactive edit, the patch flavours and the `set`/`label`/`annotate`
// helpers, `get -o wide` columns and watch rows, `wait`, metadata-only and Table responses, and
// OpenAPI v2 for old clients.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KUBECTL, eventually, kubectl, kubectlOk, kubectlVersion, missingKubectl, startServer, startSkiff, type RunningProcess, type RunningServer } from './harness.js';

const skip = missingKubectl();

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A GET with the kubeconfig's client certificate, for headers `kubectl get --raw` cannot set. */
function rawGet(kubeconfig: string, path: string, accept: string): Promise<Raw> {
  const kc = parseYaml(readFileSync(kubeconfig, 'utf8'));
  const cluster = kc.clusters[0].cluster;
  const user = kc.users[0].user;
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const url = new URL(path, cluster.server);
  return new Promise((resolveRaw, reject) => {
    const req = request(url, {
      method: 'GET',
      headers: { accept },
      ca: b64(cluster['certificate-authority-data']),
      cert: b64(user['client-certificate-data']),
      key: b64(user['client-key-data']),
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolveRaw({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs a long-lived kubectl (get -w, wait) until `until` matches its output (or a timeout), then stops it. */
function watchOutput(srv: RunningServer, args: string[], until: RegExp, timeoutMs = 20_000): { done: Promise<string>; output(): string } {
  const proc = spawn(KUBECTL, [`--cache-dir=${join(srv.dataDir, 'kubectl-cache')}`, ...args], {
    env: { ...process.env, KUBECONFIG: srv.kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const done = new Promise<string>((resolveOut) => {
    const timer = setTimeout(() => proc.kill('SIGTERM'), timeoutMs);
    proc.stdout.on('data', (d) => {
      out += d;
      if (until.test(out)) proc.kill('SIGTERM');
    });
    proc.stderr.on('data', (d) => (out += d));
    proc.on('exit', () => {
      clearTimeout(timer);
      resolveOut(out);
    });
  });
  return { done, output: () => out };
}

const headerOf = (table: string) => table.split('\n')[0]!.trim().split(/\s{2,}/);

function configMap(name: string, data: Record<string, string>, labels = 'app: x'): string {
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels: {${labels}}\ndata:\n${lines}\n`;
}

function deployment(name: string, replicas: number, containers: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
${containers}`;
}

describe('kubectl-grade API (kubectl 1.32, hollow nodes)', { skip, timeout: 180_000 }, () => {
  let srv: RunningServer;
  let nodes: RunningProcess | undefined;
  let dir: string;
  const k = (args: string[], opts: Parameters<typeof kubectl>[2] = {}) => kubectlOk(srv, args, opts);
  const json = <T = any>(args: string[]): T => JSON.parse(k([...args, '-o', 'json'])) as T;
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  before(async () => {
    srv = await startServer(['--no-agent']);
    nodes = await startSkiff(['hollow-nodes', '--kubeconfig', srv.kubeconfig, '--count', '2'], 'hollow nodes are ready.');
    dir = join(srv.dataDir, 'manifests');
    mkdirSync(dir);
  });

  after(async () => {
    await nodes?.stop();
    await srv?.stop();
  });

  test('client-side apply: created, unchanged, configured, removed fields, prune', () => {
    const a = file('a.yaml', configMap('a', { k1: 'v1', k2: 'v2' }));
    file('b.yaml', configMap('b', { only: 'b' }));
    assert.match(k(['apply', '-f', a]), /^configmap\/a created$/m);
    assert.match(k(['apply', '-f', a]), /^configmap\/a unchanged$/m);
    const before1 = json(['get', 'cm', 'a']);
    assert.ok(before1.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);

    // Someone else's field must survive the applies below.
    k(['annotate', 'cm', 'a', 'owner=ops']);
    file('a.yaml', configMap('a', { k1: 'v1-edited', k2: 'v2' }));
    assert.match(k(['apply', '-f', a]), /^configmap\/a configured$/m);
    const after1 = json(['get', 'cm', 'a']);
    assert.deepEqual(after1.data, { k1: 'v1-edited', k2: 'v2' });
    assert.equal(after1.metadata.annotations.owner, 'ops');
    assert.deepEqual(after1.metadata.labels, before1.metadata.labels);
    assert.equal(after1.metadata.uid, before1.metadata.uid);

    // A key dropped from the file is dropped from the object (it is in last-applied), others stay.
    file('a.yaml', configMap('a', { k1: 'v1-edited' }));
    assert.match(k(['apply', '-f', a]), /^configmap\/a configured$/m);
    const after2 = json(['get', 'cm', 'a']);
    assert.deepEqual(after2.data, { k1: 'v1-edited' });
    assert.equal(after2.metadata.annotations.owner, 'ops');
    assert.deepEqual(JSON.parse(after2.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).data, { k1: 'v1-edited' });

    // Prune: b is applied from the directory, then leaves it and is pruned; an unlabelled object stays.
    k(['create', 'configmap', 'bystander', '--from-literal=x=y']);
    const applied = k(['apply', '--prune', '-l', 'app=x', '--prune-allowlist=core/v1/ConfigMap', '-f', dir]);
    assert.match(applied, /^configmap\/b created$/m);
    rmSync(join(dir, 'b.yaml'));
    const pruned = k(['apply', '--prune', '-l', 'app=x', '--prune-allowlist=core/v1/ConfigMap', '-f', dir]);
    assert.match(pruned, /^configmap\/a unchanged$/m);
    assert.match(pruned, /^configmap\/b pruned$/m);
    assert.notEqual(kubectl(srv, ['get', 'cm', 'b']).code, 0);
    k(['get', 'cm', 'bystander']);
    rmSync(join(dir, 'a.yaml'));
  });

  test('client-side apply of a Deployment: out-of-band scale kept, strategy switched with $retainKeys', () => {
    const strategy = (s: string) => deployment('ca', 0, '      - {name: app, image: registry.example/ca:1}\n').replace('  replicas: 0\n', '').replace('  selector:', `  strategy:\n${s}  selector:`);
    const p = file('ca.yaml', strategy('    type: RollingUpdate\n    rollingUpdate: {maxSurge: 1}\n'));
    k(['apply', '-f', p]);
    assert.equal(kubectl(srv, ['diff', '-f', p]).code, 0, 'a server-side dry run of an unchanged manifest changes nothing (not even generation)');
    k(['scale', 'deployment', 'ca', '--replicas=0']);
    file('ca.yaml', strategy('    type: Recreate\n'));
    assert.match(k(['apply', '-f', p]), /^deployment\.apps\/ca configured$/m);
    const d = json(['get', 'deployment', 'ca']);
    assert.deepEqual(d.spec.strategy, { type: 'Recreate' }, 'rollingUpdate (and its defaults) dropped via $retainKeys');
    assert.equal(d.spec.replicas, 0, 'replicas is not in the file, so the scale survives');
    const managers = json(['get', 'deployment', 'ca', '--show-managed-fields']).metadata.managedFields.map((f: any) => `${f.manager}/${f.operation}`);
    assert.ok(managers.includes('kubectl-client-side-apply/Update'), managers.join());
    k(['delete', 'deployment', 'ca']);
  });

  test('client-side apply of a NodePort Service: allocations survive re-applies and a port change', () => {
    const svc = (port: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec:\n  type: NodePort\n  selector: {app: np}\n  ports:\n  - {name: http, port: ${port}, targetPort: 8080}\n`;
    const p = file('np.yaml', svc(80));
    k(['apply', '-f', p]);
    const first = json(['get', 'service', 'np']).spec;
    assert.match(k(['apply', '-f', p]), /^service\/np unchanged$/m);
    file('np.yaml', svc(81));
    assert.match(k(['apply', '-f', p]), /^service\/np configured$/m);
    // The patch deletes the port-80 entry and adds port 81 without a nodePort: upstream gives the
    // nodePort of the same-named port back (patchAllocatedValues), and it must be stored.
    const after = json(['get', 'service', 'np']).spec;
    assert.equal(after.ports[0].port, 81);
    assert.equal(after.ports[0].nodePort, first.ports[0].nodePort);
    assert.equal(after.clusterIP, first.clusterIP);
    // Switching the type drops what ClusterIP does not use (nodePort, externalTrafficPolicy).
    k(['patch', 'service', 'np', '-p', '{"spec":{"type":"ClusterIP"}}']);
    const cip = json(['get', 'service', 'np']).spec;
    assert.equal(cip.ports[0].nodePort, undefined);
    assert.equal(cip.externalTrafficPolicy, undefined);
    assert.equal(cip.clusterIP, first.clusterIP);
    k(['delete', 'service', 'np']);
  });

  test('diff: shows the change with exit 1, nothing with exit 0', () => {
    const p = file('diff.yaml', configMap('d', { color: 'blue' }, 'app: d'));
    k(['apply', '-f', p]);
    const same = kubectl(srv, ['diff', '-f', p]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, '');
    file('diff.yaml', configMap('d', { color: 'green' }, 'app: d'));
    const changed = kubectl(srv, ['diff', '-f', p]);
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /^-\s+color: blue$/m);
    assert.match(changed.stdout, /^\+\s+color: green$/m);
    assert.equal(json(['get', 'cm', 'd']).data.color, 'blue', 'diff must not change the object');
  });

  test('edit without a terminal (KUBE_EDITOR)', () => {
    k(['create', 'configmap', 'e', '--from-literal=word=foo']);
    const out = k(['edit', 'cm', 'e'], { env: { KUBE_EDITOR: 'sed -i s/foo/bar/' } });
    assert.match(out, /configmap\/e edited/);
    assert.equal(json(['get', 'cm', 'e']).data.word, 'bar');
  });

  test('patch json/merge/strategic, set image, set env, label --overwrite, annotate', () => {
    k(['apply', '-f', file('p.yaml', deployment('p', 0, `      - name: app
        image: registry.example/app:1
        env:
        - {name: A, value: "1"}
      - name: side
        image: registry.example/side:1
`))]);
    const get = () => json(['get', 'deployment', 'p']);

    k(['patch', 'deployment', 'p', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":1},{"op":"add","path":"/metadata/labels/tier","value":"web"}]']);
    assert.equal(get().spec.replicas, 1);
    assert.equal(get().metadata.labels.tier, 'web');

    k(['patch', 'deployment', 'p', '--type', 'merge', '-p', '{"metadata":{"labels":{"tier":null}},"spec":{"minReadySeconds":3}}']);
    assert.equal(get().metadata.labels.tier, undefined);
    assert.equal(get().spec.minReadySeconds, 3);

    // Strategic: containers merge by name (app keeps its env, gets a new one) and side is deleted.
    k(['patch', 'deployment', 'p', '--type', 'strategic', '-p', JSON.stringify({
      spec: { template: { spec: { containers: [
        { name: 'app', env: [{ name: 'B', value: '2' }] },
        { name: 'side', $patch: 'delete' },
      ] } } },
    })]);
    let containers = get().spec.template.spec.containers;
    assert.deepEqual(containers.map((c: any) => c.name), ['app']);
    assert.equal(containers[0].image, 'registry.example/app:1');
    assert.deepEqual(containers[0].env.map((e: any) => e.name).sort(), ['A', 'B']);

    k(['patch', 'deployment', 'p', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"extra","image":"registry.example/extra:1"}]}}}}']);
    assert.deepEqual(get().spec.template.spec.containers.map((c: any) => c.name).sort(), ['app', 'extra']);

    k(['set', 'image', 'deployment/p', 'app=registry.example/app:2']);
    containers = get().spec.template.spec.containers;
    assert.equal(containers.find((c: any) => c.name === 'app').image, 'registry.example/app:2');
    assert.equal(containers.find((c: any) => c.name === 'extra').image, 'registry.example/extra:1');

    k(['set', 'env', 'deployment/p', '-c', 'app', 'A=10', 'C=3']);
    const env = get().spec.template.spec.containers.find((c: any) => c.name === 'app').env;
    assert.deepEqual(Object.fromEntries(env.map((e: any) => [e.name, e.value])), { A: '10', B: '2', C: '3' });

    // A patched object that no longer fits the Go types is refused, not stored.
    const typo = kubectl(srv, ['patch', 'deployment', 'p', '--type', 'merge', '-p', '{"spec":{"replicas":"two"}}']);
    assert.notEqual(typo.code, 0);
    assert.match(typo.stderr, /cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32/);
    assert.equal(get().spec.replicas, 1);
    const badCm = kubectl(srv, ['create', '--validate=false', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typed}\ndata: {n: 1}\n' });
    assert.match(badCm.stderr, /ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap\.data of type string/);
    assert.notEqual(kubectl(srv, ['get', 'cm', 'typed']).code, 0);

    k(['label', 'deployment', 'p', 'stage=dev']);
    const clash = kubectl(srv, ['label', 'deployment', 'p', 'stage=prod']);
    assert.notEqual(clash.code, 0, 'relabelling needs --overwrite');
    assert.match(clash.stderr, /already has a value/);
    k(['label', 'deployment', 'p', 'stage=prod', '--overwrite']);
    assert.equal(get().metadata.labels.stage, 'prod');
    k(['annotate', 'deployment', 'p', 'note=hello']);
    assert.equal(get().metadata.annotations.note, 'hello');
    k(['annotate', 'deployment', 'p', 'note-']);
    assert.equal(get().metadata.annotations?.note, undefined);
  });

  test('wait for a jsonpath value and for deletion', async () => {
    k(['create', 'deployment', 'w', '--image=registry.example/w:1', '--replicas=2']);
    assert.match(k(['wait', '--for=jsonpath={.status.readyReplicas}=2', 'deployment/w', '--timeout=60s']), /deployment\.apps\/w condition met/);
    assert.equal(json(['get', 'deployment', 'w']).status.readyReplicas, 2);
    k(['delete', 'deployment', 'w', '--wait=false']);
    k(['wait', '--for=delete', 'deployment/w', '--timeout=30s']);
    assert.notEqual(kubectl(srv, ['get', 'deployment', 'w']).code, 0);

    // A finalizer holds the object, so the wait really waits for the delete event.
    k(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, finalizers: [example.com/hold]}\n' });
    k(['delete', 'configmap', 'held', '--wait=false']);
    const waiting = watchOutput(srv, ['wait', '--for=delete', 'configmap/held', '--timeout=30s'], /condition met/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.doesNotMatch(waiting.output(), /condition met/, 'still held by its finalizer');
    k(['patch', 'configmap', 'held', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    assert.match(await waiting.done, /^configmap\/held condition met$/m);
  });

  test('get -o wide headers match upstream 1.32; get -w -o wide streams a row per change', async () => {
    k(['create', 'deployment', 'wide', '--image=registry.example/wide:1', '--replicas=1', '--port=80']);
    k(['expose', 'deployment', 'wide', '--port=80']);
    k(['wait', '--for=condition=Available', 'deployment/wide', '--timeout=60s']);
    const cases: Array<[string[], string[]]> = [
      [['pods', '-l', 'app=wide'], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']],
      [['deployments', 'wide'], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']],
      [['services', 'wide'], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']],
      [['nodes'], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']],
    ];
    for (const [args, header] of cases) {
      const out = k(['get', ...args, '-o', 'wide']);
      assert.deepEqual(headerOf(out), header, `get ${args[0]} -o wide`);
      assert.ok(out.trim().split('\n').length >= 2, `a row for ${args[0]}`);
    }
    const podRow = k(['get', 'pods', '-l', 'app=wide', '-o', 'wide', '--no-headers']);
    assert.match(podRow, /\s1\/1\s+Running\s+0\s+.*hollow-node-\d/);
    assert.match(k(['get', 'deployments', 'wide', '-o', 'wide', '--no-headers']), /^wide\s+1\/1\s+1\s+1\s+\S+\s+wide\s+registry\.example\/wide:1\s+app=wide$/m);

    // Watch: the initial row, then a row for the scale-up.
    const watch = watchOutput(srv, ['get', 'deployments', 'wide', '-w', '-o', 'wide'], /^wide\s+\d\/3\s/m);
    // Change the object only once the initial row is out, so the change arrives as a watch event.
    await eventually(() => /^wide\s+1\/1\s/m.test(watch.output()), 'the initial watch row');
    k(['scale', 'deployment', 'wide', '--replicas=3']);
    const out = await watch.done;
    const lines = out.trim().split('\n');
    assert.deepEqual(headerOf(lines[0]!), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'], out);
    assert.match(lines[1]!, /^wide\s+1\/1\s/, out);
    assert.ok(lines.slice(2).some((l) => /^wide\s+\d\/3\s.*registry\.example\/wide:1\s+app=wide$/.test(l)), out);
  });

  test('metadata-only lists, Table includeObject, 406 for an unknown as=', async () => {
    k(['create', 'configmap', 'meta', '--from-literal=secret=value']);
    assert.match(k(['get', 'cm', '-o', 'name']), /^configmap\/meta$/m);

    const pom = await rawGet(srv.kubeconfig, '/api/v1/namespaces/default/configmaps', 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    assert.equal(pom.status, 200, pom.body);
    const list = JSON.parse(pom.body);
    assert.equal(list.kind, 'PartialObjectMetadataList');
    assert.equal(list.apiVersion, 'meta.k8s.io/v1');
    assert.ok(list.metadata.resourceVersion);
    const item = list.items.find((i: any) => i.metadata.name === 'meta');
    assert.ok(item, pom.body);
    assert.equal(item.data, undefined, 'no data in metadata-only items');
    assert.ok(item.metadata.uid);

    const plain = await rawGet(srv.kubeconfig, '/api/v1/namespaces/default/configmaps/meta', 'application/json');
    assert.ok(plain.body.startsWith('{"kind":"ConfigMap","apiVersion":"v1",'), plain.body);

    const one = await rawGet(srv.kubeconfig, '/api/v1/namespaces/default/configmaps/meta', 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
    assert.equal(one.status, 200, one.body);
    assert.equal(JSON.parse(one.body).kind, 'PartialObjectMetadata');
    assert.equal(JSON.parse(one.body).data, undefined);

    const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io';
    const table = async (q: string) => {
      const r = await rawGet(srv.kubeconfig, `/api/v1/namespaces/default/configmaps/meta${q}`, tableAccept);
      assert.equal(r.status, 200, r.body);
      const t = JSON.parse(r.body);
      assert.equal(t.kind, 'Table');
      assert.equal(t.rows.length, 1);
      return t.rows[0].object;
    };
    assert.equal(await table('?includeObject=None'), undefined);
    const metaObj = await table('?includeObject=Metadata');
    assert.equal(metaObj.kind, 'PartialObjectMetadata');
    assert.equal(metaObj.metadata.name, 'meta');
    assert.equal(metaObj.data, undefined);
    assert.equal((await table('')).kind, 'PartialObjectMetadata', 'Metadata is the default');
    const full = await table('?includeObject=Object');
    assert.equal(full.kind, 'ConfigMap');
    assert.deepEqual(full.data, { secret: 'value' });

    const bad = await rawGet(srv.kubeconfig, '/api/v1/namespaces/default/configmaps', 'application/json;as=Bogus;g=meta.k8s.io;v=v1');
    assert.equal(bad.status, 406, bad.body);
    assert.equal(JSON.parse(bad.body).reason, 'NotAcceptable');
  });

  // Metadata informers (client-go's metadata client, e.g. a garbage collector) watch with this Accept.
  test('metadata-only watch sends PartialObjectMetadata events', async () => {
    k(['create', 'configmap', 'watched', '--from-literal=secret=value']);
    const r = await rawGet(srv.kubeconfig, '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Dwatched', 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
    assert.equal(r.status, 200, r.body);
    const ev = JSON.parse(r.body.trim().split('\n')[0]!);
    assert.equal(ev.type, 'ADDED');
    assert.equal(ev.object.kind, 'PartialObjectMetadata');
    assert.equal(ev.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(ev.object.data, undefined);
  });

  test('OpenAPI v2: swagger JSON and kubectl 1.27 explain from protobuf v2', async (t) => {
    const v2 = await rawGet(srv.kubeconfig, '/openapi/v2', 'application/json');
    assert.equal(v2.status, 200);
    const doc = JSON.parse(v2.body);
    assert.equal(doc.swagger, '2.0');
    const dep = doc.definitions['io.k8s.api.apps.v1.Deployment'];
    assert.ok(dep?.properties?.spec, 'Deployment definition');
    assert.deepEqual(dep['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);

    const bin = kubectlVersion(27);
    if (!bin) return t.skip('kubectl 1.27 not installed');
    // 1.27 explains from v3 by default; plaintext-openapiv2 reads the protobuf v2 document.
    const v3 = k(['explain', 'deployment.spec.strategy'], { bin });
    assert.match(v3, /^GROUP:\s+apps$/m);
    assert.match(v3, /^FIELD: strategy <DeploymentStrategy>$/m);
    const out = k(['explain', 'deployment.spec.strategy', '--output=plaintext-openapiv2'], { bin });
    assert.match(out, /^KIND:\s+Deployment$/m);
    assert.match(out, /^VERSION:\s+apps\/v1$/m);
    assert.match(out, /^RESOURCE: strategy <Object>$/m);
    assert.match(out, /^\s+rollingUpdate\t<Object>$/m);
    assert.match(out, /^\s+type\t<string>$/m);
  });
});

for (const minor of [27, 33]) {
  const bin = kubectlVersion(minor);
  describe(`kubectl 1.${minor} smoke`, { skip: skip ?? (bin ? undefined : `kubectl 1.${minor} not installed`), timeout: 120_000 }, () => {
    let srv: RunningServer;
    const k = (args: string[], opts: Parameters<typeof kubectl>[2] = {}) => kubectlOk(srv, args, { bin, ...opts });
    before(async () => {
      srv = await startServer(['--no-agent']);
    });
    after(async () => {
      await srv?.stop();
    });

    test('apply lifecycle, diff, edit, patch, get -o wide, metadata', () => {
      const p = join(srv.dataDir, 'cm.yaml');
      writeFileSync(p, configMap('s', { a: '1', b: '2' }));
      assert.match(k(['apply', '-f', p]), /configmap\/s created/);
      assert.match(k(['apply', '-f', p]), /configmap\/s unchanged/);
      writeFileSync(p, configMap('s', { a: 'three' }));
      const d = kubectl(srv, ['diff', '-f', p], { bin });
      assert.equal(d.code, 1, d.stderr);
      assert.match(d.stdout, /^\+\s+a: three$/m);
      assert.match(k(['apply', '-f', p]), /configmap\/s configured/);
      assert.deepEqual(JSON.parse(k(['get', 'cm', 's', '-o', 'json'])).data, { a: 'three' });

      k(['edit', 'cm', 's'], { env: { KUBE_EDITOR: 'sed -i s/three/four/' } });
      assert.equal(JSON.parse(k(['get', 'cm', 's', '-o', 'json'])).data.a, 'four');

      k(['apply', '-f', '-'], { input: deployment('sm', 0, '      - {name: app, image: registry.example/app:1}\n      - {name: side, image: registry.example/side:1}\n') });
      k(['patch', 'deployment', 'sm', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"registry.example/app:2"},{"name":"side","$patch":"delete"}]}}}}']);
      const c = JSON.parse(k(['get', 'deployment', 'sm', '-o', 'json'])).spec.template.spec.containers;
      assert.deepEqual(c.map((x: any) => [x.name, x.image]), [['app', 'registry.example/app:2']]);
      k(['set', 'env', 'deployment/sm', 'X=1']);
      k(['label', 'deployment', 'sm', 'app=other', '--overwrite']);
      assert.deepEqual(headerOf(k(['get', 'deployments', '-o', 'wide'])), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
      assert.match(k(['get', 'deployments', '-o', 'name']), /^deployment\.apps\/sm$/m);
    });
  });
}
