// Test helpers for controllers: fixture builders and a fake ControllerContext.
export {
  makePod, makeReplicaSet, makeReplicationController, makeDeployment, fixtureUid, FIXTURE_EPOCH,
  ObjectWrapper, PodWrapper, ReplicaSetWrapper, ReplicationControllerWrapper, DeploymentWrapper,
} from './wrappers.js';
export { FakeRecorder } from './recorder.js';
export type { RecordedEvent } from './recorder.js';
export { fakeControllerEnv, TEST_CONFIG } from './context.js';
export type { FakeControllerEnv } from './context.js';
