import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderCache, renderRules, renderStreamed } from './render.js';
import { makeEndpoint, makeService, makeState, webExample } from './testdata.js';

const CIDR = '10.42.0.0/16';
const SVC = 'KUBE-SVC-CDGGSHYLG3RE2FKL';
const SVL = 'KUBE-SVL-CDGGSHYLG3RE2FKL';
const EXT = 'KUBE-EXT-CDGGSHYLG3RE2FKL';
const FW = 'KUBE-FW-CDGGSHYLG3RE2FKL';
const SEP2 = 'KUBE-SEP-ERQQNJAYKLWLNZ6A';
const SEP3 = 'KUBE-SEP-MPIHVPEEOAPXMYSA';

const FILTER_HEAD = [
  '*filter',
  ':KUBE-SERVICES - [0:0]',
  ':KUBE-EXTERNAL-SERVICES - [0:0]',
  ':KUBE-FORWARD - [0:0]',
  ':KUBE-NODEPORTS - [0:0]',
  ':KUBE-PROXY-FIREWALL - [0:0]',
];
const FORWARD = [
  '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  'COMMIT',
];
const NAT_HEAD = ['*nat', ':KUBE-SERVICES - [0:0]', ':KUBE-NODEPORTS - [0:0]', ':KUBE-POSTROUTING - [0:0]', ':KUBE-MARK-MASQ - [0:0]'];
const NAT_FIXED = [
  '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
  '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
  '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
];
const NODEPORTS_LAST = '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS';
const lines = (...parts: string[][]) => [...parts.flat(), ''].join('\n');

// Verbatim the networking brief §2.9 restore input.
const WORKED_EXAMPLE = lines(FILTER_HEAD, FORWARD, NAT_HEAD, [
  `:${SVC} - [0:0]`,
  `:${EXT} - [0:0]`,
  `:${SEP2} - [0:0]`,
  `:${SEP3} - [0:0]`,
], NAT_FIXED, [
  `-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.43.0.100 --dport 80 -j ${SVC}`,
  `-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j ${EXT}`,
  `-A ${EXT} -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ`,
  `-A ${EXT} -j ${SVC}`,
  `-A ${SVC} -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.43.0.100 --dport 80 ! -s 10.42.0.0/16 -j KUBE-MARK-MASQ`,
  `-A ${SVC} -m comment --comment "default/web:http -> 10.42.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${SEP2}`,
  `-A ${SVC} -m comment --comment "default/web:http -> 10.42.0.3:8080" -j ${SEP3}`,
  `-A ${SEP2} -m comment --comment default/web:http -s 10.42.0.2 -j KUBE-MARK-MASQ`,
  `-A ${SEP2} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.42.0.2:8080`,
  `-A ${SEP3} -m comment --comment default/web:http -s 10.42.0.3 -j KUBE-MARK-MASQ`,
  `-A ${SEP3} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.42.0.3:8080`,
  NODEPORTS_LAST,
  'COMMIT',
]);

test('worked example (brief §2.9) renders verbatim', () => {
  const r = renderRules({ state: webExample(), clusterCIDR: CIDR });
  assert.equal(r.text, WORKED_EXAMPLE);
  assert.equal(r.full, true);
  assert.deepEqual(r.services.get('default/web:http'), { chains: [SVC, EXT, SEP2, SEP3], natRules: 9 });
  assert.equal(r.filterRules, 3);
  assert.equal(r.natRules, 4 + 2 + 9 + 1);
});

