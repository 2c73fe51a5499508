// The generic store's metadata, concurrency and deletion rules, on the memory backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBackend } from '../../storage/memory/memory.js';
import { Stores } from '../stores.js';
import { StatusError } from '../../util/errors.js';

const OPTS = { dryRun: false, user: { username: 'admin', groups: ['system:masters'] } };

async function setup() {
  const backend = new MemoryBackend();
  const stores = new Stores(backend, { serviceCIDR: '10.43.0.0/16' });
  await stores.start();
  await stores.store('', 'namespaces').create('', { metadata: { name: 'ns' } }, OPTS);
  return { backend, stores };
}

const reason = (r: string) => (err: unknown) => err instanceof StatusError && err.reason === r;

test('create fills server metadata and refuses duplicates and bad names', async () => {
  const { stores } = await setup();
  const cms = stores.store('', 'configmaps');
  const cm = await cms.create('ns', { metadata: { name: 'a', uid: 'client-set', resourceVersion: '99' }, data: { k: 'v' } }, OPTS);
  assert.match(cm.metadata.uid!, /^[0-9a-f-]{36}$/);
  assert.notEqual(cm.metadata.uid, 'client-set');
  assert.match(cm.metadata.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Number(cm.metadata.resourceVersion) > 0);
  await assert.rejects(cms.create('ns', { metadata: { name: 'a' } }, OPTS), reason('AlreadyExists'));
  await assert.rejects(cms.create('ns', { metadata: { name: 'Bad_Name' } }, OPTS), reason('Invalid'));
  await assert.rejects(cms.create('missing', { metadata: { name: 'x' } }, OPTS), reason('NotFound'));
  const gen = await cms.create('ns', { metadata: { generateName: 'gen-' } }, OPTS);
  assert.match(gen.metadata.name!, /^gen-[a-z0-9]{5}$/);
});

test('update: stale resourceVersion conflicts, generation tracks spec only, no-op keeps the revision', async () => {
  const { stores } = await setup();
  const deps = stores.store('apps', 'deployments');
  const d = await deps.create('ns', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }, OPTS);
  assert.equal(d.metadata.generation, 1);
  const same = await deps.update('ns', 'web', (cur) => cur, OPTS);
  assert.equal(same.changed, false);
  assert.equal(same.obj.metadata.resourceVersion, d.metadata.resourceVersion);
  const labelled = await deps.update('ns', 'web', (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { x: 'y' } } }), OPTS);
  assert.equal(labelled.obj.metadata.generation, 1);
  const scaled = await deps.update('ns', 'web', (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 3 } }), OPTS);
  assert.equal(scaled.obj.metadata.generation, 2);
  await assert.rejects(deps.update('ns', 'web', (cur) => ({ ...cur, metadata: { ...cur.metadata, resourceVersion: d.metadata.resourceVersion } }), OPTS), reason('Conflict'));
  // Status writes go through /status only.
  const st = await deps.update('ns', 'web', (cur) => ({ ...cur, status: { replicas: 3 } }), OPTS);
  assert.equal(st.obj.status, undefined);
  const st2 = await deps.update('ns', 'web', (cur) => ({ ...cur, spec: { replicas: 9 }, status: { replicas: 3 } }), { ...OPTS, subresource: 'status' });
  assert.deepEqual(st2.obj.status, { replicas: 3 });
  assert.equal((st2.obj.spec as any).replicas, 3);
});

test('delete: finalizers hold the object until removed; pods on a node wait for their grace period', async () => {
  const { stores } = await setup();
  const cms = stores.store('', 'configmaps');
  await cms.create('ns', { metadata: { name: 'f', finalizers: ['example.com/x'] } }, OPTS);
  const first = await cms.delete('ns', 'f', {}, OPTS);
  assert.equal(first.deleted, false);
  assert.ok(first.obj.metadata.deletionTimestamp);
  await cms.update('ns', 'f', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }), OPTS);
  await assert.rejects(cms.get('ns', 'f'), reason('NotFound'));

  const pods = stores.store('', 'pods');
  await pods.create('ns', { metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } }, OPTS);
  const graceful = await pods.delete('ns', 'p', {}, OPTS);
  assert.equal(graceful.deleted, false);
  assert.equal(graceful.obj.metadata.deletionGracePeriodSeconds, 30);
  const now = await pods.delete('ns', 'p', { gracePeriodSeconds: 0 }, OPTS);
  assert.equal(now.deleted, true);
  await pods.create('ns', { metadata: { name: 'unscheduled' }, spec: { containers: [{ name: 'c', image: 'i' }] } }, OPTS);
  assert.equal((await pods.delete('ns', 'unscheduled', {}, OPTS)).deleted, true);
});

