import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClient, refs } from '../../client/index.js';
import { RevisionStore } from './store.js';
import { canonicalJson, findEqualRevisions, hashRevision, newRevision, nextRevisionNumber, safeEncode, sortRevisions, templatePatch } from './revision.js';

const parent = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
const kind = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

test('hash is stable under key order, changes with data and collision count, uses the safe alphabet', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  const h = hashRevision({ a: 1, b: 2 });
  assert.equal(hashRevision({ b: 2, a: 1 }), h);
  assert.notEqual(hashRevision({ a: 1, b: 3 }), h);
  assert.notEqual(hashRevision({ a: 1, b: 2 }, 1), h);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(safeEncode('0123456789'), '456789bcdf');
});

test('new revisions: name, hash label, owner, template patch; sorting and numbering', () => {
  const r = newRevision(parent, kind, { app: 'web' }, templatePatch({ metadata: { labels: { app: 'web' } } }), 3);
  assert.equal(r.metadata.name, `web-${r.metadata.labels!['controller-revision-hash']}`);
  assert.equal(r.metadata.labels!.app, 'web');
  assert.equal((r.data as any).spec.template.$patch, 'replace');
  assert.equal(r.metadata.ownerReferences![0]!.controller, true);
  const r2 = { ...r, revision: 1, metadata: { ...r.metadata, name: 'b' } };
  assert.deepEqual(sortRevisions([r, r2]).map((x) => x.revision), [1, 3]);
  assert.equal(nextRevisionNumber([r, r2]), 4);
  assert.equal(findEqualRevisions([r, r2], r).length, 2);
});

test('create: same data reuses the existing revision, different data bumps the collision count', async () => {
  const client = new FakeClient();
  const store = new RevisionStore(client);
  const rev = newRevision(parent, kind, {}, templatePatch({ spec: { containers: [{ name: 'a' }] } }), 1);
  const collision = { count: 0 };
  const a = await store.create('web', rev, collision);
  const again = await store.create('web', rev, collision);
  assert.equal(again.metadata.uid, a.metadata.uid);
  assert.equal(collision.count, 0);
  // Squat the name of the next revision with different data.
  const other = newRevision(parent, kind, {}, templatePatch({ spec: { containers: [{ name: 'b' }] } }), 2, 0);
  await client.resource(refs.controllerrevisions).namespace('ns').create({ ...other, data: { different: true } });
  const c = await store.create('web', other, collision);
  assert.equal(collision.count, 1);
  assert.notEqual(c.metadata.name, other.metadata.name);
});