test('sessionAffinity ClientIP adds recent checks before the statistic rules and --set in the SEPs', () => {
  const text = renderRules({ state: webExample({ affinityTimeoutSeconds: 10800 }), clusterCIDR: CIDR }).text;
  const nat = text.slice(text.indexOf('*nat'));
  const svcRules = nat.split('\n').filter((l) => l.startsWith(`-A ${SVC} `));
  assert.deepEqual(svcRules, [
    `-A ${SVC} -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.43.0.100 --dport 80 ! -s 10.42.0.0/16 -j KUBE-MARK-MASQ`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.0.2:8080" -m recent --name ${SEP2} --rcheck --seconds 10800 --reap -j ${SEP2}`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.0.3:8080" -m recent --name ${SEP3} --rcheck --seconds 10800 --reap -j ${SEP3}`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${SEP2}`,
    `-A ${SVC} -m comment --comment "default/web:http -> 10.42.0.3:8080" -j ${SEP3}`,
  ]);
  assert.ok(nat.includes(`-A ${SEP2} -m comment --comment default/web:http -m recent --name ${SEP2} --set -m tcp -p tcp -j DNAT --to-destination 10.42.0.2:8080\n`));
});

test('no endpoints: no nat chains, REJECT for the ClusterIP and the NodePort', () => {
  const r = renderRules({ state: webExample({}, []), clusterCIDR: CIDR });
  assert.equal(r.text, lines(FILTER_HEAD, [
    '-A KUBE-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 10.43.0.100 --dport 80 -j REJECT',
    '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT',
  ], FORWARD, NAT_HEAD, NAT_FIXED, [NODEPORTS_LAST, 'COMMIT']));
  assert.deepEqual(r.services.get('default/web:http'), { chains: [], natRules: 0 });
});

test('externalTrafficPolicy Local with endpoint .3 local: EXT short-circuits then SVL', () => {
  const eps = [makeEndpoint('10.42.0.2', 8080), makeEndpoint('10.42.0.3', 8080, { isLocal: true })];
  const r = renderRules({ state: webExample({ externalPolicyLocal: true }, eps), clusterCIDR: CIDR });
  const nat = r.text.slice(r.text.indexOf('*nat')).split('\n');
  assert.deepEqual(nat.filter((l) => l.startsWith(`-A ${EXT} `)), [
    `-A ${EXT} -m comment --comment "pod traffic for default/web:http external destinations" -s 10.42.0.0/16 -j ${SVC}`,
    `-A ${EXT} -m comment --comment "masquerade LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
    `-A ${EXT} -m comment --comment "route LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j ${SVC}`,
    `-A ${EXT} -j ${SVL}`,
  ]);
  assert.deepEqual(nat.filter((l) => l.startsWith(`-A ${SVL} `)), [
    `-A ${SVL} -m comment --comment "default/web:http -> 10.42.0.3:8080" -j ${SEP3}`,
  ]);
  assert.deepEqual(r.services.get('default/web:http')!.chains, [SVC, SVL, EXT, SEP2, SEP3]);
  // Internal traffic still uses SVC with its masquerade rule.
  assert.ok(nat.includes(`-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.43.0.100 --dport 80 -j ${SVC}`));
});

test('externalTrafficPolicy Local without local endpoints: EXT keeps short-circuits, filter DROPs the NodePort', () => {
  const r = renderRules({ state: webExample({ externalPolicyLocal: true }), clusterCIDR: CIDR });
  const all = r.text.split('\n');
  assert.ok(all.includes('-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP'));
  assert.equal(all.filter((l) => l.startsWith(`-A ${EXT} `)).length, 3);
  assert.ok(!all.some((l) => l.includes(SVL)));
});

test('internalTrafficPolicy Local: ClusterIP jumps to SVL; DROP in filter without local endpoints', () => {
  const eps = [makeEndpoint('10.42.0.2', 8080), makeEndpoint('10.42.0.3', 8080, { isLocal: true })];
  const svc = makeService('default', 'web', 'http', { clusterIP: '10.43.0.100', internalPolicyLocal: true });
  let r = renderRules({ state: makeState([[svc, eps]]), clusterCIDR: CIDR });
  let all = r.text.split('\n');
  assert.ok(all.includes(`-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.43.0.100 --dport 80 -j ${SVL}`));
  assert.ok(all.includes(`-A ${SVL} -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.43.0.100 --dport 80 ! -s 10.42.0.0/16 -j KUBE-MARK-MASQ`));
  assert.deepEqual(r.services.get('default/web:http')!.chains, [SVL, SEP3]);

  r = renderRules({ state: makeState([[svc, [makeEndpoint('10.42.0.2', 8080)]]]), clusterCIDR: CIDR });
  all = r.text.split('\n');
  assert.ok(all.includes('-A KUBE-SERVICES -m comment --comment "default/web:http has no local endpoints" -m tcp -p tcp -d 10.43.0.100 --dport 80 -j DROP'));
  assert.deepEqual(r.services.get('default/web:http')!.chains, []);
});

