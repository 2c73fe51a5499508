// Server-side apply with the real kubectl 1.32 against `skiff server`: apply --server-side, a
// conflicting second manager, --force-conflicts, and the managedFields kubectl shows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { kubectl, kubectlOk, missingKubectl, startServer, type RunningServer } from './harness.js';

const skip = missingKubectl();

function manifest(replicas: number, image = 'nginx:1.27'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa-web
  labels: {app: ssa-web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ssa-web}
  template:
    metadata:
      labels: {app: ssa-web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
`;
}

interface Entry { manager: string; operation: string; apiVersion: string; fieldsType: string; fieldsV1: Record<string, Record<string, unknown>> }

describe('server-side apply with kubectl', { skip, timeout: 300_000 }, () => {
  let srv: RunningServer;
  const k = (...args: string[]) => kubectlOk(srv, args);
  const file = (name: string, text: string) => {
    const p = join(srv.dataDir, name);
    writeFileSync(p, text);
    return p;
  };
  const entries = (): Entry[] => {
    const obj = parseYaml(k('get', 'deployment', 'ssa-web', '-o', 'yaml', '--show-managed-fields')) as { metadata: { managedFields?: Entry[] } };
    return obj.metadata.managedFields ?? [];
  };

  before(async () => {
    srv = await startServer(['--no-agent']);
  });
  after(async () => {
    assert.equal(await srv?.stop(), 0, 'server exits 0 on SIGTERM');
  });

  test('apply --server-side creates, then is unchanged', () => {
    const f = file('deploy.yaml', manifest(2));
    assert.match(k('apply', '--server-side', '-f', f), /deployment\.apps\/ssa-web serverside-applied/);
    const mine = entries().find((e) => e.manager === 'kubectl' && e.operation === 'Apply');
    assert.ok(mine, JSON.stringify(entries()));
    assert.equal(mine.apiVersion, 'apps/v1');
    assert.equal(mine.fieldsType, 'FieldsV1');
    assert.deepEqual(mine.fieldsV1['f:spec']!['f:replicas'], {});
    const containers = ((mine.fieldsV1['f:spec']!['f:template'] as Record<string, Record<string, Record<string, unknown>>>)['f:spec']!)['f:containers']!;
    assert.ok(Object.hasOwn(containers, 'k:{"name":"nginx"}'), JSON.stringify(containers));
    // Without --show-managed-fields kubectl hides them.
    assert.doesNotMatch(k('get', 'deployment', 'ssa-web', '-o', 'yaml'), /managedFields/);
    assert.match(k('apply', '--server-side', '-f', f), /serverside-applied/);
    assert.equal(k('get', 'deployment', 'ssa-web', '-o', 'jsonpath={.spec.replicas}'), '2');
  });

  test('a second manager changing replicas conflicts; --force-conflicts takes the field', () => {
    const other = file('other.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ssa-web\nspec:\n  replicas: 5\n');
    const r = kubectl(srv, ['apply', '--server-side', '--field-manager=other', '-f', other]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
    assert.match(r.stderr, /--force-conflicts/);
    assert.equal(k('get', 'deployment', 'ssa-web', '-o', 'jsonpath={.spec.replicas}'), '2');

    assert.match(k('apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', other), /deployment\.apps\/ssa-web serverside-applied/);
    assert.equal(k('get', 'deployment', 'ssa-web', '-o', 'jsonpath={.spec.replicas}'), '5');
    const byManager = Object.fromEntries(entries().filter((e) => e.operation === 'Apply').map((e) => [e.manager, e.fieldsV1]));
    assert.deepEqual(byManager.other, { 'f:spec': { 'f:replicas': {} } });
    assert.equal(byManager.kubectl!['f:spec']!['f:replicas'], undefined, 'kubectl no longer owns replicas');
  });

  test('dropping a field from the configuration removes it; an Update takes ownership', () => {
    // kubectl's manifest without the container port: the port goes.
    const f = file('deploy2.yaml', manifest(2).replace(/\s+ports:\n\s+- containerPort: 80\n/, '\n').replace('  replicas: 2\n', ''));
    assert.match(k('apply', '--server-side', '-f', f), /serverside-applied/);
    assert.equal(k('get', 'deployment', 'ssa-web', '-o', 'jsonpath={.spec.template.spec.containers[0].ports}'), '');
    assert.match(k('scale', 'deployment', 'ssa-web', '--replicas=3'), /scaled/);
    assert.match(k('label', 'deployment', 'ssa-web', 'tier=web'), /labeled/);
    const label = entries().find((e) => e.manager === 'kubectl-label');
    assert.ok(label, JSON.stringify(entries().map((e) => e.manager)));
    assert.equal(label.operation, 'Update');
    assert.deepEqual(label.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
  });

  test('moving from client-side apply: kubectl apply --server-side takes over and migrates managedFields', () => {
    const f = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: csa\ndata:\n  k: v\n  k2: v2\n');
    assert.match(k('apply', '-f', f), /configmap\/csa created/);
    const csa = parseYaml(k('get', 'cm', 'csa', '-o', 'yaml', '--show-managed-fields')) as { metadata: { managedFields: Entry[] } };
    assert.deepEqual(csa.metadata.managedFields.map((e) => [e.manager, e.operation]), [['kubectl-client-side-apply', 'Update']]);
    writeFileSync(f, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: csa\ndata:\n  k: v3\n');
    assert.match(k('apply', '--server-side', '-f', f), /configmap\/csa serverside-applied/);
    const after = parseYaml(k('get', 'cm', 'csa', '-o', 'yaml', '--show-managed-fields')) as { data: Record<string, string>; metadata: { managedFields: Entry[] } };
    assert.deepEqual(after.data, { k: 'v3' }, 'k2, applied client-side before, is pruned once kubectl owns it');
    assert.deepEqual(after.metadata.managedFields.map((e) => e.manager).sort(), ['kubectl', 'kubectl-last-applied']);
  });
});
