// Pod failure policy (upstream pkg/controller/job/pod_failure_policy.go): the first rule that matches a
// failed pod decides — FailJob ends the job, Ignore does not count the failure, Count counts it.
import type { KubeObject } from '../../api/types.js';

type Obj = Record<string, any>;

export interface PolicyMatch {
  /** Set when a FailJob rule matched: the job failure message. */
  failJobMessage?: string;
  /** Whether the failure counts against backoffLimit. */
  countFailed: boolean;
  action?: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
}

export function matchPodFailurePolicy(policy: Obj | undefined, pod: KubeObject & { status?: Obj }): PolicyMatch {
  if (!policy) return { countFailed: true };
  const ns = pod.metadata.namespace;
  const rules: Obj[] = policy.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const action = rule.action as PolicyMatch['action'];
    if (rule.onExitCodes) {
      const hit = matchExitCodes(rule.onExitCodes, pod);
      if (!hit) continue;
      const msg = `Container ${hit.name} for pod ${ns}/${pod.metadata.name} failed with exit code ${hit.code} matching ${action} rule at index ${i}`;
      return result(action, msg);
    }
    if (rule.onPodConditions) {
      const cond = matchConditions(rule.onPodConditions, pod);
      if (!cond) continue;
      const msg = `Pod ${ns}/${pod.metadata.name} has condition ${cond} matching ${action} rule at index ${i}`;
      return result(action, msg);
    }
  }
  return { countFailed: true };
}

function result(action: PolicyMatch['action'], msg: string): PolicyMatch {
  switch (action) {
    case 'FailJob': return { failJobMessage: msg, countFailed: true, action };
    case 'Ignore': return { countFailed: false, action };
    default: return { countFailed: true, action };
  }
}

// Containers that exited 0 never match (the policy is about failures).
function matchExitCodes(req: Obj, pod: { status?: Obj }): { name: string; code: number } | undefined {
  const values = new Set<number>(req.values ?? []);
  const statuses: Obj[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const cs of statuses) {
    if (req.containerName && cs.name !== req.containerName) continue;
    const code = cs.state?.terminated?.exitCode;
    if (typeof code !== 'number' || code === 0) continue;
    const inSet = values.has(code);
    if ((req.operator === 'In' && inSet) || (req.operator === 'NotIn' && !inSet)) return { name: cs.name, code };
  }
  return undefined;
}

function matchConditions(patterns: Obj[], pod: { status?: Obj }): string | undefined {
  for (const c of pod.status?.conditions ?? []) {
    for (const p of patterns) if (p.type === c.type && (p.status ?? 'True') === c.status) return c.type;
  }
  return undefined;
}
