// The ReplicaSet controller and its descriptor ("replicaset", 5 workers as --concurrent-replicaset-syncs).
import type { ControllerDescriptor } from '../types.js';
import { ReplicaSetController } from './controller.js';
import { replicaSetKind } from './kind.js';

export { ReplicaSetController, POD_CONTROLLER_UID_INDEX, orphanIndexValue } from './controller.js';
export type { ReplicaSetControllerOptions } from './controller.js';
export { replicaSetKind, replicationControllerKind } from './kind.js';
export type { ReplicaSetKind, ReplicaSetLike } from './kind.js';
export { calculateStatus, updateStatus, REPLICA_FAILURE } from './status.js';
export { podsToDelete } from './manage.js';

export const replicaSetDescriptor: ControllerDescriptor = {
  name: 'replicaset',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new ReplicaSetController(ctx, { kind: replicaSetKind }),
};
