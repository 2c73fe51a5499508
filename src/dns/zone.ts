// The cluster zone held in memory: records grouped by owner (one Service each), indexed by name, and
// the lookup that turns a question into an authoritative answer, NXDOMAIN, NODATA, or "not ours,
// forward it". Synthesised names (the zone apex, dns-version, <ip>.<ns>.pod) need no stored records.
import { addressOfReverse, cidrContains, isIPv4, isIPv6 } from './addr.js';
import { canonical, inZone } from './names.js';
import { RRClass, RRType, Rcode, type Question, type ResourceRecord } from './wire.js';

/** The schema version the spec asks for at dns-version.<zone>. */
export const SCHEMA_VERSION = '1.1.0';

export type Resolution =
  | { kind: 'answer'; rcode: number; authoritative: boolean; answers: ResourceRecord[]; authority: ResourceRecord[]; additional: ResourceRecord[] }
  | { kind: 'forward' };

export interface ZoneOptions {
  /** The cluster domain, e.g. cluster.local. */
  domain: string;
  ttl: number;
  /** Reverse lookups of unknown addresses inside these CIDRs get NXDOMAIN instead of being forwarded. */
  serviceCIDRs?: string[];
  /** Seconds since the epoch, for the SOA serial. */
  nowSeconds?: () => number;
}

export class ClusterZone {
  readonly domain: string;
  readonly ttl: number;
  /** Bumped on every change; response caches compare it. */
  generation = 0;
  private serial: number;
  private readonly byOwner = new Map<string, ResourceRecord[]>();
  private readonly byName = new Map<string, ResourceRecord[]>();
  /** Names in the cluster domain that own records or lie above one (empty non-terminals), refcounted. */
  private readonly nodes = new Map<string, number>();
  private readonly nowSeconds: () => number;

  constructor(private readonly o: ZoneOptions) {
    this.domain = canonical(o.domain);
    this.ttl = o.ttl;
    this.nowSeconds = o.nowSeconds ?? (() => 0);
    this.serial = this.nowSeconds() >>> 0;
  }

  /** Replaces the records of one owner (a Service key); an empty list removes it. */
  setOwner(key: string, records: ResourceRecord[]): void {
    const old = this.byOwner.get(key);
    if (!old && records.length === 0) return;
    // Relists and status-only updates rebuild identical records: keep the zone (and the finished
    // reply packets cached against its generation) as they are.
    if (old && sameRecords(old, records)) return;
    if (old) for (const rr of old) this.unindex(rr);
    if (records.length) {
      this.byOwner.set(key, records);
      for (const rr of records) this.index(rr);
    } else {
      this.byOwner.delete(key);
    }
    this.generation++;
    this.serial = Math.max(this.serial + 1, this.nowSeconds()) >>> 0;
  }

  get owners(): number {
    return this.byOwner.size;
  }

  private index(rr: ResourceRecord): void {
    let list = this.byName.get(rr.name);
    if (!list) this.byName.set(rr.name, (list = []));
    list.push(rr);
    if (inZone(rr.name, this.domain)) for (const n of this.ancestors(rr.name)) this.nodes.set(n, (this.nodes.get(n) ?? 0) + 1);
  }

  private unindex(rr: ResourceRecord): void {
    const list = this.byName.get(rr.name);
    if (list) {
      const i = list.indexOf(rr);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byName.delete(rr.name);
    }
    if (inZone(rr.name, this.domain)) {
      for (const n of this.ancestors(rr.name)) {
        const c = (this.nodes.get(n) ?? 0) - 1;
        if (c <= 0) this.nodes.delete(n);
        else this.nodes.set(n, c);
      }
    }
  }

  /** name and its parents down to (not including) the zone apex. */
  private *ancestors(name: string): Generator<string> {
    let n = name;
    while (n.length > this.domain.length) {
      yield n;
      n = n.slice(n.indexOf('.') + 1);
    }
  }

  soa(): ResourceRecord {
    return {
      name: this.domain, type: RRType.SOA, class: RRClass.IN, ttl: this.ttl,
      // CoreDNS's shape: ns.dns.<zone>, hostmaster.<zone>, refresh 7200, retry 1800, expire 86400.
      data: { mname: `ns.dns.${this.domain}`, rname: `hostmaster.${this.domain}`, serial: this.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: this.ttl },
    };
  }

