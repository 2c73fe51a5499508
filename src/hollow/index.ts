export { HollowNodes } from './hollow.js';
export type { HollowNodesOptions, HollowStats } from './hollow.js';
export { EXIT_AFTER_ANNOTATION, EXIT_CODE_ANNOTATION, qosClass } from './pod-status.js';
export { nodeAddress, fakePodCIDR } from './node-object.js';
