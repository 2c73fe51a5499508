// Prometheus metrics of the DNS server, named after CoreDNS's (coredns_dns_requests_total, …) with a
// skiff_ prefix: requests by protocol and type, responses by rcode, latency, and cache hits.
import { Counter, Histogram, type MetricsRegistry } from '../util/metrics.js';

const BUCKETS = [0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096];

export class DNSMetrics {
  readonly requests: Counter;
  readonly responses: Counter;
  readonly duration: Histogram;
  readonly cacheHits: Counter;
  readonly cacheMisses: Counter;

  constructor(registry: MetricsRegistry) {
    this.requests = registry.register(new Counter('skiff_dns_requests_total', 'DNS queries answered, by transport and query type.', ['proto', 'type']));
    this.responses = registry.register(new Counter('skiff_dns_responses_total', 'DNS replies sent, by rcode.', ['rcode']));
    this.duration = registry.register(new Histogram('skiff_dns_request_duration_seconds', 'Time to answer a query, by where the answer came from.', ['source'], BUCKETS));
    this.cacheHits = registry.register(new Counter('skiff_dns_cache_hits_total', 'Replies served from a cache: cluster (finished packets) or forward (upstream answers).', ['cache']));
    this.cacheMisses = registry.register(new Counter('skiff_dns_cache_misses_total', 'Replies that had to be built or fetched.', ['cache']));
  }

  /** Records one answered query; ms is the time taken. */
  observe(proto: string, type: string, rcode: string, source: string, cached: boolean, ms: number): void {
    this.requests.inc({ proto, type });
    this.responses.inc({ rcode });
    this.duration.observe({ source }, ms / 1000);
    if (source === 'cluster' || source === 'forward') (cached ? this.cacheHits : this.cacheMisses).inc({ cache: source });
  }
}
