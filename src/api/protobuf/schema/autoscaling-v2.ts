// autoscaling/v2: HorizontalPodAutoscaler with metrics and behavior (`kubectl autoscale` in 1.33
// posts this version when the server serves it). Registered under the scope "autoscaling/v2"
// because v1 uses the same message names. Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const autoscalingV2: MessageTable = {
  HorizontalPodAutoscaler:
    '1 metadata:ObjectMeta, 2 spec:HorizontalPodAutoscalerSpec, 3 status:HorizontalPodAutoscalerStatus',
  HorizontalPodAutoscalerSpec:
    '1 scaleTargetRef:CrossVersionObjectReference, 2 minReplicas:i32!, 3 maxReplicas:i32!, ' +
    '4 metrics:MetricSpec[], 5 behavior:HorizontalPodAutoscalerBehavior',
  CrossVersionObjectReference: '1 kind!, 2 name!, 3 apiVersion',
  MetricSpec:
    '1 type!, 2 object:ObjectMetricSource, 3 pods:PodsMetricSource, 4 resource:ResourceMetricSource, ' +
    '5 external:ExternalMetricSource, 7 containerResource:ContainerResourceMetricSource',
  ObjectMetricSource: '1 describedObject:CrossVersionObjectReference, 2 target:MetricTarget, 3 metric:MetricIdentifier',
  MetricTarget: '1 type!, 2 value:Quantity, 3 averageValue:Quantity, 4 averageUtilization:i32!',
  MetricIdentifier: '1 name!, 2 selector:LabelSelector',
  PodsMetricSource: '1 metric:MetricIdentifier, 2 target:MetricTarget',
  ResourceMetricSource: '1 name!, 2 target:MetricTarget',
  ContainerResourceMetricSource: '1 name!, 2 target:MetricTarget, 3 container!',
  ExternalMetricSource: '1 metric:MetricIdentifier, 2 target:MetricTarget',
  HorizontalPodAutoscalerBehavior: '1 scaleUp:HPAScalingRules, 2 scaleDown:HPAScalingRules',
  HPAScalingRules:
    '1 selectPolicy!, 2 policies:HPAScalingPolicy[], 3 stabilizationWindowSeconds:i32!, 4 tolerance:Quantity',
  HPAScalingPolicy: '1 type!, 2 value:i32!, 3 periodSeconds:i32!',
  HorizontalPodAutoscalerStatus:
    '1 observedGeneration:i64!, 2 lastScaleTime:Time, 3 currentReplicas:i32, 4 desiredReplicas:i32!, ' +
    '5 currentMetrics:MetricStatus[], 6 conditions:HorizontalPodAutoscalerCondition[]',
  MetricStatus:
    '1 type!, 2 object:ObjectMetricStatus, 3 pods:PodsMetricStatus, 4 resource:ResourceMetricStatus, ' +
    '5 external:ExternalMetricStatus, 7 containerResource:ContainerResourceMetricStatus',
  ObjectMetricStatus: '1 metric:MetricIdentifier, 2 current:MetricValueStatus, 3 describedObject:CrossVersionObjectReference',
  MetricValueStatus: '1 value:Quantity, 2 averageValue:Quantity, 3 averageUtilization:i32!',
  PodsMetricStatus: '1 metric:MetricIdentifier, 2 current:MetricValueStatus',
  ResourceMetricStatus: '1 name!, 2 current:MetricValueStatus',
  ContainerResourceMetricStatus: '1 name!, 2 current:MetricValueStatus, 3 container!',
  ExternalMetricStatus: '1 metric:MetricIdentifier, 2 current:MetricValueStatus',
  HorizontalPodAutoscalerCondition: '1 type!, 2 status!, 3 lastTransitionTime:Time, 4 reason, 5 message',
};
