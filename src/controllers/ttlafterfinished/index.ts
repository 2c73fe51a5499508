// The TTL-after-finished controller's descriptor (kube-controller-manager "ttl-after-finished",
// --concurrent-ttl-after-finished-syncs 5).
import type { ControllerDescriptor } from '../types.js';
import { TTLAfterFinishedController } from './controller.js';

export { TTLAfterFinishedController, needsCleanup, timeLeft } from './controller.js';
export type { TTLAfterFinishedOptions } from './controller.js';

export const ttlAfterFinishedController: ControllerDescriptor = {
  name: 'ttl-after-finished',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new TTLAfterFinishedController({
    client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('ttl-after-finished-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'ttl-after-finished' }),
  }),
};
