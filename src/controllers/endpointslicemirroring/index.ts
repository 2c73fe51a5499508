// Mirrors custom Endpoints of selector-less services into EndpointSlices.
import { refs } from '../../client/index.js';
import type { EndpointsObject, Service } from '../endpoint/index.js';
import type { EndpointSlice } from '../endpointslice/index.js';
import type { ControllerDescriptor } from '../types.js';
import { EndpointSliceMirroringController } from './controller.js';

export { EndpointSliceMirroringController, MIRRORING_CONTROLLER_NAME, SKIP_MIRROR_LABEL } from './controller.js';
export type { EndpointSliceMirroringConfig } from './controller.js';

/** Upstream "endpointslice-mirroring", --mirroring-concurrent-service-endpoint-syncs 5. */
export const endpointSliceMirroringController: ControllerDescriptor = {
  name: 'endpointslice-mirroring',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new EndpointSliceMirroringController({
    client: ctx.client,
    endpoints: ctx.informers.forResource<EndpointsObject>(refs.endpoints),
    services: ctx.informers.forResource<Service>(refs.services),
    slices: ctx.informers.forResource<EndpointSlice>(refs.endpointslices),
    clock: ctx.clock,
    log: ctx.log.with({ controller: 'endpointslice-mirroring' }),
  }),
};
