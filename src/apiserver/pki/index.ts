// Public surface of the API server's PKI: the cluster CA and the certificates it signs.
export { createCa, signLeaf } from './certs.js';
export { ensurePki, issueClientCert, issueServingCert, CA_VALIDITY_DAYS, LEAF_VALIDITY_DAYS, RENEW_WITHIN_DAYS } from './ensure.js';
export type { Pki } from './ensure.js';
export { ADMIN, APISERVER_KUBELET_CLIENT, CONTROLLER_MANAGER, SCHEDULER, KUBE_PROXY, SYSTEM_MASTERS, SYSTEM_NODES, nodeIdentity } from './identities.js';
export type { Identity } from './identities.js';
export { FIRST_SERVICE_IP, canonicalIp, certificateNames } from './sans.js';
export { ensureServiceAccountKey, SERVICE_ACCOUNT_KEY_FILE } from './service-account.js';
