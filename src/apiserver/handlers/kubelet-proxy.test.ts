import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError, errors } from '../../util/errors.js';
import { parseRequestInfo } from '../http/requestinfo.js';
import { isKubeletSubresource, kubeletLocation, resolveContainer } from './kubelet-proxy.js';
import type { StoreLookup } from './context.js';

type Obj = Record<string, any>;

function pod(containers: string[], extra: Obj = {}): Obj {
  return { metadata: { name: 'p', namespace: 'ns', ...(extra.metadata ?? {}) }, spec: { containers: containers.map((name) => ({ name })), ...(extra.spec ?? {}) } };
}

describe('container defaulting (upstream validateContainer)', () => {
  const cases: { name: string; pod: Obj; requested: string | null; want?: string; error?: string }[] = [
    { name: 'single container', pod: pod(['app']), requested: null, want: 'app' },
    { name: 'named one', pod: pod(['a', 'b']), requested: 'b', want: 'b' },
    { name: 'init container by name', pod: pod(['a'], { spec: { initContainers: [{ name: 'init' }] } }), requested: 'init', want: 'init' },
    { name: 'default-container annotation', pod: pod(['a', 'b'], { metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'b' } } }), requested: null, want: 'b' },
    { name: 'several, none named', pod: pod(['a', 'b']), requested: null, error: 'a container name must be specified for pod p, choose one of: [a b]' },
    {
      name: 'several with init containers', pod: pod(['a', 'b'], { spec: { initContainers: [{ name: 'i1' }, { name: 'i2' }] } }), requested: null,
      error: 'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i1 i2]',
    },
    { name: 'unknown name', pod: pod(['a']), requested: 'zz', error: 'container zz is not valid for pod p' },
    { name: 'no containers', pod: pod([]), requested: null, error: 'the pod p does not contain any containers' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) {
        assert.throws(() => resolveContainer(c.pod, c.requested), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === c.error);
      } else {
        assert.equal(resolveContainer(c.pod, c.requested), c.want);
      }
    });
  }
});

describe('kubelet location', () => {
  const objects: Record<string, Obj> = {
    'pods/ns/web': { ...pod(['app']), metadata: { name: 'web', namespace: 'ns' }, spec: { nodeName: 'n1', containers: [{ name: 'app' }] } },
    'pods/ns/pending': { ...pod(['app']), metadata: { name: 'pending', namespace: 'ns' } },
    'nodes//n1': { metadata: { name: 'n1' }, status: { addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '10.0.0.5' }], daemonEndpoints: { kubeletEndpoint: { Port: 11250 } } } },
  };
  const stores: StoreLookup = {
    store: (_g: string, resource: string) => ({
      get: async (ns: string, name: string) => {
        const o = objects[`${resource}/${ns}/${name}`];
        if (!o) throw errors.notFound(resource, '', name);
        return o;
      },
    }) as never,
  };
  const cfg = { certPem: '', keyPem: '' };
  const loc = (path: string, method = 'GET') => {
    const u = new URL(path, 'https://x');
    return kubeletLocation(stores, parseRequestInfo(method, u.pathname, u.searchParams), u.searchParams, cfg);
  };
  const cases: { path: string; want: string }[] = [
    { path: '/api/v1/namespaces/ns/pods/web/log?follow=true&tailLines=2&timestamps=true&pretty=false', want: '/containerLogs/ns/web/app?follow=true&timestamps=true&tailLines=2' },
    { path: '/api/v1/namespaces/ns/pods/web/exec?command=sh&command=-c&command=echo+hi&stdout=true&stderr=true', want: '/exec/ns/web/app?command=sh&command=-c&command=echo+hi&output=1&error=1' },
    { path: '/api/v1/namespaces/ns/pods/web/exec?command=cat&stdin=true&stdout=true&tty=true&container=app', want: '/exec/ns/web/app?command=cat&input=1&output=1&tty=1' },
    { path: '/api/v1/namespaces/ns/pods/web/attach?stdin=true&stdout=true', want: '/attach/ns/web/app?input=1&output=1' },
    { path: '/api/v1/namespaces/ns/pods/web/portforward', want: '/portForward/ns/web' },
    { path: '/api/v1/namespaces/ns/pods/web/portforward?ports=8080', want: '/portForward/ns/web?ports=8080' },
    { path: '/api/v1/nodes/n1/proxy/stats/summary', want: '/stats/summary' },
    { path: '/api/v1/nodes/n1/proxy/pods', want: '/pods' },
  ];
  for (const c of cases) {
    it(c.path, async () => assert.deepEqual(await loc(c.path), { host: '10.0.0.5', port: 11250, path: c.want }));
  }
  it('an exec on an unscheduled pod has no host', async () => {
    await assert.rejects(loc('/api/v1/namespaces/ns/pods/pending/exec?command=true&stdout=true'), /pod pending does not have a host assigned/);
  });
  it('a missing pod is 404', async () => {
    await assert.rejects(loc('/api/v1/namespaces/ns/pods/nope/log'), (e: unknown) => e instanceof StatusError && e.code === 404);
  });
  it('which subresources go to the kubelet', () => {
    assert.ok(isKubeletSubresource({ group: '', resource: 'pods', subresource: 'exec' }));
    assert.ok(isKubeletSubresource({ group: '', resource: 'nodes', subresource: 'proxy' }));
    assert.ok(!isKubeletSubresource({ group: '', resource: 'pods', subresource: 'status' }));
    assert.ok(!isKubeletSubresource({ group: '', resource: 'services', subresource: 'proxy' }));
  });
});
