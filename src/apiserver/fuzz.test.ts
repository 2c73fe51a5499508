// Throws random and mutated requests at a live API server, then checks that it still serves, that
// no request produced a 5xx or a non-Status error body, and that nothing bad was stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testing/inprocess.js';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const COUNT = Number(process.env.FUZZ_COUNT ?? 1200);

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.stop();
});

const PATHS = [
  '/api/v1/namespaces/default/configmaps', '/api/v1/namespaces/default/configmaps/x', '/api/v1/namespaces/default/pods',
  '/api/v1/namespaces/default/pods/p/status', '/api/v1/namespaces/default/pods/p/binding', '/api/v1/namespaces/default/pods/p/eviction',
  '/apis/apps/v1/namespaces/default/deployments', '/apis/apps/v1/namespaces/default/deployments/d/scale', '/api/v1/namespaces',
  '/api/v1/namespaces/default', '/api/v1/namespaces/default/finalize', '/apis/batch/v1/namespaces/default/jobs', '/api/v1/nodes',
  '/api/v1/namespaces/default/services', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', '/api/v1/namespaces/default/bindings',
  '/apis', '/api', '/api/v1', '/apis/apps/v1', '/openapi/v3', '/openapi/v3/api/v1', '/openapi/v2', '/version', '/healthz', '/metrics',
  '/apis/events.k8s.io/v1/namespaces/default/events', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers',
];
const QUERIES = ['', '?watch=true&timeoutSeconds=0', '?limit=2', '?limit=-1', '?limit=abc', '?continue=garbage', '?continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiIuLi8uLi8ifQ',
  '?labelSelector=a%20in%20(', '?labelSelector=!!', '?fieldSelector=spec.nodeName%3Dx', '?fieldSelector=bogus%3D1', '?resourceVersion=abc',
  '?resourceVersion=1&resourceVersionMatch=Exact', '?resourceVersionMatch=Bad', '?dryRun=All', '?fieldValidation=Nope', '?includeObject=Weird',
  '?watch=1&resourceVersion=1&timeoutSeconds=0', '?gracePeriodSeconds=-5', '?propagationPolicy=Sideways'];
const TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/merge-patch+json',
  'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'text/plain', ''];
const ACCEPTS = ['application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io', 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', 'image/png', '*/*', ''];
const SEEDS: unknown[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } },
  { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } },
  [{ op: 'replace', path: '/data/a', value: 'z' }], { metadata: { labels: { x: null } } },
];

function mutate(r: () => number, v: unknown, depth = 0): unknown {
  const pick = r();
  if (depth > 6 || pick < 0.1) {
    const junk = [null, 0, -1, 1e308, '', 'x'.repeat(300), true, [], {}, 'UPPER_case!', { $patch: 'delete' }, [null]];
    return junk[Math.floor(r() * junk.length)];
  }
  if (Array.isArray(v)) return v.map((x) => mutate(r, x, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (r() < 0.1) continue;
      out[r() < 0.05 ? k + 'Bogus' : k] = r() < 0.3 ? mutate(r, x, depth + 1) : x;
    }
    return out;
  }
  return v;
}

function body(r: () => number): string | Buffer | undefined {
  const p = r();
  if (p < 0.1) return undefined;
  if (p < 0.2) return Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256)));
  if (p < 0.25) return Buffer.concat([Buffer.from('k8s\0'), Buffer.from(Array.from({ length: Math.floor(r() * 100) }, () => Math.floor(r() * 256)))]);
  if (p < 0.3) return '['.repeat(5000) + ']'.repeat(5000);
  if (p < 0.32) return 'a'.repeat(3 * 1024 * 1024 + 10);
  const s = JSON.stringify(mutate(r, SEEDS[Math.floor(r() * SEEDS.length)]));
  if (p < 0.4) return s.slice(0, Math.floor(r() * s.length));
  return s;
}

test(`fuzz: ${COUNT} random requests leave the server healthy (seed ${SEED})`, { timeout: 240_000 }, async () => {
  const r = rng(SEED);
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
  const failures: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    let path = PATHS[Math.floor(r() * PATHS.length)]! + QUERIES[Math.floor(r() * QUERIES.length)]!;
    if (r() < 0.1) path = path.replace(/[a-z]/g, (c) => (r() < 0.1 ? encodeURIComponent(String.fromCharCode(Math.floor(r() * 255))) : c));
    const method = methods[Math.floor(r() * methods.length)]!;
    const headers = { 'content-type': TYPES[Math.floor(r() * TYPES.length)]!, accept: ACCEPTS[Math.floor(r() * ACCEPTS.length)]! };
    const b = method === 'GET' || method === 'HEAD' ? undefined : body(r);
    if (process.env.FUZZ_TRACE) console.error(`#${i} ${method} ${path} ct=${headers["content-type"]} accept=${headers.accept} body=${b === undefined ? "none" : Buffer.byteLength(b)}`);
    let res;
    try {
      res = await ts.request(method, path, b, headers, 2000);
    } catch (err) {
      failures.push(`#${i} ${method} ${path}: transport error ${(err as Error).message}`);
      continue;
    }
    if (res.status >= 500) failures.push(`#${i} ${method} ${path} [${headers['content-type']}] → ${res.status} ${res.body.slice(0, 200)}`);
    if (res.status >= 400 && method !== 'HEAD' && res.headers['content-type']?.toString().startsWith('application/json')) {
      const st = JSON.parse(res.body);
      if (st.kind !== 'Status' || st.code !== res.status) failures.push(`#${i} ${method} ${path}: error body is not a matching Status`);
    }
  }
  assert.deepEqual(failures, []);
  const health = await ts.request('GET', '/readyz');
  assert.equal(health.status, 200);
  const list = await ts.request('GET', '/api/v1/namespaces/default/configmaps');
  assert.equal(list.status, 200);
  for (const cm of JSON.parse(list.body).items) assert.match(cm.metadata.name, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
  // The fuzzer may well have deleted `default`; a fresh namespace must still take writes.
  assert.equal((await ts.request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'after-fuzz' } }))).status, 201);
  const created = await ts.request('POST', '/api/v1/namespaces/after-fuzz/configmaps', JSON.stringify({ metadata: { name: 'ok' }, data: { ok: 'yes' } }));
  assert.equal(created.status, 201);
});