test('services get cluster IPs and node ports, released on delete', async () => {
  const { stores } = await setup();
  const svcs = stores.store('', 'services');
  const a = await svcs.create('ns', { metadata: { name: 'a' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } }, OPTS);
  const spec = a.spec as any;
  assert.match(spec.clusterIP, /^10\.43\./);
  assert.ok(spec.ports[0].nodePort >= 30000 && spec.ports[0].nodePort <= 32767);
  assert.equal(spec.ports[0].targetPort, 80);
  await assert.rejects(svcs.create('ns', { metadata: { name: 'b' }, spec: { clusterIP: spec.clusterIP, ports: [{ port: 80 }] } }, OPTS), reason('Invalid'));
  await svcs.delete('ns', 'a', {}, OPTS);
  const b = await svcs.create('ns', { metadata: { name: 'b' }, spec: { clusterIP: spec.clusterIP, ports: [{ port: 80 }] } }, OPTS);
  assert.equal((b.spec as any).clusterIP, spec.clusterIP);
});

test('a service update stores the node ports it allocates; a renumbered port keeps its nodePort by name', async () => {
  const { stores } = await setup();
  const svcs = stores.store('', 'services');
  const a = await svcs.create('ns', { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'extra', port: 90 }] } }, OPTS);
  const [http, extra] = (a.spec as any).ports.map((p: any) => p.nodePort);
  // The port number changed and nodePort was dropped (as kubectl apply's $patch: delete does).
  const renumbered = (name: string, port: number) => ({ name, port, protocol: 'TCP', targetPort: port });
  await svcs.update('ns', 'np', (cur) => ({ ...cur, spec: { ...(cur.spec as object), ports: [renumbered('http', 81), renumbered('new', 91)] } }), OPTS);
  const stored = (await svcs.get('ns', 'np')).spec as any;
  assert.equal(stored.ports[0].nodePort, http, 'same name, same nodePort');
  assert.ok(stored.ports[1].nodePort >= 30000 && stored.ports[1].nodePort !== extra && stored.ports[1].nodePort !== http, 'a new port gets a new nodePort, stored');
});

test('a service switched to another type drops the fields that type does not use, unless the update set them', async () => {
  const { stores } = await setup();
  const svcs = stores.store('', 'services');
  await svcs.create('ns', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } }, OPTS);
  const toType = (type: string, extra: Record<string, unknown> = {}) => svcs.update('ns', 'lb', (cur) => ({ ...cur, spec: { ...(cur.spec as object), type, ...extra } }), OPTS);
  const clusterIP = (await toType('ClusterIP')).obj.spec as any;
  assert.equal(clusterIP.ports[0].nodePort, undefined);
  assert.equal(clusterIP.externalTrafficPolicy, undefined);
  assert.equal(clusterIP.allocateLoadBalancerNodePorts, undefined);
  assert.match(clusterIP.clusterIP, /^10\.43\./);
  const stored = (await svcs.get('ns', 'lb')).spec as any;
  assert.equal(stored.ports[0].nodePort, undefined);
  const external = (await toType('ExternalName', { externalName: 'db.example.com' })).obj.spec as any;
  assert.equal(external.clusterIP, undefined);
  assert.equal(external.clusterIPs, undefined);
  assert.equal(external.ipFamilies, undefined);
  // A nodePort the update itself asks for is not silently dropped: validation refuses it.
  await svcs.update('ns', 'lb', (cur) => ({ ...cur, spec: { type: 'NodePort', ports: [{ port: 443 }] } }), OPTS);
  await assert.rejects(toType('ClusterIP', { ports: [{ port: 443, nodePort: 30999 }] }), reason('Invalid'));
});

const deployment = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, ...extra },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

