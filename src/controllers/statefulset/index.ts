// The StatefulSet controller's descriptor (kube-controller-manager "statefulset", --concurrent-statefulset-syncs 5).
import type { ControllerDescriptor } from '../types.js';
import { StatefulSetController } from './controller.js';

export { StatefulSetController } from './controller.js';
export type { StatefulSetControllerOptions } from './controller.js';
export { POD_NAME_LABEL, POD_INDEX_LABEL, claimName, ordinalOf } from './pods.js';

export const statefulSetController: ControllerDescriptor = {
  name: 'statefulset',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new StatefulSetController({
    client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('statefulset-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'statefulset' }),
  }),
};
