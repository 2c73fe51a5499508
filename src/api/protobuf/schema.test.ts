import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, parseMessage } from './schema.js';
import { registry, supportedKinds, messageForKind } from './schema/index.js';

void test('every message reference resolves and every kind has a schema', () => {
  assert.ok(registry.names().length > 150);
  for (const [gv, kind] of supportedKinds()) assert.ok(messageForKind(gv, kind), `${gv} ${kind}`);
  assert.equal(messageForKind('v1', 'Deployment'), undefined); // right kind, wrong group
  assert.equal(messageForKind('apps/v1', 'ObjectMeta'), undefined); // messages are not kinds
  assert.equal(messageForKind('__proto__', 'x'), undefined);
});

void test('the notation parses types, repetition, maps, keep-zero and inlining', () => {
  const m = parseMessage('X', '1 name!, 2 items:Item[], 3 data:map<bytes>, 4 labels:map, 5 n:i64, 6 ...:Inner');
  assert.deepEqual(m.fields.get(1), { json: 'name', value: { kind: 'scalar', type: 'str' }, repeated: false, map: false, keepZero: true });
  assert.equal(m.fields.get(2)!.repeated, true);
  assert.deepEqual(m.fields.get(3)!.value, { kind: 'scalar', type: 'bytes' });
  assert.equal(m.fields.get(4)!.map, true);
  assert.equal(m.fields.get(6)!.json, '');
});

void test('typos in tables fail at load', () => {
  assert.throws(() => parseMessage('X', '1 name, 1 other'), /twice/);
  assert.throws(() => parseMessage('X', 'name 1'), /bad field/);
  assert.throws(() => parseMessage('X', '1 ...:str'), /inline/);
  assert.throws(() => new Registry().add({ A: '1 b:Missing' }).link(), /unknown message Missing/);
  assert.throws(() => new Registry().add({ A: '' }).add({ A: '' }), /defined twice/);
});

void test('scoped tables resolve their own names first, then the global scope', () => {
  const r = new Registry()
    .add({ Obj: '1 spec:Spec', Spec: '1 a', Meta: '1 name' })
    .add({ Obj: '1 spec:Spec, 2 metadata:Meta', Spec: '1 b' }, 'g/v2')
    .link();
  const v2 = r.get('g/v2.Obj')!;
  const spec = v2.fields.get(1)!.value;
  assert.ok(spec.kind === 'message' && spec.spec === r.get('g/v2.Spec'));
  const meta = v2.fields.get(2)!.value;
  assert.ok(meta.kind === 'message' && meta.spec === r.get('Meta'));
  assert.equal(messageForKind('autoscaling/v2', 'HorizontalPodAutoscaler')!.name, 'autoscaling/v2.HorizontalPodAutoscaler');
  assert.equal(messageForKind('autoscaling/v1', 'HorizontalPodAutoscaler')!.name, 'HorizontalPodAutoscaler');
});