test('delete options: Foreground and Orphan mark the object with the GC finalizer, Background deletes, orphanDependents wins', async () => {
  const { stores } = await setup();
  const deps = stores.store('apps', 'deployments');
  const table: [string, Record<string, unknown>, string[] | 'deleted'][] = [
    ['fg', { propagationPolicy: 'Foreground' }, ['foregroundDeletion']],
    ['orphan', { propagationPolicy: 'Orphan' }, ['orphan']],
    ['legacy-orphan', { orphanDependents: true }, ['orphan']],
    ['bg', { propagationPolicy: 'Background' }, 'deleted'],
    ['default', {}, 'deleted'],
  ];
  for (const [name, opts, want] of table) {
    await deps.create('ns', deployment(name), OPTS);
    const res = await deps.delete('ns', name, opts, OPTS);
    if (want === 'deleted') {
      assert.equal(res.deleted, true, name);
      await assert.rejects(deps.get('ns', name), reason('NotFound'));
      continue;
    }
    assert.equal(res.deleted, false, name);
    const stored = await deps.get('ns', name);
    assert.deepEqual(stored.metadata.finalizers, want, name);
    assert.ok(stored.metadata.deletionTimestamp, name);
    assert.equal(stored.metadata.deletionGracePeriodSeconds, 0, name);
  }
  // A second delete may switch the policy; Background drops the GC finalizer and the object goes.
  const switched = await deps.delete('ns', 'orphan', { propagationPolicy: 'Foreground' }, OPTS);
  assert.deepEqual(switched.obj.metadata.finalizers, ['foregroundDeletion']);
  assert.equal((await deps.delete('ns', 'orphan', { propagationPolicy: 'Background' }, OPTS)).deleted, true);
  // Other finalizers stay, in order, beside the GC one.
  await deps.create('ns', deployment('mixed', { finalizers: ['example.com/a'] }), OPTS);
  assert.deepEqual((await deps.delete('ns', 'mixed', { propagationPolicy: 'Orphan' }, OPTS)).obj.metadata.finalizers, ['example.com/a', 'orphan']);
});

