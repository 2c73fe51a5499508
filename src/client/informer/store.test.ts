import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { Indexer, NAMESPACE_INDEX } from './store.js';
import { Lister } from './lister.js';

const pod = (ns: string, name: string, node: string, labels: Record<string, string> = {}): KubeObject => ({ metadata: { namespace: ns, name, labels }, spec: { nodeName: node } });
const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).sort();

test('indexes follow upserts and deletes', () => {
  const ix = new Indexer({ node: (p) => [(p.spec as { nodeName: string }).nodeName] });
  ix.upsert(pod('a', 'p1', 'n1'));
  ix.upsert(pod('a', 'p2', 'n1'));
  ix.upsert(pod('b', 'p3', 'n2'));
  assert.deepEqual(names(ix.byIndex('node', 'n1')), ['p1', 'p2']);
  assert.deepEqual(names(ix.byIndex(NAMESPACE_INDEX, 'b')), ['p3']);
  const old = ix.upsert(pod('a', 'p1', 'n2'));
  assert.equal((old?.spec as { nodeName: string }).nodeName, 'n1');
  assert.deepEqual(names(ix.byIndex('node', 'n1')), ['p2']);
  assert.deepEqual(names(ix.byIndex('node', 'n2')), ['p1', 'p3']);
  ix.deleteKey('a/p2');
  assert.deepEqual(ix.byIndex('node', 'n1'), []);
  assert.deepEqual(ix.listIndexValues('node'), ['n2']);
  assert.equal(ix.size, 2);
  assert.throws(() => ix.byIndex('nope', 'x'), /does not exist/);
  assert.throws(() => ix.addIndexers({ node: () => [] }), /already exists/);
});

test('indexers added later are built over existing objects', () => {
  const ix = new Indexer();
  ix.upsert(pod('a', 'p1', 'n1'));
  ix.addIndexers({ node: (p) => [(p.spec as { nodeName: string }).nodeName] });
  assert.deepEqual(names(ix.byIndex('node', 'n1')), ['p1']);
});

test('lister: selectors, namespaces, cluster-scoped get', () => {
  const ix = new Indexer();
  ix.upsert(pod('a', 'p1', 'n1', { app: 'web' }));
  ix.upsert(pod('b', 'p2', 'n1', { app: 'db' }));
  ix.upsert({ metadata: { name: 'node-1' } });
  const l = new Lister(ix);
  assert.deepEqual(names(l.list('app=web')), ['p1']);
  assert.deepEqual(names(l.list('app in (web,db)')), ['p1', 'p2']);
  assert.deepEqual(names(l.listNamespace('b')), ['p2']);
  assert.equal(l.get('a', 'p1')?.metadata.name, 'p1');
  assert.equal(l.get('', 'node-1')?.metadata.name, 'node-1');
  assert.equal(l.get('b', 'p1'), undefined);
});
