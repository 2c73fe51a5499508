import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { admitPodPriority } from './priority.js';

const pc = (name: string, value: number, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name }, value, ...extra });
const lookup = (classes: KubeObject[]) => ({ get: async (n: string) => classes.find((c) => c.metadata.name === n), list: () => classes });
const pod = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'p' }, spec: { containers: [], ...spec } });

test('priority admission resolves classes, defaults, and refuses client-chosen numbers', async () => {
  const classes = [pc('high', 1000), pc('never', 50, { preemptionPolicy: 'Never' })];
  const a = pod({ priorityClassName: 'high' });
  await admitPodPriority(a, lookup(classes));
  assert.equal((a.spec as any).priority, 1000);

  const b = pod({ priorityClassName: 'never' });
  await admitPodPriority(b, lookup(classes));
  assert.deepEqual([(b.spec as any).priority, (b.spec as any).preemptionPolicy], [50, 'Never']);

  const c = pod({});
  await admitPodPriority(c, lookup(classes));
  assert.equal((c.spec as any).priority, 0);
  assert.equal((c.spec as any).priorityClassName, undefined);

  const d = pod({});
  await admitPodPriority(d, lookup([...classes, pc('default', 7, { globalDefault: true })]));
  assert.deepEqual([(d.spec as any).priority, (d.spec as any).priorityClassName], [7, 'default']);

  await assert.rejects(admitPodPriority(pod({ priorityClassName: 'nope' }), lookup(classes)), (e: any) => e.code === 403 && e.message === 'pods "p" is forbidden: no PriorityClass with name nope was found');
  await assert.rejects(admitPodPriority(pod({ priorityClassName: 'high', priority: 5 }), lookup(classes)), /the integer value of priority \(5\) must not be provided in pod spec; priority admission controller computed 1000/);
  const same = pod({ priorityClassName: 'high', priority: 1000 });
  await admitPodPriority(same, lookup(classes));
  assert.equal((same.spec as any).priority, 1000);
});
