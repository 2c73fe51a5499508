// Unknown and duplicate fields, worded and located as upstream's strict decoders report them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { jsonDuplicateFields, unknownFields, yamlDuplicateKeyMessage } from './index.js';

const POD = { group: '', version: 'v1', kind: 'Pod' };
const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };

void test('unknownFields: paths of undeclared fields', () => {
  const cases: { name: string; gvk: typeof POD; obj: unknown; want: string[] }[] = [
    { name: 'clean pod', gvk: POD, obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, want: [] },
    { name: 'top level', gvk: POD, obj: { foo: 1 }, want: ['foo'] },
    { name: 'in a list item', gvk: POD, obj: { spec: { containers: [{ name: 'a' }, { name: 'c', foo: 'bar' }] } }, want: ['spec.containers[1].foo'] },
    { name: 'metadata against ObjectMeta', gvk: POD, obj: { metadata: { name: 'p', nmae: 'x' } }, want: ['metadata.nmae'] },
    { name: 'deep through references', gvk: POD, obj: { spec: { containers: [{ name: 'c', livenessProbe: { httpGet: { port: 80, paht: '/' } } }] } }, want: ['spec.containers[0].livenessProbe.httpGet.paht'] },
    { name: 'maps are not descended', gvk: POD, obj: { metadata: { labels: { anything: 'x' }, annotations: { 'a/b': 'c' } }, spec: { nodeSelector: { x: 'y' } } }, want: [] },
    { name: 'resource quantities are a map', gvk: POD, obj: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: '1', 'example.com/gpu': 2 } } }] } }, want: [] },
    { name: 'int-or-string values', gvk: DEPLOY, obj: { spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } }, want: [] },
    { name: 'pod template in a deployment', gvk: DEPLOY, obj: { spec: { replica: 2, template: { metadata: { labels: {} }, spec: { containers: [{ name: 'c', imagee: 'x' }] } } } }, want: ['spec.replica', 'spec.template.spec.containers[0].imagee'] },
    { name: 'free-form RawExtension', gvk: { group: 'apps', version: 'v1', kind: 'ControllerRevision' }, obj: { data: { whatever: { nested: 1 } }, revision: 1 }, want: [] },
    { name: 'null and scalar where an object belongs', gvk: POD, obj: { spec: null, status: 'x' }, want: [] },
    { name: 'kind without a schema', gvk: { group: 'example.com', version: 'v1', kind: 'Widget' }, obj: { foo: 1 }, want: [] },
  ];
  for (const c of cases) assert.deepEqual(unknownFields(c.obj, c.gvk), c.want, c.name);
});

void test('unknownFields stops at upstream\'s 100 errors', () => {
  const obj = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`f${i}`, i]));
  assert.equal(unknownFields(obj, POD).length, 100);
});

void test('jsonDuplicateFields: repeated keys with their paths, in document order', () => {
  const cases: { name: string; json: string; want: string[] }[] = [
    { name: 'none', json: '{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}', want: [] },
    { name: 'top level', json: '{"kind":"Pod","kind":"Pod"}', want: ['kind'] },
    { name: 'nested', json: '{"spec":{"replicas":1,"replicas":2}}', want: ['spec.replicas'] },
    { name: 'in list items', json: '{"spec":{"containers":[{"name":"a"},{"name":"b","name":"c"}]}}', want: ['spec.containers[1].name'] },
    { name: 'nested lists', json: '{"a":[[{"x":1}],[{"x":1,"x":2}]]}', want: ['a[1][0].x'] },
    { name: 'braces, brackets and quotes inside strings', json: '{"a":"{\\"a\\":[1,","b":"}]\\\\","a":3}', want: ['a'] },
    { name: 'escaped keys', json: '{"\\u0061":1,"a":2}', want: ['a'] },
    { name: 'reported once', json: '{"a":1,"a":2,"a":3}', want: ['a'] },
    { name: 'order', json: '{"b":{"x":1,"x":2},"b":{},"a":1,"a":2}', want: ['b.x', 'b', 'a'] },
    { name: 'whitespace', json: '{ "a" : 1 ,\n  "a" : [ ] }', want: ['a'] },
  ];
  for (const c of cases) assert.deepEqual(jsonDuplicateFields(c.json), c.want, c.name);
});

void test('jsonDuplicateFields scans a 1 MiB body quickly', () => {
  const items = Array.from({ length: 4500 }, (_, i) => ({ metadata: { name: `n${i}`, labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'x'.repeat(200) }] } }));
  const text = JSON.stringify({ items });
  assert.ok(text.length > 1024 * 1024, `${text.length} bytes`);
  const started = performance.now();
  assert.deepEqual(jsonDuplicateFields(text), []);
  const ms = performance.now() - started;
  assert.ok(ms < 500, `took ${ms} ms`);
});

void test('yamlDuplicateKeyMessage: go-yaml wording with line numbers', () => {
  const text = 'metadata:\n  name: a\n  name: b\nspec:\n  "replicas": 1\n  replicas: 2\n';
  const doc = parseDocument(text, { uniqueKeys: true });
  assert.equal(yamlDuplicateKeyMessage(doc.errors, text),
    'yaml: unmarshal errors:\n  line 3: key "name" already set in map\n  line 6: key "replicas" already set in map');
  const clean = 'a: 1\nb: {a: 1}\n';
  assert.equal(yamlDuplicateKeyMessage(parseDocument(clean, { uniqueKeys: true }).errors, clean), undefined);
});

void test('unknownFields with prune removes what it reports, beyond the first 100 too', () => {
  const obj: Record<string, any> = {
    metadata: { name: 'p', bogus: 1, labels: { keep: 'me' } },
    spec: { containers: [{ name: 'c', foo: 'bar', ports: [{ containerPort: 80, x: 1 }] }] },
    ...Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`extra${i}`, i])),
  };
  const found = unknownFields(obj, POD, { prune: true });
  assert.equal(found.length, 100);
  assert.deepEqual(found.slice(0, 3), ['metadata.bogus', 'spec.containers[0].foo', 'spec.containers[0].ports[0].x']);
  assert.deepEqual(obj, { metadata: { name: 'p', labels: { keep: 'me' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } });
});
