// Strategic-merge metadata for the core ("") group and ObjectMeta, written from the struct tags in
// kubernetes/api core/v1/types.go (`patchStrategy`, `patchMergeKey`, `+listType`) and
// apimachinery meta/v1/types.go. Only fields that matter are listed: ones with a patch strategy,
// atomic lists users commonly patch (so fieldStrategy can report them), and the struct fields on
// the way to those. Anything not listed gets the default: maps merge, lists are replaced.
//
// Notation, one string per field:  name[:Type] [strategy[:mergeKey]] [listType]
//   Type       the named type of the field's value (of each element, for a list), when it has
//              listed fields of its own
//   strategy   merge | replace | retainKeys | merge,retainKeys   (the Go patchStrategy tag)
//   listType   atomic | set | map                                 (the +listType marker)
// and, read only by server-side apply (src/api/apply):
//   keys:a,b=D   the list's x-kubernetes-list-map-keys when they differ from the merge key; =D is
//                the default of a key an element may omit (protocol=TCP)
//   ssa:atomic   the value is atomic (+structType=atomic such as LabelSelector, +listType=atomic)
//   ssa:atomic-elements   each list element is atomic (OwnerReference, LocalObjectReference)
//   ssa:present  never absent from a typed object (non-pointer struct, list without omitempty)
import type { TypeTable } from './strategic-schema.js';

export const META_TYPES: TypeTable = {
  ObjectMeta: ['finalizers merge set', 'ownerReferences merge:uid map ssa:atomic-elements'],
};

export const CORE_TYPES: TypeTable = {
  PodTemplateSpec: ['metadata:ObjectMeta', 'spec:PodSpec'],
  PodSpec: [
    'containers:Container merge:name map ssa:present',
    'initContainers:Container merge:name map',
    // EphemeralContainer inlines EphemeralContainerCommon, whose list fields carry the same tags as Container's.
    'ephemeralContainers:Container merge:name map',
    'volumes merge,retainKeys:name map',
    'imagePullSecrets merge:name map ssa:atomic-elements',
    'hostAliases merge:ip map',
    'topologySpreadConstraints merge:topologyKey map keys:topologyKey,whenUnsatisfiable',
    'schedulingGates merge:name map',
    'resourceClaims merge,retainKeys:name map',
    'evictionResponders merge:name map',
    // No patch strategy: a patch replaces the whole list (the kubectl patch docs' tolerations example).
    'tolerations atomic',
    'readinessGates atomic',
  ],
  Container: [
    'ports merge:containerPort map keys:containerPort,protocol=TCP',
    'env merge:name map',
    'volumeMounts merge:mountPath map',
    'volumeDevices merge:devicePath map',
    'envFrom atomic',
    'command atomic',
    'args atomic',
    'resizePolicy atomic',
  ],
  PodStatus: [
    'conditions merge:type map',
    // Merge by ip for patches, though server-side apply treats hostIPs as atomic.
    'hostIPs merge:ip atomic',
    'podIPs merge:ip map',
    'resourceClaimStatuses merge,retainKeys:name map',
    'nodeAllocatableResourceClaimStatuses:NodeAllocatableResourceClaimStatus merge:resourceClaimName map',
    'initContainerStatuses:ContainerStatus atomic',
    'containerStatuses:ContainerStatus atomic',
    'ephemeralContainerStatuses:ContainerStatus atomic',
  ],
  ContainerStatus: ['volumeMounts merge:mountPath map', 'allocatedResourcesStatus merge:name map'],
  NodeAllocatableResourceClaimStatus: ['containers set', 'mapping merge:name map', 'overhead merge:name map'],

  Pod: ['spec:PodSpec', 'status:PodStatus'],
  PodTemplate: ['template:PodTemplateSpec'],
  ReplicationController: ['spec:ReplicationControllerSpec', 'status:ConditionsStatus'],
  ReplicationControllerSpec: ['template:PodTemplateSpec'],

  Service: ['spec:ServiceSpec', 'status:ServiceStatus'],
  // Merge key "port" only; server-side apply keys ports by port+protocol.
  ServiceSpec: ['ports merge:port map keys:port,protocol=TCP', 'clusterIPs atomic', 'externalIPs atomic', 'loadBalancerSourceRanges atomic', 'ipFamilies atomic'],
  ServiceStatus: ['conditions merge:type map', 'loadBalancer:LoadBalancerStatus'],
  LoadBalancerStatus: ['ingress atomic'],
  ServiceAccount: ['secrets merge:name map', 'imagePullSecrets atomic'],
  // Endpoints subsets carry no patch strategy at any level: patches replace them.
  Endpoints: ['subsets:EndpointSubset atomic'],
  EndpointSubset: ['addresses atomic', 'notReadyAddresses atomic', 'ports atomic'],

  Node: ['spec:NodeSpec', 'status:NodeStatus'],
  // Taints have no patch strategy (kubectl taint sends the whole list).
  NodeSpec: ['podCIDRs merge set', 'taints atomic'],
  NodeStatus: ['conditions merge:type map', 'addresses merge:type map ssa:atomic', 'images atomic', 'volumesInUse atomic', 'volumesAttached atomic'],
  Namespace: ['spec:NamespaceSpec', 'status:ConditionsStatus'],
  NamespaceSpec: ['finalizers atomic'],
  PersistentVolumeClaim: ['spec:PersistentVolumeClaimSpec', 'status:PersistentVolumeClaimStatus'],
  PersistentVolumeClaimSpec: ['accessModes atomic'],
  PersistentVolumeClaimStatus: ['conditions merge:type map', 'accessModes atomic'],
  PersistentVolume: ['spec:PersistentVolumeSpec'],
  PersistentVolumeSpec: ['accessModes atomic', 'mountOptions atomic'],
  ComponentStatus: ['conditions merge:type map'],

  // The many `status.conditions` merged by type (ReplicationControllerStatus, NamespaceStatus, …).
  ConditionsStatus: ['conditions merge:type map'],
};
