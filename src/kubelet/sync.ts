// One pod's sync (upstream kubelet.go SyncPod / SyncTerminatingPod / SyncTerminatedPod with
// kuberuntime_manager.go SyncPod and KillPod): status first, then volumes, then the actions of
// computePodActions — sandbox, init containers in order, app containers with crash-loop back-off —
// and on deletion the graceful kill (preStop, stop with grace), sandbox removal, volume teardown
// and the final delete of the pod object.
import { rm } from 'node:fs/promises';
import type { KubeObject } from '../api/types.js';
import type { EventRecorder, ObjectReference, ResourceClient } from '../client/index.js';
import type { Clock } from '../util/clock.js';
import { isReason } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { CrashBackoff, goDuration } from './backoff.js';
import { ContainerConfigError, expandCommand, makeEnvironment, servicesForPod } from './envvars/index.js';
import { containerHash } from './hash.js';
import { keyringFromSecrets, podPullSecrets, pullWithKeyring, type DockerKeyring } from './images/index.js';
import { runHook } from './lifecycle/handlers.js';
import { computePodActions, isSidecar } from './podactions.js';
import { containerConfig, podHostname, sandboxConfig, type DNSSettings } from './podconfig.js';
import type { ProbeManager } from './prober/manager.js';
import { podLogDirectory, type ContainerRuntime, type ContainerStatus, type DNSConfig, type Mount } from './runtime/index.js';
import { getRuntimePod } from './runtimepod.js';
import { generatePodStatus } from './status/generate.js';
import type { StatusManager } from './status/manager.js';
import { terminationMessage } from './termination.js';
import { formatPod, instancesByName, latestByName, restartCountOf, type Obj, type RuntimePod } from './types.js';
import { containerMounts, MountError, type VolumeManager, type VolumeSources } from './volumes/index.js';

export const RESYNC_MS = 60_000;
const MIN_GRACE_AFTER_PRESTOP_S = 2;

export interface SyncDeps {
  runtime: ContainerRuntime;
  runtimeName: string;
  clock: Clock;
  log: Logger;
  recorder: EventRecorder;
  pods: ResourceClient<KubeObject>;
  status: StatusManager;
  probes: ProbeManager;
  volumes: VolumeManager;
  nodeName: string;
  hostIP(): string;
  allocatable(): Record<string, string>;
  dns: DNSSettings;
  logsRoot: string;
  configMap(ns: string, name: string): Promise<Obj | undefined>;
  secret(ns: string, name: string): Promise<Obj | undefined>;
  services(): Obj[];
  token: VolumeSources['token'];
}

type Reason = { reason: string; message: string };

export class PodSyncer {
  readonly backoff: CrashBackoff;
  /** Image pull back-off per pod and image (upstream imagePuller's backOff, 10 s doubling to 5 min). */
  readonly pullBackoff: CrashBackoff;
  /** The last failed pull per pull key: its message and when (reported as ErrImagePull for a while). */
  private readonly pullErrors = new Map<string, { message: string; at: number }>();
  /** Runtime state seen by the last sync of each pod (probes and the PodLookup read it). */
  readonly state = new Map<string, RuntimePod>();
  private readonly reasons = new Map<string, Map<string, Reason>>();
  private readonly messages = new Map<string, string>();
  private readonly volumePaths = new Map<string, Map<string, string>>();

  constructor(private readonly d: SyncDeps) {
    this.backoff = new CrashBackoff(d.clock);
    this.pullBackoff = new CrashBackoff(d.clock);
  }

  private reasonsOf(uid: string): Map<string, Reason> {
    let m = this.reasons.get(uid);
    if (!m) this.reasons.set(uid, (m = new Map()));
    return m;
  }

