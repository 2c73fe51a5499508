// Probe workers (upstream pkg/kubelet/prober/worker.go and prober_manager.go): one worker per pod,
// container and probe kind, probing every periodSeconds while the container runs. A result only
// changes after failureThreshold failures or successThreshold successes in a row; startup gates
// liveness and readiness; a failed liveness or startup verdict holds the worker until a new
// container instance appears. Readiness starts as failure, liveness as success.
import type { Clock, Timer } from '../../util/clock.js';
import type { Obj } from '../types.js';
import { runProbe, type ProbeOutcome, type ProbeResult, type ProbeTarget } from './probe.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** What a worker needs to know about the container it probes. */
export interface ProbedContainer {
  id: string;
  running: boolean;
  /** ms */
  startedAt: number;
}

export interface ProberHooks {
  /** The newest instance of a container of a pod (undefined when none). */
  container(uid: string, name: string): ProbedContainer | undefined;
  podIP(uid: string): string;
  /** Runs the probe (default runProbe over the runtime). */
  probe(probe: Obj, target: Omit<ProbeTarget, 'runtime'>): Promise<ProbeOutcome>;
  /** A verdict changed: resync the pod (liveness/startup failure) or its status. */
  onChange(uid: string, kind: ProbeKind, containerName: string, result: ProbeResult): void;
  /** Each failed probe run (Unhealthy event). */
  onFailure(pod: Obj, container: Obj, kind: ProbeKind, output: string): void;
}

const kindField: Record<ProbeKind, string> = { liveness: 'livenessProbe', readiness: 'readinessProbe', startup: 'startupProbe' };

class Worker {
  private timer?: Timer;
  private containerId = '';
  private lastResult?: ProbeResult;
  private run = 0;
  private onHold = false;
  private stopped = false;
  private busy = false;

  constructor(private readonly m: ProbeManager, readonly pod: Obj, readonly container: Obj, readonly kind: ProbeKind, private readonly spec: Obj) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.m.clock.setTimer(ms, () => void this.tick());
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.busy) return;
    this.busy = true;
    try {
      await this.doProbe();
    } finally {
      this.busy = false;
      this.schedule((this.spec.periodSeconds ?? 10) * 1000);
    }
  }

  /** One probe round; exposed for tests through ProbeManager.probeNow. */
  async doProbe(): Promise<void> {
    const uid = this.pod.metadata.uid as string;
    const c = this.m.hooks.container(uid, this.container.name);
    if (!c) return;
    if (c.id !== this.containerId) {
      this.containerId = c.id;
      this.lastResult = undefined;
      this.run = 0;
      this.onHold = false;
      this.m.initial(this.kind, c.id);
    }
    if (this.onHold) return;
    if (!c.running) {
      if (this.kind === 'readiness') this.m.set(uid, this.container.name, this.kind, c.id, 'failure');
      return;
    }
    const started = this.m.started(c.id, this.container);
    if (this.kind === 'startup' && started) return;
    if (this.kind !== 'startup' && !started) return;
    if (this.m.clock.now() - c.startedAt < (this.spec.initialDelaySeconds ?? 0) * 1000) return;
    const out = await this.m.hooks.probe(this.spec, { containerId: c.id, container: this.container, podIP: this.m.hooks.podIP(uid) });
    if (this.stopped) return;
    if (out.result === 'failure') this.m.hooks.onFailure(this.pod, this.container, this.kind, out.output);
    if (this.lastResult === out.result) this.run++;
    else {
      this.lastResult = out.result;
      this.run = 1;
    }
    if ((out.result === 'failure' && this.run < (this.spec.failureThreshold ?? 3))
      || (out.result === 'success' && this.run < (this.spec.successThreshold ?? 1))) return;
    this.m.set(uid, this.container.name, this.kind, c.id, out.result);
    if ((this.kind === 'liveness' || this.kind === 'startup') && out.result === 'failure') {
      this.onHold = true;
      this.run = 0;
    }
  }
}

export class ProbeManager {
  private readonly workers = new Map<string, Worker>();
  /** kind → container id → verdict. */
  private readonly results: Record<ProbeKind, Map<string, ProbeResult>> = { liveness: new Map(), readiness: new Map(), startup: new Map() };
  /** container ids that have a probe of that kind. */
  private readonly probed: Record<ProbeKind, Set<string>> = { liveness: new Set(), readiness: new Set(), startup: new Set() };

  /** manual: workers never tick by themselves (tests drive them with probeNow). */
  constructor(readonly clock: Clock, readonly hooks: ProberHooks, private readonly manual = false) {}

  /** Starts workers for every probe of the pod's app containers (idempotent). */
  addPod(pod: Obj): void {
    // App containers and sidecars (restartable init containers) are probed.
    const probed = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c: Obj) => c.restartPolicy === 'Always')];
    for (const c of probed) {
      for (const kind of ['startup', 'liveness', 'readiness'] as ProbeKind[]) {
        const spec = c[kindField[kind]];
        if (!spec) continue;
        const key = `${pod.metadata.uid}/${c.name}/${kind}`;
        if (this.workers.has(key)) continue;
        const w = new Worker(this, pod, c, kind, spec);
        this.workers.set(key, w);
        if (!this.manual) w.start();
      }
    }
  }

  removePod(uid: string): void {
    for (const [k, w] of this.workers) {
      if (!k.startsWith(`${uid}/`)) continue;
      w.stop();
      this.workers.delete(k);
    }
  }

  /** Runs one probe round of a worker now (tests). */
  async probeNow(uid: string, container: string, kind: ProbeKind): Promise<void> {
    await this.workers.get(`${uid}/${container}/${kind}`)?.doProbe();
  }

  stop(): void {
    for (const w of this.workers.values()) w.stop();
    this.workers.clear();
  }

  /** A new container instance: its verdicts start over (readiness failure, liveness success, startup unknown). */
  initial(kind: ProbeKind, id: string): void {
    this.probed[kind].add(id);
    if (kind === 'readiness') this.results.readiness.set(id, 'failure');
    else if (kind === 'liveness') this.results.liveness.set(id, 'success');
    else this.results.startup.delete(id);
  }

  set(uid: string, name: string, kind: ProbeKind, id: string, result: ProbeResult): void {
    const prev = this.results[kind].get(id);
    this.results[kind].set(id, result);
    if (prev !== result) this.hooks.onChange(uid, kind, name, result);
  }

  /** Ready by readiness probe (containers without one are ready once started). */
  ready(id: string, container?: Obj): boolean {
    if (container && !container.readinessProbe) return true;
    if (!container && !this.probed.readiness.has(id)) return true;
    return this.results.readiness.get(id) === 'success';
  }

  started(id: string, container?: Obj): boolean {
    if (container && !container.startupProbe) return true;
    if (!container && !this.probed.startup.has(id)) return true;
    return this.results.startup.get(id) === 'success';
  }

  livenessFailed(id: string): boolean {
    return this.results.liveness.get(id) === 'failure';
  }

  startupFailed(id: string): boolean {
    return this.results.startup.get(id) === 'failure';
  }

  /** Drops verdicts of container ids no longer present. */
  forgetContainer(id: string): void {
    for (const k of Object.keys(this.results) as ProbeKind[]) {
      this.results[k].delete(id);
      this.probed[k].delete(id);
    }
  }
}

export { runProbe };
