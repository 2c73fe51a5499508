// The kubelet's HTTPS API (10250): logs, exec/attach/port-forward streaming, pods, stats summary.
export { startKubeletServer } from './server.js';
export type { KubeletServer, KubeletServerOptions, KubeletPods, KubeletPod, KubeletContainer, KubeObject } from './types.js';
export { parseLogOptions, streamLog, type LogOptions } from './logs.js';
