// Public surface of the scheduler core: the loop, its cache and queue, the framework and plugins,
// and configuration. API wiring (informers → on* handlers, HandleDeps.bind → pods/binding,
// EventSink → events and pod status) lives with the client library.
export { Scheduler, ERR_NO_NODES_AVAILABLE } from './scheduler.js';
export type { SchedulerOptions, EventSink, SchedulingFailure, ScheduleResult, AttemptOutcome } from './scheduler.js';
export { inTreeRegistry } from './registry.js';
export { Cache, Snapshot } from './cache/index.js';
export { SchedulingQueue } from './queue/index.js';
export * as framework from './framework/index.js';
export { Framework, FitError, Status, CycleState, NodeInfo, PodInfo } from './framework/index.js';
export type { HandleDeps, Handle, Profile, PluginFactory, Registry } from './framework/index.js';
export { parseConfig, defaultAndValidate, setDefaults, ConfigError } from './config/index.js';
export type { KubeSchedulerConfiguration } from './config/index.js';
export type { Pod, Node, PodDisruptionBudget } from './types.js';
export { milliCPU, bytes } from './quantity.js';
