// Userspace proxy mode: sockets on ClusterIP/NodePort addresses, round robin with ClientIP affinity.
export { createUserspaceProxier } from './proxier.js';
export type { UserspaceProxierOptions, UserspaceProxier } from './proxier.js';