test('LoadBalancer with source ranges: KUBE-FW chain and the firewall DROP', () => {
  const st = webExample({
    type: 'LoadBalancer', loadBalancerIPs: ['192.0.2.200'], loadBalancerSourceRanges: ['203.0.113.0/24', '192.0.2.0/24'],
    externalIPs: ['192.0.2.50'],
  });
  const r = renderRules({ state: st, clusterCIDR: CIDR, nodeIPs: ['192.0.2.10'] });
  const all = r.text.split('\n');
  for (const want of [
    `-A KUBE-SERVICES -m comment --comment "default/web:http external IP" -m tcp -p tcp -d 192.0.2.50 --dport 80 -j ${EXT}`,
    `-A KUBE-SERVICES -m comment --comment "default/web:http loadbalancer IP" -m tcp -p tcp -d 192.0.2.200 --dport 80 -j ${FW}`,
    `-A KUBE-PROXY-FIREWALL -m comment --comment "default/web:http traffic not accepted by ${FW}" -m tcp -p tcp -d 192.0.2.200 --dport 80 -j DROP`,
  ]) assert.ok(all.includes(want), want);
  assert.deepEqual(all.filter((l) => l.startsWith(`-A ${FW} `)), [
    `-A ${FW} -m comment --comment "default/web:http loadbalancer IP" -s 203.0.113.0/24 -j ${EXT}`,
    `-A ${FW} -m comment --comment "default/web:http loadbalancer IP" -s 192.0.2.0/24 -j ${EXT}`,
    // The node's own IP is in a range, so the VIP as source is admitted too.
    `-A ${FW} -m comment --comment "default/web:http loadbalancer IP" -s 192.0.2.200 -j ${EXT}`,
    `-A ${FW} -m comment --comment "other traffic to default/web:http will be dropped by KUBE-PROXY-FIREWALL"`,
  ]);
  assert.deepEqual(r.services.get('default/web:http')!.chains, [SVC, EXT, FW, SEP2, SEP3]);
});

test('LoadBalancer without source ranges jumps straight to EXT; no endpoints rejects every address', () => {
  let all = renderRules({ state: webExample({ type: 'LoadBalancer', loadBalancerIPs: ['192.0.2.200'] }), clusterCIDR: CIDR }).text.split('\n');
  assert.ok(all.includes(`-A KUBE-SERVICES -m comment --comment "default/web:http loadbalancer IP" -m tcp -p tcp -d 192.0.2.200 --dport 80 -j ${EXT}`));
  assert.ok(!all.some((l) => l.includes(FW)));
  all = renderRules({ state: webExample({ loadBalancerIPs: ['192.0.2.200'], externalIPs: ['192.0.2.50'] }, []), clusterCIDR: CIDR }).text.split('\n');
  assert.deepEqual(all.filter((l) => l.startsWith('-A KUBE-EXTERNAL-SERVICES')), [
    '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 192.0.2.50 --dport 80 -j REJECT',
    '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 192.0.2.200 --dport 80 -j REJECT',
    '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT',
  ]);
});

test('health check node port is accepted in filter KUBE-NODEPORTS; masqueradeAll drops the source match', () => {
  const r = renderRules({ state: webExample({ healthCheckNodePort: 32000 }), clusterCIDR: CIDR, masqueradeAll: true });
  const all = r.text.split('\n');
  assert.ok(all.includes('-A KUBE-NODEPORTS -m comment --comment "default/web:http health check node port" -m tcp -p tcp --dport 32000 -j ACCEPT'));
  assert.ok(all.includes(`-A ${SVC} -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.43.0.100 --dport 80 -j KUBE-MARK-MASQ`));
});

