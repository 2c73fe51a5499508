// Turns informer events into graph changes (upstream graph_builder.go processGraphChanges): links
// dependents to owners, notices owners starting a foreground or orphan deletion, and hands the
// nodes that need a decision to the attempt-to-delete and attempt-to-orphan queues.
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { GraphNode, type Graph, type ObjectIdentity } from './graph.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** One change for the graph; `virtualDelete` says a virtual node was found absent by a live lookup. */
export type GraphEvent =
  | { type: 'add' | 'update'; identity: ObjectIdentity; obj: KubeObject; old?: KubeObject }
  | { type: 'delete'; identity: ObjectIdentity; obj: KubeObject }
  | { type: 'virtualDelete'; identity: ObjectIdentity };

export interface GraphSinks {
  attemptToDelete(node: GraphNode): void;
  attemptToOrphan(node: GraphNode): void;
  /** An owner is known to be gone (speeds up later dangling checks). */
  absent(uid: string): void;
}

const hasFinalizer = (o: KubeObject | undefined, f: string): boolean => !!o?.metadata.finalizers?.includes(f);
const deleting = (o: KubeObject | undefined): boolean => !!o?.metadata.deletionTimestamp;

export class GraphBuilder {
  constructor(readonly graph: Graph, private readonly sinks: GraphSinks) {}

  process(ev: GraphEvent): void {
    const existing = this.graph.get(ev.identity.uid);
    if (ev.type === 'virtualDelete') {
      if (existing?.virtual) this.removeNode(existing, true);
      return;
    }
    if (ev.type === 'delete') {
      if (existing) this.removeNode(existing, false);
      return;
    }
    const refs = ev.obj.metadata.ownerReferences ?? [];
    let node = existing;
    if (!node) {
      node = new GraphNode(ev.identity, [...refs], false);
      this.graph.add(node);
      for (const v of this.graph.linkOwners(node, refs)) this.sinks.attemptToDelete(v);
      this.checkOwnerNamespaces(node);
    } else {
      if (node.virtual) this.observe(node, ev.identity);
      this.updateOwners(node, refs);
    }
    node.beingDeleted = deleting(ev.obj);
    this.processTransitions(ev.old, ev.obj, node);
  }

  /** A virtual node turned out to exist: adopt its real identity; dependents that named it wrongly are re-checked. */
  private observe(node: GraphNode, identity: ObjectIdentity): void {
    node.virtual = false;
    const before = node.identity;
    node.identity = identity;
    if (before.kind === identity.kind && before.namespace === identity.namespace && before.apiVersion === identity.apiVersion) return;
    for (const d of node.dependents) this.sinks.attemptToDelete(d);
  }

  /** A dependent in another namespace than its (namespaced) owner can never really be owned by it. */
  private checkOwnerNamespaces(node: GraphNode): void {
    for (const ref of node.owners) {
      const owner = this.graph.get(ref.uid);
      if (owner && !owner.virtual && owner.identity.namespace && owner.identity.namespace !== node.identity.namespace) {
        this.sinks.attemptToDelete(node);
        return;
      }
    }
  }

  private updateOwners(node: GraphNode, refs: OwnerReference[]): void {
    const oldByUid = new Map(node.owners.map((r) => [r.uid, r]));
    const newByUid = new Map(refs.map((r) => [r.uid, r]));
    const added = refs.filter((r) => !oldByUid.has(r.uid));
    const removed = node.owners.filter((r) => !newByUid.has(r.uid));
    // Owners waiting for this dependent in a foreground deletion are unblocked when the reference goes
    // or stops blocking (upstream addUnblockedOwnersToDeleteQueue).
    for (const r of node.owners) {
      const now = newByUid.get(r.uid);
      if (r.blockOwnerDeletion === true && (!now || now.blockOwnerDeletion !== true)) {
        const owner = this.graph.get(r.uid);
        if (owner?.deletingDependents) this.sinks.attemptToDelete(owner);
      }
    }
    const changed = added.length || removed.length || refs.some((r) => JSON.stringify(r) !== JSON.stringify(oldByUid.get(r.uid)));
    if (!changed) return;
    this.graph.unlinkOwners(node, removed);
    node.owners = [...refs];
    for (const v of this.graph.linkOwners(node, added)) this.sinks.attemptToDelete(v);
    if (added.length) this.checkOwnerNamespaces(node);
  }

  private processTransitions(old: KubeObject | undefined, obj: KubeObject, node: GraphNode): void {
    const orphaning = (o: KubeObject | undefined) => deleting(o) && hasFinalizer(o, FINALIZER_ORPHAN);
    const foreground = (o: KubeObject | undefined) => deleting(o) && hasFinalizer(o, FINALIZER_FOREGROUND);
    if (orphaning(obj) && (!orphaning(old) || old === obj)) this.sinks.attemptToOrphan(node);
    if (foreground(obj)) {
      const starts = !node.deletingDependents;
      node.deletingDependents = true;
      if (starts || old === obj) {
        for (const d of node.dependents) this.sinks.attemptToDelete(d);
        this.sinks.attemptToDelete(node);
      }
    } else {
      node.deletingDependents = false;
    }
  }

  private removeNode(node: GraphNode, virtual: boolean): void {
    this.graph.unlinkOwners(node, node.owners);
    this.graph.remove(node.identity.uid);
    if (node.dependents.size || virtual) this.sinks.absent(node.identity.uid);
    for (const d of node.dependents) this.sinks.attemptToDelete(d);
    // An owner deleting its dependents in the foreground may now be free to go.
    for (const r of node.owners) {
      const owner = this.graph.get(r.uid);
      if (owner?.deletingDependents) this.sinks.attemptToDelete(owner);
    }
  }
}
