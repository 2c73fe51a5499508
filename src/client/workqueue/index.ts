export { Queue } from './queue.js';
export { DelayingQueue } from './delaying.js';
export { RateLimitingQueue } from './ratelimiting.js';
export type { RateLimitingQueueOptions } from './ratelimiting.js';
export {
  ItemExponentialRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter,
} from './ratelimiter.js';
export type { ItemRateLimiter } from './ratelimiter.js';
export { runWorkers } from './workers.js';
export type { RunWorkersOptions } from './workers.js';
