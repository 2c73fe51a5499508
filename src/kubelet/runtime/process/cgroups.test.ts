// CgroupV1 against a fake hierarchy in a temp dir (no root needed): what it writes and parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CgroupV1, CONTROLLERS } from './cgroups.js';

function fakeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'cg-'));
  for (const c of CONTROLLERS) {
    mkdirSync(join(root, c));
    writeFileSync(join(root, c, 'cgroup.procs'), '');
  }
  return root;
}

test('create, apply limits, parse usage, remove', async () => {
  const root = fakeRoot();
  try {
    const cg = new CgroupV1(root);
    assert.equal(cg.available(), true);
    assert.deepEqual(cg.create('skiff/pod-1'), [...CONTROLLERS]);
    assert.deepEqual(cg.create('skiff/pod-1'), []);
    writeFileSync(join(cg.dir('memory', 'skiff/pod-1'), 'memory.limit_in_bytes'), '9223372036854771712');
    writeFileSync(join(cg.dir('memory', 'skiff/pod-1'), 'memory.memsw.limit_in_bytes'), '9223372036854771712');
    cg.apply('skiff/pod-1', { cpuShares: 512, cpuPeriod: 100000, cpuQuota: 25000, memoryLimitInBytes: 1 << 26 }, 100);
    const read = (c: 'cpu' | 'memory' | 'pids', f: string) => readFileSync(join(cg.dir(c, 'skiff/pod-1'), f), 'utf8');
    assert.deepEqual([read('cpu', 'cpu.shares'), read('cpu', 'cpu.cfs_period_us'), read('cpu', 'cpu.cfs_quota_us')], ['512', '100000', '25000']);
    assert.equal(read('memory', 'memory.limit_in_bytes'), String(1 << 26));
    assert.equal(read('memory', 'memory.memsw.limit_in_bytes'), String(1 << 26));
    assert.equal(read('pids', 'pids.max'), '100');
    assert.deepEqual(cg.procsFiles('skiff/pod-1'), CONTROLLERS.map((c) => join(root, c, 'skiff/pod-1', 'cgroup.procs')));

    const mem = cg.dir('memory', 'skiff/pod-1');
    writeFileSync(join(mem, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    writeFileSync(join(mem, 'memory.usage_in_bytes'), '10000');
    writeFileSync(join(mem, 'memory.stat'), 'cache 1\nrss 2\ntotal_rss 3000\ntotal_inactive_file 4000\n');
    writeFileSync(join(cg.dir('cpuacct', 'skiff/pod-1'), 'cpuacct.usage'), '123456789');
    assert.equal(cg.oomKills('skiff/pod-1'), 2);
    assert.deepEqual(cg.memory('skiff/pod-1'), { usageBytes: 10000, workingSetBytes: 6000, rssBytes: 3000 });
    assert.equal(cg.cpuUsageNanos('skiff/pod-1'), 123456789);
    assert.equal(cg.oomKills('skiff/none'), 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('remove reports what it cannot delete and tolerates what is gone', async () => {
  const root = fakeRoot();
  try {
    const cg = new CgroupV1(root);
    cg.create('gone');
    // A plain temp dir with files in it cannot be rmdir'ed (unlike a real cgroup): ENOTEMPTY.
    writeFileSync(join(cg.dir('pids', 'gone'), 'x'), '');
    await assert.rejects(cg.remove('gone', async () => {}), /ENOTEMPTY/);
    rmSync(join(cg.dir('pids', 'gone'), 'x'));
    await cg.remove('gone', async () => {});
    assert.equal(existsSync(cg.dir('memory', 'gone')), false);
    await cg.remove('gone', async () => {});
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
