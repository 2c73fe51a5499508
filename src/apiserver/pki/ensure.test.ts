import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, issueClientCert } from './ensure.js';
import { nodeIdentity } from './identities.js';

async function withDataDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-pki-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function sans(pem: string): string {
  return new X509Certificate(pem).subjectAltName ?? '';
}

void test('first start creates a CA, a serving cert and an admin cert that chain to it', () => withDataDir(async (data) => {
  const t0 = performance.now();
  const pki = await ensurePki(data, { hosts: ['skiff.example'], ips: ['192.0.2.10'] });
  const ms = performance.now() - t0;
  // The budget is 300 ms; allow slack for a loaded CI machine while still catching RSA-class slowness.
  assert.ok(ms < 1500, `generation took ${ms.toFixed(0)} ms`);

  const ca = new X509Certificate(pki.caCertPem);
  assert.equal(ca.ca, true);
  for (const pem of [pki.serverCertPem, pki.adminCertPem]) {
    const leaf = new X509Certificate(pem);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
    assert.equal(leaf.ca, false);
  }
  const days = (c: X509Certificate) => (Date.parse(c.validTo) - Date.now()) / 86_400_000;
  assert.ok(days(ca) > 3640 && days(ca) <= 3650);
  assert.ok(days(new X509Certificate(pki.serverCertPem)) > 360);

  const s = sans(pki.serverCertPem);
  for (const want of ['DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local', `DNS:${hostname().toLowerCase()}`, 'DNS:skiff.example',
    'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1', 'IP Address:10.43.0.1', 'IP Address:192.0.2.10']) {
    assert.ok(s.split(', ').includes(want), `${want} missing from ${s}`);
  }
  const admin = new X509Certificate(pki.adminCertPem);
  assert.equal(admin.subject, 'O=system:masters\nCN=system:admin');

  assert.equal(pki.dir, join(data, 'tls'));
  for (const key of ['server-ca.key', 'serving-kube-apiserver.key', 'client-admin.key']) {
    assert.equal((await stat(join(pki.dir, key))).mode & 0o777, 0o600, key);
  }
  assert.equal(await readFile(join(pki.dir, 'server-ca.crt'), 'utf8'), pki.caCertPem);
}));

void test('later starts reuse the files; a new host re-issues only the serving cert, keeping old names', () => withDataDir(async (data) => {
  const first = await ensurePki(data, { hosts: ['a.example'], ips: [] });
  const again = await ensurePki(data, { hosts: ['a.example'], ips: [] });
  assert.deepEqual(again, first);

  const wider = await ensurePki(data, { hosts: ['b.example'], ips: ['198.51.100.7'] });
  assert.equal(wider.caCertPem, first.caCertPem);
  assert.equal(wider.adminCertPem, first.adminCertPem);
  assert.notEqual(wider.serverCertPem, first.serverCertPem);
  const s = sans(wider.serverCertPem);
  for (const want of ['DNS:a.example', 'DNS:b.example', 'IP Address:198.51.100.7']) assert.ok(s.includes(want), want);
}));

void test('a damaged serving key or a lost CA is repaired on the next start', () => withDataDir(async (data) => {
  const first = await ensurePki(data, { hosts: [], ips: [] });
  await writeFile(join(first.dir, 'serving-kube-apiserver.key'), 'garbage');
  const fixed = await ensurePki(data, { hosts: [], ips: [] });
  assert.equal(fixed.caCertPem, first.caCertPem);
  assert.notEqual(fixed.serverKeyPem, first.serverKeyPem);
  assert.equal(fixed.adminCertPem, first.adminCertPem);

  await rm(join(first.dir, 'server-ca.key'));
  const fresh = await ensurePki(data, { hosts: [], ips: [] });
  assert.notEqual(fresh.caCertPem, first.caCertPem);
  const ca = new X509Certificate(fresh.caCertPem);
  assert.ok(new X509Certificate(fresh.serverCertPem).verify(ca.publicKey));
  assert.ok(new X509Certificate(fresh.adminCertPem).verify(ca.publicKey));
}));

void test('issueClientCert signs component identities with the cluster CA', () => withDataDir(async (data) => {
  const pki = await ensurePki(data, { hosts: [], ips: [] });
  const node = nodeIdentity('worker-1');
  const { certPem, keyPem } = await issueClientCert(pki, node.commonName, node.organizations, 30);
  const cert = new X509Certificate(certPem);
  assert.equal(cert.subject, 'O=system:nodes\nCN=system:node:worker-1');
  assert.ok(cert.verify(new X509Certificate(pki.caCertPem).publicKey));
  assert.ok((Date.parse(cert.validTo) - Date.now()) / 86_400_000 < 31);
  assert.match(keyPem, /BEGIN PRIVATE KEY/);

  const groups = await issueClientCert(pki, 'alice', ['dev', 'ops,x']);
  assert.equal(new X509Certificate(groups.certPem).subject, 'O=dev\nO=ops\\,x\nCN=alice');
  await assert.rejects(issueClientCert(pki, '', []));
}));