test('delete options: core/v1 ReplicationControllers orphan by default; dry run stores nothing', async () => {
  const { stores } = await setup();
  const rcs = stores.store('', 'replicationcontrollers');
  const rc = { metadata: { name: 'rc' }, spec: { selector: { app: 'x' }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
  await rcs.create('ns', rc, OPTS);
  const res = await rcs.delete('ns', 'rc', {}, OPTS);
  assert.equal(res.deleted, false);
  assert.deepEqual(res.obj.metadata.finalizers, ['orphan']);
  await rcs.create('ns', { ...rc, metadata: { name: 'rc2' } }, OPTS);
  assert.equal((await rcs.delete('ns', 'rc2', { propagationPolicy: 'Background' }, OPTS)).deleted, true);
  const deps = stores.store('apps', 'deployments');
  await deps.create('ns', deployment('dry'), OPTS);
  const dry = await deps.delete('ns', 'dry', { propagationPolicy: 'Foreground' }, { ...OPTS, dryRun: true });
  assert.deepEqual(dry.obj.metadata.finalizers, ['foregroundDeletion']);
  assert.equal((await deps.get('ns', 'dry')).metadata.finalizers, undefined);
});

test('delete preconditions: uid or resourceVersion mismatch is a 409 with upstream wording', async () => {
  const { stores } = await setup();
  const cms = stores.store('', 'configmaps');
  const cm = await cms.create('ns', { metadata: { name: 'p' } }, OPTS);
  await assert.rejects(cms.delete('ns', 'p', { preconditions: { uid: 'nope' } }, OPTS), (err: unknown) =>
    err instanceof StatusError && err.code === 409 && err.reason === 'Conflict' &&
    err.message === `Operation cannot be fulfilled on configmaps "p": Precondition failed: UID in precondition: nope, UID in object meta: ${cm.metadata.uid}`);
  await assert.rejects(cms.delete('ns', 'p', { preconditions: { resourceVersion: '1' } }, OPTS), (err: unknown) =>
    err instanceof StatusError && err.code === 409 &&
    err.message === `Operation cannot be fulfilled on configmaps "p": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${cm.metadata.resourceVersion}`);
  assert.equal((await cms.delete('ns', 'p', { preconditions: { uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion } }, OPTS)).deleted, true);
});

test('validation: the store answers 422 with upstream message and causes, defaults before validating, stores nothing', async () => {
  const { stores } = await setup();
  const deps = stores.store('apps', 'deployments');
  const bad = deployment('Bad_Name');
  (bad.spec.template.spec.containers[0] as Record<string, unknown>).image = '';
  await assert.rejects(deps.create('ns', bad, OPTS), (err: unknown) => {
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 422);
    assert.match(err.message, /^Deployment\.apps "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain .*, spec\.template\.spec\.containers\[0\]\.image: Required value\]$/);
    assert.deepEqual(err.details?.causes?.map((c) => [c.reason, c.field]), [['FieldValueInvalid', 'metadata.name'], ['FieldValueRequired', 'spec.template.spec.containers[0].image']]);
    return true;
  });
  const pods = stores.store('', 'pods');
  await assert.rejects(pods.create('ns', { metadata: { name: 'q' }, spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 'lots' } } }] } }, OPTS), (err: unknown) =>
    err instanceof StatusError && err.code === 400 &&
    err.message === `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  await assert.rejects(pods.get('ns', 'q'), reason('NotFound'));
  const d = await deps.create('ns', deployment('ok'), OPTS);
  assert.deepEqual((d.spec as any).strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  await assert.rejects(deps.update('ns', 'ok', (cur) => ({ ...cur, spec: { ...(cur.spec as object), selector: { matchLabels: { app: 'other' } } } }), OPTS), (err: unknown) =>
    err instanceof StatusError && err.code === 422 && err.message.includes('spec.selector: Invalid value: {"matchLabels":{"app":"other"}}: field is immutable'));
});

test('update from a stale watch cache copy: the store retries from storage before reporting anything', async () => {
  const { backend, stores } = await setup();
  const cms = stores.store('', 'configmaps');
  await cms.create('ns', { metadata: { name: 'c' }, data: { a: '1' } }, OPTS);
  const key = cms.key('ns', 'c');
  await stores.store('', 'configmaps').cache.waitUntil((await backend.get(key)).kv!.modRevision, 2000);
  const cachedRev = cms.cache.get(key)!.rev;
  // A write the cache has not applied yet: the next update starts from an older copy.
  const raw = JSON.parse((await backend.get(key)).kv!.value.toString('utf8'));
  raw.data.b = '2';
  const fresh = await backend.update(key, Buffer.from(JSON.stringify(raw)), cachedRev);
  assert.equal(cms.cache.get(key)?.rev, cachedRev, 'the cache is behind for this test');
  // The compare-and-swap fails on the stale copy; the retry keeps the other writer's change.
  const merged = await cms.update('ns', 'c', (cur) => ({ ...cur, data: { ...(cur.data as object), c: '3' } }), OPTS);
  assert.deepEqual(merged.obj.data, { a: '1', b: '2', c: '3' });
  // A precondition on the revision the cache has not seen yet holds against storage (no 409).
  const cur = (await backend.get(key)).kv!;
  const raw2 = JSON.parse(cur.value.toString('utf8'));
  raw2.data.d = '4';
  const fresh2 = await backend.update(key, Buffer.from(JSON.stringify(raw2)), cur.modRevision);
  const withRv = await cms.update('ns', 'c', (c) => ({ ...c, metadata: { ...c.metadata, resourceVersion: String(fresh2.kv.modRevision) }, data: { ...(c.data as object), e: '5' } }), OPTS);
  assert.deepEqual(withRv.obj.data, { a: '1', b: '2', c: '3', d: '4', e: '5' });
  assert.ok(fresh.kv.modRevision < fresh2.kv.modRevision);
  // What the stale copy would call a no-op is checked against storage too.
  const cur3 = (await backend.get(key)).kv!;
  const raw3 = JSON.parse(cur3.value.toString('utf8'));
  delete raw3.data.e;
  await backend.update(key, Buffer.from(JSON.stringify(raw3)), cur3.modRevision);
  const again = await cms.update('ns', 'c', (c) => ({ ...c, data: { ...(c.data as object), e: '5' } }), OPTS);
  assert.equal(again.changed, true);
  assert.equal((again.obj.data as Record<string, string>).e, '5');
});

test('outputText: the response JSON of a write is what the watch cache then serves for that object', async () => {
  const { stores } = await setup();
  const cms = stores.store('', 'configmaps');
  const cm = await cms.create('ns', { metadata: { name: 'seeded' }, data: { k: 'v' } }, OPTS);
  await cms.cache.waitUntil(Number(cm.metadata.resourceVersion), 1000);
  const text = cms.outputText(cm);
  assert.deepEqual(JSON.parse(text), cms.output(cm));
  const entry = cms.cache.get(cms.key('ns', 'seeded'))!;
  assert.equal(entry.obj, cm, 'the cache holds the written object itself');
  // The entry already has the text: a render now would be a second encoding.
  const served = entry.json('/v1', () => assert.fail('rendered again'));
  assert.equal(served.toString(), text);
  // A dry-run result is not the cached object: nothing is seeded for it.
  const dry = await cms.update('ns', 'seeded', (cur) => ({ ...cur, data: { k: 'w' } }), { ...OPTS, dryRun: true });
  cms.outputText(dry.obj);
  assert.equal(cms.cache.get(cms.key('ns', 'seeded'))!.json('/v1', () => assert.fail('rendered again')).toString(), text);
});
