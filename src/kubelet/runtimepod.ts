// Reads one pod's state from the runtime by its uid label (upstream kuberuntime GetPodStatus):
// sandboxes and container statuses, newest first.
import type { ContainerStatus, PodSandboxStatus, RuntimeService } from './runtime/index.js';
import { isReason } from '../util/errors.js';
import { LABEL, type RuntimePod } from './types.js';

async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (isReason(err, 'NotFound')) return null;
    throw err;
  }
}

export async function getRuntimePod(rt: RuntimeService, uid: string): Promise<RuntimePod> {
  const sel = { labelSelector: { [LABEL.podUID]: uid } };
  const [boxes, ctrs] = await Promise.all([rt.listPodSandbox(sel), rt.listContainers(sel)]);
  const sandboxes = (await Promise.all(boxes.map((b) => orNull(rt.podSandboxStatus(b.id))))).filter((s): s is PodSandboxStatus => !!s);
  const containers = (await Promise.all(ctrs.map((c) => orNull(rt.containerStatus(c.id))))).filter((s): s is ContainerStatus => !!s);
  sandboxes.sort((a, b) => b.createdAt - a.createdAt || (b.metadata.attempt ?? 0) - (a.metadata.attempt ?? 0));
  containers.sort((a, b) => b.createdAt - a.createdAt || (b.metadata.attempt ?? 0) - (a.metadata.attempt ?? 0));
  const md = sandboxes[0]?.metadata;
  return { uid, name: md?.name ?? '', namespace: md?.namespace ?? '', sandboxes, containers };
}

/**
 * The pod lifecycle event generator's relist (upstream generic PLEG): a signature per pod uid of
 * its sandboxes' and containers' ids and states, so a change can trigger that pod's sync.
 */
export async function relist(rt: RuntimeService): Promise<Map<string, string>> {
  const [boxes, ctrs] = await Promise.all([rt.listPodSandbox(), rt.listContainers()]);
  const parts = new Map<string, string[]>();
  const add = (uid: string | undefined, s: string) => {
    if (!uid) return;
    let l = parts.get(uid);
    if (!l) parts.set(uid, (l = []));
    l.push(s);
  };
  for (const b of boxes) add(b.labels[LABEL.podUID], `s:${b.id}:${b.state}`);
  for (const c of ctrs) add(c.labels[LABEL.podUID], `c:${c.id}:${c.state}`);
  return new Map([...parts].map(([uid, l]) => [uid, l.sort().join(',')]));
}
