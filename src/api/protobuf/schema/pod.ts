// core/v1 pods: Pod, PodTemplateSpec (sent whole by `kubectl create deployment|job|cronjob`), PodSpec
// and the container tree (env, ports, resources, probes, lifecycle). Security contexts, affinity and
// the other scheduling knobs are in pod-policy.ts; volumes in volumes.ts. Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const podV1: MessageTable = {
  Pod: '1 metadata:ObjectMeta, 2 spec:PodSpec, 3 status:PodStatus',
  // Status is written by the kubelet, never taken from a create body (the registry resets it), so its
  // fields are skipped; the empty table still yields `status: {}` as JSON would show.
  PodStatus: '',
  PodTemplateSpec: '1 metadata:ObjectMeta, 2 spec:PodSpec',
  // 42+ are alpha fields of unreleased versions: skipped as unknown until they settle.
  PodSpec:
    '1 volumes:Volume[], 2 containers:Container[], 3 restartPolicy, ' +
    '4 terminationGracePeriodSeconds:i64!, 5 activeDeadlineSeconds:i64!, 6 dnsPolicy, ' +
    '7 nodeSelector:map, 8 serviceAccountName, 9 serviceAccount, 10 nodeName, 11 hostNetwork:bool, ' +
    '12 hostPID:bool, 13 hostIPC:bool, 14 securityContext:PodSecurityContext, ' +
    '15 imagePullSecrets:LocalObjectReference[], 16 hostname, 17 subdomain, 18 affinity:Affinity, ' +
    '19 schedulerName, 20 initContainers:Container[], 21 automountServiceAccountToken:bool!, ' +
    '22 tolerations:Toleration[], 23 hostAliases:HostAlias[], 24 priorityClassName, ' +
    '25 priority:i32!, 26 dnsConfig:PodDNSConfig, 27 shareProcessNamespace:bool!, ' +
    '28 readinessGates:PodReadinessGate[], 29 runtimeClassName!, 30 enableServiceLinks:bool!, ' +
    '31 preemptionPolicy!, 32 overhead:map<Quantity>, ' +
    '33 topologySpreadConstraints:TopologySpreadConstraint[], ' +
    '34 ephemeralContainers:EphemeralContainer[], 35 setHostnameAsFQDN:bool!, 36 os:PodOS, ' +
    '37 hostUsers:bool!, 38 schedulingGates:PodSchedulingGate[], ' +
    '39 resourceClaims:PodResourceClaim[], 40 resources:ResourceRequirements, 41 hostnameOverride!',
  Container:
    '1 name!, 2 image, 3 command:str[], 4 args:str[], 5 workingDir, 6 ports:ContainerPort[], ' +
    '7 env:EnvVar[], 8 resources:ResourceRequirements, 9 volumeMounts:VolumeMount[], ' +
    '10 livenessProbe:Probe, 11 readinessProbe:Probe, 12 lifecycle:Lifecycle, ' +
    '13 terminationMessagePath, 14 imagePullPolicy, 15 securityContext:SecurityContext, ' +
    '16 stdin:bool, 17 stdinOnce:bool, 18 tty:bool, 19 envFrom:EnvFromSource[], ' +
    '20 terminationMessagePolicy, 21 volumeDevices:VolumeDevice[], 22 startupProbe:Probe, ' +
    '23 resizePolicy:ContainerResizePolicy[], 24 restartPolicy!, ' +
    '25 restartPolicyRules:ContainerRestartRule[]',
  EphemeralContainer: '1 ...:EphemeralContainerCommon, 2 targetContainerName',
  // Same fields and numbers as Container (upstream keeps the two in lockstep).
  EphemeralContainerCommon:
    '1 name!, 2 image, 3 command:str[], 4 args:str[], 5 workingDir, 6 ports:ContainerPort[], ' +
    '7 env:EnvVar[], 8 resources:ResourceRequirements, 9 volumeMounts:VolumeMount[], ' +
    '10 livenessProbe:Probe, 11 readinessProbe:Probe, 12 lifecycle:Lifecycle, ' +
    '13 terminationMessagePath, 14 imagePullPolicy, 15 securityContext:SecurityContext, ' +
    '16 stdin:bool, 17 stdinOnce:bool, 18 tty:bool, 19 envFrom:EnvFromSource[], ' +
    '20 terminationMessagePolicy, 21 volumeDevices:VolumeDevice[], 22 startupProbe:Probe, ' +
    '23 resizePolicy:ContainerResizePolicy[], 24 restartPolicy!, ' +
    '25 restartPolicyRules:ContainerRestartRule[]',
  ContainerPort: '1 name, 2 hostPort:i32, 3 containerPort:i32!, 4 protocol, 5 hostIP',
  EnvVar: '1 name!, 2 value, 3 valueFrom:EnvVarSource',
  EnvVarSource:
    '1 fieldRef:ObjectFieldSelector, 2 resourceFieldRef:ResourceFieldSelector, ' +
    '3 configMapKeyRef:ConfigMapKeySelector, 4 secretKeyRef:SecretKeySelector, ' +
    '5 fileKeyRef:FileKeySelector',
  ObjectFieldSelector: '1 apiVersion, 2 fieldPath!',
  ResourceFieldSelector: '1 containerName, 2 resource!, 3 divisor:Quantity',
  ConfigMapKeySelector: '1 ...:LocalObjectReference, 2 key!, 3 optional:bool!',
  SecretKeySelector: '1 ...:LocalObjectReference, 2 key!, 3 optional:bool!',
  FileKeySelector: '1 volumeName!, 2 path!, 3 key!, 4 optional:bool!',
  EnvFromSource: '1 prefix, 2 configMapRef:ConfigMapEnvSource, 3 secretRef:SecretEnvSource',
  ConfigMapEnvSource: '1 ...:LocalObjectReference, 2 optional:bool!',
  SecretEnvSource: '1 ...:LocalObjectReference, 2 optional:bool!',
  ResourceRequirements: '1 limits:map<Quantity>, 2 requests:map<Quantity>, 3 claims:ResourceClaim[]',
  ResourceClaim: '1 name!, 2 request',
  ContainerResizePolicy: '1 resourceName!, 2 restartPolicy!',
  ContainerRestartRule: '1 action, 2 exitCodes:ContainerRestartRuleOnExitCodes',
  ContainerRestartRuleOnExitCodes: '1 operator, 2 values:i32[]',
  VolumeMount:
    '1 name!, 2 readOnly:bool, 3 mountPath!, 4 subPath, 5 mountPropagation!, 6 subPathExpr, ' +
    '7 recursiveReadOnly!, 8 bindMountOptions:str[]',
  VolumeDevice: '1 name!, 2 devicePath!',
  Probe:
    '1 ...:ProbeHandler, 2 initialDelaySeconds:i32, 3 timeoutSeconds:i32, 4 periodSeconds:i32, ' +
    '5 successThreshold:i32, 6 failureThreshold:i32, 7 terminationGracePeriodSeconds:i64!',
  ProbeHandler: '1 exec:ExecAction, 2 httpGet:HTTPGetAction, 3 tcpSocket:TCPSocketAction, 4 grpc:GRPCAction',
  ExecAction: '1 command:str[]',
  HTTPGetAction: '1 path, 2 port:IntOrString, 3 host, 4 scheme, 5 httpHeaders:HTTPHeader[], 6 protocol!',
  HTTPHeader: '1 name!, 2 value!',
  TCPSocketAction: '1 port:IntOrString, 2 host',
  GRPCAction: '1 port:i32!, 2 service!, 3 mode!',
  Lifecycle: '1 postStart:LifecycleHandler, 2 preStop:LifecycleHandler, 3 stopSignal!',
  LifecycleHandler:
    '1 exec:ExecAction, 2 httpGet:HTTPGetAction, 3 tcpSocket:TCPSocketAction, 4 sleep:SleepAction',
  SleepAction: '1 seconds:i64!',
};
