// The kubelet (upstream pkg/kubelet/kubelet.go): registers the node and keeps its lease and status,
// watches the pods bound to it, admits them, and runs one serialised worker per pod that converges
// the runtime on the pod spec (sync.ts). A relisting pod lifecycle event generator and the runtime's
// event stream wake workers when containers change; probes and config map/secret changes wake
// them too. Everything the kubelet knows about running pods is rebuilt from the runtime's labels,
// so a restarted kubelet adopts running containers instead of restarting them.
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../api/types.js';
import { EventBroadcaster, refs, SharedInformerFactory, type Client, type SharedIndexInformer } from '../client/index.js';
import { realClock, type Clock, type Timer } from '../util/clock.js';
import { logger, type Logger } from '../util/log.js';
import { admitPod } from './admit.js';
import { DEFAULT_LOG_ROTATION, rotateIfNeeded, type LogRotation } from './logs.js';
import type { PodLookup, PodLookupContainer, PodLookupPod } from './lookup.js';
import { NodeAgent } from './node/agent.js';
import { ImageGCManager, validateImageGCPolicy, type ImageGCPolicy } from './images/index.js';
import { hostFacts, type HostFacts } from './node/host.js';
import { PodWorkers } from './podworkers.js';
import { ProbeManager, runProbe, type ProbeKind } from './prober/manager.js';
import { podLogsRoot, type ContainerRuntime } from './runtime/index.js';
import { relist } from './runtimepod.js';
import { StatusManager } from './status/manager.js';
import { PodSyncer } from './sync.js';
import { instancesByName, LABEL, latestByName, type Obj } from './types.js';
import { VolumeManager } from './volumes/index.js';

export interface KubeletOptions {
  client: Client;
  /** The runtime, or a factory that gets the node's pod CIDR (spec.podCIDR, else opts.podCIDR) once registered. */
  runtime: ContainerRuntime | ((podCIDR: string | undefined) => ContainerRuntime | Promise<ContainerRuntime>);
  nodeName: string;
  dataDir: string;
  clock?: Clock;
  log?: Logger;
  /** Used when the node-ipam controller did not set spec.podCIDR. */
  podCIDR?: string;
  clusterDNS: string | string[];
  clusterDomain: string;
  /** system-reserved + kube-reserved, e.g. { cpu: '100m', memory: '256Mi' }. */
  reserved?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  signal?: AbortSignal;
  /** Host facts override (tests). */
  hostFacts?: HostFacts;
  /** PLEG relist period (default 1000 ms). */
  relistMs?: number;
  /** How long to wait for spec.podCIDR after registration when runtime is a factory (default 3000 ms). */
  podCIDRWaitMs?: number;
  logRotation?: LogRotation;
  /** Whether volumes may use mount(8) (tmpfs emptyDir); default: running as root. */
  privileged?: boolean;
  /** The kubelet API port published in status.daemonEndpoints (default 10250). */
  kubeletPort?: number;
  /** --image-gc-high-threshold: image filesystem usage (%) that starts image GC (default 85; 100 disables). */
  imageGCHighThresholdPercent?: number;
  /** --image-gc-low-threshold: usage (%) image GC frees down to (default 80). */
  imageGCLowThresholdPercent?: number;
  /** --minimum-image-ttl-duration: unused images younger than this are kept (default 120000 ms). */
  imageMinimumGCAgeMs?: number;
  /** --pod-infra-container-image: the runtime's sandbox image, never garbage collected. */
  podSandboxImage?: string;
}

