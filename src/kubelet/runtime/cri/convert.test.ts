// Contract ↔ wire conversions, checked without containerd: values, units, defaults, and that every
// wire field name we write exists in CRI_PROTO (each request is pushed through protobuf encode and
// decode, which drops unknown names).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import {
  fromWireContainer, fromWireContainerStatus, fromWireFsUsage, fromWireImage, fromWireRuntimeStatus, fromWireSandboxStatus,
  fromWireStats, fromWireVersion, msToNs, nsToMs, num, toWireContainerConfig, toWireContainerFilter, toWireResources,
  toWireSandboxConfig, toWireSandboxFilter, toWireStatsFilter,
} from './convert.js';
import { CRI_PROTO } from './proto.js';
import type { ContainerConfig, PodSandboxConfig } from '../types.js';
import type { WireMessage } from './client.js';

const root = protobuf.parse(CRI_PROTO, { keepCase: true }).root;

/** obj after a trip through the wire as message `type` (names the proto does not know are lost). */
function roundTrip(type: string, obj: WireMessage): WireMessage {
  // (Type.verify wants enum numbers and JS longs; fromObject takes the names and strings we send.)
  const T = root.lookupType(`runtime.v1.${type}`);
  return T.toObject(T.decode(T.encode(T.fromObject(obj)).finish()), { longs: String, enums: String, defaults: true });
}

