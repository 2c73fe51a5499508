// The change tracker: folds Services and EndpointSlices (as the informer caches hold them) into the
// proxy's state and remembers which service ports changed since the last successful sync, as
// upstream's ServiceChangeTracker + EndpointsChangeTracker do. Level-triggered: a Service's entry is
// always rebuilt from the caches, so missed or repeated events cannot leave it wrong.
import { endpointsKey, endpointsOfService, sameEndpoints } from './endpoints.js';
import type { EndpointSliceObject, ServiceObject } from './objects.js';
import { TRIGGER_TIME_ANNOTATION } from '../api/endpointslice.js';
import { sameServicePort, servicePortsOf } from './serviceports.js';
import type { Endpoint, ProxyState, ServicePortInfo } from './types.js';

export interface TrackerSource {
  /** The Service "ns/name" from the cache, or undefined. */
  service(key: string): ServiceObject | undefined;
  /** Every EndpointSlice of Service "ns/name" in the cache. */
  slices(key: string): EndpointSliceObject[];
}

export interface PendingChanges {
  state: ProxyState;
  /** null: a full sync was asked for. */
  changed: Set<string> | null;
  /** Earliest endpoints-controller trigger time (ms) behind the changes, for network programming latency. */
  triggerTimes: number[];
}

export class ChangeTracker {
  private readonly services = new Map<string, ServicePortInfo>();
  private readonly endpoints = new Map<string, readonly Endpoint[]>();
  /** Service port keys of each Service "ns/name" currently in the state. */
  private readonly portsByService = new Map<string, string[]>();
  private changed = new Set<string>();
  private full = true;
  private triggers = new Map<string, number>();

  constructor(private readonly nodeName: string, private readonly source: TrackerSource) {}

  /** Rebuilds Service "ns/name" from the caches; returns whether anything the proxy uses changed. */
  update(serviceKey: string): boolean {
    const [namespace, name] = splitServiceKey(serviceKey);
    const svc = this.source.service(serviceKey);
    const slices = this.source.slices(serviceKey);
    const ports = svc ? servicePortsOf(svc) : [];
    const eps = ports.length ? endpointsOfService(namespace, name, slices, this.nodeName) : new Map<string, Endpoint[]>();
    let any = false;
    const newKeys = new Set(ports.map((p) => p.key));
    for (const old of this.portsByService.get(serviceKey) ?? []) {
      if (newKeys.has(old)) continue;
      this.services.delete(old);
      this.endpoints.delete(old);
      this.changed.add(old);
      any = true;
    }
    for (const p of ports) {
      const prev = this.services.get(p.key);
      const list = eps.get(endpointsKey(p.key, p.protocol)) ?? [];
      const epsChanged = !sameEndpoints(this.endpoints.get(p.key), list);
      if (!prev || !sameServicePort(prev, p) || epsChanged) {
        this.services.set(p.key, p);
        this.endpoints.set(p.key, list);
        this.changed.add(p.key);
        any = true;
        if (epsChanged) this.noteTrigger(serviceKey, slices);
      }
    }
    if (ports.length) this.portsByService.set(serviceKey, ports.map((p) => p.key));
    else this.portsByService.delete(serviceKey);
    return any;
  }

  /** The next sync asks for everything (first sync, after a failure, periodic resync). */
  requestFull(): void {
    this.full = true;
  }

  /** Takes what changed; call restore() if the sync then fails. */
  take(): PendingChanges {
    const out: PendingChanges = {
      state: { services: new Map(this.services), endpoints: new Map(this.endpoints) },
      changed: this.full ? null : this.changed,
      triggerTimes: [...this.triggers.values()],
    };
    this.changed = new Set();
    this.full = false;
    this.triggers = new Map();
    return out;
  }

  /** A failed sync: the next one is full (upstream: the change trackers were already drained). */
  restore(): void {
    this.full = true;
  }

  get size(): number {
    return this.services.size;
  }

  private noteTrigger(serviceKey: string, slices: EndpointSliceObject[]): void {
    let earliest = this.triggers.get(serviceKey) ?? Infinity;
    for (const s of slices) {
      const t = Date.parse(s.metadata.annotations?.[TRIGGER_TIME_ANNOTATION] ?? '');
      if (Number.isFinite(t) && t < earliest) earliest = t;
    }
    if (Number.isFinite(earliest)) this.triggers.set(serviceKey, earliest);
  }
}

function splitServiceKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
}
