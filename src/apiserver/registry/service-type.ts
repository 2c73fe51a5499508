// A Service switched to a type that no longer uses some of its allocated or defaulted fields drops
// them, when the update left them as they were (upstream service strategy dropTypeDependentFields).
// Without it `kubectl patch svc x -p '{"spec":{"type":"ClusterIP"}}'` on a NodePort service would
// fail validation on the nodePorts and externalTrafficPolicy the user never set.

type Obj = Record<string, any>;

const needsClusterIP = (s: Obj) => s.type !== 'ExternalName';
const needsNodePort = (s: Obj) => s.type === 'NodePort' || s.type === 'LoadBalancer';
const needsHealthCheckNodePort = (s: Obj) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
const externallyAccessible = (s: Obj) =>
  s.type === 'LoadBalancer' || s.type === 'NodePort' || ((s.type ?? 'ClusterIP') === 'ClusterIP' && (s.externalIPs?.length ?? 0) > 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const nodePorts = (s: Obj) => ((s.ports ?? []) as Obj[]).map((p) => p?.nodePort ?? 0);

/** Drops from `next` (in place) the fields its new type does not use and the update did not change. */
export function dropTypeDependentFields(next: Obj, old: Obj): void {
  const spec = next.spec as Obj | undefined;
  const prev = old.spec as Obj | undefined;
  if (!spec || !prev) return;
  if (needsClusterIP(prev) && !needsClusterIP(spec)) {
    if (same(spec.clusterIPs, prev.clusterIPs) && same(spec.clusterIP, prev.clusterIP)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(spec.ipFamilies, prev.ipFamilies)) delete spec.ipFamilies;
    if (same(spec.ipFamilyPolicy, prev.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(prev) && !needsNodePort(spec) && same(nodePorts(spec), nodePorts(prev))) {
    for (const p of (spec.ports ?? []) as Obj[]) if (p) delete p.nodePort;
  }
  if (needsHealthCheckNodePort(prev) && !needsHealthCheckNodePort(spec) && same(spec.healthCheckNodePort, prev.healthCheckNodePort)) {
    delete spec.healthCheckNodePort;
  }
  if (prev.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === prev.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (same(spec.loadBalancerClass, prev.loadBalancerClass)) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(prev) && !externallyAccessible(spec) && same(spec.externalTrafficPolicy, prev.externalTrafficPolicy)) {
    delete spec.externalTrafficPolicy;
  }
  // The load balancer's status no longer applies (upstream clears it here too).
  if (spec.type !== 'LoadBalancer' && next.status?.loadBalancer) next.status.loadBalancer = {};
}
