// The Node and Lease objects a hollow node registers, shaped as a real kubelet's (kubemark's hollow
// kubelet): capacity and allocatable, the four pressure/ready conditions, addresses, nodeInfo and
// the well-known labels.
import type { KubeObject } from '../api/types.js';

export interface HollowNodeSpec {
  name: string;
  /** Index of the node in its process; picks its fake addresses and pod range. */
  index: number;
  capacity: { cpu: string; memory: string; pods: string; 'ephemeral-storage'?: string };
  labels: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}

/** The node's InternalIP: 10.(128 + i/65536).(i/256 % 256).(i % 256), unique per index. */
export function nodeAddress(index: number): string {
  return `10.${128 + Math.floor(index / 65536)}.${Math.floor(index / 256) % 256}.${index % 256}`;
}

/** The node's fake pod range when the cluster assigns none: 100.(64 + i/256).(i % 256).0/24. */
export function fakePodCIDR(index: number): string {
  return `100.${64 + Math.floor(index / 256)}.${index % 256}.0/24`;
}

/** The kubelet's four node conditions; `since` is when they last changed (registration here). */
export function nodeConditions(now: string, since = now): Record<string, string>[] {
  const c = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: now, lastTransitionTime: since, reason, message });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeObject(spec: HollowNodeSpec, now: string, version: string): KubeObject {
  const capacity = { 'ephemeral-storage': '100Gi', ...spec.capacity };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...spec.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'skiff.io/hollow': 'true' },
    },
    spec: spec.taints?.length ? { taints: spec.taints } : {},
    status: {
      capacity,
      allocatable: capacity,
      conditions: nodeConditions(now),
      addresses: [{ type: 'InternalIP', address: nodeAddress(spec.index) }, { type: 'Hostname', address: spec.name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: `hollow-${spec.index}`, systemUUID: `hollow-${spec.index}`, bootID: `hollow-${spec.index}`,
        kernelVersion: '6.1.0', osImage: 'Skiff hollow node', containerRuntimeVersion: 'fake://1.0.0',
        kubeletVersion: version, kubeProxyVersion: version, operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}

export function leaseObject(node: string, now: string, durationSeconds: number, nodeUid?: string): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node,
      namespace: 'kube-node-lease',
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: node, leaseDurationSeconds: durationSeconds, renewTime: now },
  };
}
