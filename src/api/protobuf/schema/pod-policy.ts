// core/v1 pod-level policy: security contexts, affinity, tolerations, DNS config, topology spread,
// scheduling gates and resource claims. Notation: see ../schema.ts.

import type { MessageTable } from '../schema.js';

export const podPolicyV1: MessageTable = {
  SecurityContext:
    '1 capabilities:Capabilities, 2 privileged:bool!, 3 seLinuxOptions:SELinuxOptions, ' +
    '4 runAsUser:i64!, 5 runAsNonRoot:bool!, 6 readOnlyRootFilesystem:bool!, ' +
    '7 allowPrivilegeEscalation:bool!, 8 runAsGroup:i64!, 9 procMount!, ' +
    '10 windowsOptions:WindowsSecurityContextOptions, 11 seccompProfile:SeccompProfile, ' +
    '12 appArmorProfile:AppArmorProfile',
  Capabilities: '1 add:str[], 2 drop:str[]',
  SELinuxOptions: '1 user, 2 role, 3 type, 4 level',
  WindowsSecurityContextOptions:
    '1 gmsaCredentialSpecName!, 2 gmsaCredentialSpec!, 3 runAsUserName!, 4 hostProcess:bool!',
  SeccompProfile: '1 type!, 2 localhostProfile!',
  AppArmorProfile: '1 type!, 2 localhostProfile!',
  PodSecurityContext:
    '1 seLinuxOptions:SELinuxOptions, 2 runAsUser:i64!, 3 runAsNonRoot:bool!, ' +
    '4 supplementalGroups:i64[], 5 fsGroup:i64!, 6 runAsGroup:i64!, 7 sysctls:Sysctl[], ' +
    '8 windowsOptions:WindowsSecurityContextOptions, 9 fsGroupChangePolicy!, ' +
    '10 seccompProfile:SeccompProfile, 11 appArmorProfile:AppArmorProfile, ' +
    '12 supplementalGroupsPolicy!, 13 seLinuxChangePolicy!',
  Sysctl: '1 name!, 2 value!',
  Affinity: '1 nodeAffinity:NodeAffinity, 2 podAffinity:PodAffinity, 3 podAntiAffinity:PodAntiAffinity',
  NodeAffinity:
    '1 requiredDuringSchedulingIgnoredDuringExecution:NodeSelector, ' +
    '2 preferredDuringSchedulingIgnoredDuringExecution:PreferredSchedulingTerm[]',
  NodeSelector: '1 nodeSelectorTerms:NodeSelectorTerm[]',
  NodeSelectorTerm: '1 matchExpressions:NodeSelectorRequirement[], 2 matchFields:NodeSelectorRequirement[]',
  NodeSelectorRequirement: '1 key!, 2 operator!, 3 values:str[]',
  PreferredSchedulingTerm: '1 weight:i32!, 2 preference:NodeSelectorTerm',
  PodAffinity:
    '1 requiredDuringSchedulingIgnoredDuringExecution:PodAffinityTerm[], ' +
    '2 preferredDuringSchedulingIgnoredDuringExecution:WeightedPodAffinityTerm[]',
  PodAffinityTerm:
    '1 labelSelector:LabelSelector, 2 namespaces:str[], 3 topologyKey!, ' +
    '4 namespaceSelector:LabelSelector, 5 matchLabelKeys:str[], 6 mismatchLabelKeys:str[]',
  WeightedPodAffinityTerm: '1 weight:i32!, 2 podAffinityTerm:PodAffinityTerm',
  PodAntiAffinity:
    '1 requiredDuringSchedulingIgnoredDuringExecution:PodAffinityTerm[], ' +
    '2 preferredDuringSchedulingIgnoredDuringExecution:WeightedPodAffinityTerm[]',
  Toleration: '1 key, 2 operator, 3 value, 4 effect, 5 tolerationSeconds:i64!',
  HostAlias: '1 ip!, 2 hostnames:str[]',
  PodDNSConfig: '1 nameservers:str[], 2 searches:str[], 3 options:PodDNSConfigOption[]',
  PodDNSConfigOption: '1 name, 2 value!',
  PodReadinessGate: '1 conditionType!',
  TopologySpreadConstraint:
    '1 maxSkew:i32!, 2 topologyKey!, 3 whenUnsatisfiable!, 4 labelSelector:LabelSelector, ' +
    '5 minDomains:i32!, 6 nodeAffinityPolicy!, 7 nodeTaintsPolicy!, 8 matchLabelKeys:str[]',
  PodOS: '1 name!',
  PodSchedulingGate: '1 name!',
  PodResourceClaim: '1 name!, 3 resourceClaimName!, 4 resourceClaimTemplateName!',
};
