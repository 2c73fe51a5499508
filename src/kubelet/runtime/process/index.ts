export { ProcessRuntime, type ProcessRuntimeOptions } from './runtime.js';
export { BridgeNetwork, HostNetwork, type BridgeNetworkOptions, type SandboxNetwork, type SandboxNetworkResult } from './network.js';
export { ProcessImages, WELL_KNOWN_IMAGES, type ProcessImage } from './images.js';
export { detectCapabilities, type Capabilities } from './capabilities.js';
