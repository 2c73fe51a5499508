// Turning desired endpoints into EndpointSlice writes with little churn (upstream
// endpointslice/reconciler.go, reconcileByAddressType): endpoints are grouped by their resolved
// port set; existing slices keep the endpoints still wanted (updated in place when they changed),
// empty slices are deleted, new endpoints first fill slices that are being written anyway, then one
// unchanged slice if they all fit, and only then new slices of at most maxEndpoints. A service with
// no endpoints keeps a single empty placeholder slice.
import { semanticEqual } from '../endpoint/index.js';
import type { EndpointSlice, SliceEndpoint, SlicePort } from './types.js';

export interface DesiredGroup {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export interface SliceChanges {
  create: { ports: SlicePort[]; endpoints: SliceEndpoint[] }[];
  /** Existing slices with new endpoints (or labels to refresh); metadata is the existing one. */
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

export interface ReconcileInput {
  desired: DesiredGroup[];
  /** The slices this controller manages for the service. */
  existing: EndpointSlice[];
  maxEndpoints: number;
  addressType: string;
  /** Whether an existing slice's labels/ownership need rewriting regardless of endpoints. */
  needsMetaUpdate(slice: EndpointSlice): boolean;
  /** Keep one empty slice when there are no endpoints (the EndpointSlice controller does; mirroring does not). */
  placeholder?: boolean;
}

export const portKey = (ports: SlicePort[] | null | undefined): string => JSON.stringify(
  [...(ports ?? [])].map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']).sort(),
);
const endpointKey = (e: SliceEndpoint): string => e.addresses.join(',');

export function reconcileSlices(input: ReconcileInput): SliceChanges {
  const out: SliceChanges = { create: [], update: [], delete: [] };
  const totalDesired = input.desired.reduce((n, g) => n + g.endpoints.length, 0);
  if (totalDesired === 0) {
    if (input.placeholder === false) return { ...out, delete: [...input.existing] };
    return placeholder(input, out);
  }

  const byPorts = new Map<string, EndpointSlice[]>();
  for (const s of input.existing) {
    if (s.addressType !== input.addressType) {
      out.delete.push(s);
      continue;
    }
    const k = portKey(s.ports);
    byPorts.set(k, [...(byPorts.get(k) ?? []), s]);
  }
  const desiredKeys = new Set(input.desired.map((g) => portKey(g.ports)));
  for (const [k, slices] of byPorts) if (!desiredKeys.has(k)) out.delete.push(...slices);

  for (const group of input.desired) {
    const wanted = new Map(group.endpoints.map((e) => [endpointKey(e), e]));
    const updating: EndpointSlice[] = [];
    const unchanged: EndpointSlice[] = [];
    for (const s of byPorts.get(portKey(group.ports)) ?? []) {
      const kept: SliceEndpoint[] = [];
      let changed = input.needsMetaUpdate(s);
      for (const e of s.endpoints ?? []) {
        const d = wanted.get(endpointKey(e));
        if (!d) {
          changed = true;
          continue;
        }
        if (!semanticEqual(d, e)) changed = true;
        kept.push(d);
        wanted.delete(endpointKey(e));
      }
      if (!kept.length) out.delete.push(s);
      else if (changed) updating.push({ ...s, endpoints: kept });
      else unchanged.push(s);
    }
    const remaining = [...wanted.values()];
    // Slices written anyway take new endpoints first.
    for (const s of updating) {
      const room = input.maxEndpoints - s.endpoints!.length;
      if (room > 0 && remaining.length) s.endpoints = [...s.endpoints!, ...remaining.splice(0, room)];
    }
    // All the rest fit in one unchanged slice: one update instead of a create (the fullest that fits).
    if (remaining.length && remaining.length < input.maxEndpoints) {
      const fit = unchanged
        .filter((s) => input.maxEndpoints - (s.endpoints?.length ?? 0) >= remaining.length)
        .sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0))[0];
      if (fit) {
        updating.push({ ...fit, endpoints: [...(fit.endpoints ?? []), ...remaining.splice(0)] });
      }
    }
    while (remaining.length) out.create.push({ ports: group.ports, endpoints: remaining.splice(0, input.maxEndpoints) });
    out.update.push(...updating);
  }
  return out;
}

/** No endpoints: exactly one slice with no endpoints and no ports. */
function placeholder(input: ReconcileInput, out: SliceChanges): SliceChanges {
  const isPlaceholder = (s: EndpointSlice) => !(s.endpoints?.length) && !(s.ports?.length) && s.addressType === input.addressType;
  const keep = input.existing.find(isPlaceholder);
  for (const s of input.existing) if (s !== keep) out.delete.push(s);
  if (!keep) out.create.push({ ports: [], endpoints: [] });
  else if (input.needsMetaUpdate(keep)) out.update.push(keep);
  return out;
}
