// policy/v1: PodDisruptionBudget (`kubectl create poddisruptionbudget`). Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const policyV1: MessageTable = {
  PodDisruptionBudget:
    '1 metadata:ObjectMeta, 2 spec:PodDisruptionBudgetSpec, 3 status:PodDisruptionBudgetStatus',
  PodDisruptionBudgetSpec:
    '1 minAvailable:IntOrString, 2 selector:LabelSelector, 3 maxUnavailable:IntOrString, ' +
    '4 unhealthyPodEvictionPolicy!',
  PodDisruptionBudgetStatus:
    '1 observedGeneration:i64, 2 disruptedPods:map<Time>, 3 disruptionsAllowed:i32!, ' +
    '4 currentHealthy:i32!, 5 desiredHealthy:i32!, 6 expectedPods:i32!, 7 conditions:Condition[]',
};
