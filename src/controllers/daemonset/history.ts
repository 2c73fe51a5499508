// DaemonSet history (upstream pkg/controller/daemon/update.go constructHistory, cleanupHistory): the
// current template is one ControllerRevision; older ones are kept up to revisionHistoryLimit unless
// a live pod still runs them.
import type { KubeObject } from '../../api/types.js';
import type { Client, SharedIndexInformer } from '../../client/index.js';
import { refs } from '../../client/index.js';
import type { Pod } from '../controller-utils/index.js';
import {
  CONTROLLER_REVISION_HASH_LABEL, RevisionStore, canonicalJson, newRevision, nextRevisionNumber, sortRevisions, templatePatch,
  type ControllerRevision,
} from '../history/index.js';
import type { DaemonSet } from './controller.js';

export class DaemonSetHistory {
  private readonly store: RevisionStore;

  constructor(private readonly client: Client, private readonly revisions: SharedIndexInformer<KubeObject>) {
    this.store = new RevisionStore(client);
  }

  private owned(ds: DaemonSet): ControllerRevision[] {
    return this.revisions.lister.listNamespace(ds.metadata.namespace!)
      .filter((r) => r.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === ds.metadata.uid)) as ControllerRevision[];
  }

  /** The revision of the current template (created or renumbered as needed) and the older ones. */
  async construct(ds: DaemonSet, _pods: Pod[]): Promise<{ current: ControllerRevision; old: ControllerRevision[] }> {
    const data = templatePatch(ds.spec.template);
    const want = canonicalJson(data);
    const all = this.owned(ds);
    const matching = all.filter((r) => canonicalJson(r.data ?? null) === want);
    const old = all.filter((r) => !matching.includes(r));
    const next = nextRevisionNumber(old);
    let current: ControllerRevision;
    if (!matching.length) {
      const collision = { count: ds.status?.collisionCount ?? 0 };
      const rev = newRevision(ds, { apiVersion: 'apps/v1', kind: 'DaemonSet' }, ds.spec.template?.metadata?.labels, data, next, collision.count);
      current = await this.store.create(ds.metadata.name!, rev, collision);
      if (collision.count !== (ds.status?.collisionCount ?? 0)) {
        await this.client.resource(refs.daemonsets).namespace(ds.metadata.namespace!).patch(ds.metadata.name!, 'merge', { status: { collisionCount: collision.count } }, { subresource: 'status' });
      }
    } else {
      // Duplicates of the current template: keep the newest, drop the rest.
      const sorted = sortRevisions(matching);
      current = sorted.at(-1)!;
      for (const dup of sorted.slice(0, -1)) await this.store.delete(dup);
      if (current.revision < next) current = await this.store.updateRevisionNumber(current, next);
    }
    return { current, old };
  }

  /** Deletes the oldest unused old revisions beyond revisionHistoryLimit (default 10). */
  async cleanup(ds: DaemonSet, old: ControllerRevision[], pods: Pod[]): Promise<void> {
    const limit = ds.spec.revisionHistoryLimit ?? 10;
    let excess = old.length - limit;
    if (excess <= 0) return;
    const live = new Set(pods.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]).filter(Boolean));
    for (const r of sortRevisions(old)) {
      if (excess <= 0) break;
      if (live.has(r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL])) continue;
      await this.store.delete(r);
      excess--;
    }
  }
}
