// Upstream's strategicpatch test cases (apimachinery pkg/util/strategicpatch/patch_test.go), applied
// against its MergeItem test type: the "custom" cases (order-insensitive upstream, so the expected
// orders here are worked out from the algorithm) and the raw cases (exact order), both the two-way
// patch applied to the original and the three-way patch applied to the live object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatchWithSchema } from './strategic.js';
import { buildSchema } from './strategic-schema.js';
import { StatusError } from '../../util/errors.js';

const schema = buildSchema({
  MergeItem: [
    'mergingList:MergeItem merge:name', 'nonMergingList:MergeItem', 'mergingIntList merge', 'nonMergingIntList',
    'mergeItemPtr:MergeItem merge:name', 'simpleMap', 'replacingItem replace',
    'retainKeysMap:RetainKeysMergeItem retainKeys', 'retainKeysMergingList:MergeItem merge,retainKeys:name',
  ],
  RetainKeysMergeItem: ['mergingIntList merge', 'mergingList:MergeItem merge:name', 'nonMergingList:MergeItem'],
});

const smp = (doc: unknown, patch: unknown): unknown => applyStrategicMergePatchWithSchema(doc, patch, schema, 'MergeItem');
const n = (...names: number[]): { name: number }[] => names.map((name) => ({ name }));

type Case = [description: string, original: unknown, patch: unknown, result: unknown];

void test('custom cases: directives, scalar sets, retainKeys without the directive, order', () => {
  const cases: Case[] = [
    ['unique scalars when merging lists', { mergingIntList: [1, 2] }, { mergingIntList: [2, 3] }, { mergingIntList: [1, 2, 3] }],
    ['delete map from nested map', { simpleMap: { key1: 1, key2: 1 } }, { simpleMap: { $patch: 'delete' } }, { simpleMap: {} }],
    ['delete all items from merging list', { mergingList: n(1, 2) }, { mergingList: [{ $patch: 'replace' }] }, { mergingList: [] }],
    ['merge empty merging lists', { mergingList: [] }, { mergingList: [] }, { mergingList: [] }],
    ['delete all keys from map', { name: 1, value: 1 }, { $patch: 'replace' }, {}],
    ['add key and delete all keys from map', { name: 1, value: 1 }, { other: 'a', $patch: 'replace' }, { other: 'a' }],
    ['delete all duplicate entries in a merging list',
      { mergingList: [{ name: 1 }, { name: 1 }, { name: 2, value: 'a' }, { name: 3 }, { name: 3 }] },
      { mergingList: [{ name: 1, $patch: 'delete' }, { name: 3, $patch: 'delete' }] },
      { mergingList: [{ name: 2, value: 'a' }] }],
    ['retainKeys map can add a field when no retainKeys directive present',
      { retainKeysMap: { name: 'foo' } }, { retainKeysMap: { value: 'bar' } }, { retainKeysMap: { name: 'foo', value: 'bar' } }],
    ['retainKeys map can change a field when no retainKeys directive present',
      { retainKeysMap: { name: 'foo', value: 'a' } }, { retainKeysMap: { value: 'b' } }, { retainKeysMap: { name: 'foo', value: 'b' } }],
    ['retainKeys map can delete a field when no retainKeys directive present',
      { retainKeysMap: { name: 'foo', value: 'a' } }, { retainKeysMap: { value: null } }, { retainKeysMap: { name: 'foo' } }],
    ['retainKeys map merge an empty map',
      { retainKeysMap: { name: 'foo', value: 'a' } }, { retainKeysMap: {} }, { retainKeysMap: { name: 'foo', value: 'a' } }],
    ['retainKeys list can add a field when no retainKeys directive present',
      { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo' }] }, { retainKeysMergingList: [{ name: 'foo', value: 'a' }] },
      { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] }],
    ['retainKeys list can change a field when no retainKeys directive present',
      { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] }, { retainKeysMergingList: [{ name: 'foo', value: 'b' }] },
      { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'b' }] }],
    ['retainKeys list can delete a field when no retainKeys directive present',
      { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] }, { retainKeysMergingList: [{ name: 'foo', value: null }] },
      { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo' }] }],
    ['preserve the order from the patch in a merging list',
      { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
      { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, other: 'x' }] },
      { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }, { name: 2, value: 'b', other: 'x' }] }],
    ['preserve the order from the patch in a merging list 2',
      { mergingList: [{ name: 1 }, { name: 2, value: 'b' }, { name: 3 }] },
      { mergingList: [{ name: 3, value: 'c' }, { name: 1, value: 'a' }] },
      { mergingList: [{ name: 2, value: 'b' }, { name: 3, value: 'c' }, { name: 1, value: 'a' }] }],
    ['preserve the order from the patch in a merging int list', { mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1, 2] }, { mergingIntList: [3, 1, 2] }],
    ['preserve the order from the patch in a merging int list 2', { mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1] }, { mergingIntList: [2, 3, 1] }],
    // Raw custom cases.
    ['$setElementOrder contains item that is not present in the list to be merged',
      { mergingList: n(1, 3) },
      { '$setElementOrder/mergingList': n(3, 2, 1), mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] },
      { mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] }],
    ['$setElementOrder contains item that is not present in the int list to be merged',
      { mergingIntList: [1, 3] }, { '$setElementOrder/mergingIntList': [3, 2, 1] }, { mergingIntList: [3, 1] }],
    ['$deleteFromPrimitiveList of nonexistent item in primitive list should not add the item to the list',
      { mergingIntList: [1, 2] }, { '$deleteFromPrimitiveList/mergingIntList': [3] }, { mergingIntList: [1, 2] }],
    ['$deleteFromPrimitiveList on empty primitive list should not add the item to the list',
      { mergingIntList: null }, { '$deleteFromPrimitiveList/mergingIntList': [3] }, { mergingIntList: null }],
    ['$deleteFromPrimitiveList on nonexistent primitive list should not add the primitive list',
      { foo: ['bar'] }, { '$deleteFromPrimitiveList/mergingIntList': [3] }, { foo: ['bar'] }],
    ['$deleteFromPrimitiveList should delete item from a list with merge patch strategy',
      { mergingIntList: [1, 2, 3] }, { '$deleteFromPrimitiveList/mergingIntList': [2] }, { mergingIntList: [1, 3] }],
    ['$deleteFromPrimitiveList should delete item from a list without merge patch strategy',
      { nonMergingIntList: [1, 2, 3] }, { '$deleteFromPrimitiveList/nonMergingIntList': [2] }, { nonMergingIntList: [1, 3] }],
    // Defaults without metadata.
    ['non-merging lists are replaced', { nonMergingList: n(1, 2) }, { nonMergingList: n(3) }, { nonMergingList: n(3) }],
    ['replace strategy replaces a map', { replacingItem: { a: 1, b: 2 } }, { replacingItem: { c: 3 } }, { replacingItem: { c: 3 } }],
    ['unknown fields merge like a merge patch', { x: { a: 1, b: [1] } }, { x: { a: null, b: [2], c: 3 } }, { x: { b: [2], c: 3 } }],
    ['a changed JSON type is taken from the patch', { name: { a: 1 } }, { name: 'x' }, { name: 'x' }],
    ['unmatched nulls are dropped', { name: 'a' }, { other: null, simpleMap: { k: null, j: 'v' } }, { name: 'a', simpleMap: { j: 'v' } }],
    ['null patch is a no-op', { name: 'a' }, null, { name: 'a' }],
  ];
  for (const [description, original, patch, result] of cases) {
    assert.deepEqual(smp(original, patch), result, description);
  }
});

