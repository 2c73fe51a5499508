// References to the resources components use most, so callers write `client.resource(refs.pods)`.
import type { ResourceRef } from './interfaces.js';

const r = (group: string, version: string, resource: string): ResourceRef => Object.freeze({ group, version, resource });

export const refs = Object.freeze({
  pods: r('', 'v1', 'pods'),
  nodes: r('', 'v1', 'nodes'),
  namespaces: r('', 'v1', 'namespaces'),
  services: r('', 'v1', 'services'),
  endpoints: r('', 'v1', 'endpoints'),
  configmaps: r('', 'v1', 'configmaps'),
  secrets: r('', 'v1', 'secrets'),
  serviceaccounts: r('', 'v1', 'serviceaccounts'),
  persistentvolumes: r('', 'v1', 'persistentvolumes'),
  persistentvolumeclaims: r('', 'v1', 'persistentvolumeclaims'),
  replicationcontrollers: r('', 'v1', 'replicationcontrollers'),
  deployments: r('apps', 'v1', 'deployments'),
  replicasets: r('apps', 'v1', 'replicasets'),
  statefulsets: r('apps', 'v1', 'statefulsets'),
  daemonsets: r('apps', 'v1', 'daemonsets'),
  controllerrevisions: r('apps', 'v1', 'controllerrevisions'),
  jobs: r('batch', 'v1', 'jobs'),
  cronjobs: r('batch', 'v1', 'cronjobs'),
  endpointslices: r('discovery.k8s.io', 'v1', 'endpointslices'),
  leases: r('coordination.k8s.io', 'v1', 'leases'),
  events: r('events.k8s.io', 'v1', 'events'),
  poddisruptionbudgets: r('policy', 'v1', 'poddisruptionbudgets'),
  priorityclasses: r('scheduling.k8s.io', 'v1', 'priorityclasses'),
  horizontalpodautoscalers: r('autoscaling', 'v2', 'horizontalpodautoscalers'),
});
