export * from './clock.js';
export * from './log.js';
export * from './backoff.js';
export * from './errors.js';
export * from './wait.js';
