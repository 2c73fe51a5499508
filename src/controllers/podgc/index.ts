// The pod garbage collector: orphaned, excess terminated and unscheduled terminating pods.
import { refs } from '../../client/index.js';
import type { ControllerDescriptor } from '../types.js';
import { PodGCController } from './controller.js';

export { PodGCController } from './controller.js';
export type { PodGCConfig } from './controller.js';

/** Upstream "pod-garbage-collector" (a periodic pass, no work queue). */
export const podGarbageCollectorController: ControllerDescriptor = {
  name: 'pod-garbage-collector',
  enabledByDefault: true,
  workers: 1,
  create: (ctx) => new PodGCController({
    client: ctx.client, pods: ctx.informers.forResource(refs.pods), nodes: ctx.informers.forResource(refs.nodes),
    terminatedPodThreshold: ctx.config.terminatedPodGCThreshold, clock: ctx.clock, log: ctx.log.with({ controller: 'pod-garbage-collector' }),
  }),
};
