// kube-proxy's iptables mode (networking brief §2): the public surface.
export type { IptablesProxier, IptablesProxierOptions } from './proxier.js';
export { createIptablesProxier } from './proxier.js';
export type { RenderInput, RenderResult, ServiceRecord } from './render.js';
export { renderRules, LARGE_CLUSTER_THRESHOLD } from './render.js';
export { chainHash, ChainNamer, isServiceChainName } from './hash.js';
export type { CommandResult, CommandRunner } from './exec.js';
export { netnsRunner, runCommand } from './exec.js';
export { cleanupLeftovers } from './cleanup.js';
export type { BackendChoice, IptablesBackend } from './backend.js';
export { parseBackendChoice, resolveBackend } from './backend.js';
