// The DaemonSet controller's descriptor (kube-controller-manager "daemonset", --concurrent-daemonset-syncs 2).
import type { ControllerDescriptor } from '../types.js';
import { DaemonSetController } from './controller.js';

export { DaemonSetController, TEMPLATE_GENERATION_LABEL } from './controller.js';
export type { DaemonSetControllerOptions } from './controller.js';
export { nodeShouldRunDaemonPod, daemonPodTolerations, matchesNodeAffinity, pinToNode, targetNodeOf } from './predicates.js';

export const daemonSetController: ControllerDescriptor = {
  name: 'daemonset',
  enabledByDefault: true,
  workers: 2,
  create: (ctx) => new DaemonSetController({
    client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('daemonset-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'daemonset' }),
  }),
};
