// The disruption controller's descriptor (kube-controller-manager "disruption", one worker as upstream).
import type { ControllerDescriptor } from '../types.js';
import { DisruptionController } from './controller.js';

export { DisruptionController, DELETION_TIMEOUT_MS, scaledUp } from './controller.js';
export type { DisruptionControllerOptions } from './controller.js';

export const disruptionController: ControllerDescriptor = {
  name: 'disruption',
  enabledByDefault: true,
  workers: 1,
  create: (ctx) => new DisruptionController({
    client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('disruption-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'disruption' }),
  }),
};
