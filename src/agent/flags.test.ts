import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNodeLabels, parseNodeTaints } from './flags.js';

test('parseNodeLabels', () => {
  assert.deepEqual(parseNodeLabels(''), {});
  assert.deepEqual(parseNodeLabels('a=1, zone=x=y ,empty='), { a: '1', zone: 'x=y', empty: '' });
  assert.throws(() => parseNodeLabels('novalue'), /expected key=value/);
  assert.throws(() => parseNodeLabels('=v'), /expected key=value/);
});

test('parseNodeTaints', () => {
  assert.deepEqual(parseNodeTaints(''), []);
  assert.deepEqual(parseNodeTaints('dedicated=gpu:NoSchedule,maintenance:NoExecute'), [
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'maintenance', effect: 'NoExecute' },
  ]);
  assert.throws(() => parseNodeTaints('k=v:Sometimes'), /expected key\[=value\]/);
  assert.throws(() => parseNodeTaints('k=v'), /expected key\[=value\]/);
});
