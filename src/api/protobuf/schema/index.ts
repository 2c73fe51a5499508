// The registry of every message Skiff decodes, and which top-level message each
// apiVersion/kind maps to. Adding a kind = its group's table + one line in KINDS.

import { Registry } from '../schema.js';
import type { MessageSpec } from '../schema.js';
import { metaV1 } from './meta.js';
import { coreV1 } from './core.js';
import { podV1 } from './pod.js';
import { podPolicyV1 } from './pod-policy.js';
import { volumesV1 } from './volumes.js';
import { appsV1 } from './apps.js';
import { batchV1 } from './batch.js';
import { rbacV1 } from './rbac.js';
import { networkingV1 } from './networking.js';
import { policyV1 } from './policy.js';
import { schedulingV1 } from './scheduling.js';
import { autoscalingV1 } from './autoscaling.js';
import { autoscalingV2 } from './autoscaling-v2.js';
import { authorizationV1 } from './authorization.js';
import { authenticationV1 } from './authentication.js';

/** All messages, linked. Built once at import; a broken table fails loudly here (and in tests). */
export const registry = new Registry()
  .add(metaV1).add(coreV1).add(podV1).add(podPolicyV1).add(volumesV1)
  .add(appsV1).add(batchV1).add(rbacV1).add(networkingV1).add(policyV1)
  .add(schedulingV1).add(autoscalingV1).add(authorizationV1).add(authenticationV1)
  .add(autoscalingV2, 'autoscaling/v2') // reuses v1's message names
  .link();

/** apiVersion → kinds that may arrive as protobuf bodies (kubectl-wire.md §8.1, plus a few siblings). */
const KINDS: Readonly<Record<string, readonly string[]>> = {
  'v1': ['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Service', 'ResourceQuota', 'Pod'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'DaemonSet'],
  'batch/v1': ['Job', 'CronJob'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'networking.k8s.io/v1': ['Ingress'],
  'policy/v1': ['PodDisruptionBudget'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  // kubectl 1.33 `autoscale` posts v2 when the server serves it, v1 otherwise.
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'authorization.k8s.io/v1': ['SelfSubjectAccessReview'],
  'authentication.k8s.io/v1': ['SelfSubjectReview', 'TokenRequest'],
};

/** The top-level message for apiVersion/kind, or undefined when Skiff has no schema for it. */
export function messageForKind(apiVersion: string, kind: string): MessageSpec | undefined {
  if (!Object.hasOwn(KINDS, apiVersion) || !KINDS[apiVersion]!.includes(kind)) return undefined;
  return registry.get(`${apiVersion}.${kind}`) ?? registry.get(kind);
}

/** Every supported [apiVersion, kind] pair (for tests and error messages). */
export function supportedKinds(): Array<[string, string]> {
  return Object.entries(KINDS).flatMap(([gv, kinds]) => kinds.map((k): [string, string] => [gv, k]));
}
