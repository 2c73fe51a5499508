// The EndpointSlice controller, its reconciler and slice shapes (shared with the mirroring controller).
import { refs } from '../../client/index.js';
import type { Pod, Service } from '../endpoint/index.js';
import type { ControllerDescriptor } from '../types.js';
import { EndpointSliceController } from './controller.js';
import type { EndpointSlice } from './types.js';

export { EndpointSliceController, SLICE_SERVICE_INDEX } from './controller.js';
export type { EndpointSliceControllerConfig } from './controller.js';
export { reconcileSlices, portKey } from './reconciler.js';
export type { DesiredGroup, SliceChanges, ReconcileInput } from './reconciler.js';
export { podToEndpoint, desiredGroups } from './desired.js';
export * from './types.js';

/** Upstream "endpointslice", --concurrent-service-endpoint-syncs 5. */
export const endpointSliceController: ControllerDescriptor = {
  name: 'endpointslice',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new EndpointSliceController({
    client: ctx.client,
    services: ctx.informers.forResource<Service>(refs.services),
    pods: ctx.informers.forResource<Pod>(refs.pods),
    slices: ctx.informers.forResource<EndpointSlice>(refs.endpointslices),
    nodes: ctx.informers.forResource(refs.nodes),
    clock: ctx.clock,
    log: ctx.log.with({ controller: 'endpointslice' }),
  }),
};
