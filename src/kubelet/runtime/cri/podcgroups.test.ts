// Pod cgroup naming and ownership, on a scratch directory standing in for /sys/fs/cgroup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PodCgroups, podCgroupPath } from './podcgroups.js';

const names: [string, string, string][] = [
  ['skiff', 'u-1', '/skiff/podu-1'],
  ['/kubepods/', '0b7c…/x', '/kubepods/pod0b7c__x'],
  ['a/b', 'A_b.c-9', '/a/b/podA_b.c-9'],
];
for (const [root, uid, want] of names) test(`podCgroupPath(${root}, ${uid})`, () => assert.equal(podCgroupPath(root, uid), want));

test('prepare: own name or given parent, limits written, ownership', () => {
  const mountRoot = mkdtempSync(join(tmpdir(), 'cri-cg-'));
  try {
    for (const c of ['cpu', 'cpuacct', 'memory', 'pids']) mkdirSync(join(mountRoot, c));
    const cg = new PodCgroups({ root: 'skiff', mountRoot, pidsLimit: 50, sleep: async () => {} });
    const mine = cg.prepare({ metadata: { name: 'p', namespace: 'n', uid: 'u1' }, linux: { resources: { memoryLimitInBytes: 1000, cpuShares: 2 } } });
    assert.deepEqual(mine, { path: '/skiff/podu1', owned: true });
    assert.equal(readFileSync(join(mountRoot, 'memory/skiff/podu1/memory.limit_in_bytes'), 'utf8'), '1000');
    assert.equal(readFileSync(join(mountRoot, 'pids/skiff/podu1/pids.max'), 'utf8'), '50');
    // A second sandbox of the same pod: still ours to remove once the last one is gone.
    assert.equal(cg.prepare({ metadata: { name: 'p', namespace: 'n', uid: 'u1', attempt: 1 } }).owned, true);
    mkdirSync(join(mountRoot, 'memory/kubepods/podu2'), { recursive: true });
    for (const c of ['cpu', 'cpuacct', 'pids']) mkdirSync(join(mountRoot, c, 'kubepods/podu2'), { recursive: true });
    const given = cg.prepare({ metadata: { name: 'q', namespace: 'n', uid: 'u2' }, linux: { cgroupParent: '/kubepods/podu2' } });
    assert.deepEqual(given, { path: '/kubepods/podu2', owned: false });
    const fresh = cg.prepare({ metadata: { name: 'r', namespace: 'n', uid: 'u3' }, linux: { cgroupParent: '/kubepods/podu3' } });
    assert.deepEqual(fresh, { path: '/kubepods/podu3', owned: true });
    assert.ok(existsSync(join(mountRoot, 'cpu/kubepods/podu3')));
  } finally {
    rmSync(mountRoot, { recursive: true, force: true });
  }
});
