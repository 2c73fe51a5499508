// Golden files: request bodies captured from real kubectl 1.33 (testdata/<case>.pb, exactly the bytes
// it POSTed to a logging test server) and the JSON each must decode to (testdata/<case>.json). The
// expected JSON is kubectl's own `--dry-run=client -o json` for the same command with Go's `null`s
// removed; `auth can-i`, `auth whoami` and `create token` have no dry run, so theirs were reviewed by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeKubernetesProtobuf } from './index.js';

const dir = fileURLToPath(new URL('./testdata/', import.meta.url));
const cases = readdirSync(dir).filter((f) => f.endsWith('.pb')).map((f) => f.slice(0, -3)).sort();

void test('golden kubectl 1.33 bodies are present', () => {
  assert.ok(cases.length >= 15, `found ${cases.length}`);
});

for (const name of cases) {
  void test(`golden: ${name}`, () => {
    const body = readFileSync(`${dir}${name}.pb`);
    const want = JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as unknown;
    assert.deepEqual(decodeKubernetesProtobuf(body), want);
  });
}
