// kube-proxy's metrics (upstream pkg/proxy/metrics): sync duration, network programming latency,
// last sync time, and how much is programmed.
import { Counter, Gauge, Histogram, type MetricsRegistry } from '../util/metrics.js';

export class ProxyMetrics {
  readonly syncDuration: Histogram;
  readonly programmingLatency: Histogram;
  readonly lastSync: Gauge;
  readonly programmed: Gauge;
  readonly syncFailures: Counter;

  constructor(reg: MetricsRegistry) {
    this.syncDuration = reg.register(new Histogram('kubeproxy_sync_proxy_rules_duration_seconds', 'SyncProxyRules latency in seconds', ['mode'],
      [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384]));
    this.programmingLatency = reg.register(new Histogram('kubeproxy_network_programming_duration_seconds',
      'In Cluster Network Programming Latency in seconds', ['mode'],
      [0.25, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 30, 60, 120, 180, 240, 300]));
    this.lastSync = reg.register(new Gauge('kubeproxy_sync_proxy_rules_last_timestamp_seconds', 'The last time proxy rules were successfully synced'));
    this.programmed = reg.register(new Gauge('kubeproxy_sync_proxy_rules_programmed', 'Rules (iptables) or listeners (userspace) programmed by the last sync', ['mode']));
    this.syncFailures = reg.register(new Counter('kubeproxy_sync_proxy_rules_failures_total', 'Syncs that failed and will be retried in full', ['mode']));
  }
}
