// Downward API values (upstream pkg/fieldpath and kubelet podFieldSelectorRuntimeValue,
// containerResourceRuntimeValue): pod fields by path and container resources by name and divisor.
import { toQuantity } from '../../api/quantity/index.js';
import type { Obj } from '../types.js';

/** Pod fields the kubelet knows at runtime (IPs from the sandbox, not yet in the API). */
export interface RuntimeFields {
  hostIP: string;
  podIP: string;
  nodeName: string;
}

function quoteMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m![k])}`).join('\n');
}

/** The value of a fieldRef path; throws for an unsupported path. */
export function fieldValue(pod: Obj, path: string, rt: RuntimeFields): string {
  const md = pod.metadata ?? {};
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (sub) return String((md[sub[1]!] ?? {})[sub[2]!] ?? '');
  switch (path) {
    case 'metadata.name': return md.name ?? '';
    case 'metadata.namespace': return md.namespace ?? '';
    case 'metadata.uid': return md.uid ?? '';
    case 'metadata.labels': return quoteMap(md.labels);
    case 'metadata.annotations': return quoteMap(md.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? rt.nodeName;
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': case 'status.hostIPs': return rt.hostIP;
    case 'status.podIP': case 'status.podIPs': return rt.podIP;
    default: throw new Error(`unsupported fieldPath: ${path}`);
  }
}

/** The value of a resourceFieldRef: the container's limit (node allocatable when unset) or request, divided up. */
export function resourceValue(pod: Obj, ref: Obj, defaultContainer: Obj | undefined, allocatable: Record<string, string>): string {
  const c: Obj | undefined = ref.containerName
    ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x: Obj) => x.name === ref.containerName)
    : defaultContainer;
  if (!c) throw new Error(`container ${ref.containerName} not found`);
  const [kind, res] = String(ref.resource).split('.', 2) as [string, string];
  let q: string | undefined;
  if (kind === 'limits') q = c.resources?.limits?.[res] ?? allocatable[res];
  else if (kind === 'requests') q = c.resources?.requests?.[res] ?? (res === 'cpu' || res === 'memory' ? '0' : undefined);
  else throw new Error(`unsupported container resource: ${ref.resource}`);
  if (q === undefined) q = '0';
  const divisor = toQuantity(ref.divisor ?? '1').nanos;
  const v = toQuantity(q).nanos;
  const d = divisor === 0n ? 1_000_000_000n : divisor;
  return String((v + d - 1n) / d);
}
