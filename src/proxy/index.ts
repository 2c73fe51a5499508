// kube-proxy: Services' virtual IPs on this node. startProxy wires informers → ChangeTracker →
// BoundedFrequencyRunner → a Proxier (userspace/ or iptables/, chosen by createProxier).
export * from './types.js';
export * from './categorize.js';
export { startProxy, type ProxyOptions, type RunningProxy, type SyncInfo } from './proxy.js';
export { ChangeTracker } from './tracker.js';
export { BoundedFrequencyRunner } from './runner.js';
export { servicePortsOf } from './serviceports.js';
export { endpointsOfService } from './endpoints.js';
