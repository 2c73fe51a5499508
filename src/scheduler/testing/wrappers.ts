// Fixture builders, after upstream's scheduler testing wrappers (st.MakePod().Name("p").Req(...).Obj()).
import type { LabelSelectorObject } from '../../api/selectors/index.js';
import type {
  Container, Node, NodeSelectorRequirement, Pod, PodAffinityTerm, PodDisruptionBudget, ResourceList, Taint, TaintEffect, Toleration,
  TopologySpreadConstraint,
} from '../types.js';

let uidSeq = 0;

export class PodWrapper {
  private p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', namespace: 'default', uid: `uid-${++uidSeq}` }, spec: { containers: [] }, status: {} };

  name(n: string): this { this.p.metadata.name = n; return this; }
  namespace(ns: string): this { this.p.metadata.namespace = ns; return this; }
  uid(u: string): this { this.p.metadata.uid = u; return this; }
  label(k: string, v: string): this { (this.p.metadata.labels ??= {})[k] = v; return this; }
  labels(l: Record<string, string>): this { this.p.metadata.labels = { ...this.p.metadata.labels, ...l }; return this; }
  schedulerName(n: string): this { this.p.spec.schedulerName = n; return this; }
  node(n: string): this { this.p.spec.nodeName = n; return this; }
  nominatedNodeName(n: string): this { this.p.status!.nominatedNodeName = n; return this; }
  priority(v: number): this { this.p.spec.priority = v; return this; }
  preemptionPolicy(v: 'PreemptLowerPriority' | 'Never'): this { this.p.spec.preemptionPolicy = v; return this; }
  startTime(iso: string): this { this.p.status!.startTime = iso; return this; }
  terminating(): this { this.p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z'; return this; }
  schedulingGates(...names: string[]): this { this.p.spec.schedulingGates = names.map((name) => ({ name })); return this; }
  creationTimestamp(iso: string): this { this.p.metadata.creationTimestamp = iso; return this; }

  /** Adds a container with these requests (upstream Req). */
  req(requests: ResourceList): this {
    this.p.spec.containers.push({ name: `c${this.p.spec.containers.length}`, image: 'pause', resources: { requests } });
    return this;
  }
  container(c: Container): this { this.p.spec.containers.push(c); return this; }
  initReq(requests: ResourceList, sidecar = false): this {
    const c: Container = { name: `init${this.p.spec.initContainers?.length ?? 0}`, image: 'pause', resources: { requests } };
    if (sidecar) c.restartPolicy = 'Always';
    (this.p.spec.initContainers ??= []).push(c);
    return this;
  }
  overhead(o: ResourceList): this { this.p.spec.overhead = o; return this; }
  image(...images: string[]): this {
    for (const image of images) this.p.spec.containers.push({ name: `c${this.p.spec.containers.length}`, image });
    return this;
  }
  hostPort(port: number, protocol = 'TCP', hostIP = ''): this {
    const c: Container = { name: `c${this.p.spec.containers.length}`, image: 'pause', ports: [{ containerPort: port, hostPort: port, protocol, hostIP }] };
    this.p.spec.containers.push(c);
    return this;
  }

  nodeSelector(s: Record<string, string>): this { this.p.spec.nodeSelector = s; return this; }
  toleration(t: Toleration): this { (this.p.spec.tolerations ??= []).push(t); return this; }

  /** A required node affinity term (terms OR together; expressions in one term AND). */
  nodeAffinityTerm(...exprs: NodeSelectorRequirement[]): this {
    const na = ((this.p.spec.affinity ??= {}).nodeAffinity ??= {});
    (na.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] }).nodeSelectorTerms.push({ matchExpressions: exprs });
    return this;
  }
  nodeAffinityIn(key: string, values: string[]): this { return this.nodeAffinityTerm({ key, operator: 'In', values }); }
  nodeFieldAffinity(name: string): this {
    const na = ((this.p.spec.affinity ??= {}).nodeAffinity ??= {});
    (na.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] }).nodeSelectorTerms.push({
      matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }],
    });
    return this;
  }
  preferredNodeAffinity(weight: number, ...exprs: NodeSelectorRequirement[]): this {
    const na = ((this.p.spec.affinity ??= {}).nodeAffinity ??= {});
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: { matchExpressions: exprs } });
    return this;
  }

  private term(topologyKey: string, sel: LabelSelectorObject, namespaces?: string[]): PodAffinityTerm {
    const t: PodAffinityTerm = { topologyKey, labelSelector: sel };
    if (namespaces) t.namespaces = namespaces;
    return t;
  }
  podAffinity(topologyKey: string, sel: LabelSelectorObject, namespaces?: string[]): this {
    const pa = ((this.p.spec.affinity ??= {}).podAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(this.term(topologyKey, sel, namespaces));
    return this;
  }
  podAntiAffinity(topologyKey: string, sel: LabelSelectorObject, namespaces?: string[]): this {
    const pa = ((this.p.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(this.term(topologyKey, sel, namespaces));
    return this;
  }
  preferredPodAffinity(weight: number, topologyKey: string, sel: LabelSelectorObject): this {
    const pa = ((this.p.spec.affinity ??= {}).podAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: this.term(topologyKey, sel) });
    return this;
  }
  preferredPodAntiAffinity(weight: number, topologyKey: string, sel: LabelSelectorObject): this {
    const pa = ((this.p.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: this.term(topologyKey, sel) });
    return this;
  }
  spreadConstraint(maxSkew: number, topologyKey: string, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway', sel: LabelSelectorObject, extra: Partial<TopologySpreadConstraint> = {}): this {
    (this.p.spec.topologySpreadConstraints ??= []).push({ maxSkew, topologyKey, whenUnsatisfiable, labelSelector: sel, ...extra });
    return this;
  }

  obj(): Pod {
    return structuredClone(this.p);
  }
}

export class NodeWrapper {
  private n: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: '', labels: {} }, spec: {}, status: { allocatable: {}, capacity: {} } };

  name(n: string): this {
    this.n.metadata.name = n;
    this.n.metadata.labels!['kubernetes.io/hostname'] = n;
    return this;
  }
  label(k: string, v: string): this { this.n.metadata.labels![k] = v; return this; }
  /** Sets capacity and allocatable (upstream Capacity). */
  capacity(r: ResourceList): this {
    this.n.status!.capacity = { ...r };
    this.n.status!.allocatable = { ...r };
    return this;
  }
  taint(key: string, value: string, effect: TaintEffect): this {
    const t: Taint = { key, effect };
    if (value) t.value = value;
    (this.n.spec!.taints ??= []).push(t);
    return this;
  }
  unschedulable(v = true): this { this.n.spec!.unschedulable = v; return this; }
  images(images: Record<string, number>): this {
    this.n.status!.images = Object.entries(images).map(([name, sizeBytes]) => ({ names: [name], sizeBytes }));
    return this;
  }
  obj(): Node {
    return structuredClone(this.n);
  }
}

export function makePod(): PodWrapper { return new PodWrapper(); }
export function makeNode(): NodeWrapper { return new NodeWrapper(); }

export function makePDB(name: string, namespace: string, matchLabels: Record<string, string>, disruptionsAllowed: number): PodDisruptionBudget {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec: { selector: { matchLabels } }, status: { disruptionsAllowed } };
}
