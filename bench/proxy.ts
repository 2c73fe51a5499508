// The service proxy bench (`npm run bench -- proxy`):
//   - userspace mode: HTTP requests/s through a ClusterIP vs straight to the pod, same run (wrk);
//   - iptables mode (root): full sync time with 1,000 and 10,000 Services of 2 endpoints each, in a
//     throwaway network namespace; endpoint change → rules programmed latency through the real API
//     server (`skiff server`, the proxy loop with its 1 s minimum sync period).
// BENCH_PROXY_CASES=userspace,iptables-sync,iptables-latency limits the cases;
// BENCH_PROXY_BACKENDS=legacy,nft the iptables clients of the sync case.
import { userspaceThroughput } from './_proxy-throughput.js';
import { iptablesProgrammingLatency, iptablesSyncTimes } from './_proxy-iptables.js';
import { configureLogging } from '../src/util/log.js';
import { parseBackendChoice } from '../src/proxy/iptables/index.js';
import { progress } from './lib.js';

export async function run(): Promise<void> {
  configureLogging({ quiet: true });
  const only = process.env.BENCH_PROXY_CASES?.split(',');
  const want = (c: string) => !only || only.includes(c);
  if (want('userspace')) await userspaceThroughput();
  if (process.getuid?.() !== 0) {
    progress('proxy: iptables cases need root; skipped');
    return;
  }
  const backends = (process.env.BENCH_PROXY_BACKENDS ?? 'legacy,nft').split(',').map((b) => parseBackendChoice(b.trim()));
  if (want('iptables-sync')) await iptablesSyncTimes([1000, 10_000], backends.filter((b) => b !== 'auto'));
  if (want('iptables-latency')) await iptablesProgrammingLatency();
}