/** Every non-empty leaf of `sent` is present, equal, after the round trip. */
function assertSurvives(type: string, sent: WireMessage): void {
  const back = roundTrip(type, sent);
  const walk = (a: unknown, b: unknown, path: string) => {
    if (a === null || a === undefined || a === '' || a === false || a === 0 || a === '0') return;
    if (Array.isArray(a)) {
      assert.ok(Array.isArray(b), `${type}.${path} is lost`);
      a.forEach((x, i) => walk(x, (b as unknown[])[i], `${path}[${i}]`));
    } else if (typeof a === 'object') {
      assert.ok(b && typeof b === 'object', `${type}.${path} is lost`);
      for (const [k, v] of Object.entries(a as object)) walk(v, (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else {
      assert.equal(String(b), String(a), `${type}.${path}`);
    }
  };
  walk(sent, back, '');
}

describe('cri convert: units', () => {
  const cases: [string | number | null | undefined, number][] = [
    ['0', 0], [0, 0], [null, 0], [undefined, 0], ['', 0],
    ['1732262010145807288', 1732262010145], ['999999', 0], ['1000000', 1], [5_000_000, 5],
  ];
  for (const [ns, ms] of cases) test(`nsToMs(${JSON.stringify(ns)}) = ${ms}`, () => assert.equal(nsToMs(ns), ms));
  test('msToNs is exact for ms times', () => {
    assert.equal(msToNs(1732262010145), '1732262010145000000');
    assert.equal(nsToMs(msToNs(1732262010145)), 1732262010145);
  });
  test('num reads int64 strings', () => {
    assert.deepEqual([num('67108864'), num(''), num(null), num(7)], [67108864, 0, 0, 7]);
  });
});

describe('cri convert: to the wire', () => {
  const sandbox: PodSandboxConfig = {
    metadata: { name: 'web', namespace: 'default', uid: 'u-1', attempt: 2 },
    hostname: 'web', logDirectory: '/var/log/pods/default_web_u-1',
    dnsConfig: { servers: ['10.43.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] },
    portMappings: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }],
    labels: { app: 'web' }, annotations: { a: 'b' },
    linux: {
      cgroupParent: '/kubepods/burstable/podu-1',
      securityContext: { namespaceOptions: { network: 'NODE' }, runAsUser: 0, supplementalGroups: [1000], privileged: true },
      sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
      resources: { cpuShares: 512, memoryLimitInBytes: 134217728 },
    },
  };

  test('a sandbox config: names, int64 strings, cgroup parent passed through', () => {
    const w = toWireSandboxConfig(sandbox);
    assert.equal(w.log_directory, '/var/log/pods/default_web_u-1');
    assert.equal(w.linux.cgroup_parent, '/kubepods/burstable/podu-1');
    assert.deepEqual(w.linux.security_context.namespace_options, { network: 'NODE', pid: 'CONTAINER', ipc: 'POD', target_id: '' });
    // runAsUser 0 is "root", not "unset": the wrapper carries it.
    assert.deepEqual(w.linux.security_context.run_as_user, { value: '0' });
    assert.equal(w.linux.security_context.run_as_group, null);
    assert.deepEqual(w.linux.security_context.supplemental_groups, ['1000']);
    assert.equal(w.linux.resources.memory_limit_in_bytes, '134217728');
    assert.deepEqual(w.port_mappings, [{ protocol: 'TCP', container_port: 80, host_port: 8080, host_ip: '' }]);
    assertSurvives('PodSandboxConfig', w);
  });

  test('a minimal sandbox config has no nulls where CRI wants values', () => {
    const w = toWireSandboxConfig({ metadata: { name: 'p', namespace: 'n', uid: 'u' } });
    assert.deepEqual(w.metadata, { name: 'p', uid: 'u', namespace: 'n', attempt: 0 });
    assert.equal(w.dns_config, null);
    assert.equal(w.linux.resources, null);
    assert.equal(roundTrip('PodSandboxConfig', w).linux.cgroup_parent, '');
  });

  test('a container config: pid defaults to CONTAINER (runtime-spike P4), mounts, envs', () => {
    const c: ContainerConfig = {
      metadata: { name: 'app', attempt: 1 }, image: { image: 'busybox' }, command: ['sh', '-c'], args: ['sleep 1'],
      workingDir: '/w', envs: [{ key: 'A', value: '1' }], mounts: [{ containerPath: '/data', hostPath: '/tmp/x', readonly: true }],
      devices: [{ containerPath: '/dev/fuse', hostPath: '/dev/fuse' }], labels: { l: '1' }, logPath: 'app/1.log',
      stdin: true, stdinOnce: true, tty: true,
      linux: {
        resources: { cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 256, memoryLimitInBytes: 67108864, oomScoreAdj: -997 },
        securityContext: { capabilities: { addCapabilities: ['NET_ADMIN'] }, runAsUser: 1000, runAsGroup: 1000, readonlyRootfs: true, noNewPrivs: true },
      },
    };
    const w = toWireContainerConfig(c);
    assert.equal(w.linux.security_context.namespace_options.pid, 'CONTAINER');
    assert.deepEqual(w.mounts, [{ container_path: '/data', host_path: '/tmp/x', readonly: true, selinux_relabel: false, propagation: 'PROPAGATION_PRIVATE' }]);
    assert.equal(w.devices[0].permissions, 'rwm');
    assert.equal(w.linux.resources.oom_score_adj, '-997');
    assert.equal(w.log_path, 'app/1.log');
    assert.deepEqual(w.linux.security_context.run_as_user, { value: '1000' });
    assertSurvives('ContainerConfig', w);
    const shared = toWireContainerConfig({ ...c, linux: { securityContext: { namespaceOptions: { pid: 'POD' } } } });
    assert.equal(shared.linux.security_context.namespace_options.pid, 'POD');
  });

  test('resources: undefined stays absent, fields become int64 strings', () => {
    assert.equal(toWireResources(undefined), null);
    const w = toWireResources({ cpuQuota: -1, cpusetCpus: '0-1' })!;
    assert.deepEqual([w.cpu_quota, w.cpu_period, w.cpuset_cpus], ['-1', '0', '0-1']);
    assertSurvives('LinuxContainerResources', w);
  });

  const filters: [string, string, WireMessage | null, WireMessage | null][] = [
    ['sandbox: none', 'PodSandboxFilter', toWireSandboxFilter(undefined), null],
    ['sandbox: state is wrapped', 'PodSandboxFilter', toWireSandboxFilter({ state: 'SANDBOX_NOTREADY', labelSelector: { a: 'b' } }),
      { id: '', state: { state: 'SANDBOX_NOTREADY' }, label_selector: { a: 'b' } }],
    ['container: id and sandbox', 'ContainerFilter', toWireContainerFilter({ id: 'c1', podSandboxId: 's1' }),
      { id: 'c1', state: null, pod_sandbox_id: 's1', label_selector: {} }],
    ['container: state', 'ContainerFilter', toWireContainerFilter({ state: 'CONTAINER_RUNNING' }),
      { id: '', state: { state: 'CONTAINER_RUNNING' }, pod_sandbox_id: '', label_selector: {} }],
    ['stats', 'ContainerStatsFilter', toWireStatsFilter({ podSandboxId: 's1' }), { id: '', pod_sandbox_id: 's1', label_selector: {} }],
  ];
  for (const [name, type, got, want] of filters) {
    test(`filter ${name}`, () => {
      assert.deepEqual(got, want);
      if (got) assertSurvives(type, got);
    });
  }
});

describe('cri convert: from the wire', () => {
  test('container status: ns → ms, sandbox id from the caller, finished never before started', () => {
    const s = fromWireContainerStatus({
      id: 'c1', metadata: { name: 'app', attempt: 3 }, state: 'CONTAINER_EXITED',
      created_at: '1795993855318000000', started_at: '1795993855397123456', finished_at: '1795993855396000000',
      exit_code: 3, image: { image: 'docker.io/library/busybox:latest', annotations: {} }, image_ref: 'sha256:abc',
      reason: 'Error', message: '', labels: { a: 'b' }, annotations: {},
      mounts: [{ container_path: '/d', host_path: '/h', readonly: false, selinux_relabel: false, propagation: 'PROPAGATION_PRIVATE' }],
      log_path: '/var/log/pods/x/app/3.log',
    }, 's1');
    assert.deepEqual(s, {
      id: 'c1', podSandboxId: 's1', metadata: { name: 'app', attempt: 3 }, state: 'CONTAINER_EXITED',
      createdAt: 1795993855318, startedAt: 1795993855397, finishedAt: 1795993855397, exitCode: 3,
      image: { image: 'docker.io/library/busybox:latest' }, imageRef: 'sha256:abc', reason: 'Error', message: '',
      labels: { a: 'b' }, annotations: {}, mounts: [{ containerPath: '/d', hostPath: '/h', readonly: false, propagation: 'PROPAGATION_PRIVATE' }],
      logPath: '/var/log/pods/x/app/3.log',
    });
  });

  test('a running container keeps finishedAt 0', () => {
    const s = fromWireContainerStatus({ id: 'c', state: 'CONTAINER_RUNNING', created_at: '1000000', started_at: '2000000', finished_at: '0' }, '');
    assert.deepEqual([s.createdAt, s.startedAt, s.finishedAt, s.exitCode, s.reason], [1, 2, 0, 0, '']);
  });

  test('list rows', () => {
    const c = fromWireContainer({
      id: 'c', pod_sandbox_id: 's', metadata: { name: 'n', attempt: 0 }, image: { image: 'i', annotations: {} }, image_ref: 'sha256:1',
      state: 'CONTAINER_CREATED', created_at: '3000000', labels: {}, annotations: { k: 'v' },
    });
    assert.deepEqual(c, {
      id: 'c', podSandboxId: 's', metadata: { name: 'n', attempt: 0 }, image: { image: 'i' }, imageRef: 'sha256:1',
      state: 'CONTAINER_CREATED', createdAt: 3, labels: {}, annotations: { k: 'v' },
    });
  });

  test('sandbox status: network and additional IPs', () => {
    const s = fromWireSandboxStatus({
      id: 's', metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 1 }, state: 'SANDBOX_READY', created_at: '7000000',
      network: { ip: '10.88.0.4', additional_ips: [{ ip: 'fd00::4' }] }, labels: {}, annotations: {},
    });
    assert.deepEqual(s.network, { ip: '10.88.0.4', additionalIps: ['fd00::4'] });
    assert.deepEqual([s.createdAt, s.metadata.attempt], [7, 1]);
    const noNet = fromWireSandboxStatus({ id: 's', metadata: null, state: 'SANDBOX_NOTREADY', created_at: '0', network: null });
    assert.equal(noNet.network, undefined);
    assert.deepEqual(noNet.metadata, { name: '', uid: '', namespace: '', attempt: 0 });
  });

  test('stats: wrappers unwrapped, absent memory is zero', () => {
    const s = fromWireStats({
      attributes: { id: 'c', metadata: { name: 'n', attempt: 0 } },
      cpu: { timestamp: '9000000', usage_core_nano_seconds: { value: '123456789' }, usage_nano_cores: null },
      memory: { timestamp: '9000000', working_set_bytes: { value: '4096' }, usage_bytes: { value: '8192' }, rss_bytes: null },
    }, 's');
    assert.deepEqual(s, {
      id: 'c', podSandboxId: 's', metadata: { name: 'n', attempt: 0 }, timestamp: 9,
      cpu: { usageCoreNanoSeconds: 123456789 }, memory: { workingSetBytes: 4096, usageBytes: 8192 },
    });
    const bare = fromWireStats({ attributes: { id: 'c' }, cpu: null, memory: null }, '');
    assert.deepEqual([bare.cpu.usageCoreNanoSeconds, bare.memory.workingSetBytes, bare.timestamp], [0, 0, 0]);
  });

  test('images, filesystems, version, runtime conditions', () => {
    assert.deepEqual(fromWireImage({ id: 'sha256:1', repo_tags: ['docker.io/library/busybox:latest'], repo_digests: [], size: '1088988', uid: null, username: '', pinned: false }),
      { id: 'sha256:1', repoTags: ['docker.io/library/busybox:latest'], repoDigests: [], size: 1088988 });
    assert.deepEqual(fromWireFsUsage({ timestamp: '5000000', fs_id: { mountpoint: '/var/lib/containerd' }, used_bytes: { value: '10' }, inodes_used: { value: '2' } }),
      { timestamp: 5, mountpoint: '/var/lib/containerd', usedBytes: 10, inodesUsed: 2 });
    assert.deepEqual(fromWireVersion({ version: '0.1.0', runtime_name: 'containerd', runtime_version: '1.6.20', runtime_api_version: 'v1' }),
      { version: '0.1.0', runtimeName: 'containerd', runtimeVersion: '1.6.20', runtimeApiVersion: 'v1' });
    assert.deepEqual(fromWireRuntimeStatus({ conditions: [
      { type: 'RuntimeReady', status: true, reason: '', message: '' },
      { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'cni config uninitialized' },
    ] }), { conditions: [
      { type: 'RuntimeReady', status: true },
      { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'cni config uninitialized' },
    ] });
    assert.deepEqual(fromWireRuntimeStatus(null), { conditions: [] });
  });
});
