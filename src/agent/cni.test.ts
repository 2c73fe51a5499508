import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cniConflist, writeCniConfig, CNI_CONFLIST_NAME } from './cni.js';

test('writeCniConfig writes a bridge+portmap conflist for the pod CIDR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cni-'));
  try {
    const path = writeCniConfig({ confDir: join(dir, 'net.d'), podCIDR: '10.42.3.7/24', dataDir: '/var/lib/skiff/cni', mtu: 1450 });
    assert.equal(path, join(dir, 'net.d', CNI_CONFLIST_NAME));
    const conf = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(conf.cniVersion, '1.0.0');
    assert.equal(conf.name, 'skiff');
    assert.deepEqual(conf.plugins.map((p: { type: string }) => p.type), ['bridge', 'portmap']);
    const [br, pm] = conf.plugins;
    assert.equal(br.bridge, 'skiff0');
    assert.equal(br.isGateway, true);
    assert.equal(br.ipMasq, false);
    assert.equal(br.hairpinMode, true);
    assert.equal(br.mtu, 1450);
    assert.deepEqual(br.ipam, {
      type: 'host-local', dataDir: '/var/lib/skiff/cni',
      ranges: [[{ subnet: '10.42.3.0/24', gateway: '10.42.3.1' }]], routes: [{ dst: '0.0.0.0/0' }],
    });
    assert.deepEqual(pm, { type: 'portmap', capabilities: { portMappings: true }, snat: true });
    assert.equal(statSync(path).mode & 0o777, 0o644);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeCniConfig rewrites only when the content changes, leaving no temp files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cni-'));
  try {
    const o = { confDir: dir, podCIDR: '10.42.0.0/24', dataDir: '/d', bridge: 'skcri1' };
    const path = writeCniConfig(o);
    const first = statSync(path);
    // Same content: the file (inode and mtime) is untouched.
    writeCniConfig(o);
    const again = statSync(path);
    assert.equal(again.ino, first.ino);
    assert.equal(again.mtimeMs, first.mtimeMs);
    // New CIDR: replaced by rename (new inode) with the new subnet.
    writeCniConfig({ ...o, podCIDR: '10.42.1.0/24' });
    assert.notEqual(statSync(path).ino, first.ino);
    assert.match(readFileSync(path, 'utf8'), /10\.42\.1\.0\/24/);
    // A hand-edited file is put back.
    writeFileSync(path, '{}');
    writeCniConfig(o);
    assert.equal(JSON.parse(readFileSync(path, 'utf8')).plugins[0].bridge, 'skcri1');
    assert.deepEqual(readdirSync(dir), [CNI_CONFLIST_NAME]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cniConflist validates its input', () => {
  const cases: Array<[string, Partial<Parameters<typeof cniConflist>[0]>, RegExp | null]> = [
    ['ipv6 range, no explicit gateway', { podCIDR: 'fd00:42:3::/64' }, null],
    ['not a CIDR', { podCIDR: '10.42.0.0' }, /podCIDR/],
    ['prefix too short', { podCIDR: '10.0.0.0/4' }, /podCIDR/],
    ['garbage address', { podCIDR: '10.42.0.300/24' }, /podCIDR/],
    ['bridge name too long', { podCIDR: '10.42.0.0/24', bridge: 'a-very-long-bridge0' }, /bridge name/],
  ];
  for (const [name, o, err] of cases) {
    const build = () => cniConflist({ dataDir: '/d', podCIDR: '', ...o });
    if (err) assert.throws(build, err, name);
    else {
      const conf = build() as { plugins: Array<{ ipam?: { ranges: unknown; routes: unknown } }> };
      assert.deepEqual(conf.plugins[0]!.ipam!.ranges, [[{ subnet: 'fd00:42:3::/64' }]], name);
      assert.deepEqual(conf.plugins[0]!.ipam!.routes, [{ dst: '::/0' }], name);
    }
  }
});
