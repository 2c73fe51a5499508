// StatefulSet pod identity and storage (upstream pkg/controller/statefulset/stateful_set_utils.go):
// pods named "<set>-<ordinal>" with stable labels, hostname and subdomain, and one PVC per
// volumeClaimTemplate named "<template>-<set>-<ordinal>".
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { Pod } from '../controller-utils/index.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/index.js';

type Obj = Record<string, any>;
export type StatefulSet = KubeObject & { spec: Obj; status?: Obj };

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const SET_KIND = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

/** The ordinal in "<set>-<ordinal>", or -1 when the name is not of that form. */
export function ordinalOf(p: Pod, setName?: string): number {
  const m = /^(.*)-(\d+)$/.exec(p.metadata.name ?? '');
  if (!m || (setName !== undefined && m[1] !== setName)) return -1;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? n : -1;
}

export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

export function podRevision(p: Pod): string {
  return p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

export function isCreated(p: Pod): boolean {
  return !!p.status?.phase;
}

export function isTerminating(p: Pod): boolean {
  return !!p.metadata.deletionTimestamp;
}

export function isRunningAndReady(p: Pod): boolean {
  return p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isHealthy(p: Pod): boolean {
  return isRunningAndReady(p) && !isTerminating(p);
}

export function claimName(template: Obj, set: StatefulSet, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;
}

/** The PVCs pod ordinal needs, labelled with the set's selector labels. */
export function claimsFor(set: StatefulSet, ordinal: number): KubeObject[] {
  const sel: Record<string, string> = set.spec.selector?.matchLabels ?? {};
  const policy = set.spec.persistentVolumeClaimRetentionPolicy ?? {};
  return (set.spec.volumeClaimTemplates ?? []).map((t: Obj) => {
    const c = structuredClone(t) as Obj;
    const owners: OwnerReference[] = [];
    // whenDeleted: Delete makes the set own its claims so the garbage collector removes them with it.
    if (policy.whenDeleted === 'Delete') owners.push({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, blockOwnerDeletion: true });
    return {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: {
        ...(c.metadata ?? {}), name: claimName(t, set, ordinal), namespace: set.metadata.namespace,
        labels: { ...(c.metadata?.labels ?? {}), ...sel },
        ...(owners.length ? { ownerReferences: owners } : {}),
      },
      spec: c.spec ?? {},
    };
  });
}

/** Sets the stable identity: name labels, hostname, subdomain (upstream updateIdentity). */
export function applyIdentity(set: StatefulSet, pod: Pod, ordinal: number): void {
  const name = `${set.metadata.name}-${ordinal}`;
  pod.metadata.name = name;
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) };
  pod.spec ??= { containers: [] };
  pod.spec.hostname = name;
  if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
  else delete pod.spec.subdomain;
}

/** Points the template's claim volumes at this ordinal's PVCs (upstream updateStorage). */
export function applyStorage(set: StatefulSet, pod: Pod, ordinal: number): void {
  const templates: Obj[] = set.spec.volumeClaimTemplates ?? [];
  if (!templates.length) return;
  pod.spec ??= { containers: [] };
  const names = new Set(templates.map((t) => t.metadata?.name));
  const kept = (pod.spec.volumes ?? []).filter((v) => !names.has(v.name));
  pod.spec.volumes = [...templates.map((t) => ({ name: t.metadata?.name, persistentVolumeClaim: { claimName: claimName(t, set, ordinal) } })), ...kept];
}

export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const ord = ordinalOf(pod, set.metadata.name);
  return ord >= 0 && pod.metadata.namespace === set.metadata.namespace
    && pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name
    && pod.metadata.labels?.[POD_INDEX_LABEL] === String(ord)
    && pod.spec?.hostname === pod.metadata.name
    && (pod.spec?.subdomain ?? '') === (set.spec.serviceName ?? '');
}

export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ord = ordinalOf(pod, set.metadata.name);
  const vols = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec.volumeClaimTemplates ?? []).every((t: Obj) => vols.get(t.metadata?.name)?.persistentVolumeClaim?.claimName === claimName(t, set, ord));
}

/** A new pod for ordinal from template, owned by set, labelled with revision. */
export function newStatefulPod(set: StatefulSet, template: Obj, revision: string, ordinal: number): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      labels: { ...(meta.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: revision },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
  applyIdentity(set, pod, ordinal);
  applyStorage(set, pod, ordinal);
  return pod;
}