void test('raw cases: two-way patch on the original and three-way patch on the live object keep upstream order', () => {
  const cases: Case[] = [
    ['nested patch merge with empty list (two-way)', { name: 'hi' },
      { mergingList: [{ name: 'hello' }, { $patch: 'delete', name: 'doesntexist' }] },
      { name: 'hi', mergingList: [{ name: 'hello' }] }],
    ['nested patch merge with empty list (three-way)', { name: 'hi', mergingList: [{ name: 'hello2' }] },
      { '$setElementOrder/mergingList': [{ name: 'hello' }, { name: 'doesntexist' }], mergingList: [{ name: 'hello' }] },
      { name: 'hi', mergingList: [{ name: 'hello' }, { name: 'hello2' }] }],
    ['delete items in lists of scalars', { mergingIntList: [1, 2, 3, 4] },
      { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] }, { mergingIntList: [1, 2, 4] }],
    ['delete all duplicate items in lists of scalars', { mergingIntList: [1, 2, 3, 3, 4] },
      { '$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3] }, { mergingIntList: [1, 2, 4] }],
    ['add and delete items in lists of scalars', { mergingIntList: [1, 2, 3] },
      { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4] },
      { mergingIntList: [1, 2, 4] }],
    ['add an item in a list of primitives and preserve order', { mergingIntList: [1, 4, 2] },
      { '$setElementOrder/mergingIntList': [3, 1, 2], mergingIntList: [3] }, { mergingIntList: [3, 1, 4, 2] }],
    ['delete an item in a list of primitives and preserve order', { mergingIntList: [1, 2, 3] },
      { '$setElementOrder/mergingIntList': [2, 1], '$deleteFromPrimitiveList/mergingIntList': [3] }, { mergingIntList: [2, 1] }],
    ['add and delete an item in a list and preserve order',
      { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2, other: 'b' }, { name: 3, value: 3 }] },
      { '$setElementOrder/mergingList': n(4, 2, 1), mergingList: [{ name: 4, value: 4 }, { name: 3, $patch: 'delete' }] },
      { mergingList: [{ name: 4, value: 4 }, { name: 2, value: 2, other: 'b' }, { name: 1, other: 'a' }] }],
    ['set elements order in a list',
      { mergingList: [{ name: 1, other: 'a' }, { name: 3, value: 3 }, { name: 4, value: 4 }, { name: 2, value: 2 }] },
      { '$setElementOrder/mergingList': n(4, 2, 3, 1) },
      { mergingList: [{ name: 4, value: 4 }, { name: 2, value: 2 }, { name: 3, value: 3 }, { name: 1, other: 'a' }] }],
    ['set elements order in a list with server-only items',
      { mergingList: [{ name: 1, other: 'a' }, { name: 3, value: 3 }, { name: 4, value: 4 }, { name: 2, value: 2 }, { name: 9 }] },
      { '$setElementOrder/mergingList': n(4, 2, 3, 1) },
      { mergingList: [{ name: 4, value: 4 }, { name: 2, value: 2 }, { name: 3, value: 3 }, { name: 1, other: 'a' }, { name: 9 }] }],
    ['set elements order in a list with server-only items 2',
      { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2 }, { name: 9 }, { name: 3, value: 3 }, { name: 4, value: 4 }] },
      { '$setElementOrder/mergingList': n(2, 1, 4, 3) },
      { mergingList: [{ name: 2, value: 2 }, { name: 1, other: 'a' }, { name: 9 }, { name: 4, value: 4 }, { name: 3, value: 3 }] }],
    ['set elements order in a list with server-only items 3',
      { mergingList: [{ name: 1, other: 'a' }, { name: 2, value: 2 }, { name: 7 }, { name: 9 }, { name: 8 }, { name: 3, value: 3 }, { name: 4, value: 4 }] },
      { '$setElementOrder/mergingList': n(2, 1, 4, 3) },
      { mergingList: [{ name: 2, value: 2 }, { name: 1, other: 'a' }, { name: 7 }, { name: 9 }, { name: 8 }, { name: 4, value: 4 }, { name: 3, value: 3 }] }],
    ['behavior of set element order for a merging list with duplicate',
      { mergingList: [{ name: 1 }, { name: 2, value: 'dup1' }, { name: 3 }, { name: 2, value: 'dup2' }, { name: 4 }] },
      { '$setElementOrder/mergingList': n(2, 1, 4, 3, 2) },
      { mergingList: [{ name: 2, value: 'dup1' }, { name: 2, value: 'dup2' }, { name: 1 }, { name: 4 }, { name: 3 }] }],
    ['behavior of set element order for a merging int list with duplicate', { mergingIntList: [1, 2, 3, 2, 4] },
      { '$setElementOrder/mergingIntList': [2, 1, 4, 3, 2] }, { mergingIntList: [2, 2, 1, 4, 3] }],
    ['retainKeys map should clear defaulted field', { retainKeysMap: { value: 'foo' } },
      { retainKeysMap: { $retainKeys: ['other'], other: 'bar' } }, { retainKeysMap: { other: 'bar' } }],
    ['retainKeys map should clear defaulted field with conflict (discriminated union)', { retainKeysMap: { name: 'type1', value: 'foo' } },
      { retainKeysMap: { $retainKeys: ['name', 'other'], name: 'type2', other: 'bar' } }, { retainKeysMap: { name: 'type2', other: 'bar' } }],
    ['retainKeys map adds a field and clear a field', { retainKeysMap: { name: 'foo', other: 'a' } },
      { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'bar' } }, { retainKeysMap: { name: 'foo', value: 'bar' } }],
    ['retainKeys map adds an item in nested merging int list', { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 3] } },
      { retainKeysMap: { '$setElementOrder/mergingIntList': [1, 2, 4], $retainKeys: ['mergingIntList', 'name'], mergingIntList: [4] } },
      { retainKeysMap: { name: 'foo', mergingIntList: [1, 2, 4, 3] } }],
    ['retainKeys list of maps clears a field',
      { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a', other: 'x' }] },
      { '$setElementOrder/retainKeysMergingList': [{ name: 'bar' }, { name: 'foo' }], retainKeysMergingList: [{ $retainKeys: ['name', 'value'], name: 'foo' }] },
      { retainKeysMergingList: [{ name: 'bar' }, { name: 'foo', value: 'a' }] }],
    ['delete and reorder in one list, reorder in another',
      { mergingList: [{ name: 'a', value: 'a' }, { name: 'b', value: 'b' }], mergeItemPtr: [{ name: 'c', value: 'c' }, { name: 'd', value: 'd' }] },
      {
        '$setElementOrder/mergingList': [{ name: 'b' }], '$setElementOrder/mergeItemPtr': [{ name: 'd' }, { name: 'c' }],
        mergingList: [{ $patch: 'delete', name: 'a' }],
      },
      { mergingList: [{ name: 'b', value: 'b' }], mergeItemPtr: [{ name: 'd', value: 'd' }, { name: 'c', value: 'c' }] }],
  ];
  for (const [description, original, patch, result] of cases) {
    // Compare serialized JSON: key order aside, list order is part of the expectation.
    assert.deepEqual(smp(original, patch), result, description);
  }
});

