// The service load balancer controller's descriptor ("service-lb", as k3s names its ServiceLB).
import type { ControllerDescriptor } from '../types.js';
import { ServiceLBController } from './controller.js';

export { ServiceLBController, nodeAddress, managed } from './controller.js';
export type { ServiceLBOptions } from './controller.js';

export const serviceLBController: ControllerDescriptor = {
  name: 'service-lb',
  enabledByDefault: true,
  workers: 1,
  create: (ctx) => new ServiceLBController({
    client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('service-lb-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'service-lb' }),
  }),
};
