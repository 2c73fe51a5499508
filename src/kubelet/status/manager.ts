// The status manager (upstream pkg/kubelet/status/status_manager.go): keeps the latest status the
// kubelet computed for each pod, keeps conditions' transition times, never lets a terminal phase go
// back, and writes a status PATCH only when something changed.
import type { ResourceClient } from '../../client/index.js';
import type { KubeObject } from '../../api/types.js';
import type { Clock } from '../../util/clock.js';
import { isReason } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import type { Obj } from '../types.js';
import { keepTransitionTimes } from './generate.js';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Obj)[k] !== undefined).map((k) => [k, canon((v as Obj)[k])]));
  return v;
}

export class StatusManager {
  private readonly statuses = new Map<string, Obj>();
  private readonly writing = new Map<string, Promise<void>>();
  /** What was last written per pod, so an unchanged status is not sent again. */
  private readonly sent = new Map<string, Obj>();
  /** Status PATCHes sent (for tests and metrics). */
  writes = 0;

  constructor(private readonly pods: ResourceClient<KubeObject>, private readonly clock: Clock, private readonly log: Logger) {}

  /** The status last set for a pod uid. */
  get(uid: string): Obj | undefined {
    return this.statuses.get(uid);
  }

  /** True when the status last set (or the API's) is terminal. */
  isTerminal(pod: Obj): boolean {
    const p = this.statuses.get(pod.metadata.uid)?.phase ?? pod.status?.phase;
    return p === 'Failed' || p === 'Succeeded';
  }

  /**
   * Records a computed status for pod and writes it if it differs from what the API has. Resolves
   * when written (errors are logged: the next sync writes again).
   */
  async set(pod: Obj, next: Obj): Promise<void> {
    const uid = pod.metadata.uid as string;
    const prev = this.statuses.get(uid) ?? pod.status ?? {};
    const status: Obj = { ...next };
    if ((prev.phase === 'Failed' || prev.phase === 'Succeeded') && status.phase !== prev.phase) {
      status.phase = prev.phase;
      if (prev.reason) status.reason = prev.reason;
      if (prev.message) status.message = prev.message;
    }
    if (status.conditions) status.conditions = keepTransitionTimes(status.conditions, prev.conditions ?? pod.status?.conditions, this.clock.now());
    if (prev.startTime) status.startTime = prev.startTime;
    this.statuses.set(uid, status);
    const wrote = this.writing.get(uid) ?? Promise.resolve();
    const run = wrote.then(() => this.write(pod, status)).finally(() => {
      if (this.writing.get(uid) === run) this.writing.delete(uid);
    });
    this.writing.set(uid, run);
    await run;
  }

  /** Forgets a pod (after its final delete). */
  remove(uid: string): void {
    this.statuses.delete(uid);
    this.sent.delete(uid);
  }

  private async write(pod: Obj, status: Obj): Promise<void> {
    if (this.statuses.get(pod.metadata.uid) !== status) return; // superseded
    const live = (pod.status ?? {}) as Obj;
    const sent = this.sent.get(pod.metadata.uid);
    if ((sent && same(sent, status)) || same(live, status)) return;
    const patch: Obj = { ...status };
    for (const k of Object.keys(live)) if (!(k in status)) patch[k] = null;
    try {
      await this.pods.namespace(pod.metadata.namespace).patch(pod.metadata.name, 'merge', { status: patch }, { subresource: 'status' });
      this.sent.set(pod.metadata.uid, status);
      this.writes++;
    } catch (err) {
      if (!isReason(err, 'NotFound')) this.log.warn('pod status update failed', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, err });
    }
  }

}
