// PrioritySort (upstream queuesort): higher spec.priority first, then the earlier queue timestamp.
import type { Handle, QueueSortPlugin, QueuedPodInfo } from '../../framework/index.js';
import { podPriority } from '../../types.js';

export const name = 'PrioritySort';

export function less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = podPriority(a.pod), pb = podPriority(b.pod);
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

export function create(_args: unknown, _h: Handle): QueueSortPlugin {
  return { name, less };
}
