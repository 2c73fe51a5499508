// The kubelet against a real (in-process) API server and the process runtime: a pod bound through
// the binding subresource runs real processes — an init container, `python3 -m http.server` with a
// readiness probe, a shell with a liveness probe — and is reachable over HTTP on its pod IP; a
// config map update reaches the running pod; graceful deletion runs preStop. Needs root for the
// pod network (skips otherwise, unless CI=true).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../apiserver/testing/inprocess.js';
import { RestClient, configFromLoaded, refs } from '../client/index.js';
import { isReason } from '../util/errors.js';
import { configureLogging } from '../util/log.js';
import { waitFor } from '../util/wait.js';
import { startKubelet, type Kubelet } from './kubelet.js';
import { detectCapabilities, ProcessRuntime, type BridgeNetwork } from './runtime/index.js';
import type { Obj } from './types.js';

configureLogging({ quiet: true });

const caps = detectCapabilities();
const tag = `skk${process.pid % 100000}`;

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

if (!caps.isolation && process.env.CI !== 'true') {
  test(`kubelet integration (skipped: ${caps.reason})`, { skip: caps.reason }, () => {});
} else {
  describe('kubelet with the API server and the process runtime', { timeout: 90_000 }, () => {
    let srv: TestServer;
    let client: RestClient;
    let kubelet: Kubelet;
    let dir: string;
    let keepAlive: NodeJS.Timeout;
    let rt: ProcessRuntime | undefined;
    const node = `it-${tag}`;

    before(async () => {
      keepAlive = setInterval(() => {}, 1000);
      dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-it-'));
      srv = await startTestServer();
      client = new RestClient(configFromLoaded(srv.credentials, { qps: -1, userAgent: 'kubelet-it' }));
      kubelet = await startKubelet({
        client, nodeName: node, dataDir: join(dir, 'kubelet'), clusterDNS: '10.43.0.10', clusterDomain: 'cluster.local',
        podCIDR: `10.198.${100 + (process.pid % 100)}.0/24`, podCIDRWaitMs: 0, relistMs: 500,
        runtime: (cidr) => rt = new ProcessRuntime({ stateDir: join(dir, 'runtime'), isolation: 'required', podCIDR: cidr!, bridge: tag, netnsPrefix: `${tag}-`, cgroupRoot: `skiff-${tag}` }),
      });
    });

    after(async () => {
      clearInterval(keepAlive);
      await kubelet?.stop();
      // The kubelet closed the runtime (it made it); the bridge and the cgroup root are the test's to remove.
      await (rt?.network as BridgeNetwork | undefined)?.destroy();
      for (const c of readdirSync('/sys/fs/cgroup')) {
        try {
          rmdirSync(join('/sys/fs/cgroup', c, `skiff-${tag}`));
        } catch {
          // not there for this controller
        }
      }
      client?.close();
      await srv?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('node registered Ready with the runtime version', async () => {
      const n = await client.resource(refs.nodes).get(node) as Obj;
      assert.equal(n.status.nodeInfo.containerRuntimeVersion, 'process://0.1.0');
      assert.equal(n.status.conditions.find((c: Obj) => c.type === 'Ready').status, 'True');
    });

    test('a real pod: init, readiness, HTTP, liveness restart, config map update, preStop on delete', async () => {
      const data = join(dir, 'data');
      mkdirSync(data, { recursive: true });
      const cfgMount = join(dir, 'mnt-cfg');
      const dataMount = join(dir, 'mnt-data');
      const pods = client.resource(refs.pods).namespace('default');
      const cms = client.resource(refs.configmaps).namespace('default');
      await cms.create({ metadata: { name: 'it-cfg' }, data: { key: 'v1' } });
      await pods.create({
        metadata: { name: 'web' },
        spec: {
          terminationGracePeriodSeconds: 3,
          volumes: [{ name: 'data', hostPath: { path: data, type: 'Directory' } }, { name: 'cfg', configMap: { name: 'it-cfg' } }, { name: 'mem', emptyDir: { medium: 'Memory' } }],
          initContainers: [{
            name: 'init', image: 'busybox', env: [{ name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            command: ['sh', '-c', `env > ${dataMount}/env; hostname > ${dataMount}/hostname; cat /etc/resolv.conf > ${dataMount}/resolv; grep -c ' ${join(dir, 'mnt-mem')} tmpfs' /proc/mounts > ${dataMount}/tmpfs; echo done > ${dataMount}/init`],
            volumeMounts: [{ name: 'data', mountPath: dataMount }, { name: 'mem', mountPath: join(dir, 'mnt-mem') }],
          }],
          containers: [
            {
              name: 'http', image: 'busybox', command: ['python3', '-m', 'http.server', '8080', '--bind', '0.0.0.0', '--directory', dataMount],
              volumeMounts: [{ name: 'data', mountPath: dataMount }],
              readinessProbe: { httpGet: { path: '/init', port: 8080 }, periodSeconds: 1 },
              lifecycle: { preStop: { exec: { command: ['sh', '-c', `echo bye > ${dataMount}/prestop`] } } },
            },
            {
              name: 'watcher', image: 'busybox',
              command: ['sh', '-c', `trap 'exit 0' TERM; while true; do cat ${cfgMount}/key > ${dataMount}/seen 2>/dev/null; sleep 0.3; done`],
              volumeMounts: [{ name: 'data', mountPath: dataMount }, { name: 'cfg', mountPath: cfgMount }],
              readinessProbe: { exec: { command: ['test', '-f', `${dataMount}/ready`] }, periodSeconds: 1 },
              livenessProbe: { exec: { command: ['sh', '-c', `test ! -f ${dataMount}/die`] }, periodSeconds: 1, failureThreshold: 1 },
            },
          ],
        },
      });
      await pods.createSubresource('web', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { apiVersion: 'v1', kind: 'Node', name: node } });

      // Running with a pod IP; http ready, watcher not (readiness gates Ready).
      let p = await waitFor(async () => {
        const x = await pods.get('web') as Obj;
        const http = x.status?.containerStatuses?.find((c: Obj) => c.name === 'http');
        return x.status?.phase === 'Running' && http?.ready && x;
      }, { timeoutMs: 20_000, what: 'pod Running with http ready' });
      assert.equal(readFileSync(join(data, 'init'), 'utf8'), 'done\n');
      const env = readFileSync(join(data, 'env'), 'utf8');
      assert.match(env, /^MY_POD=web$/m);
      assert.match(env, /^KUBERNETES_SERVICE_HOST=10\.43\.0\.1$/m);
      assert.match(env, /^KUBERNETES_PORT_443_TCP_PROTO=tcp$/m);
      assert.equal(readFileSync(join(data, 'hostname'), 'utf8'), 'web\n');
      assert.equal(readFileSync(join(data, 'resolv'), 'utf8'), 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.43.0.10\noptions ndots:5\n');
      assert.equal(readFileSync(join(data, 'tmpfs'), 'utf8'), '1\n');
      assert.equal(p.status.initContainerStatuses[0].state.terminated.reason, 'Completed');
      assert.match(p.status.podIP, /^10\.198\./);
      assert.equal(p.status.conditions.find((c: Obj) => c.type === 'Ready').status, 'False');
      assert.equal(await get(`http://${p.status.podIP}:8080/init`), 200);
      const logs = join(dir, 'kubelet', 'log', 'pods', `default_web_${p.metadata.uid}`, 'http', '0.log');
      await waitFor(() => existsSync(logs) && /GET \/init/.test(readFileSync(logs, 'utf8')), { timeoutMs: 5000, what: 'access log in the CRI log' });

      writeFileSync(join(data, 'ready'), '');
      p = await waitFor(async () => {
        const x = await pods.get('web') as Obj;
        return x.status.conditions.find((c: Obj) => c.type === 'Ready').status === 'True' && x;
      }, { timeoutMs: 10_000, what: 'Ready' });

      // Config map update reaches the running container.
      await waitFor(() => existsSync(join(data, 'seen')) && readFileSync(join(data, 'seen'), 'utf8') === 'v1', { timeoutMs: 10_000, what: 'v1 seen' });
      const cm = await cms.get('it-cfg');
      await cms.update({ ...cm, data: { key: 'v2' } } as typeof cm);
      await waitFor(() => readFileSync(join(data, 'seen'), 'utf8') === 'v2', { timeoutMs: 15_000, what: 'v2 seen' });

      // A failing liveness probe restarts the watcher.
      writeFileSync(join(data, 'die'), '');
      p = await waitFor(async () => {
        const x = await pods.get('web') as Obj;
        const w = x.status.containerStatuses.find((c: Obj) => c.name === 'watcher');
        return w.restartCount >= 1 && x;
      }, { timeoutMs: 20_000, what: 'liveness restart' });
      unlinkSync(join(data, 'die'));
      const events = (await client.resource(refs.events).namespace('default').list()).items as Obj[];
      // events.k8s.io series do not key on the note, so liveness failures may fold into the readiness series.
      assert.ok(events.some((e) => e.reason === 'Unhealthy' && e.regarding.fieldPath === 'spec.containers{watcher}' && /^(Liveness|Readiness) probe failed/.test(e.note)), 'Unhealthy event');
      assert.ok(events.some((e) => e.reason === 'Killing' && e.note === 'Container watcher failed liveness probe, will be restarted'), 'Killing event');

      // Graceful delete: preStop runs, then the kubelet's final delete removes the pod.
      await pods.delete('web');
      await waitFor(async () => {
        try {
          await pods.get('web');
          return false;
        } catch (err) {
          return isReason(err, 'NotFound');
        }
      }, { timeoutMs: 20_000, what: 'pod gone' });
      assert.equal(readFileSync(join(data, 'prestop'), 'utf8'), 'bye\n');
      assert.equal((await rt!.listPodSandbox()).length, 0);
      assert.equal(readFileSync('/proc/mounts', 'utf8').includes(join(dir, 'kubelet')), false, 'volume mounts torn down');
    });
  });
}
