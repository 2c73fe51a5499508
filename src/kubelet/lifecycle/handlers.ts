// Container lifecycle hooks (upstream pkg/kubelet/lifecycle/handlers.go): postStart after the
// container started and preStop before it is stopped, each an exec in the container, an HTTP GET
// to the pod IP, or a sleep.
import type { Clock } from '../../util/clock.js';
import type { RuntimeService } from '../runtime/index.js';
import { runProbe } from '../prober/probe.js';
import type { Obj } from '../types.js';

export interface HookTarget {
  runtime: Pick<RuntimeService, 'execSync'>;
  clock: Clock;
  containerId: string;
  container: Obj;
  podIP: string;
  /** Upper bound in seconds (the grace period for preStop). */
  timeoutSeconds: number;
}

/** Runs a handler; resolves to an error message, or '' on success. */
export async function runHook(handler: Obj, t: HookTarget): Promise<string> {
  if (handler.sleep) {
    await t.clock.sleep(Math.min(Number(handler.sleep.seconds ?? 0), t.timeoutSeconds) * 1000);
    return '';
  }
  if (handler.exec) {
    const out = await runProbe({ exec: handler.exec, timeoutSeconds: Math.max(1, t.timeoutSeconds) }, t);
    if (out.result === 'success') return '';
    return `Exec lifecycle hook (${JSON.stringify(handler.exec.command ?? [])}) for Container "${t.container.name}" failed - error: command '${(handler.exec.command ?? []).join(' ')}' exited with non-zero status, message: "${out.output}"`;
  }
  if (handler.httpGet) {
    const out = await runProbe({ httpGet: handler.httpGet, timeoutSeconds: Math.max(1, t.timeoutSeconds) }, t);
    if (out.result === 'success') return '';
    return `HTTP lifecycle hook (${handler.httpGet.path ?? '/'}) for Container "${t.container.name}" failed - error: ${out.output}`;
  }
  if (handler.tcpSocket) return '';
  return 'cannot run handler: unknown handler type';
}
