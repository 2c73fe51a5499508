// Shared fixtures for the Deployment controller tests.
import type { KubeObject } from '../../api/types.js';
import type { Deployment, ReplicaSet } from '../controller-utils/index.js';
import { fakeControllerEnv, makeReplicaSet, type FakeControllerEnv } from '../testing/index.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, POD_TEMPLATE_HASH, REVISION } from './annotations.js';
import { DeploymentController } from './controller.js';
import { computeHash } from './hash.js';

/** A ReplicaSet of d as the controller would have made it, with a settled status. */
export function rsFor(d: Deployment, o: { replicas: number; available?: number; revision: number; createdOffsetMs?: number; desired?: number; max?: number; name?: string }): ReplicaSet {
  const hash = computeHash(d.spec!.template);
  const template = structuredClone(d.spec!.template);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash } };
  const available = o.available ?? o.replicas;
  const rs = makeReplicaSet().name(o.name ?? `${d.metadata.name}-${hash}`).replicas(o.replicas).owner(d)
    .labels(template.metadata.labels!).created(o.createdOffsetMs ?? 0)
    .annotation(REVISION, String(o.revision))
    .annotation(DESIRED_REPLICAS, String(o.desired ?? d.spec!.replicas))
    .annotation(MAX_REPLICAS, String(o.max ?? d.spec!.replicas! + 1))
    .status({ replicas: o.replicas, readyReplicas: available, availableReplicas: available, fullyLabeledReplicas: o.replicas, observedGeneration: 1 })
    .obj();
  rs.spec!.selector = { matchLabels: { ...d.spec!.selector.matchLabels, [POD_TEMPLATE_HASH]: hash } };
  rs.spec!.template = template;
  rs.spec!.minReadySeconds = d.spec!.minReadySeconds ?? 0;
  return rs;
}

export function setupDeployment(objects: KubeObject[]): { env: FakeControllerEnv; c: DeploymentController } {
  const env = fakeControllerEnv(objects);
  const c = new DeploymentController(env.ctx);
  env.fillCaches();
  return { env, c };
}
