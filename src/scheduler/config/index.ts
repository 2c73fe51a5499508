// Public surface of scheduler configuration (kubescheduler.config.k8s.io/v1).
export { parseConfig, defaultAndValidate, ConfigError } from './parse.js';
export { setDefaults, defaultPlugins, defaultPluginArgs, mergePlugins, mergePluginSet } from './defaults.js';
export { validate } from './validate.js';
export type { KubeSchedulerConfiguration, LeaderElectionConfiguration, ClientConnectionConfiguration } from './types.js';
export { API_VERSION, KIND, DEFAULT_SCHEDULER_NAME } from './types.js';
