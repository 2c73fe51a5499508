// Content negotiation for /api and /apis (kubectl-wire §0 #5 and §2.3). kubectl 1.27–1.29 accept only
// apidiscovery v2beta1 and break when answered with v2, so the choice must follow the client's Accept
// list rather than "the newest we have".

const AGGREGATED_GROUP = 'apidiscovery.k8s.io';
const AGGREGATED_AS = 'APIGroupDiscoveryList';
const AGGREGATED_VERSIONS = ['v2', 'v2beta1'] as const;

export type DiscoveryChoice =
  | { kind: 'aggregated'; version: 'v2' | 'v2beta1'; contentType: string }
  | { kind: 'legacy' };

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const clause of accept.split(',')) {
    const [type, ...rest] = clause.split(';').map((s) => s.trim());
    if (!type) continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
      else params.set(key, value);
    }
    if (q > 0) out.push({ type: type.toLowerCase(), params, q });
  }
  // Highest q first; Array.prototype.sort is stable, so equal q keeps the client's order — which is
  // all kubectl relies on (it sends no q on the discovery entries).
  return out.sort((a, b) => b.q - a.q);
}

/** The aggregated-discovery Content-Type for a version; client-go parses its g/v/as parameters. */
export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=${AGGREGATED_GROUP};v=${version};as=${AGGREGATED_AS}`;
}

/** Walks the Accept header in order, exactly as kubectl-wire §2.3 says (1.27–1.29 only accept v2beta1). */
export function negotiateDiscovery(accept: string | undefined): DiscoveryChoice {
  if (!accept) return { kind: 'legacy' };
  for (const m of parseAccept(accept)) {
    if (m.params.has('g') || m.params.has('as')) {
      // An aggregated request we cannot serve (protobuf, an unknown version) is skipped, not
      // downgraded: the client listed what it wants next.
      const v = m.params.get('v');
      const ok = m.type === 'application/json' && m.params.get('g') === AGGREGATED_GROUP && m.params.get('as') === AGGREGATED_AS;
      const version = AGGREGATED_VERSIONS.find((x) => x === v);
      if (ok && version) return { kind: 'aggregated', version, contentType: aggregatedContentType(version) };
      continue;
    }
    if (m.type === 'application/json' || m.type === 'application/*' || m.type === '*/*') return { kind: 'legacy' };
  }
  return { kind: 'legacy' };
}
