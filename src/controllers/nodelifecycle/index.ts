// The node lifecycle controller (node health, Unknown conditions, NoExecute/NoSchedule taints) and,
// beside it, the taint eviction controller that acts on the NoExecute taints.
import { refs } from '../../client/index.js';
import type { ControllerDescriptor } from '../types.js';
import { NodeLifecycleController } from './controller.js';

export { NodeLifecycleController, LEASE_NAMESPACE, zoneStates, zoneOf } from './controller.js';
export type { NodeLifecycleConfig, ZoneState, ZoneStateName } from './controller.js';
export * from './taints.js';
export { TaintEvictionController, taintEvictionController } from './tainteviction/index.js';
export type { TaintEvictionConfig } from './tainteviction/index.js';

/** Upstream "node-lifecycle". */
export const nodeLifecycleController: ControllerDescriptor = {
  name: 'node-lifecycle',
  enabledByDefault: true,
  workers: 1,
  create: (ctx) => new NodeLifecycleController({
    client: ctx.client, nodes: ctx.informers.forResource(refs.nodes), pods: ctx.informers.forResource(refs.pods),
    // Leases of every namespace are watched; only kube-node-lease's are read.
    leases: ctx.informers.forResource(refs.leases),
    gracePeriodMs: ctx.config.nodeMonitorGracePeriodMs,
    recorder: ctx.recorder('node-lifecycle-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'node-lifecycle' }),
  }),
};

