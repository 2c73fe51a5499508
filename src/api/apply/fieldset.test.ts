import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from './fieldset.js';
import { fieldElement as f, indexElement, keyElement, pathString, valueElement } from './path.js';

test('FieldsV1 encoding: members, children, "." and upstream element order', () => {
  const s = FieldSet.of(
    [f('spec'), f('replicas')],
    [f('metadata'), f('labels')],
    [f('metadata'), f('labels'), f('app')],
    [f('spec'), f('containers'), keyElement({ name: 'nginx' })],
    [f('spec'), f('containers'), keyElement({ name: 'nginx' }), f('image')],
    [f('spec'), f('finalizers'), valueElement('b')],
    [f('spec'), f('finalizers'), valueElement('a')],
  );
  assert.deepEqual(s.toFieldsV1(), {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {} } },
      'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} },
      'f:replicas': {},
    },
  });
  assert.deepEqual(Object.keys(s.toFieldsV1()['f:spec'] as object), ['f:containers', 'f:finalizers', 'f:replicas']);
  // Decoding gives the same set back.
  assert.ok(FieldSet.fromFieldsV1(s.toFieldsV1()).equals(s));
});

test('path elements: keys sorted by name, Go escaping, human form', () => {
  const cases: [string, string, string][] = [
    [keyElement({ protocol: 'TCP', containerPort: 80 }), 'k:{"containerPort":80,"protocol":"TCP"}', '[containerPort=80,protocol="TCP"]'],
    [valueElement('a<b'), 'v:"a\\u003cb"', '[="a<b"]'],
    [indexElement(3), 'i:3', '[3]'],
    [f('spec'), 'f:spec', '.spec'],
  ];
  for (const [pe, encoded, human] of cases) {
    assert.equal(pe, encoded);
    assert.equal(pathString([pe]), human);
  }
  assert.equal(pathString([f('spec'), f('containers'), keyElement({ name: 'nginx' }), f('image')]), '.spec.containers[name="nginx"].image');
});

test('decoding: key order and unknown element types', () => {
  const s = FieldSet.fromFieldsV1({ 'f:a': { 'k:{"z":1,"a":2}': {} }, 'x:future': {}, 'f:b': { '.': {}, 'f:c': {} } });
  assert.deepEqual(s.paths().map(pathString), ['.a[a=2,z=1]', '.b', '.b.c']);
  assert.throws(() => FieldSet.fromFieldsV1({ 'f:a': 1 }));
  assert.throws(() => FieldSet.fromFieldsV1({ 'k:{bad': {} }));
});

test('set algebra', () => {
  const p = (...names: string[]) => names.map(f);
  const a = FieldSet.of(p('a'), p('b', 'c'), p('b', 'd'));
  const b = FieldSet.of(p('b', 'c'), p('e'));
  const cases: [string, FieldSet, string[]][] = [
    ['union', a.union(b), ['.a', '.b.c', '.b.d', '.e']],
    ['intersection', a.intersection(b), ['.b.c']],
    ['difference', a.difference(b), ['.a', '.b.d']],
    ['difference keeps children of a removed member', a.difference(FieldSet.of(p('b'))), ['.a', '.b.c', '.b.d']],
    ['recursive difference removes them', a.recursiveDifference(FieldSet.of(p('b'))), ['.a']],
    ['named fields become members', FieldSet.of(p('b', 'c')).ensureNamedFieldsAreMembers(), ['.b', '.b.c']],
  ];
  for (const [name, got, want] of cases) assert.deepEqual(got.paths().map(pathString), want, name);
  assert.ok(new FieldSet().empty());
  assert.ok(a.has(p('b', 'd')) && !a.has(p('b')));
  assert.equal(a.size(), 3);
});
