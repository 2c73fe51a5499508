// Images on the node: pull credentials from imagePullSecrets (keyring, secrets, pull) and image
// garbage collection.
export { DockerKeyring, entryToAuth, locMatches, repositoryOf, type DockerConfig, type DockerConfigEntry } from './keyring.js';
export { keyringFromSecrets, podPullSecrets, SECRET_TYPE_DOCKER_CONFIG_JSON, SECRET_TYPE_DOCKERCFG } from './secrets.js';
export { pullWithKeyring } from './pull.js';
export {
  ImageGCManager, ImageFsNotLocalError, DEFAULT_IMAGE_GC_POLICY, IMAGE_GC_PERIOD_MS, IMAGE_GC_FIRST_RUN_MS, validateImageGCPolicy,
  type ImageGCPolicy, type ImageGCOptions, type ImageGCRuntime, type FsCapacity,
} from './gc.js';
