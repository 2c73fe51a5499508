// The CronJob controller's descriptor (kube-controller-manager "cronjob", --concurrent-cron-job-syncs 5).
import type { ControllerDescriptor } from '../types.js';
import { CronJobController } from './controller.js';

export { CronJobController, jobNameFor, SCHEDULED_TIMESTAMP_ANNOTATION } from './controller.js';
export type { CronJobControllerOptions } from './controller.js';
export { parseSchedule, hasTimeZonePrefix, CronParseError } from './schedule.js';
export type { Schedule } from './schedule.js';
export { nextAfter } from './next.js';
export { loadZone, formatRfc3339In } from './zone.js';
export type { Zone } from './zone.js';

export const cronJobController: ControllerDescriptor = {
  name: 'cronjob',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new CronJobController({
    client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('cronjob-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'cronjob' }),
  }),
};
