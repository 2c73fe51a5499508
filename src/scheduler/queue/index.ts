// Public surface of the scheduling queue.
export { SchedulingQueue } from './scheduling-queue.js';
export type { QueueOptions } from './scheduling-queue.js';
export { Nominator } from './nominator.js';
export { Heap } from './heap.js';