test('probabilities are 1/(N-i) with 10 decimals, the last rule unconditional', () => {
  const eps = [1, 2, 3, 4, 5].map((i) => makeEndpoint(`10.42.0.${i}`, 80));
  const all = renderRules({ state: makeState([[makeService('a', 'b', '', {}), eps]]), clusterCIDR: CIDR }).text.split('\n');
  const probs = all.filter((l) => l.startsWith('-A KUBE-SVC-') && l.includes('-> ')).map((l) => /--probability (\S+)/.exec(l)?.[1] ?? '-');
  assert.deepEqual(probs, ['0.2000000000', '0.2500000000', '0.3333333333', '0.5000000000', '-']);
});

test('large cluster mode drops per-endpoint comments', () => {
  const r = renderRules({ state: webExample(), clusterCIDR: CIDR, largeClusterThreshold: 1 });
  assert.equal(r.largeClusterMode, true);
  const all = r.text.split('\n');
  assert.ok(all.includes(`-A ${SVC} -m statistic --mode random --probability 0.5000000000 -j ${SEP2}`));
  assert.ok(all.includes(`-A ${SEP2} -m tcp -p tcp -j DNAT --to-destination 10.42.0.2:8080`));
});

test('partial sync writes only the changed services\' chains and deletes stale ones', () => {
  const web = makeService('default', 'web', 'http', { clusterIP: '10.43.0.100' });
  const db = makeService('default', 'db', '', { clusterIP: '10.43.0.101', port: 5432 });
  const dns = makeService('kube-system', 'kube-dns', 'dns', { clusterIP: '10.43.0.10', port: 53, protocol: 'UDP' });
  const first = renderRules({
    state: makeState([[web, [makeEndpoint('10.42.0.2', 8080)]], [db, [makeEndpoint('10.42.0.5', 5432)]], [dns, [makeEndpoint('10.42.0.9', 53)]]]),
    clusterCIDR: CIDR,
  });
  const dbChains = first.services.get('default/db')!.chains;
  // web's endpoint moves, dns is deleted; db is unchanged.
  const second = renderRules({
    state: makeState([[web, [makeEndpoint('10.42.0.3', 8080)]], [db, [makeEndpoint('10.42.0.5', 5432)]]]),
    changed: new Set(['default/web:http', 'kube-system/kube-dns:dns']),
    previous: first.services,
    clusterCIDR: CIDR,
  });
  assert.equal(second.full, false);
  assert.deepEqual(second.written, ['default/web:http']);
  const text = second.text;
  for (const c of dbChains) {
    assert.ok(!text.includes(`:${c} `), `db chain ${c} must not be written`);
    assert.ok(!text.includes(`-A ${c} `));
  }
  // db's entry rule in the top-level chain is still there.
  assert.ok(text.includes(`-d 10.43.0.101 --dport 5432 -j ${dbChains[0]}`));
  assert.ok(text.includes(`:${SVC} - [0:0]`) && text.includes(`:${SEP3} - [0:0]`));
  const dnsChains = first.services.get('kube-system/kube-dns:dns')!.chains;
  assert.deepEqual(second.deletedChains, [SEP2, ...dnsChains].sort());
  for (const c of second.deletedChains) {
    assert.ok(text.includes(`:${c} - [0:0]\n`) && text.includes(`\n-X ${c}\n`));
  }
  assert.deepEqual(second.services.get('default/db'), first.services.get('default/db'));
  // Kept services still count towards the programmed rules.
  const full = renderRules({ state: makeState([[web, [makeEndpoint('10.42.0.3', 8080)]], [db, [makeEndpoint('10.42.0.5', 5432)]]]), clusterCIDR: CIDR });
  assert.equal(second.natRules, full.natRules);
});

