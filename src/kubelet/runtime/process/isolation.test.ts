// Root-only checks of the process runtime's isolation: namespaces, cgroup limits, OOMKilled, the
// bridge network, volume mounts, and that nothing is left behind. Without the capabilities these
// skip with one line, except under CI=true, where a missing capability is a failure.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../conformance/suite.js';
import type { ContainerConfig, PodSandboxConfig } from '../types.js';
import { detectCapabilities } from './capabilities.js';
import { CgroupV1 } from './cgroups.js';
import type { BridgeNetwork } from './network.js';
import { ProcessRuntime } from './runtime.js';

const caps = detectCapabilities();
const tag = `ski${process.pid % 100000}`;
const cgroupRoot = `skiff-test-${tag}`;
const cg = new CgroupV1();

if (!caps.isolation && process.env.CI !== 'true') {
  test(`process runtime isolation (skipped: ${caps.reason})`, { skip: caps.reason }, () => {});
} else {
  describe('process runtime isolation (root)', () => {
    let rt: ProcessRuntime;
    let dir: string;
    let seq = 0;
    let keepAlive: NodeJS.Timeout;

    before(() => {
      assert.ok(caps.isolation, `isolation capabilities missing: ${caps.reason}`);
      keepAlive = setInterval(() => {}, 1000);
      dir = mkdtempSync(join(tmpdir(), 'rt-iso-'));
      rt = new ProcessRuntime({
        stateDir: join(dir, 'state'), isolation: 'required', podCIDR: `10.199.${100 + (process.pid % 100)}.0/24`,
        bridge: tag, netnsPrefix: `${tag}-`, cgroupRoot, podPidsLimit: 64,
      });
    });

    after(async () => {
      clearInterval(keepAlive);
      await rt?.close();
      await (rt?.network as BridgeNetwork | undefined)?.destroy();
      if (existsSync(cg.dir('memory', cgroupRoot))) await cg.remove(cgroupRoot, (ms) => new Promise((r) => setTimeout(r, ms)));
      rmSync(dir, { recursive: true, force: true });
    });

    function sandbox(extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
      const n = ++seq;
      return { metadata: { name: `iso${n}`, namespace: 'iso', uid: `u${n}` }, hostname: `iso-host-${n}`, logDirectory: join(dir, 'logs', `p${n}`), ...extra };
    }

    async function start(sid: string, sb: PodSandboxConfig, extra: Partial<ContainerConfig> = {}, name = 'c'): Promise<string> {
      const id = await rt.createContainer(sid, { metadata: { name }, image: { image: 'busybox' }, command: ['sleep', '3600'], logPath: `${name}/0.log`, ...extra }, sb);
      await rt.startContainer(id);
      return id;
    }

    const sh = async (cid: string, script: string) => {
      const r = await rt.execSync(cid, ['sh', '-c', script], 10);
      assert.equal(r.exitCode, 0, `exec ${script}: ${r.stderr}`);
      return r.stdout.toString().trim();
    };

    test('a pod has its own network, UTS and IPC namespaces; each container its own PID namespace', async () => {
      const sb = sandbox();
      const sid = await rt.runPodSandbox(sb);
      const ip = (await rt.podSandboxStatus(sid)).network!.ip;
      const a = await start(sid, sb, {}, 'a');
      const b = await start(sid, sb, {}, 'b');
      assert.equal(await sh(a, 'hostname'), 'iso-host-1');
      assert.equal(await sh(b, 'hostname'), 'iso-host-1');
      assert.match(await sh(a, 'ip -4 -o addr show dev eth0'), new RegExp(`inet ${ip.replace(/\./g, '\\.')}/24`));
      assert.equal(await sh(a, 'readlink /proc/self/ns/net'), await sh(b, 'readlink /proc/self/ns/net'));
      assert.equal(await sh(a, 'readlink /proc/self/ns/ipc'), await sh(b, 'readlink /proc/self/ns/ipc'));
      assert.notEqual(await sh(a, 'readlink /proc/self/ns/pid'), await sh(b, 'readlink /proc/self/ns/pid'));
      assert.notEqual(await sh(a, 'readlink /proc/self/ns/net'), readlinkSync('/proc/self/ns/net'));
      assert.notEqual(await sh(a, 'readlink /proc/self/ns/uts'), readlinkSync('/proc/self/ns/uts'));
      // PID 1 of the container is its workload.
      assert.equal(await sh(a, 'cat /proc/1/comm'), 'sleep');
      await rt.removePodSandbox(sid);
    });

    test('containers see the pod hostname file and the resolv.conf of dnsConfig; the host keeps its own', async () => {
      const hostResolv = readFileSync('/etc/resolv.conf', 'utf8');
      const sb = sandbox({ dnsConfig: { servers: ['10.43.0.10'], searches: ['iso.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] } });
      const sid = await rt.runPodSandbox(sb);
      const cid = await start(sid, sb);
      assert.equal(await sh(cid, 'cat /etc/resolv.conf'), 'search iso.svc.cluster.local svc.cluster.local\nnameserver 10.43.0.10\noptions ndots:5');
      assert.equal(await sh(cid, 'cat /etc/hostname'), sb.hostname);
      assert.equal(readFileSync('/etc/resolv.conf', 'utf8'), hostResolv);
      await rt.removePodSandbox(sid);
    });

    test('a hostNetwork pod shares the host network and UTS namespaces but keeps its cgroup', async () => {
      const sb = sandbox({ linux: { securityContext: { namespaceOptions: { network: 'NODE' } } } });
      const sid = await rt.runPodSandbox(sb);
      const st = await rt.podSandboxStatus(sid);
      assert.equal(st.network, undefined);
      assert.deepEqual(st.namespacePaths, {});
      const cid = await start(sid, sb);
      assert.equal(await sh(cid, 'readlink /proc/self/ns/net'), readlinkSync('/proc/self/ns/net'));
      assert.equal(await sh(cid, 'readlink /proc/self/ns/uts'), readlinkSync('/proc/self/ns/uts'));
      assert.match(await sh(cid, 'cat /proc/self/cgroup'), new RegExp(`:memory:/${cgroupRoot}/pod-`));
      await rt.removePodSandbox(sid);
    });

    test('container and pod cgroups carry the limits; updateContainerResources changes them', async () => {
      const sb = sandbox();
      const sid = await rt.runPodSandbox(sb);
      const cid = await start(sid, sb, { linux: { resources: { memoryLimitInBytes: 48 << 20, cpuShares: 256, cpuPeriod: 100000, cpuQuota: 50000 } } });
      const path = (await sh(cid, 'cat /proc/self/cgroup')).split('\n').find((l) => /:memory:/.test(l))!.split(':')[2]!;
      assert.ok(path.startsWith(`/${cgroupRoot}/pod-`), path);
      assert.equal(cg.read('memory', path, 'memory.limit_in_bytes'), String(48 << 20));
      assert.equal(cg.read('cpu', path, 'cpu.shares'), '256');
      assert.equal(cg.read('cpu', path, 'cpu.cfs_quota_us'), '50000');
      assert.equal(cg.read('pids', join(path, '..'), 'pids.max'), '64');
      await rt.updateContainerResources(cid, { memoryLimitInBytes: 96 << 20 });
      assert.equal(cg.read('memory', path, 'memory.limit_in_bytes'), String(96 << 20));
      const stats = await rt.containerStats(cid);
      assert.ok(stats.memory.workingSetBytes > 0 && stats.cpu.usageCoreNanoSeconds > 0, JSON.stringify(stats));
      await rt.removePodSandbox(sid);
    });

    test('a container over its memory limit is OOMKilled', async () => {
      const sb = sandbox();
      const sid = await rt.runPodSandbox(sb);
      const cid = await start(sid, sb, { command: ['tail', '/dev/zero'], linux: { resources: { memoryLimitInBytes: 24 << 20 } } });
      const st = await waitFor('OOM kill', async () => {
        const s = await rt.containerStatus(cid);
        return s.state === 'CONTAINER_EXITED' && s;
      }, 20_000);
      assert.deepEqual([st.exitCode, st.reason], [137, 'OOMKilled']);
      await rt.removePodSandbox(sid);
    });

    test('pods reach each other and the host reaches them over the bridge', async () => {
      const port = 18080;
      const sbA = sandbox();
      const sbB = sandbox();
      const a = await rt.runPodSandbox(sbA);
      const b = await rt.runPodSandbox(sbB);
      const server = `require('net').createServer((s)=>{s.end(require('os').hostname())}).listen(${port})`;
      await start(b, sbB, { command: [process.execPath, '-e', server] });
      const client = await start(a, sbA);
      const ipB = (await rt.podSandboxStatus(b)).network!.ip;
      const clientJs = `require('net').connect(${port},'${ipB}').on('data',(d)=>process.stdout.write(d)).on('error',(e)=>{console.error(e.message);process.exit(1)})`;
      const out = await waitFor('pod-to-pod connect', async () => {
        const r = await rt.execSync(client, [process.execPath, '-e', clientJs], 10);
        return r.exitCode === 0 && r.stdout.toString();
      });
      assert.equal(out, `iso-host-${seq}`);
      await rt.removePodSandbox(a);
      await rt.removePodSandbox(b);
    });

    test('volume mounts: read-only bind of a host directory', async () => {
      const src = join(dir, 'vol');
      mkdirSync(src);
      writeFileSync(join(src, 'data.txt'), 'from-volume');
      const target = join(dir, 'in-container', 'mnt');
      const sb = sandbox();
      const sid = await rt.runPodSandbox(sb);
      const cid = await start(sid, sb, { mounts: [{ hostPath: src, containerPath: target, readonly: true }] });
      assert.equal(await sh(cid, `cat ${target}/data.txt`), 'from-volume');
      const w = await rt.execSync(cid, ['sh', '-c', `echo x > ${target}/new.txt`], 10);
      assert.notEqual(w.exitCode, 0);
      // The mount lives in the container's mount namespace only.
      assert.equal(existsSync(join(target, 'data.txt')), false);
      await rt.removePodSandbox(sid);
    });

    test('removal leaves no namespace, cgroup, veth, address lease or mount behind', async () => {
      const sb = sandbox();
      const sid = await rt.runPodSandbox(sb);
      await start(sid, sb);
      const st = await rt.podSandboxStatus(sid);
      const netns = st.namespacePaths!.network!;
      assert.ok(existsSync(netns));
      await rt.removePodSandbox(sid);
      assert.equal(existsSync(netns), false);
      assert.deepEqual(readdirSync(cg.dir('memory', cgroupRoot)).filter((f) => f.startsWith('pod-')), []);
      for (const c of ['cpu', 'cpuacct', 'pids'] as const) {
        assert.deepEqual(readdirSync(cg.dir(c, cgroupRoot)).filter((f) => f.startsWith('pod-')), [], c);
      }
      assert.equal(existsSync(`/sys/class/net/${(rt.network as BridgeNetwork).vethName(sid)}`), false);
      assert.equal([...(rt.network as BridgeNetwork).leases().values()].includes(sid), false);
      assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(sid), false);
    });

    test('cleanupLeftovers removes what a crashed runtime left behind', async () => {
      const sb = sandbox();
      const sid = await rt.runPodSandbox(sb);
      await start(sid, sb);
      const netns = (await rt.podSandboxStatus(sid)).namespacePaths!.network!;
      // A second runtime over the same state plays the restarted kubelet; the first never closes.
      const again = new ProcessRuntime({
        stateDir: join(dir, 'state'), isolation: 'required', network: rt.network, netnsPrefix: `${tag}-`, cgroupRoot,
      });
      assert.equal(await again.cleanupLeftovers(), 1);
      assert.equal(existsSync(netns), false);
      assert.deepEqual(readdirSync(cg.dir('memory', cgroupRoot)).filter((f) => f.startsWith('pod-')), []);
      assert.equal([...(rt.network as BridgeNetwork).leases().values()].includes(sid), false);
      assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(sid), false);
      assert.equal(await again.cleanupLeftovers(), 0);
      await rt.removePodSandbox(sid);
    });

    test('a sandbox that fails to start is rolled back completely', async () => {
      const before = readdirSync('/run/netns').filter((n) => n.startsWith(`${tag}-`));
      await assert.rejects(rt.runPodSandbox(sandbox({ linux: { sysctls: { 'net.ipv4.no_such_sysctl_skiff': '1' } } })));
      assert.deepEqual(readdirSync('/run/netns').filter((n) => n.startsWith(`${tag}-`)), before);
      assert.deepEqual(readdirSync(cg.dir('memory', cgroupRoot)).filter((f) => f.startsWith('pod-')), []);
      assert.equal((await rt.listPodSandbox()).length, 0);
    });
  });
}
