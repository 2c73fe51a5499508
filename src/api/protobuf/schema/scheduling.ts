// scheduling.k8s.io/v1: PriorityClass (`kubectl create priorityclass`). Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const schedulingV1: MessageTable = {
  PriorityClass:
    '1 metadata:ObjectMeta, 2 value:i32!, 3 globalDefault:bool, 4 description, 5 preemptionPolicy!',
};
