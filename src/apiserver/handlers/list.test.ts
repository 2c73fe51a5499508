// Lists larger than one socket piece go out in pieces (respond.ts sendJsonParts): the body must be
// exactly the list, with a Content-Length that matches, from the cache and from storage, paged or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../testing/inprocess.js';

test('a list of several MiB arrives whole, with the right Content-Length, paged and unpaged', async () => {
  const t = await startTestServer();
  try {
    const data = { blob: 'x'.repeat(20 * 1024) };
    const names: string[] = [];
    for (let i = 0; i < 150; i++) {
      const name = `big-${String(i).padStart(3, '0')}`;
      names.push(name);
      const r = await t.request('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data }), { 'Content-Type': 'application/json' });
      assert.equal(r.status, 201, r.body);
    }
    for (const query of ['', '?resourceVersion=0', '?resourceVersion=0&resourceVersionMatch=NotOlderThan']) {
      const r = await t.request('GET', `/api/v1/namespaces/default/configmaps${query}`);
      assert.equal(r.status, 200);
      assert.ok(r.body.length > 2 * 1024 * 1024, `body of ${r.body.length} bytes spans several pieces`);
      assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body));
      const list = JSON.parse(r.body) as { kind: string; items: { metadata: { name: string }; data: { blob: string } }[] };
      assert.equal(list.kind, 'ConfigMapList');
      assert.deepEqual(list.items.filter((i) => i.metadata.name.startsWith('big-')).map((i) => i.metadata.name), names);
      assert.ok(list.items.every((i) => !i.metadata.name.startsWith('big-') || i.data.blob === data.blob));
    }
    // Pages of 100 from storage: the first page is itself larger than a piece.
    const first = await t.request('GET', '/api/v1/namespaces/default/configmaps?limit=100');
    type Page = { items: { metadata: { name: string } }[]; metadata: { continue?: string } };
    const page = JSON.parse(first.body) as Page;
    assert.equal(page.items.length, 100);
    assert.equal(Number(first.headers['content-length']), Buffer.byteLength(first.body));
    const rest = JSON.parse((await t.request('GET', `/api/v1/namespaces/default/configmaps?limit=100&continue=${encodeURIComponent(page.metadata.continue!)}`)).body) as Page;
    const paged = [...page.items, ...rest.items].map((i) => i.metadata.name).filter((n) => n.startsWith('big-'));
    assert.deepEqual(paged, names);
  } finally {
    await t.stop();
  }
});
