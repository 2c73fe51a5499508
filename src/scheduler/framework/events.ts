// Cluster events that may make an unschedulable pod schedulable (upstream framework.ClusterEvent,
// reduced to one name per resource and action). Plugins list the events that can resolve their
// rejections; the queue moves a pod back only for events one of its rejecting plugins registered.

export type ClusterEvent =
  | 'NodeAdd' | 'NodeUpdate' | 'NodeDelete'
  | 'AssignedPodAdd' | 'AssignedPodUpdate' | 'AssignedPodDelete'
  | 'UnscheduledPodUpdate'
  | 'PodDisruptionBudgetChange' | 'NamespaceChange'
  /** Moves every unschedulable pod (upstream WildCardEvent / UnschedulableTimeout / ForceActivate). */
  | 'WildCard' | 'UnschedulableTimeout' | 'ForceActivate';

export const NODE_EVENTS: readonly ClusterEvent[] = ['NodeAdd', 'NodeUpdate'];
