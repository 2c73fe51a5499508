// A pod from a controller's pod template (upstream controller_utils.go GetPodFromTemplate).
import type { OwnerReference } from '../../api/types.js';
import type { Pod, PodTemplateSpec } from './types.js';

/** "<owner>-": the generateName prefix of a controller's pods (upstream getPodsPrefix). */
export function podsPrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  // generateName must leave room for the random suffix within a DNS subdomain name.
  return prefix.length <= 253 - 5 ? prefix : ownerName;
}

/**
 * A new pod from template: the template's labels, annotations and finalizers, generateName
 * `<owner>-`, the controller reference, and a copy of the template's spec.
 */
export function podFromTemplate(template: PodTemplateSpec | undefined, ownerName: string, controllerRef?: OwnerReference): Pod {
  const meta = template?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { generateName: podsPrefix(ownerName) },
    spec: structuredClone(template?.spec ?? { containers: [] }),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  if (controllerRef) pod.metadata.ownerReferences = [{ ...controllerRef }];
  return pod;
}
