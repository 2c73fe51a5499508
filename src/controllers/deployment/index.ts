// The Deployment controller and its descriptor ("deployment", 5 workers as --concurrent-deployment-syncs).
import type { ControllerDescriptor } from '../types.js';
import { DeploymentController } from './controller.js';

export { DeploymentController } from './controller.js';
export { computeHash, fnv32a, safeEncodeString, canonicalJson } from './hash.js';
export {
  REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, POD_TEMPLATE_HASH, revisionOf, maxRevision,
} from './annotations.js';
export { resolveFenceposts, maxSurge, maxUnavailable, equalIgnoreHash, scaledValue } from './util.js';
export { AVAILABLE, PROGRESSING, REPLICA_FAILURE, reasons as deploymentConditionReasons } from './conditions.js';

export const deploymentDescriptor: ControllerDescriptor = {
  name: 'deployment',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new DeploymentController(ctx),
};
