export { expand, mappingFor } from './expand.js';
export { serviceEnv, servicesForPod } from './services.js';
export { fieldValue, resourceValue, type RuntimeFields } from './fieldref.js';
export { makeEnvironment, expandCommand, sourceData, ContainerConfigError, type EnvSources } from './env.js';
