import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainNamer, chainHash, isServiceChainName } from './hash.js';

// Known answers from the networking brief §2.2 (upstream test expectations and real clusters).
const cases: Array<[string, string]> = [
  ['KUBE-SVC-XPGD46QRK7WJZT7O', 'KUBE-SVC-' + chainHash('ns1/svc1:p80tcp')],
  ['KUBE-SEP-SXIVWICOYRO3J4NJ', 'KUBE-SEP-' + chainHash('ns1/svc1:p80tcp10.180.0.1:80')],
  ['KUBE-SVC-TCOU7JCQXEZGVUNU', 'KUBE-SVC-' + chainHash('kube-system/kube-dns:dnsudp')],
  ['KUBE-SVC-ERIFXISQEP7F7OF4', 'KUBE-SVC-' + chainHash('kube-system/kube-dns:dns-tcptcp')],
  ['KUBE-SVC-CDGGSHYLG3RE2FKL', 'KUBE-SVC-' + chainHash('default/web:httptcp')],
  ['KUBE-SEP-ERQQNJAYKLWLNZ6A', 'KUBE-SEP-' + chainHash('default/web:httptcp10.42.0.2:8080')],
  ['KUBE-SEP-MPIHVPEEOAPXMYSA', 'KUBE-SEP-' + chainHash('default/web:httptcp10.42.0.3:8080')],
];

test('chainHash matches the known answers', () => {
  for (const [want, got] of cases) assert.equal(got, want);
});

test('chainHash equals the first 16 characters of base32(sha256)', async () => {
  const { createHash } = await import('node:crypto');
  // Independent check of the encoding with a bit-string implementation.
  for (const s of ['', 'a', 'default/web:httptcp', 'x'.repeat(300)]) {
    const d = createHash('sha256').update(s).digest();
    const bits = [...d].map((b) => b.toString(2).padStart(8, '0')).join('');
    let want = '';
    for (let i = 0; i < 80; i += 5) want += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[parseInt(bits.slice(i, i + 5), 2)];
    assert.equal(chainHash(s), want);
  }
});

test('ChainNamer names every per-service chain with one hash and caches across rotations', () => {
  const n = new ChainNamer();
  const c = n.service('default/web:http', 'tcp');
  assert.deepEqual(c, {
    svc: 'KUBE-SVC-CDGGSHYLG3RE2FKL', svl: 'KUBE-SVL-CDGGSHYLG3RE2FKL',
    ext: 'KUBE-EXT-CDGGSHYLG3RE2FKL', fw: 'KUBE-FW-CDGGSHYLG3RE2FKL',
  });
  n.rotate();
  assert.equal(n.endpoint('default/web:http', 'tcp', '10.42.0.3:8080'), 'KUBE-SEP-MPIHVPEEOAPXMYSA');
  n.rotate();
  n.rotate();
  assert.equal(n.endpoint('default/web:http', 'tcp', '10.42.0.3:8080'), 'KUBE-SEP-MPIHVPEEOAPXMYSA');
  for (const name of Object.values(c)) assert.ok(isServiceChainName(name) && name.length <= 28);
  assert.equal(isServiceChainName('KUBE-SERVICES'), false);
});
