// The job controller's descriptor (kube-controller-manager "job", --concurrent-job-syncs 5).
import type { ControllerDescriptor } from '../types.js';
import { JobController } from './controller.js';

export { JobController } from './controller.js';
export type { JobControllerOptions } from './controller.js';
export { isJobFinished, finishedAt, rfc3339 } from './conditions.js';
export { TRACKING_FINALIZER, COMPLETION_INDEX_ANNOTATION } from './pods.js';

export const jobController: ControllerDescriptor = {
  name: 'job',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new JobController({
    client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('job-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'job' }),
  }),
};
