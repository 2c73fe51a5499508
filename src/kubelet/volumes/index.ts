export { writeAtomic, validatePayloadPath, type Payload } from './atomic-writer.js';
export { payloadFor, MountError, type VolumeSources } from './sources.js';
export { VolumeManager, containerMounts, checkHostPath, podDir } from './manager.js';
