// autoscaling/v1: HorizontalPodAutoscaler (`kubectl autoscale`). Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const autoscalingV1: MessageTable = {
  HorizontalPodAutoscaler:
    '1 metadata:ObjectMeta, 2 spec:HorizontalPodAutoscalerSpec, ' +
    '3 status:HorizontalPodAutoscalerStatus',
  HorizontalPodAutoscalerSpec:
    '1 scaleTargetRef:CrossVersionObjectReference, 2 minReplicas:i32!, 3 maxReplicas:i32!, ' +
    '4 targetCPUUtilizationPercentage:i32!',
  CrossVersionObjectReference: '1 kind!, 2 name!, 3 apiVersion',
  HorizontalPodAutoscalerStatus:
    '1 observedGeneration:i64!, 2 lastScaleTime:Time, 3 currentReplicas:i32!, ' +
    '4 desiredReplicas:i32!, 5 currentCPUUtilizationPercentage:i32!',
};