export interface Kubelet extends PodLookup {
  readonly nodeName: string;
  /** The pod CIDR handed to the runtime factory (undefined when none was known). */
  readonly podCIDR: string | undefined;
  readonly runtime: ContainerRuntime;
  /** Status PATCHes written, lease renewals (tests, metrics). */
  stats(): { statusWrites: number; leaseRenewals: number; nodeStatusWrites: number; pods: number };
  /** Syncs a pod now and waits for it (tests). */
  syncPod(uid: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  const k = new KubeletImpl(opts);
  await k.start();
  return k;
}

const HOUSEKEEPING_MS = 10_000;

class KubeletImpl implements Kubelet {
  readonly nodeName: string;
  podCIDR: string | undefined;
  runtime!: ContainerRuntime;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly ac = new AbortController();
  private readonly timers: Timer[] = [];
  private node!: NodeAgent;
  private syncer!: PodSyncer;
  private workers!: PodWorkers;
  private probes!: ProbeManager;
  private imageGC!: ImageGCManager;
  private readonly imageGCPolicy: ImageGCPolicy;
  private status!: StatusManager;
  private recorder!: EventBroadcaster;
  private podInformers!: SharedInformerFactory;
  private otherInformers!: SharedInformerFactory;
  private pods!: SharedIndexInformer<KubeObject>;
  private configMaps!: SharedIndexInformer<KubeObject>;
  private secrets!: SharedIndexInformer<KubeObject>;
  private services!: SharedIndexInformer<KubeObject>;
  private readonly known = new Map<string, Obj>();
  private readonly goneFromApi = new Set<string>();
  private readonly admitted = new Set<string>();
  private readonly rejected = new Set<string>();
  private readonly tokens = new Map<string, { token: string; refreshAt: number; expiresAt: number }>();
  private lastRelist = new Map<string, string>();
  private ownsRuntime = false;
  private synced = false;
  private stopped = false;

  constructor(private readonly o: KubeletOptions) {
    if (!o.nodeName) throw new RangeError('kubelet: nodeName is required');
    if (!o.dataDir) throw new RangeError('kubelet: dataDir is required');
    this.nodeName = o.nodeName;
    this.clock = o.clock ?? realClock;
    this.log = (o.log ?? logger('kubelet')).with({ node: o.nodeName });
    this.imageGCPolicy = {
      highThresholdPercent: o.imageGCHighThresholdPercent ?? 85, lowThresholdPercent: o.imageGCLowThresholdPercent ?? 80, minAgeMs: o.imageMinimumGCAgeMs ?? 120_000,
    };
    validateImageGCPolicy(this.imageGCPolicy);
  }

