// The endpoints controller and the pod/service helpers the EndpointSlice controllers share.
import { refs } from '../../client/index.js';
import type { ControllerDescriptor } from '../types.js';
import { EndpointController, type EndpointsObject } from './controller.js';
import type { Pod, Service } from './pods.js';

export { EndpointController, OVER_CAPACITY_ANNOTATION } from './controller.js';
export type { EndpointControllerConfig, EndpointsObject } from './controller.js';
export * from './pods.js';
export { buildSubsets, resolvePorts, addressOf, truncateSubsets, MAX_ENDPOINTS_CAPACITY } from './subsets.js';
export type { EndpointAddress, EndpointPort, EndpointSubset } from './subsets.js';

/** Upstream "endpoint", --concurrent-endpoint-syncs 5. */
export const endpointController: ControllerDescriptor = {
  name: 'endpoint',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new EndpointController({
    client: ctx.client,
    services: ctx.informers.forResource<Service>(refs.services),
    pods: ctx.informers.forResource<Pod>(refs.pods),
    endpoints: ctx.informers.forResource<EndpointsObject>(refs.endpoints),
    clock: ctx.clock,
    log: ctx.log.with({ controller: 'endpoint' }),
  }),
};
