import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { ensureServiceAccountKey, SERVICE_ACCOUNT_KEY_FILE } from './service-account.js';
import { ensurePki } from './ensure.js';

test('the service account key is made once (0600, EC P-256), kept, and replaced when unusable', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-sakey-'));
  try {
    const first = await ensureServiceAccountKey(dir);
    assert.equal(createPrivateKey(first).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal((await stat(join(dir, SERVICE_ACCOUNT_KEY_FILE))).mode & 0o777, 0o600);
    assert.equal(await ensureServiceAccountKey(dir), first);
    await writeFile(join(dir, SERVICE_ACCOUNT_KEY_FILE), 'not a key');
    const replaced = await ensureServiceAccountKey(dir);
    assert.notEqual(replaced, first);
    assert.equal(createPrivateKey(replaced).asymmetricKeyType, 'ec');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('ensurePki returns the service account key from DATA/tls, stable across starts', async () => {
  const data = await mkdtemp(join(tmpdir(), 'skiff-sakey-'));
  try {
    const a = await ensurePki(data, { hosts: ['localhost'], ips: ['127.0.0.1'] });
    const b = await ensurePki(data, { hosts: ['localhost'], ips: ['127.0.0.1'] });
    assert.match(a.serviceAccountKeyPem, /BEGIN PRIVATE KEY/);
    assert.equal(b.serviceAccountKeyPem, a.serviceAccountKeyPem);
  } finally {
    await rm(data, { recursive: true, force: true });
  }
});
