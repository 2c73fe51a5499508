import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readlink, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomic } from './atomic-writer.js';
import { payloadFor } from './sources.js';

test('atomic writer: ..data swap, user-visible symlinks, removal of stale names, modes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-aw-'));
  try {
    assert.equal(await writeAtomic(dir, new Map([['a', { data: '1' }], ['sub/b', { data: '2', mode: 0o600 }]])), true);
    const first = await readlink(join(dir, '..data'));
    assert.match(first, /^\.\./);
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), '1');
    assert.equal(await readFile(join(dir, 'sub/b'), 'utf8'), '2');
    assert.equal(await readlink(join(dir, 'a')), '..data/a');
    assert.equal((await stat(join(dir, 'sub/b'))).mode & 0o777, 0o600);
    // Same content: nothing written.
    assert.equal(await writeAtomic(dir, new Map([['a', { data: '1' }], ['sub/b', { data: '2', mode: 0o600 }]])), false);
    // Update: new timestamped dir, old one gone, `sub` gone.
    assert.equal(await writeAtomic(dir, new Map([['a', { data: 'new' }]])), true);
    const second = await readlink(join(dir, '..data'));
    assert.notEqual(second, first);
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'new');
    await assert.rejects(lstat(join(dir, 'sub')));
    const entries = (await readdir(dir)).sort();
    assert.deepEqual(entries, ['..data', second, 'a'].sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('atomic writer refuses paths that escape', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-aw-'));
  try {
    await assert.rejects(writeAtomic(dir, new Map([['../x', { data: '' }]])), /must not contain '\.\.'/);
    await assert.rejects(writeAtomic(dir, new Map([['/x', { data: '' }]])), /must be relative/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('configMap volume payload: items, modes, optional, missing', async () => {
  const s = {
    configMap: async (_ns: string, n: string) => (n === 'cm' ? { data: { a: 'A', b: 'B' } } : undefined),
    secret: async () => ({ data: { t: Buffer.from('tok').toString('base64') } }),
    token: async () => 'jwt', allocatable: {}, hostIP: 'h', podIP: 'p', nodeName: 'n',
  };
  const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { x: 'y' } }, spec: {} };
  const all = await payloadFor({ name: 'v', configMap: { name: 'cm', defaultMode: 0o400 } }, pod, s);
  assert.deepEqual([...all!].map(([k, v]) => [k, String(v.data), v.mode]), [['a', 'A', 0o400], ['b', 'B', 0o400]]);
  const items = await payloadFor({ name: 'v', configMap: { name: 'cm', items: [{ key: 'b', path: 'dir/bee', mode: 0o640 }] } }, pod, s);
  assert.deepEqual([...items!].map(([k, v]) => [k, String(v.data), v.mode]), [['dir/bee', 'B', 0o640]]);
  assert.equal((await payloadFor({ name: 'v', configMap: { name: 'none', optional: true } }, pod, s))!.size, 0);
  await assert.rejects(payloadFor({ name: 'v', configMap: { name: 'none' } }, pod, s), /configmap "none" not found/);
  const proj = await payloadFor({ name: 'v', projected: { sources: [
    { serviceAccountToken: { path: 'token' } }, { secret: { name: 's' } },
    { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
  ] } }, pod, s);
  assert.deepEqual(Object.fromEntries([...proj!].map(([k, v]) => [k, String(v.data)])), { token: 'jwt', t: 'tok', labels: 'x="y"', ns: 'ns' });
});