test('full sync deletes our stale chains found on the node, and never other chains', () => {
  const r = renderRules({ state: webExample(), clusterCIDR: CIDR, existingChains: ['KUBE-SEP-AAAAAAAAAAAAAAAA', 'KUBE-SERVICES', 'FLANNEL-POSTRTG', SVC] });
  assert.deepEqual(r.deletedChains, ['KUBE-SEP-AAAAAAAAAAAAAAAA']);
});

test('output is deterministic regardless of map order', () => {
  const a = makeService('a', 'x', '', { clusterIP: '10.43.0.2' });
  const b = makeService('b', 'y', '', { clusterIP: '10.43.0.3' });
  const ea = [makeEndpoint('10.42.0.2', 80)];
  const t1 = renderRules({ state: makeState([[a, ea], [b, ea]]), clusterCIDR: CIDR }).text;
  const t2 = renderRules({ state: makeState([[b, ea], [a, ea]]), clusterCIDR: CIDR }).text;
  assert.equal(t1, t2);
});

test('sectioned layout (large clusters): same rules, chains declared before use, capture rule last', () => {
  const entries: Parameters<typeof makeState>[0] = [];
  for (let i = 0; i < 600; i++) {
    const svc = makeService('ns', `s${i}`, 'p', { clusterIP: `10.43.${i >> 8}.${i & 255}`, nodePort: i % 7 === 0 ? 30000 + i : 0 });
    entries.push([svc, i % 50 === 0 ? [] : [makeEndpoint(`10.42.${i >> 7}.${(2 * i) & 255}`, 80), makeEndpoint(`10.42.${i >> 7}.${(2 * i + 1) & 255}`, 80)]]);
  }
  const state = makeState(entries);
  const existingChains = ['KUBE-SEP-AAAAAAAAAAAAAAAA'];
  const atomic = renderRules({ state, clusterCIDR: CIDR, existingChains, sectioned: false });
  const sectioned = renderRules({ state, clusterCIDR: CIDR, existingChains, sectioned: true });
  const sections = sectioned.text.split('COMMIT\n').filter((s) => s.trim());
  // filter, fixed nat chains, 3 batches of 250/250/100 services, entry chains, deletions.
  assert.equal(sections.length, 7);
  const declared = new Set(['KUBE-MARK-MASQ', 'KUBE-POSTROUTING']);
  for (const sec of sections.slice(1)) {
    const lines = sec.split('\n');
    for (const l of lines) if (l.startsWith(':')) declared.add(l.slice(1, l.indexOf(' ')));
    for (const l of lines) {
      const m = /^-A (\S+) .*-j (KUBE-\S+)$/.exec(l);
      if (m) assert.ok(declared.has(m[1]!) && declared.has(m[2]!), l);
    }
  }
  // Per-service commits (endpoint, dispatch, external): each chain's rules follow its own chain line.
  for (const sec of sections.slice(2, -2)) {
    let last = '';
    for (const l of sec.split('\n')) {
      if (l.startsWith(':')) last = l.slice(1, l.indexOf(' '));
      else if (l.startsWith('-A ')) assert.equal(l.split(' ')[1], last, l);
    }
  }
  const rulesOf = (text: string) => text.split('\n').filter((l) => l.startsWith('-A ') || l.startsWith('-X ')).sort();
  const atomicNat = atomic.text.slice(atomic.text.indexOf('*nat'));
  const sectionedNat = sectioned.text.slice(sectioned.text.indexOf('*nat'));
  assert.deepEqual(rulesOf(sectionedNat), rulesOf(atomicNat));
  const svcRules = sectionedNat.split('\n').filter((l) => l.startsWith('-A KUBE-SERVICES '));
  assert.ok(svcRules.at(-1)!.includes('-j KUBE-NODEPORTS'));
  assert.ok(sections.at(-1)!.includes('-X KUBE-SEP-AAAAAAAAAAAAAAAA'));
  assert.equal(sectioned.natRules, atomic.natRules);
});

