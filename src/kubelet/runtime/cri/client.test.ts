// The CRI client against a scripted gRPC server on a unix socket (no containerd): error mapping,
// deadlines, and what callers see while the runtime restarts.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { isReason } from '../../../util/errors.js';
import { CriCallError, CriClient, grpcTarget } from './client.js';
import { criPackageDefinition } from './proto.js';
import { createCriRuntime, CriRuntime, imageMatches } from './runtime.js';

type Handler = (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, cb: grpc.sendUnaryData<unknown>) => void;

const pkg = grpc.loadPackageDefinition(criPackageDefinition()) as unknown as {
  runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor; ImageService: grpc.ServiceClientConstructor } };
};

/** A RuntimeService + ImageService answering only the given RPCs (others: UNIMPLEMENTED). */
async function serve(path: string, rpcs: Record<string, Handler>): Promise<grpc.Server> {
  const server = new grpc.Server();
  server.addService(pkg.runtime.v1.RuntimeService.service, rpcs);
  server.addService(pkg.runtime.v1.ImageService.service, rpcs);
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${path}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  return server;
}

const version: Handler = (_call, cb) => cb(null, { version: '0.1.0', runtime_name: 'fake', runtime_version: '1', runtime_api_version: 'v1' });

describe('cri client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cri-client-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const sock = () => join(dir, `s${++n}.sock`);

  const targets: [string, string][] = [
    ['unix:///run/containerd/containerd.sock', 'unix:///run/containerd/containerd.sock'],
    ['/run/containerd/containerd.sock', 'unix:///run/containerd/containerd.sock'],
    ['unix:/run/x.sock', 'unix:///run/x.sock'],
  ];
  for (const [endpoint, want] of targets) test(`endpoint ${endpoint}`, () => assert.equal(grpcTarget(endpoint), want));
  test('tcp endpoints are refused with a clear message', () => assert.throws(() => grpcTarget('tcp://1.2.3.4:10010'), /only unix sockets/));

  test('NotFound, InvalidArgument and Unknown become contract errors; arguments arrive in wire form', async () => {
    const path = sock();
    let got: Record<string, unknown> | undefined;
    const server = await serve(path, {
      ContainerStatus: (call, cb) => cb({ code: grpc.status.NOT_FOUND, details: `an error occurred when try to find container "${call.request.container_id}": not found` }),
      StopContainer: (call, cb) => { got = call.request; cb({ code: grpc.status.INVALID_ARGUMENT, details: 'bad' }); },
      StartContainer: (_call, cb) => cb({ code: grpc.status.UNKNOWN, details: 'failed to create containerd task' }),
    });
    const c = new CriClient({ endpoint: `unix://${path}` });
    try {
      await assert.rejects(c.call('runtime', 'ContainerStatus', { container_id: 'abc' }), (e) => {
        assert.ok(e instanceof CriCallError);
        assert.ok(isReason(e, 'NotFound'));
        assert.equal(e.grpcCode, grpc.status.NOT_FOUND);
        assert.match(e.message, /"abc": not found/);
        return true;
      });
      await assert.rejects(c.call('runtime', 'StopContainer', { container_id: 'x', timeout: '30' }), (e) => isReason(e, 'BadRequest'));
      assert.deepEqual(got, { container_id: 'x', timeout: '30' });
      await assert.rejects(c.call('runtime', 'StartContainer', { container_id: 'x' }), (e) => isReason(e, 'InternalError') && /failed to create containerd task/.test((e as Error).message));
      await assert.rejects(c.call('runtime', 'Version', {}), (e) => (e as CriCallError).grpcCode === grpc.status.UNIMPLEMENTED);
    } finally {
      c.close();
      server.forceShutdown();
    }
  });

  test('every call has a deadline: a runtime that does not answer is a Timeout', async () => {
    const path = sock();
    const server = await serve(path, { ListContainers: () => { /* never answers */ } });
    const c = new CriClient({ endpoint: `unix://${path}`, timeoutMs: 150 });
    try {
      const t0 = performance.now();
      await assert.rejects(c.call('runtime', 'ListContainers', {}), (e) => isReason(e, 'Timeout'));
      const took = performance.now() - t0;
      assert.ok(took >= 140 && took < 2000, `took ${took} ms`);
    } finally {
      c.close();
      server.forceShutdown();
    }
  });

  test('while the runtime restarts calls fail as ServiceUnavailable naming the endpoint; then they work again', async () => {
    const path = sock();
    const endpoint = `unix://${path}`;
    let server = await serve(path, { Version: version });
    const c = new CriClient({ endpoint, timeoutMs: 2000 });
    try {
      assert.equal((await c.call('runtime', 'Version', {})).runtime_api_version, 'v1');
      server.forceShutdown();
      rmSync(path, { force: true });
      await assert.rejects(c.call('runtime', 'Version', {}), (e) => {
        assert.ok(isReason(e, 'ServiceUnavailable'), String(e));
        assert.ok((e as Error).message.includes(endpoint));
        return true;
      });
      server = await serve(path, { Version: version });
      const t0 = performance.now();
      for (;;) {
        const ok = await c.call('runtime', 'Version', {}).then(() => true, (e) => { assert.ok(isReason(e, 'ServiceUnavailable')); return false; });
        if (ok) break;
        assert.ok(performance.now() - t0 < 5000, 'reconnected within 5 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      c.close();
      server.forceShutdown();
    }
  });

  test('createCriRuntime: checks the API version and names the endpoint', async () => {
    const missing = `unix://${sock()}`;
    await assert.rejects(createCriRuntime({ endpoint: missing }), (e) => isReason(e, 'ServiceUnavailable') && (e as Error).message.includes(missing));
    const path = sock();
    const server = await serve(path, { Version: (_c, cb) => cb(null, { runtime_name: 'old', runtime_version: '1.4', runtime_api_version: 'v1alpha2' }) });
    try {
      await assert.rejects(createCriRuntime({ endpoint: `unix://${path}` }), /speaks v1alpha2, not v1/);
    } finally {
      server.forceShutdown();
    }
    const good = sock();
    const s2 = await serve(good, { Version: version });
    try {
      const rt = await createCriRuntime({ endpoint: `unix://${good}` });
      assert.ok(rt instanceof CriRuntime);
      await rt.close();
    } finally {
      s2.forceShutdown();
    }
  });

  test('runtime: stop and remove of unknown ids succeed; status of one is NotFound; ListImages filtered here', async () => {
    const path = sock();
    const notFound: Handler = (_c, cb) => cb({ code: grpc.status.NOT_FOUND, details: 'not found' });
    const server = await serve(path, {
      StopContainer: notFound, RemoveContainer: notFound, StopPodSandbox: notFound, RemovePodSandbox: notFound, RemoveImage: notFound,
      ContainerStatus: notFound, PodSandboxStatus: notFound,
      ImageStatus: (_c, cb) => cb(null, {}),
      ListImages: (_c, cb) => cb(null, { images: [
        { id: 'sha256:aaa', repo_tags: ['docker.io/library/busybox:latest'], repo_digests: [], size: '10' },
        { id: 'sha256:bbb', repo_tags: ['docker.io/library/pause:3.9'], repo_digests: ['docker.io/library/pause@sha256:ccc'], size: '5' },
      ] }),
    });
    const rt = new CriRuntime({ endpoint: `unix://${path}` });
    try {
      await rt.stopContainer('x', 10);
      await rt.removeContainer('x');
      await rt.stopPodSandbox('x');
      await rt.removePodSandbox('x');
      await rt.removeImage({ image: 'busybox' });
      await assert.rejects(rt.containerStatus('x'), (e) => isReason(e, 'NotFound'));
      await assert.rejects(rt.podSandboxStatus('x'), (e) => isReason(e, 'NotFound'));
      assert.equal(await rt.imageStatus({ image: 'nope' }), null);
      assert.deepEqual((await rt.listImages({ image: { image: 'busybox' } })).map((i) => i.id), ['sha256:aaa']);
      assert.deepEqual((await rt.listImages({ image: { image: 'pause@sha256:ccc' } })).map((i) => i.id), ['sha256:bbb']);
      assert.equal((await rt.listImages()).length, 2);
    } finally {
      await rt.close();
      server.forceShutdown();
    }
  });
});

describe('cri imageMatches', () => {
  const img = { id: 'sha256:0123abcd', repoTags: ['docker.io/library/busybox:1.36', '127.0.0.1:5000/x/y:1'], repoDigests: ['docker.io/library/busybox@sha256:feed'], size: 1 };
  const cases: [string, boolean][] = [
    ['busybox:1.36', true], ['busybox', false], ['docker.io/library/busybox:1.36', true], ['127.0.0.1:5000/x/y:1', true],
    ['busybox@sha256:feed', true], ['sha256:0123abcd', true], ['sha256:0123', true], ['sha256:9999', false], ['alpine:1.36', false],
  ];
  for (const [ref, want] of cases) test(`${ref} → ${want}`, () => assert.equal(imageMatches(img, ref), want));
});
