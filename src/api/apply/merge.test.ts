// Table tests of the three walks over a Pod's type info: merge, compare and removeItems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare } from './compare.js';
import { FieldSet } from './fieldset.js';
import { merge, removeItems } from './merge.js';
import { fieldElement as f, keyElement, pathString, valueElement } from './path.js';
import { typeInfoFor } from './typeinfo.js';

const POD = typeInfoFor({ group: '', version: 'v1', kind: 'Pod' });
type O = Record<string, unknown>;

test('merge', () => {
  const cases: [string, O, O, O][] = [
    ['leaves: configuration wins, others kept', { spec: { a: 1, b: 2 } }, { spec: { b: 3, c: 4 } }, { spec: { a: 1, b: 3, c: 4 } }],
    ['null in the configuration unsets', { spec: { a: 1, b: 2 } }, { spec: { a: null } }, { spec: { b: 2 } }],
    ['atomic list replaced', { spec: { tolerations: [{ key: 'a' }, { key: 'b' }] } }, { spec: { tolerations: [{ key: 'c' }] } }, { spec: { tolerations: [{ key: 'c' }] } }],
    ['map list merged by key, element fields merged',
      { spec: { containers: [{ name: 'a', image: 'x', args: ['1'] }, { name: 'b', image: 'y' }] } },
      { spec: { containers: [{ name: 'a', image: 'z' }] } },
      { spec: { containers: [{ name: 'a', image: 'z', args: ['1'] }, { name: 'b', image: 'y' }] } }],
    ['ports keyed by containerPort and protocol (TCP by default)',
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 80, protocol: 'UDP' }] }] } },
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP', hostPort: 8080 }] }] } },
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http', protocol: 'TCP', hostPort: 8080 }, { containerPort: 80, protocol: 'UDP' }] }] } }],
    // Upstream's order: the configuration's new elements before the first shared one, live-only ones after it.
    ['set merged by value', { metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['c', 'a'] } }, { metadata: { finalizers: ['c', 'a', 'b'] } }],
    ['new elements appended after the live ones', { spec: { containers: [{ name: 'a' }] } }, { spec: { containers: [{ name: 'b' }] } }, { spec: { containers: [{ name: 'a' }, { name: 'b' }] } }],
    ['empty maps are leaves', { spec: { securityContext: {} } }, { spec: { securityContext: {} } }, { spec: { securityContext: {} } }],
  ];
  for (const [name, live, cfg, want] of cases) assert.deepEqual(merge(live, cfg, POD), want, name);
});

test('compare', () => {
  const ps = (s: FieldSet) => s.paths().map(pathString);
  const cases: [string, O, O, { added?: string[]; modified?: string[]; removed?: string[] }][] = [
    ['scalar changes', { spec: { a: 1, b: 2 } }, { spec: { a: 2, c: 3 } }, { added: ['.spec.c'], modified: ['.spec.a'], removed: ['.spec.b'] }],
    ['a new map is added itself and its leaves', { metadata: {} }, { metadata: { labels: { x: 'y' } } }, { added: ['.metadata.labels', '.metadata.labels.x'] }],
    ['an always-present struct is not added itself', {}, { spec: { hostname: 'h' } }, { added: ['.spec.hostname'] }],
    ['list elements by key', { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b' }] } }, { spec: { containers: [{ name: 'a', image: '2' }, { name: 'c' }] } },
      { added: ['.spec.containers[name="c"]', '.spec.containers[name="c"].name'], modified: ['.spec.containers[name="a"].image'],
        removed: ['.spec.containers[name="b"]', '.spec.containers[name="b"].name'] }],
    ['atomic list is one leaf', { spec: { tolerations: [{ key: 'a' }] } }, { spec: { tolerations: [{ key: 'b' }] } }, { modified: ['.spec.tolerations'] }],
    ['duplicates appearing', { spec: { containers: [{ name: 'a' }] } }, { spec: { containers: [{ name: 'a' }, { name: 'a' }] } },
      { added: ['.spec.containers[name="a"]'], removed: ['.spec.containers[name="a"]', '.spec.containers[name="a"].name'] }],
  ];
  for (const [name, l, r, want] of cases) {
    const c = compare(l, r, POD);
    assert.deepEqual({ added: ps(c.added), modified: ps(c.modified), removed: ps(c.removed) },
      { added: want.added ?? [], modified: want.modified ?? [], removed: want.removed ?? [] }, name);
  }
});

test('removeItems', () => {
  const c = (name: string) => [f('spec'), f('containers'), keyElement({ name })];
  const cases: [string, O, FieldSet, O][] = [
    ['a leaf', { spec: { a: 1, b: 2 } }, FieldSet.of([f('spec'), f('a')]), { spec: { b: 2 } }],
    ['an element and what it holds', { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } }, FieldSet.of(c('a')), { spec: { containers: [{ name: 'b' }] } }],
    ['inside an element', { spec: { containers: [{ name: 'a', image: 'x' }] } }, FieldSet.of([...c('a'), f('image')]), { spec: { containers: [{ name: 'a' }] } }],
    ['a map emptied goes', { metadata: { labels: { x: 'y' } }, spec: {} }, FieldSet.of([f('metadata'), f('labels'), f('x')]), { spec: {} }],
    ['a set value', { metadata: { finalizers: ['a', 'b'] } }, FieldSet.of([f('metadata'), f('finalizers'), valueElement('a')]), { metadata: { finalizers: ['b'] } }],
  ];
  for (const [name, v, set, want] of cases) assert.deepEqual(removeItems(v, set, POD), want, name);
});
