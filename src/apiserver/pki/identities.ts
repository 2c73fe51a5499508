// Client-certificate identities of the cluster's own components. The names are the ones upstream's
// default RBAC roles and the Node authorizer expect (k8s.io/apiserver user constants), so the
// bootstrap ClusterRoleBindings written elsewhere match them without translation.

export interface Identity {
  commonName: string;
  organizations: string[];
}

/** Group whose members bypass authorization (cluster-admin). */
export const SYSTEM_MASTERS = 'system:masters';
/** Group of kubelets' identities. */
export const SYSTEM_NODES = 'system:nodes';

/**
 * The cluster-admin identity in DATA/kubeconfig.yaml. k3s names it `system:admin`; kubeadm uses
 * `kubernetes-admin`. We follow k3s; either way the O=system:masters is what grants the power.
 */
export const ADMIN: Identity = { commonName: 'system:admin', organizations: [SYSTEM_MASTERS] };
export const CONTROLLER_MANAGER: Identity = { commonName: 'system:kube-controller-manager', organizations: [] };
export const SCHEDULER: Identity = { commonName: 'system:kube-scheduler', organizations: [] };
/**
 * The API server's identity towards kubelets (kubeadm's apiserver-kubelet-client certificate):
 * kubelets authorize it to read logs, exec, attach and port-forward.
 */
export const APISERVER_KUBELET_CLIENT: Identity = { commonName: 'kube-apiserver-kubelet-client', organizations: [SYSTEM_MASTERS] };
export const KUBE_PROXY: Identity = { commonName: 'system:kube-proxy', organizations: [] };

/** A kubelet's identity: `system:node:<nodeName>` in group `system:nodes` (what the Node authorizer checks). */
export function nodeIdentity(nodeName: string): Identity {
  return { commonName: `system:node:${nodeName}`, organizations: [SYSTEM_NODES] };
}
