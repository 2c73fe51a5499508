// What ties an EndpointSlice to its Service (discovery.k8s.io/v1): the well-known label every
// component that reads slices (endpoint controllers, cluster DNS, the service proxy) keys them by.
import type { KubeObject } from './types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** When the endpoints controller saw the change behind an Endpoints/EndpointSlice (network programming latency). */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

/** "namespace/service" of the Service a slice belongs to, or undefined for an unlabelled slice. */
export function sliceServiceKey(slice: KubeObject): string | undefined {
  const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}
