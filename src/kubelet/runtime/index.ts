// The kubelet's container runtime contract (CRI-shaped) and its built-in implementations.
export type * from './types.js';
export { ContainerReason } from './types.js';
export type * from './interface.js';
export { EventHub } from './events.js';
export { CriLogWriter, criTimestamp, formatCriLine, parseCriLine, readCriLog, type CriLogRecord, type LogStream } from './crilog.js';
export { containerLogPath, podLogDirectory, podLogsRoot } from './logpath.js';
export { normalizeRef } from './imageref.js';
export { labelsMatch } from './filters.js';
export { FakeRuntime, type FakeRuntimeOptions, type FakeBehaviour, ANNOTATION_PREFIX as FAKE_ANNOTATION_PREFIX } from './fake/index.js';
export { ProcessRuntime, BridgeNetwork, HostNetwork, detectCapabilities, type ProcessRuntimeOptions, type SandboxNetwork, type ProcessImage } from './process/index.js';