  async start(): Promise<void> {
    const o = this.o;
    await mkdir(join(o.dataDir, 'pods'), { recursive: true });
    const facts = o.hostFacts ?? await hostFacts(o.dataDir);
    this.node = new NodeAgent({
      client: o.client, nodeName: o.nodeName, clock: this.clock, log: this.log, facts, dataDir: o.dataDir,
      ...(o.kubeletPort ? { kubeletPort: o.kubeletPort } : {}),
      ...(o.reserved ? { reserved: o.reserved } : {}), ...(o.labels ? { labels: o.labels } : {}), ...(o.taints ? { taints: o.taints } : {}),
      runtimeStatus: async () => this.runtime?.status(),
      runtimeVersion: async () => this.runtime?.version(),
      // upstream nodestatus.Images: the largest 50 images, names = tags and digests.
      images: async () => ((await this.runtime?.listImages()) ?? [])
        .sort((a, b) => b.size - a.size).slice(0, 50)
        .map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size })),
    });
    if (typeof o.runtime !== 'function') this.runtime = o.runtime;
    await this.node.register();
    if (typeof o.runtime === 'function') {
      const until = this.clock.now() + (o.podCIDRWaitMs ?? 3000);
      while (!this.node.podCIDR && this.clock.now() < until) {
        await this.clock.sleep(250);
        await this.node.refresh();
      }
      this.podCIDR = this.node.podCIDR ?? o.podCIDR;
      this.runtime = await o.runtime(this.podCIDR);
      this.ownsRuntime = true;
      await this.node.syncStatus(true);
    } else {
      this.podCIDR = this.node.podCIDR ?? o.podCIDR;
    }
    const runtimeName = (await this.runtime.version()).runtimeName.replace(/^skiff-/, '');

    this.recorder = new EventBroadcaster({ client: o.client, reportingController: 'kubelet', reportingInstance: o.nodeName, clock: this.clock, log: this.log });
    const podClient = o.client.resource(refs.pods);
    this.status = new StatusManager(podClient, this.clock, this.log);
    this.probes = new ProbeManager(this.clock, {
      container: (uid, name) => {
        const c = latestByName(this.syncer.state.get(uid), name);
        return c ? { id: c.id, running: c.state === 'CONTAINER_RUNNING', startedAt: c.startedAt } : undefined;
      },
      podIP: (uid) => {
        const p = this.known.get(uid);
        if (p?.spec?.hostNetwork) return this.node.hostIP;
        return this.syncer.state.get(uid)?.sandboxes.find((b) => b.state === 'SANDBOX_READY')?.network?.ip ?? '';
      },
      probe: (spec, t) => runProbe(spec, { ...t, runtime: this.runtime }),
      onChange: (uid) => this.workers.trigger(uid),
      onFailure: (pod, c, kind, output) => this.syncer.event(pod, c, 'Warning', 'Unhealthy', `${kindName(kind)} probe failed: ${output}`),
    });
    const root = o.privileged ?? process.getuid?.() === 0;
    this.syncer = new PodSyncer({
      runtime: this.runtime, runtimeName, clock: this.clock, log: this.log, recorder: this.recorder, pods: podClient,
      status: this.status, probes: this.probes, volumes: new VolumeManager(o.dataDir, root), nodeName: o.nodeName,
      hostIP: () => this.node.hostIP, allocatable: () => this.node.allocatable,
      dns: { clusterDNS: ([] as string[]).concat(o.clusterDNS ?? []).filter(Boolean), clusterDomain: o.clusterDomain || 'cluster.local' },
      logsRoot: podLogsRoot(o.dataDir),
      configMap: async (ns, name) => this.configMaps.indexer.getByKey(`${ns}/${name}`) as Obj | undefined,
      secret: async (ns, name) => this.secrets.indexer.getByKey(`${ns}/${name}`) as Obj | undefined,
      services: () => this.services.indexer.list() as Obj[],
      token: (pod, aud, exp) => this.token(pod, aud, exp),
    });
    this.workers = new PodWorkers(this.clock, (uid) => this.syncUid(uid), this.log);

    this.podInformers = new SharedInformerFactory(o.client, { fieldSelector: `spec.nodeName=${o.nodeName}`, clock: this.clock });
    this.otherInformers = new SharedInformerFactory(o.client, { clock: this.clock });
    this.pods = this.podInformers.forResource(refs.pods);
    this.configMaps = this.otherInformers.forResource(refs.configmaps);
    this.secrets = this.otherInformers.forResource(refs.secrets);
    this.services = this.otherInformers.forResource(refs.services);
    this.pods.addEventHandler({
      add: (p) => this.onPod(p as Obj),
      update: (_o, p) => this.onPod(p as Obj),
      delete: (p) => this.onPodGone(p as Obj),
    });
    const onSource = (obj: unknown) => this.onSourceChange(obj as Obj);
    for (const inf of [this.configMaps, this.secrets]) inf.addEventHandler({ add: onSource, update: (_a, b) => onSource(b), delete: onSource });
    o.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    this.otherInformers.start(this.ac.signal);
    await this.otherInformers.waitForCacheSync(this.ac.signal);
    this.lastRelist = await relist(this.runtime);
    this.podInformers.start(this.ac.signal);
    await this.podInformers.waitForCacheSync(this.ac.signal);
    this.synced = true;
    // Whatever the runtime runs for pods that are no longer bound here goes.
    for (const uid of this.lastRelist.keys()) if (!this.known.has(uid)) this.workers.trigger(uid);

    this.node.start();
    // upstream StartGarbageCollection: image GC events go to the Node.
    const nodeRef = { apiVersion: 'v1', kind: 'Node', name: o.nodeName, uid: o.nodeName };
    this.imageGC = new ImageGCManager({
      runtime: this.runtime, clock: this.clock, log: this.log, policy: this.imageGCPolicy,
      ...(o.podSandboxImage ? { sandboxImage: o.podSandboxImage } : {}),
      event: (reason, message) => this.recorder.record(nodeRef, 'Warning', reason, reason, message),
    });
    this.imageGC.start();
    this.every(this.o.relistMs ?? 1000, () => this.relist());
    this.every(HOUSEKEEPING_MS, () => this.housekeeping());
    void this.watchRuntimeEvents();
    this.log.info('kubelet started', { podCIDR: this.podCIDR, runtime: runtimeName });
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const tick = () => {
      if (this.stopped) return;
      void fn().catch((err: unknown) => this.log.warn('kubelet loop failed', { err })).finally(() => {
        if (!this.stopped) this.timers.push(this.clock.setTimer(ms, tick));
      });
    };
    this.timers.push(this.clock.setTimer(ms, tick));
  }

  private async watchRuntimeEvents(): Promise<void> {
    try {
      for await (const ev of this.runtime.events(this.ac.signal)) {
        const uid = ev.status?.labels[LABEL.podUID];
        if (uid && this.known.has(uid)) this.workers.trigger(uid);
      }
    } catch (err) {
      if (!this.stopped) this.log.v(2).info('runtime events ended', { err });
    }
  }

  private onPod(p: Obj): void {
    const uid = p.metadata.uid as string;
    this.known.set(uid, p);
    if (!this.admitted.has(uid) && !this.rejected.has(uid)) this.admit(p);
    this.workers.trigger(uid);
  }

  private onPodGone(p: Obj): void {
    const uid = p.metadata?.uid as string | undefined;
    if (!uid) return;
    this.goneFromApi.add(uid);
    this.workers.trigger(uid);
  }

  /** upstream HandlePodAdditions → canAdmitPod. */
  private admit(p: Obj): void {
    const uid = p.metadata.uid as string;
    const phase = p.status?.phase;
    if (phase === 'Failed' || phase === 'Succeeded' || phase === 'Running' || this.lastRelist.has(uid) || p.metadata.deletionTimestamp) {
      this.admitted.add(uid);
      return;
    }
    const others = [...this.admitted].map((u) => this.known.get(u)).filter((x): x is Obj => !!x && !this.status.isTerminal(x));
    const r = admitPod(p, this.node.node ?? { status: { allocatable: this.node.allocatable } }, others);
    if (r.admit) {
      this.admitted.add(uid);
      return;
    }
    this.rejected.add(uid);
    this.syncer.event(p, undefined, 'Warning', r.reason!, r.message!);
    void this.status.set(p, { phase: 'Failed', reason: r.reason, message: `Pod was rejected: ${r.message}`, ...(p.status?.conditions ? { conditions: p.status.conditions } : {}) });
  }

  private async syncUid(uid: string): Promise<number | undefined> {
    // `known` holds the informer's latest object of each pod (and the last one of a deleted pod).
    const pod = this.known.get(uid);
    if (!pod || this.goneFromApi.has(uid)) {
      if (!this.synced) return undefined;
      await this.syncer.cleanupOrphan(uid, pod);
      this.known.delete(uid);
      this.goneFromApi.delete(uid);
      this.admitted.delete(uid);
      this.rejected.delete(uid);
      this.workers.forget(uid);
      return undefined;
    }
    this.known.set(uid, pod);
    if (this.rejected.has(uid)) {
      if (pod.metadata.deletionTimestamp) await this.syncer.terminate(pod);
      return undefined;
    }
    if (pod.metadata.deletionTimestamp) {
      await this.syncer.terminate(pod);
      return undefined;
    }
    if (this.status.isTerminal(pod)) {
      const rp = await this.syncer.refresh(uid);
      this.probes.removePod(uid);
      if (rp.containers.some((c) => c.state === 'CONTAINER_RUNNING') || rp.sandboxes.some((b) => b.state === 'SANDBOX_READY')) await this.syncer.killPod(pod, rp);
      await this.syncer.updateStatus(pod, await this.syncer.refresh(uid), true);
      return undefined;
    }
    return this.syncer.syncPod(pod);
  }

  private async relist(): Promise<void> {
    const next = await relist(this.runtime);
    for (const uid of new Set([...next.keys(), ...this.lastRelist.keys()])) {
      if (next.get(uid) === this.lastRelist.get(uid)) continue;
      if (this.known.has(uid) || next.has(uid)) this.workers.trigger(uid);
    }
    this.lastRelist = next;
  }

  private onSourceChange(obj: Obj): void {
    if (!this.synced) return;
    const ns = obj.metadata?.namespace;
    const needle = `"${obj.metadata?.name}"`;
    for (const [uid, p] of this.known) {
      if (p.metadata.namespace === ns && JSON.stringify(p.spec ?? {}).includes(needle)) this.workers.trigger(uid);
    }
  }

  private async housekeeping(): Promise<void> {
    this.syncer.backoff.gc();
    this.syncer.pullBackoff.gc();
    // Pod directories of pods this node no longer has.
    const dir = join(this.o.dataDir, 'pods');
    for (const uid of await readdir(dir).catch(() => [] as string[])) {
      if (!this.known.has(uid) && !this.workers.has(uid)) this.workers.trigger(uid);
    }
    // Log rotation of running containers.
    const rot = this.o.logRotation ?? DEFAULT_LOG_ROTATION;
    for (const rp of this.syncer.state.values()) {
      for (const c of rp.containers) {
        if (c.state === 'CONTAINER_RUNNING' && c.logPath) await rotateIfNeeded(this.runtime, c.id, c.logPath, rot, this.clock.now()).catch(() => false);
      }
    }
  }

  /**
   * A bound service account token from TokenRequest, refreshed at 80% of its lifetime. As upstream's
   * token manager, a failed refresh keeps serving the cached token until it expires; with none, the
   * error fails the volume mount (FailedMount, retried).
   */
  private async token(pod: Obj, audience: string | undefined, expirationSeconds: number): Promise<string> {
    const sa = pod.spec?.serviceAccountName ?? 'default';
    const key = `${pod.metadata.uid}/${sa}/${audience ?? ''}`;
    const cached = this.tokens.get(key);
    const now = this.clock.now();
    if (cached && cached.refreshAt > now) return cached.token;
    try {
      const r = await this.o.client.resource(refs.serviceaccounts).namespace(pod.metadata.namespace).createSubresource<Obj>(sa, 'token', {
        apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
        spec: { ...(audience ? { audiences: [audience] } : {}), expirationSeconds, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid } },
      });
      const token = String(r.status?.token ?? '');
      if (!token) throw new Error('the TokenRequest response carries no token');
      this.tokens.set(key, { token, refreshAt: now + expirationSeconds * 800, expiresAt: now + expirationSeconds * 1000 });
      return token;
    } catch (err) {
      if (cached && cached.expiresAt > now) return cached.token;
      throw new Error(`failed to fetch token: ${(err as Error).message}`);
    }
  }

  // ---- PodLookup ----

  find(namespace: string, name: string): PodLookupPod | undefined {
    const p = this.pods?.indexer.getByKey(`${namespace}/${name}`) as Obj | undefined;
    if (!p) return undefined;
    const uid = p.metadata.uid as string;
    const rp = this.syncer.state.get(uid);
    const sandboxId = rp?.sandboxes.find((b) => b.state === 'SANDBOX_READY')?.id ?? rp?.sandboxes[0]?.id ?? '';
    const containers = new Map<string, PodLookupContainer>();
    for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])] as Obj[]) {
      const [cur, prev] = instancesByName(rp, c.name);
      containers.set(c.name, { id: cur?.id ?? '', logPath: cur?.logPath ?? '', ...(prev?.logPath ? { previousLogPath: prev.logPath } : {}) });
    }
    return { uid, sandboxId, containers, pod: this.withStatus(p) };
  }

  list(): Obj[] {
    return ((this.pods?.indexer.list() ?? []) as Obj[]).map((p) => this.withStatus(p));
  }

  private withStatus(p: Obj): Obj {
    const st = this.status?.get(p.metadata.uid);
    return st ? { ...p, status: st } : p;
  }

  containerId(podUid: string, containerName: string, previous = false): string | undefined {
    return instancesByName(this.syncer.state.get(podUid), containerName)[previous ? 1 : 0]?.id;
  }

  stats(): { statusWrites: number; leaseRenewals: number; nodeStatusWrites: number; pods: number } {
    return { statusWrites: this.status.writes, leaseRenewals: this.node.counts.leaseRenewals, nodeStatusWrites: this.node.counts.statusWrites, pods: this.known.size };
  }

  async syncPod(uid: string): Promise<void> {
    this.workers.trigger(uid);
    await this.workers.idle(uid);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.ac.abort();
    for (const t of this.timers) t.cancel();
    this.node?.stop();
    this.imageGC?.stop();
    this.probes?.stop();
    await this.workers?.stop();
    await Promise.all([this.podInformers?.shutdown(), this.otherInformers?.shutdown()]);
    await this.recorder?.shutdown();
    if (this.ownsRuntime) await this.runtime.close();
  }
}

function kindName(k: ProbeKind): string {
  return k === 'liveness' ? 'Liveness' : k === 'readiness' ? 'Readiness' : 'Startup';
}
