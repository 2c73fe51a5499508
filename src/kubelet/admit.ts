// Pod admission on the node (upstream lifecycle predicate admit handler, GeneralPredicates): the
// pod must fit the node's allocatable resources next to the pods already admitted, its host ports
// must be free, its node selector/affinity must match the node and it must tolerate the node's
// NoExecute taints. A rejected pod is set Failed with upstream's reason and message.
import { toMilli, toValue } from '../api/quantity/index.js';
import type { Obj } from './types.js';

export interface AdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

/** Effective requests of a pod: max(sum of app containers, each init container), plus overhead. */
export function podRequests(pod: Obj): Map<string, number> {
  const sum = new Map<string, number>();
  const val = (r: string, q: unknown) => (r === 'cpu' ? toMilli(q as string) : toValue(q as string));
  for (const c of pod.spec?.containers ?? []) {
    for (const [r, q] of Object.entries(c.resources?.requests ?? {})) sum.set(r, (sum.get(r) ?? 0) + val(r, q));
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [r, q] of Object.entries(c.resources?.requests ?? {})) sum.set(r, Math.max(sum.get(r) ?? 0, val(r, q)));
  }
  for (const [r, q] of Object.entries(pod.spec?.overhead ?? {})) sum.set(r, (sum.get(r) ?? 0) + val(r, q));
  return sum;
}

function hostPorts(pod: Obj): string[] {
  const out: string[] = [];
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`);
  }
  return out;
}

function portsConflict(a: string, b: string): boolean {
  const [pa, ia, na] = a.split('/');
  const [pb, ib, nb] = b.split('/');
  return pa === pb && na === nb && (ia === ib || ia === '0.0.0.0' || ib === '0.0.0.0');
}

function matchExpr(labels: Record<string, string>, e: Obj): boolean {
  const v = labels[e.key];
  switch (e.operator) {
    case 'In': return v !== undefined && (e.values ?? []).includes(v);
    case 'NotIn': return v === undefined || !(e.values ?? []).includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && Number(v) > Number(e.values?.[0]);
    case 'Lt': return v !== undefined && Number(v) < Number(e.values?.[0]);
    default: return false;
  }
}

function nodeMatches(pod: Obj, node: Obj): boolean {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms: Obj[] | undefined = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length) {
    const ok = terms.some((t) => (t.matchExpressions ?? []).every((e: Obj) => matchExpr(labels, e))
      && (t.matchFields ?? []).every((e: Obj) => matchExpr({ 'metadata.name': node.metadata.name }, e))
      && ((t.matchExpressions ?? []).length + (t.matchFields ?? []).length > 0));
    if (!ok) return false;
  }
  return true;
}

function tolerates(tols: Obj[], taint: Obj): boolean {
  return tols.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

const RES_NAME: Record<string, string> = { cpu: 'cpu', memory: 'memory', 'ephemeral-storage': 'ephemeral-storage', pods: 'pods' };

/** Decides whether pod may run next to the already admitted pods. */
export function admitPod(pod: Obj, node: Obj, admitted: Obj[]): AdmitResult {
  const alloc: Record<string, string> = node.status?.allocatable ?? {};
  const used = new Map<string, number>();
  for (const p of admitted) for (const [r, v] of podRequests(p)) used.set(r, (used.get(r) ?? 0) + v);
  if (alloc.pods !== undefined && admitted.length + 1 > toValue(alloc.pods)) {
    return { admit: false, reason: 'OutOfpods', message: `Node didn't have enough resource: pods, requested: 1, used: ${admitted.length}, capacity: ${toValue(alloc.pods)}` };
  }
  for (const [r, want] of podRequests(pod)) {
    if (want === 0) continue;
    const cap = alloc[r] === undefined ? 0 : r === 'cpu' ? toMilli(alloc[r]!) : toValue(alloc[r]!);
    const u = used.get(r) ?? 0;
    if (want + u > cap) {
      return { admit: false, reason: `OutOf${RES_NAME[r] ?? r}`, message: `Node didn't have enough resource: ${r}, requested: ${want}, used: ${u}, capacity: ${cap}` };
    }
  }
  const taken = admitted.flatMap(hostPorts);
  for (const p of hostPorts(pod)) {
    if (taken.some((t) => portsConflict(p, t))) return { admit: false, reason: 'NodePorts', message: 'Predicate NodePorts failed' };
  }
  if (!nodeMatches(pod, node)) return { admit: false, reason: 'NodeAffinity', message: 'Predicate NodeAffinity failed' };
  const noExec = (node.spec?.taints ?? []).filter((t: Obj) => t.effect === 'NoExecute');
  for (const t of noExec) {
    if (!tolerates(pod.spec?.tolerations ?? [], t)) return { admit: false, reason: 'UntoleratedTaint', message: `Predicate TaintToleration failed` };
  }
  return { admit: true };
}
