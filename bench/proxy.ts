// The service proxy bench (`npm run bench -- proxy`):
//   - userspace mode: HTTP requests/s through a ClusterIP vs straight to the pod, same run (wrk);
//   - iptables mode (root): full sync time with 1,000 and 10,000 Services of 2 endpoints each, in a
//     throwaway network namespace; endpoint change → rules programmed latency through the real API
//     server (`skiff server`, the proxy loop with its 1 s minimum sync period).
import { userspaceThroughput } from './_proxy-throughput.js';
import { configureLogging } from '../src/util/log.js';

export async function run(): Promise<void> {
  configureLogging({ quiet: true });
  await userspaceThroughput();
}
