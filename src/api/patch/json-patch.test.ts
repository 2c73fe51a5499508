import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from './json-patch.js';
import { GENERIC_INVALID_MESSAGE } from './errors.js';
import { StatusError } from '../../util/errors.js';

function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

void test('RFC 6902 appendix A examples', () => {
  // [section, document, patch, result]
  const cases: [string, unknown, unknown[], unknown][] = [
    ['A.1 add object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    ['A.2 add array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['A.3 remove object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 remove array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['A.5 replace a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    ['A.6 move a value', { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } }],
    ['A.7 move an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] }],
    ['A.8 test success', { baz: 'qux', foo: ['a', 2, 'c'] },
      [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], { baz: 'qux', foo: ['a', 2, 'c'] }],
    ['A.10 add nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } }],
    ['A.11 ignore unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['A.16 add an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
    // RFC 6902 §4: operations on the root and copies.
    ['add at root replaces the document', { a: 1 }, [{ op: 'add', path: '', value: { b: 2 } }], { b: 2 }],
    ['copy', { a: { b: [1] } }, [{ op: 'copy', from: '/a', path: '/c' }, { op: 'add', path: '/c/b/-', value: 2 }], { a: { b: [1] }, c: { b: [1, 2] } }],
    ['test compares structurally', { a: { x: 1, y: [1, { z: null }] } }, [{ op: 'test', path: '/a', value: { y: [1, { z: null }], x: 1 } }],
      { a: { x: 1, y: [1, { z: null }] } }],
    // evanphx/json-patch v4 (kube-apiserver) leniencies.
    ['negative index counts from the end', { a: [1, 2, 3] }, [{ op: 'remove', path: '/a/-1' }], { a: [1, 2] }],
    ['replace creates a missing member', { a: {} }, [{ op: 'replace', path: '/a/b', value: 1 }], { a: { b: 1 } }],
    ['test of a missing member against null passes', { a: {} }, [{ op: 'test', path: '/a/b', value: null }], { a: {} }],
    ['__proto__ is an ordinary key', {}, [{ op: 'add', path: '/__proto__', value: { x: 1 } }], JSON.parse('{"__proto__":{"x":1}}')],
  ];
  for (const [name, doc, patch, want] of cases) {
    assert.deepEqual(applyJsonPatch(doc, patch), want, name);
  }
});

void test('operations that do not apply are 422 with the generic message', () => {
  // [name, document, patch, detail kept as the cause]
  const cases: [string, unknown, unknown[], RegExp][] = [
    ['A.9 test failure', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], /testing value \/baz failed/],
    ['A.12 add to a nonexistent target', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], /doc is missing path/],
    ['A.15 strings are not numbers', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }], /test failed/],
    ['remove a missing member', { a: 1 }, [{ op: 'remove', path: '/b' }], /nonexistent key: b/],
    ['remove past the end', { a: [1] }, [{ op: 'remove', path: '/a/1' }], /invalid index/],
    ['add past the end', { a: [1] }, [{ op: 'add', path: '/a/3', value: 0 }], /invalid index/],
    ['add with a bad index', { a: [1] }, [{ op: 'add', path: '/a/x', value: 0 }], /not a proper array index/],
    ['replace past the end', { a: [1] }, [{ op: 'replace', path: '/a/1', value: 0 }], /missing key/],
    ['move from a missing path', { a: 1 }, [{ op: 'move', from: '/b', path: '/c' }], /missing from path/],
    ['move into its own child', { a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], /proper prefix/],
    ['copy from a missing path', { a: 1 }, [{ op: 'copy', from: '/b', path: '/c' }], /missing from path/],
    ['unknown op', { a: 1 }, [{ op: 'merge', path: '/a' }], /Unexpected kind: merge/],
    ['missing op', { a: 1 }, [{ path: '/a' }], /Unexpected kind: unknown/],
    ['missing path', { a: 1 }, [{ op: 'remove' }], /failed to decode path/],
    ['missing value', { a: 1 }, [{ op: 'add', path: '/b' }], /missing value field/],
    ['pointer without a leading slash', { a: 1 }, [{ op: 'replace', path: 'a', value: 2 }], /missing path/],
  ];
  for (const [name, doc, patch, detail] of cases) {
    const e = failure(() => applyJsonPatch(doc, patch));
    assert.equal(e.code, 422, name);
    assert.equal(e.reason, 'Invalid', name);
    assert.equal(e.message, GENERIC_INVALID_MESSAGE, name);
    assert.match(String((e.cause as Error).message), detail, name);
  }
});

void test('undecodable patches are 400, oversized ones 413', () => {
  const cases: [unknown, number, string][] = [
    [{ op: 'add' }, 400, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['x', 400, 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    [[1], 400, 'json: cannot unmarshal number into Go value of type jsonpatch.Operation'],
    [new Array(10001).fill({ op: 'test', path: '', value: {} }), 413, 'The allowed maximum operations in a JSON patch is 10000, got 10001'],
  ];
  for (const [patch, code, message] of cases) {
    const e = failure(() => applyJsonPatch({}, patch));
    assert.equal(e.code, code);
    assert.equal(e.message, message);
  }
});

void test('kubectl rollout undo and the CSA→SSA migration patch', () => {
  const deploy = {
    metadata: { name: 'web', resourceVersion: '7', annotations: { 'deployment.kubernetes.io/revision': '2' }, managedFields: [{ manager: 'kubectl-client-side-apply' }] },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v2' }] } } },
  };
  const undo = [
    { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } } },
    { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
  ];
  const out = applyJsonPatch(deploy, undo) as typeof deploy;
  assert.equal(out.spec.template.spec.containers[0]!.image, 'v1');
  assert.deepEqual(out.metadata.annotations, { 'deployment.kubernetes.io/revision': '1' });
  assert.equal(deploy.spec.template.spec.containers[0]!.image, 'v2', 'input untouched');

  const migrate = [
    { op: 'replace', path: '/metadata/managedFields', value: [{ manager: 'kubectl', operation: 'Apply' }] },
    { op: 'replace', path: '/metadata/resourceVersion', value: '7' },
  ];
  const m = applyJsonPatch(deploy, migrate) as typeof deploy;
  assert.deepEqual(m.metadata.managedFields, [{ manager: 'kubectl', operation: 'Apply' }]);
});
