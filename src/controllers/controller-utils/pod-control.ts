// Creating and deleting a controller's pods with the Events upstream's RealPodControl records
// (SuccessfulCreate / FailedCreate / SuccessfulDelete / FailedDelete).
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { refs, type Client, type EventRecorder, type ResourceClient } from '../../client/index.js';
import { errors, isReason, StatusError } from '../../util/errors.js';
import { podFromTemplate } from './template.js';
import type { Pod, PodTemplateSpec } from './types.js';

export const EVENT_SUCCESSFUL_CREATE = 'SuccessfulCreate';
export const EVENT_FAILED_CREATE = 'FailedCreate';
export const EVENT_SUCCESSFUL_DELETE = 'SuccessfulDelete';
export const EVENT_FAILED_DELETE = 'FailedDelete';

export class PodControl {
  private readonly pods: ResourceClient<Pod>;

  constructor(client: Client, private readonly recorder: EventRecorder) {
    this.pods = client.resource<Pod>(refs.pods);
  }

  /**
   * Creates one pod from template owned by `owner` (upstream CreatePodsWithControllerRef). A pod
   * without labels is refused (it could never be selected again).
   */
  async createPod(namespace: string, template: PodTemplateSpec | undefined, owner: KubeObject, controllerRef: OwnerReference): Promise<Pod> {
    if (!controllerRef.controller || !controllerRef.blockOwnerDeletion) throw new Error('controllerRef needs controller and blockOwnerDeletion set to true');
    const pod = podFromTemplate(template, owner.metadata.name!, controllerRef);
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) throw errors.invalidField('Pod', 'metadata.labels', {}, 'unable to create pods, no labels');
    try {
      const created = await this.pods.namespace(namespace).create(pod);
      this.recorder.record(owner, 'Normal', EVENT_SUCCESSFUL_CREATE, 'Create', `Created pod: ${created.metadata.name}`);
      return created;
    } catch (err) {
      // Upstream stays quiet when the namespace is terminating: nothing can be created there anyway.
      if (!isNamespaceTerminating(err)) this.recorder.record(owner, 'Warning', EVENT_FAILED_CREATE, 'Create', `Error creating: ${errText(err)}`);
      throw err;
    }
  }

  /** Deletes a pod; NotFound is rethrown without an event (the caller usually ignores it). */
  async deletePod(namespace: string, name: string, owner: KubeObject): Promise<void> {
    try {
      await this.pods.namespace(namespace).delete(name);
    } catch (err) {
      if (isReason(err, 'NotFound')) throw err;
      this.recorder.record(owner, 'Warning', EVENT_FAILED_DELETE, 'Delete', `Error deleting: ${errText(err)}`);
      throw err;
    }
    this.recorder.record(owner, 'Normal', EVENT_SUCCESSFUL_DELETE, 'Delete', `Deleted pod: ${name}`);
  }
}

/** Upstream's check for "unable to create new content in namespace X because it is being terminated". */
export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof StatusError && err.reason === 'Forbidden' && /because it is being terminated/.test(err.message);
}

export function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