  /** Answers a question from the zone, or says it belongs upstream. */
  lookup(q: Question): Resolution {
    const name = canonical(q.name);
    if (inZone(name, this.domain)) return this.lookupCluster(name, q.type);
    if (name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa')) return this.lookupReverse(name, q.type);
    return { kind: 'forward' };
  }

  private lookupCluster(name: string, type: number): Resolution {
    const mk = (rr: Omit<ResourceRecord, 'class' | 'ttl'>): ResourceRecord => ({ ...rr, class: RRClass.IN, ttl: this.ttl });
    if (name === this.domain) {
      const recs: ResourceRecord[] = [];
      if (type === RRType.SOA || type === RRType.ANY) recs.push(this.soa());
      if (type === RRType.NS || type === RRType.ANY) recs.push(mk({ name, type: RRType.NS, data: `ns.dns.${this.domain}` }));
      return this.positive(recs);
    }
    if (name === `dns-version.${this.domain}`) {
      return this.positive(type === RRType.TXT || type === RRType.ANY ? [mk({ name, type: RRType.TXT, data: [SCHEMA_VERSION] })] : []);
    }
    const rel = name.slice(0, -this.domain.length - 1).split('.');
    if (rel.length === 1 && (rel[0] === 'svc' || rel[0] === 'pod')) return this.positive([]);
    // <ip-with-dashes>.<namespace>.pod.<zone> is synthesised from the name (CoreDNS `pods insecure`).
    if (rel.length === 3 && rel[2] === 'pod') {
      const v4 = rel[0]!.replace(/-/g, '.');
      const v6 = rel[0]!.replace(/-/g, ':');
      const addrType = isIPv4(v4) ? RRType.A : isIPv6(v6) ? RRType.AAAA : 0;
      if (!addrType) return this.negative(Rcode.NXDOMAIN);
      if (type !== addrType && type !== RRType.ANY) return this.positive([]);
      return this.positive([mk({ name, type: addrType, data: addrType === RRType.A ? v4 : v6 })]);
    }
    const recs = this.byName.get(name);
    if (recs) {
      const cname = recs.filter((r) => r.type === RRType.CNAME);
      if (cname.length && type !== RRType.CNAME) return this.positive(cname);
      return this.positive(type === RRType.ANY ? recs.slice() : recs.filter((r) => r.type === type));
    }
    if (this.nodes.has(name)) return this.positive([]);
    return this.negative(Rcode.NXDOMAIN);
  }

  private lookupReverse(name: string, type: number): Resolution {
    const recs = this.byName.get(name);
    if (recs) {
      const answers = type === RRType.PTR || type === RRType.ANY ? recs.filter((r) => r.type === RRType.PTR) : [];
      return { kind: 'answer', rcode: Rcode.NOERROR, authoritative: true, answers, authority: [], additional: [] };
    }
    const ip = addressOfReverse(name);
    if (ip && this.o.serviceCIDRs?.some((c) => cidrContains(c, ip))) {
      return { kind: 'answer', rcode: Rcode.NXDOMAIN, authoritative: true, answers: [], authority: [], additional: [] };
    }
    return { kind: 'forward' };
  }

  /** NOERROR with these answers; NODATA (SOA in authority) when there are none. */
  private positive(answers: ResourceRecord[]): Resolution {
    if (answers.length === 0) return this.negative(Rcode.NOERROR);
    const additional: ResourceRecord[] = [];
    // SRV targets inside the zone travel with their addresses (as CoreDNS does).
    for (const rr of answers) {
      if (rr.type !== RRType.SRV) continue;
      const target = (rr.data as { target: string }).target;
      for (const a of this.byName.get(target) ?? []) if (a.type === RRType.A || a.type === RRType.AAAA) additional.push(a);
    }
    return { kind: 'answer', rcode: Rcode.NOERROR, authoritative: true, answers, authority: [], additional };
  }

  /** NXDOMAIN or NODATA: the SOA goes in authority so resolvers can cache the negative answer (RFC 2308). */
  private negative(rcode: number): Resolution {
    return { kind: 'answer', rcode, authoritative: true, answers: [], authority: [this.soa()], additional: [] };
  }
}

function sameRecords(a: readonly ResourceRecord[], b: readonly ResourceRecord[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name || x.type !== y.type || x.ttl !== y.ttl || JSON.stringify(x.data) !== JSON.stringify(y.data)) return false;
  }
  return true;
}
