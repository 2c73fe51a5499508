// The ownership graph (upstream pkg/controller/garbagecollector/graph.go): one node per object uid,
// with the owner references it carries and the uids of the objects that name it as owner. A node
// is "virtual" when only a dependent's ownerReference told us about it; the attempt-to-delete worker
// then checks the API to learn whether it exists.
import type { OwnerReference } from '../../api/types.js';

/** Who an object is: enough to GET, PATCH or DELETE it. */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
  uid: string;
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  /** Known only from a dependent's ownerReference. */
  virtual: boolean;
  /** Has a deletionTimestamp. */
  beingDeleted = false;
  /** Has a deletionTimestamp and the foregroundDeletion finalizer. */
  deletingDependents = false;

  constructor(public identity: ObjectIdentity, public owners: OwnerReference[], virtual: boolean) {
    this.virtual = virtual;
  }

  /** Dependents whose reference to this node says blockOwnerDeletion (they hold a foreground delete). */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((r) => r.uid === this.identity.uid && r.blockOwnerDeletion === true));
  }

  toString(): string {
    const i = this.identity;
    return `${i.apiVersion}/${i.kind} ${i.namespace ? i.namespace + '/' : ''}${i.name} (${i.uid})`;
  }
}

export class Graph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  add(node: GraphNode): void {
    this.nodes.set(node.identity.uid, node);
  }

  remove(uid: string): void {
    this.nodes.delete(uid);
  }

  size(): number {
    return this.nodes.size;
  }

  /** Links node under each of the given owner refs, creating virtual owners; returns the new virtual ones. */
  linkOwners(node: GraphNode, refs: OwnerReference[]): GraphNode[] {
    const created: GraphNode[] = [];
    for (const ref of refs) {
      let owner = this.nodes.get(ref.uid);
      if (!owner) {
        // A namespaced dependent's owner is looked for in the dependent's namespace; a cluster-scoped
        // dependent's owner must be cluster-scoped (upstream ownerReference semantics).
        owner = new GraphNode({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: node.identity.namespace, name: ref.name, uid: ref.uid }, [], true);
        this.nodes.set(ref.uid, owner);
        created.push(owner);
      }
      owner.dependents.add(node);
    }
    return created;
  }

  /** Removes node from the dependents of each given owner ref. */
  unlinkOwners(node: GraphNode, refs: OwnerReference[]): void {
    for (const ref of refs) this.nodes.get(ref.uid)?.dependents.delete(node);
  }
}
