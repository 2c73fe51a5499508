import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from './requestinfo.js';

const q = (s = '') => new URLSearchParams(s);

test('request info as upstream RequestInfoFactory', () => {
  const cases: [string, string, string, Partial<ReturnType<typeof parseRequestInfo>>][] = [
    ['GET', '/api/v1/namespaces/ns/pods', '', { verb: 'list', group: '', version: 'v1', namespace: 'ns', resource: 'pods', name: '' }],
    ['GET', '/api/v1/namespaces/ns/pods', 'watch=true', { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/watch/namespaces/ns/pods', '', { verb: 'watch', namespace: 'ns', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/ns/pods/p1/log', '', { verb: 'get', name: 'p1', subresource: 'log' }],
    ['POST', '/apis/apps/v1/namespaces/ns/deployments', '', { verb: 'create', group: 'apps', resource: 'deployments' }],
    ['PATCH', '/apis/apps/v1/namespaces/ns/deployments/web/scale', '', { verb: 'patch', name: 'web', subresource: 'scale' }],
    ['DELETE', '/api/v1/namespaces/ns/configmaps', '', { verb: 'deletecollection', resource: 'configmaps' }],
    ['DELETE', '/api/v1/namespaces/ns', '', { verb: 'delete', resource: 'namespaces', name: 'ns', namespace: 'ns' }],
    ['PUT', '/api/v1/namespaces/ns/finalize', '', { verb: 'update', resource: 'namespaces', name: 'ns', subresource: 'finalize' }],
    ['GET', '/api/v1/nodes/n1/proxy/stats/summary', '', { resource: 'nodes', name: 'n1', subresource: 'proxy', rest: ['stats', 'summary'] }],
  ];
  for (const [method, path, query, want] of cases) {
    const got = parseRequestInfo(method, path, q(query));
    assert.equal(got.isResourceRequest, true, path);
    for (const [k, v] of Object.entries(want)) assert.deepEqual((got as any)[k], v, `${method} ${path} ${k}`);
  }
  for (const path of ['/api', '/apis', '/apis/apps', '/api/v1', '/apis/apps/v1', '/healthz', '/openapi/v3']) {
    assert.equal(parseRequestInfo('GET', path, q()).isResourceRequest, false, path);
  }
});