  private ref(pod: Obj, c?: Obj, isInit = false): ObjectReference {
    const r: ObjectReference = { apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
    if (c) r.fieldPath = `spec.${isInit ? 'initContainers' : 'containers'}{${c.name}}`;
    return r;
  }

  event(pod: Obj, c: Obj | undefined, type: 'Normal' | 'Warning', reason: string, note: string, isInit = false): void {
    this.d.recorder.record(this.ref(pod, c, isInit), type, reason, reason, note);
  }

  private isInit(pod: Obj, name: string): boolean {
    return (pod.spec?.initContainers ?? []).some((c: Obj) => c.name === name);
  }

  private specOf(pod: Obj, name: string): Obj | undefined {
    return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c: Obj) => c.name === name);
  }

  async refresh(uid: string): Promise<RuntimePod> {
    const rp = await getRuntimePod(this.d.runtime, uid);
    this.state.set(uid, rp);
    return rp;
  }

  private podIP(pod: Obj, rp: RuntimePod | undefined): string {
    if (pod.spec?.hostNetwork) return this.d.hostIP();
    return rp?.sandboxes.find((b) => b.state === 'SANDBOX_READY')?.network?.ip ?? '';
  }

  /** Computes and writes the pod's status from the runtime's state. */
  async updateStatus(pod: Obj, rp: RuntimePod, podIsTerminal = false): Promise<Obj> {
    for (const c of rp.containers) {
      if (c.state === 'CONTAINER_EXITED' && !this.messages.has(c.id)) this.messages.set(c.id, await terminationMessage(c));
    }
    const specs = new Map<string, Obj>([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter(isSidecar)].map((c: Obj) => [c.name, c]));
    const status = generatePodStatus({
      pod, rp, hostIP: this.d.hostIP(), runtimeName: this.d.runtimeName, now: this.d.clock.now(),
      ready: (id) => this.d.probes.ready(id, specs.get(rp.containers.find((c) => c.id === id)?.metadata.name ?? '')),
      started: (id) => this.d.probes.started(id, specs.get(rp.containers.find((c) => c.id === id)?.metadata.name ?? '')),
      reasons: this.reasonsOf(pod.metadata.uid), messages: this.messages, podIsTerminal,
    });
    const prev = this.d.status.get(pod.metadata.uid) ?? pod.status;
    if (prev?.reason === 'DeadlineExceeded') {
      status.phase = 'Failed';
      status.reason = prev.reason;
      status.message = prev.message;
    }
    await this.d.status.set(pod, status);
    return this.d.status.get(pod.metadata.uid)!;
  }

  /** A running pod's sync; resolves to when it wants to sync again. */
  async syncPod(pod: Obj): Promise<number | undefined> {
    const uid = pod.metadata.uid as string;
    let rp = await this.refresh(uid);
    this.d.probes.addPod(pod);

    // activeDeadlineSeconds (upstream activeDeadlineHandler).
    const deadline = pod.spec?.activeDeadlineSeconds;
    const startTime = this.d.status.get(uid)?.startTime ?? pod.status?.startTime;
    let nextWake = RESYNC_MS;
    if (deadline !== undefined && startTime) {
      const left = Date.parse(startTime) + deadline * 1000 - this.d.clock.now();
      if (left <= 0) {
        this.event(pod, undefined, 'Normal', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline');
        await this.d.status.set(pod, { ...(this.d.status.get(uid) ?? pod.status ?? {}), phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
        await this.killPod(pod, rp);
        await this.updateStatus(pod, await this.refresh(uid), true);
        return undefined;
      }
      nextWake = Math.min(nextWake, left + 10);
    }

    const status = await this.updateStatus(pod, rp);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      await this.killPod(pod, rp);
      await this.updateStatus(pod, await this.refresh(uid), true);
      return undefined;
    }

    let volumes: Map<string, string>;
    try {
      volumes = await this.d.volumes.setUp(pod, this.volumeSources(pod, rp));
      this.volumePaths.set(uid, volumes);
    } catch (err) {
      if (!(err instanceof MountError)) throw err;
      this.event(pod, undefined, 'Warning', 'FailedMount', err.message);
      return 2_000;
    }

    const actions = computePodActions(pod, rp, this.d.probes);
    if (actions.killPod) {
      await this.killPod(pod, rp, undefined, actions.createSandbox ? 0 : undefined);
      if (!actions.createSandbox) {
        await this.updateStatus(pod, await this.refresh(uid));
        return nextWake;
      }
    }
    let sandboxId = actions.sandboxId;
    const sbCfg = sandboxConfig(pod, actions.attempt, this.d.logsRoot, this.d.dns);
    if (actions.createSandbox) {
      try {
        sandboxId = await this.d.runtime.runPodSandbox(sbCfg);
      } catch (err) {
        this.event(pod, undefined, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(err as Error).message}`);
        return 5_000;
      }
      rp = await this.refresh(uid);
    }
    for (const [id, k] of actions.containersToKill) {
      const cs = rp.containers.find((c) => c.id === id);
      if (cs) await this.killContainer(pod, cs, k.message, k.gracePeriodSeconds);
    }
    const podIP = this.podIP(pod, rp);
    const extraMounts = await this.podMounts(pod, podIP, sbCfg.dnsConfig);
    for (const c of actions.sidecarsToStart) {
      const wait = await this.startContainer(pod, c, true, rp, sandboxId, sbCfg, volumes, extraMounts, podIP);
      if (wait) nextWake = Math.min(nextWake, wait);
    }
    if (actions.nextInitContainerToStart) {
      const wait = await this.startContainer(pod, actions.nextInitContainerToStart, true, rp, sandboxId, sbCfg, volumes, extraMounts, podIP);
      if (wait) nextWake = Math.min(nextWake, wait);
    }
    for (const i of actions.containersToStart) {
      const c = pod.spec.containers[i];
      const wait = await this.startContainer(pod, c, false, rp, sandboxId, sbCfg, volumes, extraMounts, podIP);
      if (wait) nextWake = Math.min(nextWake, wait);
    }
    rp = await this.refresh(uid);
    await this.updateStatus(pod, rp);
    await this.gcContainers(pod, rp);
    return nextWake;
  }

  private volumeSources(pod: Obj, rp: RuntimePod | undefined): VolumeSources {
    return {
      configMap: this.d.configMap, secret: this.d.secret, token: this.d.token, allocatable: this.d.allocatable(),
      hostIP: this.d.hostIP(), podIP: this.podIP(pod, rp), nodeName: this.d.nodeName,
    };
  }

  /**
   * /etc/hosts (upstream's kubelet-managed hosts file) and /etc/resolv.conf from the pod's DNS
   * config — the latter because the process runtime does not write one for its sandboxes.
   */
  private async podMounts(pod: Obj, podIP: string, dns: DNSConfig | undefined): Promise<Mount[]> {
    const out: Mount[] = [];
    if (dns && (dns.servers?.length || dns.searches?.length)) {
      out.push({ containerPath: '/etc/resolv.conf', hostPath: await this.d.volumes.resolvConf(pod.metadata.uid, dns), readonly: true });
    }
    if (pod.spec?.hostNetwork || !podIP) return out;
    const hosts = await this.d.volumes.hostsFile(pod.metadata.uid, podIP, podHostname(pod), pod.spec?.hostAliases);
    out.push({ containerPath: '/etc/hosts', hostPath: hosts, readonly: false });
    return out;
  }

  /**
   * The keyring of the pod's imagePullSecrets (upstream getPullSecretsForPod + MakeDockerKeyring):
   * secrets that cannot be read get a FailedToRetrieveImagePullSecret warning and the pull goes on
   * without them; a malformed secret fails the pull.
   */
  private async pullKeyring(pod: Obj): Promise<DockerKeyring | undefined> {
    if (!pod.spec?.imagePullSecrets?.length) return undefined;
    const { secrets, missing } = await podPullSecrets(pod, this.d.secret);
    if (missing.length) {
      this.d.log.info('Unable to retrieve pull secret, the image pull may not succeed.', { pod: formatPod(pod), secrets: missing });
      this.event(pod, undefined, 'Warning', 'FailedToRetrieveImagePullSecret', `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
    }
    return keyringFromSecrets(secrets);
  }

  /** Starts one container; resolves to a delay when in back-off (when to try again). */
  private async startContainer(pod: Obj, c: Obj, isInit: boolean, rp: RuntimePod, sandboxId: string, sbCfg: ReturnType<typeof sandboxConfig>, volumes: Map<string, string>, extraMounts: Mount[], podIP: string): Promise<number | undefined> {
    const uid = pod.metadata.uid as string;
    const reasons = this.reasonsOf(uid);
    const latest = latestByName(rp, c.name);
    // Crash-loop back-off (upstream doBackOff).
    if (latest && latest.state === 'CONTAINER_EXITED') {
      const key = `${pod.metadata.name}_${pod.metadata.namespace}_${uid}_${c.name}_${containerHash(c)}`;
      const ts = latest.finishedAt;
      if (this.backoff.inBackoffSince(key, ts)) {
        const msg = `back-off ${goDuration(this.backoff.get(key))} restarting failed container=${c.name} pod=${formatPod(pod)}`;
        reasons.set(c.name, { reason: 'CrashLoopBackOff', message: msg });
        this.event(pod, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`, isInit);
        return this.backoff.remaining(key, ts) + 10;
      }
      this.backoff.next(key, ts);
    }
    const fail = (reason: string, message: string, eventReason = 'Failed') => {
      reasons.set(c.name, { reason, message });
      this.event(pod, c, 'Warning', eventReason, `Error: ${message}`, isInit);
    };
    // Image (upstream images.imageManager EnsureImageExists with its pull back-off).
    const pullKey = `${uid}_${c.image}`;
    try {
      const policy = c.imagePullPolicy ?? (String(c.image).endsWith(':latest') || !String(c.image).includes(':') ? 'Always' : 'IfNotPresent');
      const present = await this.d.runtime.imageStatus({ image: c.image });
      if (present && policy !== 'Always') {
        this.event(pod, c, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, isInit);
      } else if (!present && policy === 'Never') {
        fail('ErrImageNeverPull', `Container image "${c.image}" is not present with pull policy of Never`, 'ErrImageNeverPull');
        return 5_000;
      } else if (this.pullBackoff.inBackoffSinceUpdate(pullKey)) {
        // The failure itself stays visible for the first half of the back-off (upstream shows
        // ErrImagePull until its pod worker's retry period ends), ImagePullBackOff after that.
        const last = this.pullErrors.get(pullKey);
        const half = this.pullBackoff.get(pullKey) / 2;
        if (last && this.d.clock.now() - last.at < half) {
          reasons.set(c.name, { reason: 'ErrImagePull', message: last.message });
          return Math.max(10, last.at + half - this.d.clock.now());
        }
        reasons.set(c.name, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` });
        this.event(pod, c, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, isInit);
        return this.pullBackoff.remainingSinceUpdate(pullKey) + 10;
      } else {
        const keyring = await this.pullKeyring(pod);
        this.event(pod, c, 'Normal', 'Pulling', `Pulling image "${c.image}"`, isInit);
        const t0 = this.d.clock.monotonic();
        await pullWithKeyring(this.d.runtime, { image: c.image }, keyring, sbCfg);
        const s = ((this.d.clock.monotonic() - t0) / 1000).toFixed(3);
        const img = await this.d.runtime.imageStatus({ image: c.image });
        this.event(pod, c, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${s}s (${s}s including waiting). Image size: ${img?.size ?? 0} bytes.`, isInit);
        this.pullBackoff.delete(pullKey);
        this.pullErrors.delete(pullKey);
      }
    } catch (err) {
      this.pullBackoff.next(pullKey, this.d.clock.now());
      this.pullErrors.set(pullKey, { message: (err as Error).message, at: this.d.clock.now() });
      reasons.set(c.name, { reason: 'ErrImagePull', message: (err as Error).message });
      this.event(pod, c, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${(err as Error).message}`, isInit);
      this.event(pod, c, 'Warning', 'Failed', 'Error: ErrImagePull', isInit);
      // Synced again within the back-off, so the status moves on to ImagePullBackOff as upstream's
      // (whose pod worker retries a failed sync after its own back-off period).
      return Math.max(1000, Math.floor(this.pullBackoff.get(pullKey) / 2));
    }
    // Environment and mounts.
    const restartCount = latest ? restartCountOf(latest) + 1 : 0;
    let cfg;
    try {
      const envs = await makeEnvironment(pod, c, {
        configMap: this.d.configMap, secret: this.d.secret, services: servicesForPod(pod, this.d.services()),
        allocatable: this.d.allocatable(), hostIP: this.d.hostIP(), podIP, nodeName: this.d.nodeName,
      });
      const mounts = [...await containerMounts(c, volumes), ...extraMounts];
      const terminationLog = await this.d.volumes.terminationLogFile(uid, c.name, restartCount);
      mounts.push({ containerPath: c.terminationMessagePath ?? '/dev/termination-log', hostPath: terminationLog, readonly: false });
      cfg = containerConfig({ pod, container: c, isInit, restartCount, envs, mounts, terminationLog, ...expandCommand(c, envs) });
    } catch (err) {
      if (err instanceof ContainerConfigError || err instanceof MountError) {
        fail('CreateContainerConfigError', err.message);
        return 5_000;
      }
      throw err;
    }
    let id: string;
    try {
      id = await this.d.runtime.createContainer(sandboxId, cfg, sbCfg);
    } catch (err) {
      fail('CreateContainerError', (err as Error).message);
      return 5_000;
    }
    this.event(pod, c, 'Normal', 'Created', `Created container ${c.name}`, isInit);
    try {
      await this.d.runtime.startContainer(id);
    } catch (err) {
      fail('RunContainerError', (err as Error).message);
      return undefined;
    }
    reasons.delete(c.name);
    this.event(pod, c, 'Normal', 'Started', `Started container ${c.name}`, isInit);
    if (c.lifecycle?.postStart) {
      const msg = await runHook(c.lifecycle.postStart, { runtime: this.d.runtime, clock: this.d.clock, containerId: id, container: c, podIP, timeoutSeconds: 30 });
      if (msg) {
        this.event(pod, c, 'Warning', 'FailedPostStartHook', msg, isInit);
        const st = await this.d.runtime.containerStatus(id);
        await this.killContainer(pod, st, 'FailedPostStartHook');
      }
    }
    return undefined;
  }

  private graceFor(pod: Obj, override?: number): number {
    if (override !== undefined) return override;
    if (pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds !== undefined) return pod.metadata.deletionGracePeriodSeconds;
    return pod.spec?.terminationGracePeriodSeconds ?? 30;
  }

  /** preStop, then stopContainer with what is left of the grace period (at least 2 s after a hook). */
  async killContainer(pod: Obj, cs: ContainerStatus, message = '', graceOverride?: number): Promise<void> {
    const spec = this.specOf(pod, cs.metadata.name);
    let grace = this.graceFor(pod, graceOverride);
    if (cs.state === 'CONTAINER_RUNNING') {
      this.event(pod, spec ?? { name: cs.metadata.name }, 'Normal', 'Killing', message || `Stopping container ${cs.metadata.name}`, this.isInit(pod, cs.metadata.name));
      const pre = spec?.lifecycle?.preStop;
      if (pre && grace > 0) {
        const t0 = this.d.clock.now();
        const msg = await runHook(pre, { runtime: this.d.runtime, clock: this.d.clock, containerId: cs.id, container: spec!, podIP: this.podIP(pod, this.state.get(pod.metadata.uid)), timeoutSeconds: grace })
          .catch((err: unknown) => (err as Error).message);
        if (msg) this.event(pod, spec, 'Warning', 'FailedPreStopHook', msg);
        grace = Math.max(MIN_GRACE_AFTER_PRESTOP_S, grace - Math.floor((this.d.clock.now() - t0) / 1000));
      }
    }
    await this.d.runtime.stopContainer(cs.id, grace);
  }

  /** Stops every running container (in parallel, with grace; sidecars after the rest), then the sandboxes. */
  async killPod(pod: Obj, rp: RuntimePod, message?: string, graceOverride?: number): Promise<void> {
    const running = rp.containers.filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED');
    const kill = (list: ContainerStatus[]) => Promise.all(list.map((c) => this.killContainer(pod, c, message, graceOverride)
      .catch((err: unknown) => this.d.log.warn('kill container failed', { id: c.id, err }))));
    const side = (c: ContainerStatus) => isSidecar(this.specOf(pod, c.metadata.name)) && this.isInit(pod, c.metadata.name);
    await kill(running.filter((c) => !side(c)));
    await kill(running.filter(side));
    for (const b of rp.sandboxes) if (b.state === 'SANDBOX_READY') await this.d.runtime.stopPodSandbox(b.id);
  }

  /** Deletion: kill with grace, final status, remove sandboxes and volumes, then the final delete. */
  async terminate(pod: Obj): Promise<void> {
    const uid = pod.metadata.uid as string;
    const rp = await this.refresh(uid);
    this.d.probes.removePod(uid);
    await this.killPod(pod, rp);
    await this.updateStatus(pod, await this.refresh(uid), true);
    await this.removeAll(uid, pod);
    try {
      await this.d.pods.namespace(pod.metadata.namespace).delete(pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      if (!isReason(err, 'NotFound') && !isReason(err, 'Conflict')) throw err;
    }
    this.forget(uid);
  }

  /** A pod of which the API knows nothing any more: kill quickly, remove everything. */
  async cleanupOrphan(uid: string, pod?: Obj): Promise<void> {
    const rp = await this.refresh(uid);
    this.d.probes.removePod(uid);
    const p = pod ?? { metadata: { uid, name: rp.name, namespace: rp.namespace }, spec: {} };
    await this.killPod(p, rp, undefined, pod ? Math.min(this.graceFor(pod), 2) : 0);
    await this.removeAll(uid, p);
    this.forget(uid);
  }

  private async removeAll(uid: string, pod: Obj): Promise<void> {
    const rp = await this.refresh(uid);
    for (const b of rp.sandboxes) await this.d.runtime.removePodSandbox(b.id);
    for (const c of rp.containers) await this.d.runtime.removeContainer(c.id);
    await this.d.volumes.tearDown(uid);
    if (pod.metadata.name && pod.metadata.namespace) {
      await rm(podLogDirectory(this.d.logsRoot, pod.metadata.namespace, pod.metadata.name, uid), { recursive: true, force: true });
    }
  }

  forget(uid: string): void {
    const rp = this.state.get(uid);
    for (const c of rp?.containers ?? []) {
      this.messages.delete(c.id);
      this.d.probes.forgetContainer(c.id);
    }
    this.state.delete(uid);
    this.reasons.delete(uid);
    this.volumePaths.delete(uid);
    for (const k of this.pullErrors.keys()) if (k.startsWith(`${uid}_`)) this.pullErrors.delete(k);
    this.d.status.remove(uid);
  }

  /** Keeps the newest two instances of each container (current and previous, for `logs --previous`). */
  private async gcContainers(pod: Obj, rp: RuntimePod): Promise<void> {
    const names = new Set(rp.containers.map((c) => c.metadata.name));
    for (const n of names) {
      for (const old of instancesByName(rp, n).slice(2)) {
        if (old.state !== 'CONTAINER_EXITED') continue;
        await this.d.runtime.removeContainer(old.id).catch(() => undefined);
        if (old.logPath) await rm(old.logPath, { force: true });
        this.messages.delete(old.id);
        this.d.probes.forgetContainer(old.id);
      }
    }
    // Exited sandboxes other than the newest are gone for good.
    for (const b of rp.sandboxes.slice(1)) {
      if (b.state !== 'SANDBOX_READY' && !rp.containers.some((c) => c.podSandboxId === b.id)) await this.d.runtime.removePodSandbox(b.id).catch(() => undefined);
    }
  }
}
