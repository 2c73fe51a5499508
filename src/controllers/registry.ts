// Every controller the controller manager can run, by upstream name (--controllers selects them).
import type { ControllerDescriptor } from './types.js';
import { cronJobController } from './cronjob/index.js';
import { daemonSetController } from './daemonset/index.js';
import { deploymentDescriptor } from './deployment/index.js';
import { disruptionController } from './disruption/index.js';
import { endpointController } from './endpoint/index.js';
import { endpointSliceController } from './endpointslice/index.js';
import { endpointSliceMirroringController } from './endpointslicemirroring/index.js';
import { garbageCollectorController } from './garbagecollector/index.js';
import { jobController } from './job/index.js';
import { namespaceController } from './namespace/index.js';
import { nodeIpamController } from './nodeipam/index.js';
import { nodeLifecycleController, taintEvictionController } from './nodelifecycle/index.js';
import { podGarbageCollectorController } from './podgc/index.js';
import { replicaSetDescriptor } from './replicaset/index.js';
import { replicationControllerDescriptor } from './replicationcontroller/index.js';
import { resourceQuotaController } from './resourcequota/index.js';
import { rootCACertificatePublisherController } from './rootcacertpublisher/index.js';
import { serviceAccountController } from './serviceaccount/index.js';
import { serviceLBController } from './servicelb/index.js';
import { statefulSetController } from './statefulset/index.js';
import { ttlAfterFinishedController } from './ttlafterfinished/index.js';

export const allControllers: readonly ControllerDescriptor[] = [
  cronJobController,
  daemonSetController,
  deploymentDescriptor,
  disruptionController,
  endpointController,
  endpointSliceController,
  endpointSliceMirroringController,
  garbageCollectorController,
  jobController,
  namespaceController,
  nodeIpamController,
  nodeLifecycleController,
  taintEvictionController,
  podGarbageCollectorController,
  replicaSetDescriptor,
  replicationControllerDescriptor,
  resourceQuotaController,
  rootCACertificatePublisherController,
  serviceAccountController,
  serviceLBController,
  statefulSetController,
  ttlAfterFinishedController,
];
