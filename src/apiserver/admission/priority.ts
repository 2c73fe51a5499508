// The Priority admission plugin (plugin/pkg/admission/priority): on pod create, resolve
// spec.priorityClassName to spec.priority and spec.preemptionPolicy from the PriorityClass, or
// use the cluster's globalDefault class (else priority 0). A client may not pick its own number.
import { StatusError } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';

type Obj = Record<string, any>;

export interface PriorityClassLookup {
  get(name: string): Promise<KubeObject | undefined>;
  list(): KubeObject[];
}

const forbidden = (pod: KubeObject, message: string) =>
  new StatusError(403, 'Forbidden', `pods "${pod.metadata.name ?? pod.metadata.generateName ?? ''}" is forbidden: ${message}`, { name: pod.metadata.name ?? '', kind: 'pods' });

/** Mutates a pod being created as the Priority admission plugin does; throws 403 Forbidden. */
export async function admitPodPriority(pod: KubeObject, classes: PriorityClassLookup): Promise<void> {
  const spec = (pod.spec ?? {}) as Obj;
  let name = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  let value = 0;
  let policy: string | undefined;
  if (name) {
    const pc = await classes.get(name);
    if (!pc) throw forbidden(pod, `no PriorityClass with name ${name} was found`);
    value = Number((pc as Obj).value ?? 0);
    policy = (pc as Obj).preemptionPolicy;
  } else {
    // The newest globalDefault class wins if several claim it (as upstream's getDefaultPriorityClass).
    const defaults = classes.list().filter((c) => (c as Obj).globalDefault === true)
      .sort((a, b) => Number((b as Obj).value ?? 0) - Number((a as Obj).value ?? 0));
    const d = defaults[0];
    if (d) {
      name = d.metadata.name!;
      value = Number((d as Obj).value ?? 0);
      policy = (d as Obj).preemptionPolicy;
      spec.priorityClassName = name;
    }
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
    throw forbidden(pod, `the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
  }
  spec.priority = value;
  if (policy) {
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== policy) {
      throw forbidden(pod, `the string value of PreemptionPolicy (${String(spec.preemptionPolicy)}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
    }
    spec.preemptionPolicy = policy;
  }
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  pod.spec = spec;
}
