export * from './types.js';
export * from './categorize.js';
