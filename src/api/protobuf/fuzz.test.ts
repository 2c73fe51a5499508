// Fuzz-style robustness: whatever the bytes, decodeKubernetesProtobuf returns an object or throws a
// 400 StatusError — never another error, never a hang. Seeded, so a failure reproduces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StatusError } from '../../util/errors.js';
import { decodeKubernetesProtobuf } from './index.js';
import { envelope, mapEntry, mapEntryBytes, msg, objectMeta, str, vint } from './testing.js';

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The real kubectl bodies of golden.test.ts make good seeds too. */
function goldenBodies(): Buffer[] {
  const dir = fileURLToPath(new URL('./testdata/', import.meta.url));
  return readdirSync(dir).filter((f) => f.endsWith('.pb')).sort().map((f) => readFileSync(dir + f));
}

function seeds(): Buffer[] {
  const labels = mapEntry(11, 'app', 'web');
  const container = msg(2, str(1, 'nginx'), str(2, 'nginx'), msg(6, vint(3, 80), str(4, 'TCP')), msg(8, mapEntryBytes(1, 'cpu', str(1, '1'))),
    msg(10, msg(1, msg(2, str(1, '/'), msg(2, vint(1, 0), vint(2, 80))))), msg(15, vint(4, 1000)));
  const podSpec = Buffer.concat([container, msg(1, str(1, 'v'), msg(2, msg(2))), msg(22, str(1, 'k'), vint(5, 10)), msg(14, vint(4, 5))]);
  const template = (field: number): Buffer => msg(field, msg(1, objectMeta('', [labels])), msg(2, podSpec));
  return [
    ...goldenBodies(),
    envelope('v1', 'ConfigMap', Buffer.concat([msg(1, objectMeta('cm-lit')), mapEntry(2, 'a', 'b')])),
    envelope('apps/v1', 'Deployment', Buffer.concat([msg(1, objectMeta('web', [labels])), msg(2, vint(1, 3), msg(2, mapEntry(1, 'app', 'web')), template(3),
      msg(4, str(1, 'RollingUpdate'), msg(2, msg(1, vint(1, 1), str(3, '25%'))))), msg(3)])),
    envelope('v1', 'Secret', Buffer.concat([msg(1, objectMeta('s')), mapEntryBytes(2, 'k', Buffer.from([0, 255])), str(3, 'Opaque')])),
    envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', Buffer.concat([msg(1, objectMeta('')),
      msg(2, msg(1, str(1, 'default'), str(2, 'create'), str(5, 'pods'))), msg(3, vint(1, false))])),
    envelope('v1', 'Service', Buffer.concat([msg(1, objectMeta('svc')), msg(2, msg(1, vint(3, 80), msg(4, vint(2, 8080))), str(4, 'ClusterIP'))])),
    envelope('batch/v1', 'CronJob', Buffer.concat([msg(1, objectMeta('cj', [msg(8, vint(1, 1_700_000_000))])),
      msg(2, str(1, '* * * * *'), msg(5, msg(2, vint(7, 0), template(6))))])),
  ];
}

function mutate(buf: Buffer, rnd: () => number, pool: Buffer[]): Buffer {
  const b = Buffer.from(buf);
  const at = (): number => Math.floor(rnd() * Math.max(1, b.length));
  switch (Math.floor(rnd() * 7)) {
    case 0: { // flip a few bytes
      for (let i = 0, n = 1 + Math.floor(rnd() * 4); i < n && b.length > 0; i++) b[at()] = Math.floor(rnd() * 256);
      return b;
    }
    case 1: return b.subarray(0, at()); // truncate
    case 2: { // insert random bytes
      const ins = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => Math.floor(rnd() * 256)));
      const i = at();
      return Buffer.concat([b.subarray(0, i), ins, b.subarray(i)]);
    }
    case 3: { // delete a range
      const i = at();
      return Buffer.concat([b.subarray(0, i), b.subarray(Math.min(b.length, i + 1 + Math.floor(rnd() * 16)))]);
    }
    case 4: { // splice with another seed
      const other = pool[Math.floor(rnd() * pool.length)]!;
      const j = Math.floor(rnd() * other.length);
      return Buffer.concat([b.subarray(0, at()), other.subarray(j)]);
    }
    case 5: { // bump a byte, keeping length prefixes almost right
      const i = at();
      if (b.length > 0) b[i] = (b[i]! + (rnd() < 0.5 ? 1 : 255)) & 0xff;
      return b;
    }
    default: // random bytes after the magic
      return Buffer.concat([Buffer.from('k8s\0', 'latin1'),
        Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)))]);
  }
}

function check(body: Buffer): 'ok' | 'rejected' {
  try {
    const obj = decodeKubernetesProtobuf(body);
    assert.equal(typeof obj, 'object');
    JSON.stringify(obj); // must be plain JSON data
    return 'ok';
  } catch (err) {
    if (err instanceof StatusError && err.code === 400 && err.reason === 'BadRequest') return 'rejected';
    throw new Error(`non-Status error for body ${body.toString('hex')}: ${String(err)}`);
  }
}

void test('every seed decodes', () => {
  for (const s of seeds()) assert.equal(typeof decodeKubernetesProtobuf(s), 'object');
});

void test('thousands of mutated bodies decode or fail with 400, quickly', () => {
  const pool = seeds();
  const rnd = prng(0x5eed);
  const counts = { ok: 0, rejected: 0 };
  const started = performance.now();
  for (let i = 0; i < 20000; i++) {
    let body = pool[i % pool.length]!;
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) body = mutate(body, rnd, pool);
    counts[check(body)]++;
  }
  const ms = performance.now() - started;
  assert.ok(counts.ok > 100 && counts.rejected > 100, JSON.stringify(counts));
  assert.ok(ms < 10_000, `took ${ms}ms`);
});

void test('pathological shapes: huge lengths, long varints, nested unknown groups, big bodies', () => {
  const magic = Buffer.from('k8s\0', 'latin1');
  const cases = [
    Buffer.concat([magic, Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f])]),
    Buffer.concat([magic, Buffer.from([0x08]), Buffer.alloc(20, 0xff)]),
    Buffer.concat([magic, Buffer.alloc(50_000, 0x0b)]),
    envelope('v1', 'ConfigMap', Buffer.concat(Array.from({ length: 20_000 }, () => mapEntry(2, 'k', 'v')))),
    envelope('v1', 'ConfigMap', Buffer.concat(Array.from({ length: 20_000 }, () => msg(1)))),
  ];
  for (const c of cases) check(c);
});