void test('malformed directives are refused with upstream messages', () => {
  // [description, original, patch, code, message (exact string or pattern)]
  const cases: [string, unknown, unknown, number, string | RegExp][] = [
    ['should check if order in $setElementOrder and patch list match', { mergingList: n(1, 3, 2) },
      { '$setElementOrder/mergingList': n(1, 2, 3), mergingList: [{ name: 3, value: 3 }, { name: 1, value: 1 }] }, 400, /doesn't match \$setElementOrder list/],
    ['int list order must match too', { mergingIntList: [1, 3, 2] },
      { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] }, 400, /doesn't match/],
    ['missing merge key should error out', { mergingList: [{ name: 1, value: 'a' }] }, { mergingList: [{ value: 'b' }] },
      400, 'map: map[value:b] does not contain declared merge key: name'],
    ['$patch: delete needs the merge key', { mergingList: n(1) }, { mergingList: [{ $patch: 'delete' }] },
      400, 'map: map[$patch:delete] does not contain declared merge key: name'],
    ['$patch: merge on a map is not a map directive', { simpleMap: { a: 'b' } }, { simpleMap: { $patch: 'merge', c: 'd' } },
      400, 'unknown patch type: merge in map: map[$patch:merge c:d]'],
    ['unknown $patch in a map', { simpleMap: { a: 'b' } }, { simpleMap: { $patch: 'frobnicate' } }, 400, /unknown patch type: frobnicate/],
    ['$patch: merge in a list', { mergingList: n(1) }, { mergingList: [{ name: 2, $patch: 'merge' }] },
      400, 'merging lists cannot yet be specified in the patch'],
    ['unknown $patch in a list', { mergingList: n(1) }, { mergingList: [{ name: 2, $patch: 'x' }] }, 400, 'unknown patch type: x in map: map[$patch:x name:2]'],
    ['$retainKeys must be a list', { retainKeysMap: { name: 'a' } }, { retainKeysMap: { $retainKeys: 'name' } }, 400, 'invalid patch format of retainKeys'],
    ['patch keys must be retained', { retainKeysMap: { name: 'a' } }, { retainKeysMap: { $retainKeys: ['name'], value: 'v' } },
      400, 'invalid patch format of retainKeys'],
    ['$setElementOrder must be a list', { mergingList: n(1) }, { '$setElementOrder/mergingList': 'x' },
      400, 'expected a []interface {}, but received a string'],
    ['$setElementOrder prefix must be followed by a slash', { mergingList: n(1) }, { $setElementOrderX: [] },
      400, 'invalid patch format of setElementOrder list'],
    ['$deleteFromPrimitiveList prefix must be followed by a slash', { mergingIntList: [1] }, { $deleteFromPrimitiveList: [1] },
      400, 'invalid patch format of primitive list'],
    ['mixed element types', { mergingIntList: [1] }, { mergingIntList: ['a'] }, 400, 'list element types are not identical: [[1] [a]]'],
    ['maps in a merge list without a merge key', { mergingIntList: [] }, { mergingIntList: [{ a: 1 }] }, 400, 'cannot merge lists without merge key for string'],
    ['lists of lists are not supported', { mergingIntList: [[1]] }, { mergingIntList: [[2]] }, 422, 'the server rejected our request due to an error in our request'],
    ['the body must be an object', {}, [1], 400, 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
  ];
  for (const [description, original, patch, code, message] of cases) {
    assert.throws(() => smp(original, patch), (e: unknown) => {
      assert.ok(e instanceof StatusError, `${description}: ${String(e)}`);
      assert.equal(e.code, code, description);
      if (typeof message === 'string') assert.equal(e.message, message, description);
      else assert.match(e.message, message, description);
      return true;
    }, description);
  }
});

void test('inputs are never mutated', () => {
  const original = { mergingList: [{ name: 1, value: 'a' }], retainKeysMap: { name: 'x', value: 'y' } };
  const patch = { '$setElementOrder/mergingList': n(2, 1), mergingList: [{ name: 2 }], retainKeysMap: { $retainKeys: ['name'], name: 'z' } };
  const before = JSON.stringify([original, patch]);
  smp(original, patch);
  assert.equal(JSON.stringify([original, patch]), before);
});
