// Test helpers: fixture builders and a plugin harness.
export { makePod, makeNode, makePDB, PodWrapper, NodeWrapper } from './wrappers.js';
export { PluginHarness } from './harness.js';
export type { HarnessOptions } from './harness.js';
