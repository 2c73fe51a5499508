// What ties an EndpointSlice to its Service (discovery.k8s.io/v1): the well-known label every
// component that reads slices (endpoint controllers, cluster DNS, the service proxy) keys them by.
import type { KubeObject } from './types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** "namespace/service" of the Service a slice belongs to, or undefined for an unlabelled slice. */
export function sliceServiceKey(slice: KubeObject): string | undefined {
  const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}
