// The ReplicationController manager: the ReplicaSet controller over core/v1 ReplicationControllers,
// as upstream (pkg/controller/replication). Descriptor "replicationcontroller", 5 workers
// (--concurrent-rc-syncs).
import { ReplicaSetController, replicationControllerKind } from '../replicaset/index.js';
import type { ControllerDescriptor } from '../types.js';

export const replicationControllerDescriptor: ControllerDescriptor = {
  name: 'replicationcontroller',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new ReplicaSetController(ctx, { kind: replicationControllerKind }),
};
