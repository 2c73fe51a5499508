export { startScheduler } from './run.js';
export type { SchedulerApp, SchedulerAppOptions } from './run.js';