test('streamed order: same rules as the upstream order, nat first, every chain declared before use, in chunks', () => {
  const eps = (i: number) => [makeEndpoint(`10.42.1.${i}`, 8080), makeEndpoint(`10.42.2.${i}`, 8080, { isLocal: i % 2 === 0 })];
  const entries: Array<[ReturnType<typeof makeService>, ReturnType<typeof eps>]> = [];
  for (let i = 0; i < 600; i++) {
    entries.push([makeService('ns', `s${i}`, 'http', {
      clusterIP: `10.43.${i >> 8}.${i & 255}`, ...(i % 3 === 0 ? { type: 'NodePort', nodePort: 30000 + i } : {}),
      ...(i % 5 === 0 ? { externalPolicyLocal: true } : {}), ...(i % 7 === 0 ? { affinityTimeoutSeconds: 60 } : {}),
    }), i % 11 === 0 ? [] : eps(i)]);
  }
  const input = { state: makeState(entries), clusterCIDR: CIDR, existingChains: ['KUBE-SEP-STALESTALESTALE1'], largeClusterThreshold: 0 };
  const s = renderStreamed(input);
  const chunks = [...s.chunks];
  assert.ok(chunks.length > 1, 'more than one chunk');
  const r = s.result();
  assert.equal(r.text, chunks.join(''));
  const atomic = renderRules({ ...input, sectioned: false });
  const sorted = (t: string) => t.split('\n').filter((l) => l.startsWith('-A ') || l.startsWith('-X ') || l.startsWith(':')).sort();
  assert.deepEqual(sorted(r.text), sorted(atomic.text));
  assert.deepEqual(r.services, atomic.services);
  assert.equal(r.natRules, atomic.natRules);
  assert.equal(r.filterRules, atomic.filterRules);
  const lines = r.text.split('\n');
  assert.deepEqual(lines.filter((l) => l.startsWith('*') || l === 'COMMIT'), ['*nat', 'COMMIT', '*filter', 'COMMIT']);
  const declared = new Set(['KUBE-MARK-MASQ', 'DNAT', 'REJECT', 'MASQUERADE', 'RETURN', 'MARK', 'ACCEPT', 'DROP']);
  for (const l of lines) {
    if (l.startsWith('*')) declared.add(l === '*filter' ? 'KUBE-NODEPORTS' : 'KUBE-MARK-MASQ');
    if (l.startsWith(':')) declared.add(l.slice(1, l.indexOf(' ')));
    const m = / -j (\S+)/.exec(l);
    if (l.startsWith('-A ') && m) assert.ok(declared.has(m[1]!), `${m[1]} used before its chain line: ${l}`);
    if (l.startsWith('-X ')) assert.ok(lines.indexOf(':KUBE-SERVICES - [0:0]') < lines.indexOf(l), 'stale chains go after KUBE-SERVICES is rewritten');
  }
});

test('render cache: unchanged service objects reuse their lines; new objects or options render again', () => {
  const cache = new RenderCache();
  const st = webExample();
  const first = renderRules({ state: st, clusterCIDR: CIDR, cache });
  assert.equal(cache.size, 1);
  const again = renderRules({ state: st, clusterCIDR: CIDR, cache });
  assert.equal(again.text, first.text);
  // A new endpoint list object (what the change tracker produces on a change) renders anew.
  const moved = webExample({}, [makeEndpoint('10.42.0.9', 8080)]);
  const changed = renderRules({ state: { services: st.services, endpoints: moved.endpoints }, clusterCIDR: CIDR, cache });
  assert.ok(changed.text.includes('--to-destination 10.42.0.9:8080'));
  assert.ok(!changed.text.includes('10.42.0.2:8080'));
  // Other options (here the cluster CIDR) must not reuse lines rendered for the old ones.
  const other = renderRules({ state: st, clusterCIDR: '10.99.0.0/16', cache });
  assert.ok(other.text.includes('! -s 10.99.0.0/16'));
  // Services that are gone are forgotten.
  renderRules({ state: makeState([]), clusterCIDR: CIDR, cache });
  assert.equal(cache.size, 0);
});
