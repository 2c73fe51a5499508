// The parts of core/v1 Service and discovery.k8s.io/v1 EndpointSlice the proxy reads.
import type { KubeObject } from '../api/types.js';

export interface ServiceObject extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    ports?: { name?: string; protocol?: string; port: number; nodePort?: number }[] | null;
    externalIPs?: string[] | null;
    loadBalancerSourceRanges?: string[] | null;
    sessionAffinity?: string;
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
    externalTrafficPolicy?: string;
    internalTrafficPolicy?: string;
    healthCheckNodePort?: number;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] | null } };
}

export interface EndpointSliceObject extends KubeObject {
  addressType: string;
  endpoints?: {
    addresses: string[];
    conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
    nodeName?: string | null;
    zone?: string | null;
  }[] | null;
  ports?: { name?: string | null; port?: number | null; protocol?: string | null }[] | null;
}

