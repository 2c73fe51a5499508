// Post-start bootstrap, as kube-apiserver's post-start hooks: the system namespaces, the
// `kubernetes` Service with Endpoints/EndpointSlice pointing at this server, and the two system
// PriorityClasses. Idempotent: runs on every start and only creates or repairs what is missing.
import type { KubeObject } from '../api/types.js';
import { isReason } from '../util/errors.js';
import type { Stores } from './stores.js';

const SYSTEM = { username: 'system:apiserver', groups: ['system:masters'] };
const OPTS = { dryRun: false, user: SYSTEM };

export interface BootstrapConfig {
  /** The address other components and pods use for this server. */
  advertiseAddress: string;
  port: number;
}

export async function bootstrap(stores: Stores, cfg: BootstrapConfig): Promise<void> {
  const namespaces = stores.store('', 'namespaces');
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await ensure(() => namespaces.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, OPTS));
  }
  const pcs = stores.store('scheduling.k8s.io', 'priorityclasses');
  for (const [name, value, description] of [
    ['system-node-critical', 2000001000, 'Used for system critical pods that must not be moved from their current node.'],
    ['system-cluster-critical', 2000000000, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'],
  ] as const) {
    await ensure(() => pcs.create('', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, description, preemptionPolicy: 'PreemptLowerPriority' }, OPTS));
  }
  const services = stores.store('', 'services');
  const ip = stores.serviceIPs.nth(1);
  // Looked up first: on a restart the allocator already holds the IP, so a create would fail with
  // Invalid ("already allocated") before it could fail with AlreadyExists.
  const existing = await services.get('default', 'kubernetes').catch((err: unknown) => { if (isReason(err, 'NotFound')) return undefined; throw err; });
  if (!existing) await ensure(() => services.create('default', {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: ip, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: cfg.port }], sessionAffinity: 'None' },
  }, OPTS));
  await reconcileEndpoints(stores, cfg);
}

/** Points the kubernetes Endpoints and EndpointSlice at this server (the endpoint reconciler). */
async function reconcileEndpoints(stores: Stores, cfg: BootstrapConfig): Promise<void> {
  const endpoints: KubeObject = {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: cfg.advertiseAddress }], ports: [{ name: 'https', port: cfg.port, protocol: 'TCP' }] }],
  };
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [cfg.advertiseAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port: cfg.port, protocol: 'TCP' }],
  };
  for (const [group, resource, obj] of [['', 'endpoints', endpoints], ['discovery.k8s.io', 'endpointslices', slice]] as const) {
    const store = stores.store(group, resource);
    try {
      await store.create('default', obj, OPTS);
    } catch (err) {
      if (!isReason(err, 'AlreadyExists')) throw err;
      await store.update('default', 'kubernetes', (cur) => ({ ...cur, ...obj, metadata: { ...cur.metadata, labels: obj.metadata.labels } }), OPTS);
    }
  }
}

async function ensure(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isReason(err, 'AlreadyExists')) throw err;
  }
}
