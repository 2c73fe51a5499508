// The kubelet: node agent and pod lifecycle over the runtime interface (runtime/).
export { startKubelet, type Kubelet, type KubeletOptions } from './kubelet.js';
export type { PodLookup, PodLookupPod, PodLookupContainer } from './lookup.js';
export { computePodActions, shouldContainerBeRestarted, findNextInitContainer, type PodActions } from './podactions.js';
export { generatePodStatus, getPhase } from './status/generate.js';
export { StatusManager } from './status/manager.js';
export { ProbeManager, type ProbeKind } from './prober/manager.js';
export { runProbe } from './prober/probe.js';
export { CrashBackoff, goDuration } from './backoff.js';
export { admitPod, podRequests } from './admit.js';
export { KUBELET_VERSION } from './node/agent.js';
export { hostFacts, allocatable, firstIPv4, type HostFacts } from './node/host.js';
export * from './envvars/index.js';
export * from './volumes/index.js';
export { LABEL, type RuntimePod } from './types.js';
