// The garbage collector: deletes objects whose owners are gone; foreground and orphan deletion.
import type { ControllerDescriptor } from '../types.js';
import { GarbageCollector } from './controller.js';
import { deletableResources } from './monitors.js';

export { GarbageCollector } from './controller.js';
export type { GarbageCollectorConfig } from './controller.js';
export { deletableResources } from './monitors.js';
export type { MonitoredResource } from './monitors.js';
export { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from './graph-builder.js';

/** Upstream "garbage-collector", --concurrent-gc-syncs 20. */
export const garbageCollectorController: ControllerDescriptor = {
  name: 'garbage-collector',
  enabledByDefault: true,
  workers: 20,
  create: (ctx) => new GarbageCollector({
    client: ctx.client,
    monitors: deletableResources().map((resource) => ({ resource, informer: ctx.informers.forResource(resource) })),
    clock: ctx.clock,
    recorder: ctx.recorder('garbage-collector-controller'),
    log: ctx.log.with({ controller: 'garbage-collector' }),
  }),
};
