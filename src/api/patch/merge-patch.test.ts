import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './merge-patch.js';
import { StatusError } from '../../util/errors.js';

void test('RFC 7396 appendix A examples', () => {
  // [original, patch, result]
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    // Nulls inside arrays are values, not deletions.
    [{}, { a: [null, { b: null }] }, { a: [null, { b: null }] }],
  ];
  for (const [doc, patch, want] of cases) {
    assert.deepEqual(applyMergePatch(doc, patch), want, JSON.stringify([doc, patch]));
  }
});

void test('RFC 7396 section 3 example', () => {
  const target = { title: 'Goodbye!', author: { givenName: 'John', familyName: 'Doe' }, tags: ['example', 'sample'], content: 'This will be unchanged' };
  const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
  assert.deepEqual(applyMergePatch(target, patch), {
    title: 'Hello!', author: { givenName: 'John' }, tags: ['example'], content: 'This will be unchanged', phoneNumber: '+01-123-456-7890',
  });
  assert.deepEqual(target.author, { givenName: 'John', familyName: 'Doe' }, 'input untouched');
});

void test('kubectl label, annotate and scale bodies', () => {
  const cm = { metadata: { name: 'c', labels: { app: 'x', team: 'a' } }, data: { k: 'v' } };
  assert.deepEqual(applyMergePatch(cm, { metadata: { labels: { foo: 'bar' } } }),
    { metadata: { name: 'c', labels: { app: 'x', team: 'a', foo: 'bar' } }, data: { k: 'v' } });
  assert.deepEqual(applyMergePatch(cm, { metadata: { labels: { app: null } } }),
    { metadata: { name: 'c', labels: { team: 'a' } }, data: { k: 'v' } });
  const scale = { kind: 'Scale', spec: { replicas: 1 }, status: { replicas: 1 } };
  assert.deepEqual(applyMergePatch(scale, { spec: { replicas: 3 } }), { kind: 'Scale', spec: { replicas: 3 }, status: { replicas: 1 } });
  // kubectl patch --type merge replaces lists: the docs' patch-file-2.yaml leaves only the new container.
  const deploy = { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr', image: 'nginx' }, { name: 'patch-demo-ctr-2', image: 'redis' }] } } } };
  assert.deepEqual(applyMergePatch(deploy, { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-3', image: 'gcr.io/google-samples/hello-app:2.0' }] } } } }),
    { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-3', image: 'gcr.io/google-samples/hello-app:2.0' }] } } } });
});

void test('a null or scalar body is refused as kube-apiserver does (not RFC 7396 whole-document replacement)', () => {
  for (const patch of [null, 'bar', 3, true]) {
    assert.throws(() => applyMergePatch({ a: 'foo' }, patch),
      (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'Invalid JSON Patch');
  }
});
