export { TokenBucket, unlimited } from './tokenbucket.js';
export type { RateLimiter } from './tokenbucket.js';
