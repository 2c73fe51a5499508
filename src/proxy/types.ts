// The proxy's model of the cluster and the contract every proxy mode implements. The change tracker
// (tracker.ts) folds Services and EndpointSlices into a ProxyState; a bounded-frequency runner hands
// it to the mode's Proxier, which programs the node (sockets for userspace, iptables-restore for
// iptables). Shapes follow upstream pkg/proxy (ServicePortName, BaseServicePortInfo, BaseEndpointInfo).

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** upstream proxy.ServicePortName: a Service port, named "ns/name:port" ("ns/name" when unnamed). */
export interface ServicePortName {
  namespace: string;
  name: string;
  /** The Service port's name; '' for an unnamed port. */
  port: string;
  protocol: Protocol;
}

/** One port of one Service, as the proxy programs it (only the family of the primary ClusterIP). */
export interface ServicePortInfo {
  /** servicePortNameString(name): the key of ProxyState's maps. */
  key: string;
  name: ServicePortName;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  /** The primary ClusterIP (IPv4); services without one (headless, ExternalName) are not in the model. */
  clusterIP: string;
  port: number;
  protocol: Protocol;
  /** 0 when the port has none. */
  nodePort: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip */
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  /** sessionAffinity ClientIP timeout in seconds; 0 = no affinity. */
  affinityTimeoutSeconds: number;
  /** externalTrafficPolicy: Local (only meaningful for NodePort/LoadBalancer/external IPs). */
  externalPolicyLocal: boolean;
  /** internalTrafficPolicy: Local */
  internalPolicyLocal: boolean;
  /** 0 when none (only with externalTrafficPolicy Local on LoadBalancer services). */
  healthCheckNodePort: number;
}

/** One endpoint (address + port) of a Service port, merged over all its EndpointSlices. */
export interface Endpoint {
  ip: string;
  port: number;
  /** conditions.ready (unset = true). */
  ready: boolean;
  /** conditions.serving (unset = ready). */
  serving: boolean;
  /** conditions.terminating (unset = false). */
  terminating: boolean;
  /** nodeName equals this proxy's node. */
  isLocal: boolean;
  nodeName?: string;
  zone?: string;
}

/** "ip:port" of an endpoint; IPv6 addresses in brackets (upstream BaseEndpointInfo.String). */
export function endpointString(e: Pick<Endpoint, 'ip' | 'port'>): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** upstream ServicePortName.String(): "ns/name:port", or "ns/name" for an unnamed port. */
export function servicePortNameString(n: Pick<ServicePortName, 'namespace' | 'name' | 'port'>): string {
  return n.port ? `${n.namespace}/${n.name}:${n.port}` : `${n.namespace}/${n.name}`;
}

/** Everything the proxy knows, keyed by ServicePortInfo.key. Endpoints are sorted by ip then port. */
export interface ProxyState {
  services: ReadonlyMap<string, ServicePortInfo>;
  endpoints: ReadonlyMap<string, readonly Endpoint[]>;
}

export interface SyncRequest {
  state: ProxyState;
  /**
   * Keys of service ports whose Service or endpoints changed since the last *successful* sync
   * (including ones that disappeared from state); null = full sync (first sync, after a failure,
   * periodic resync).
   */
  changed: ReadonlySet<string> | null;
}

export interface SyncResult {
  /** Rules (iptables) or listeners (userspace) now programmed, for the rules-total metric. */
  programmed: number;
  /** Whether the proxier did a full sync (it may upgrade a partial request). */
  full: boolean;
}

/** A proxy mode. Calls to sync never overlap; a rejected sync makes the next request full. */
export interface Proxier {
  readonly mode: 'userspace' | 'iptables';
  sync(req: SyncRequest): Promise<SyncResult>;
  /**
   * Periodic check (every syncPeriod) that the node still holds what was programmed (upstream's
   * canary chains); false asks for a full resync.
   */
  healthy?(): Promise<boolean>;
  /** Stops serving and leaves what was programmed in place (a restart picks it up). */
  close(): Promise<void>;
  /** Removes everything this mode programs on the node (`skiff proxy --cleanup`). */
  cleanup(): Promise<void>;
}

/** Common options every mode's factory takes. */
export interface ProxierOptions {
  nodeName: string;
  /** Pod network of the whole cluster (masquerade decisions), default 10.42.0.0/16. */
  clusterCIDR: string;
}
