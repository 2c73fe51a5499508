export { FakeRuntime, type FakeRuntimeOptions } from './runtime.js';
export { ANNOTATION_PREFIX, behaviourFromAnnotations, type BehaviourFn, type ExecOutput, type FakeBehaviour } from './behaviour.js';
