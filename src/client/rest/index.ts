export { RestClient, clientFromKubeconfig } from './client.js';
export { configFromKubeconfig, configFromLoaded, DEFAULT_BURST, DEFAULT_QPS } from './config.js';
export type { RestConfig } from './config.js';
export { errorFromResponse, errorFromStatus, reasonForCode } from './errors.js';
export { WatchStream } from './watchstream.js';
