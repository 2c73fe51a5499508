// The parts of core/v1 Service and discovery.k8s.io/v1 EndpointSlice that cluster DNS reads.
import type { KubeObject } from '../api/types.js';

export interface ServicePort { name?: string; protocol?: string; port: number; targetPort?: number | string }

export interface Service extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalName?: string;
    ports?: ServicePort[] | null;
    publishNotReadyAddresses?: boolean;
    selector?: Record<string, string>;
  };
}

export interface SliceEndpoint {
  addresses: string[];
  conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
  hostname?: string;
}

export interface EndpointSlice extends KubeObject {
  addressType: string;
  endpoints?: SliceEndpoint[] | null;
  ports?: { name?: string | null; port?: number | null; protocol?: string | null }[] | null;
}

export { SERVICE_NAME_LABEL } from '../api/endpointslice.js';
