// Deleting everything in a namespace, one resource at a time (upstream
// pkg/controller/namespace/deletion/namespaced_resources_deleter.go, deleteAllContent): deletecollection
// where the resource supports it, else list + delete; then list again to see what is left, counting
// remaining instances and the finalizers holding them, and estimating how long graceful pods need.
import type { KubeObject } from '../../api/types.js';
import { resources as registryResources } from '../../api/registry.js';
import type { Client, ResourceRef } from '../../client/index.js';
import { isReason } from '../../util/errors.js';
import type { DeletionOutcome } from './conditions.js';

/** One namespaced resource the controller empties. */
export interface ContentResource extends ResourceRef {
  /** Whether the resource serves deletecollection. */
  deleteCollection: boolean;
}

/**
 * Every namespaced, stored resource with list and delete (discovery's view), once per storage
 * location — events are served as v1 and events.k8s.io/v1 but stored once. Pods come first, so
 * their controllers stop seeing owners vanish under running pods.
 */
export function namespacedResources(): ContentResource[] {
  const seen = new Set<string>();
  const out: ContentResource[] = [];
  for (const r of registryResources) {
    if (!r.namespaced || !r.stored || !r.verbs.includes('list') || !r.verbs.includes('delete')) continue;
    const storage = `${r.storage.group}/${r.storage.resource}`;
    if (seen.has(storage)) continue;
    seen.add(storage);
    out.push({ group: r.group, version: r.version, resource: r.resource, deleteCollection: r.verbs.includes('deletecollection') });
  }
  out.sort((a, b) => Number(b.resource === 'pods' && b.group === '') - Number(a.resource === 'pods' && a.group === ''));
  return out;
}

export interface ContentDeletion {
  /** Seconds to wait before looking again (graceful pods, finalizers); 0 = nothing to wait for. */
  estimateSeconds: number;
}

/** How long upstream waits for content held by finalizers before checking again. */
export const FINALIZER_ESTIMATE_SECONDS = 15;

/** Deletes one resource's content in ns and records what remains into outcome. */
export async function deleteResourceContent(
  client: Client, r: ContentResource, ns: string, outcome: DeletionOutcome, now: number,
): Promise<ContentDeletion> {
  const ops = client.resource(r).namespace(ns);
  const label = `${r.resource}.${r.group}`;
  try {
    if (r.deleteCollection) {
      await ops.deleteCollection({});
    } else {
      const { items } = await ops.list();
      for (const o of items) {
        if (o.metadata.deletionTimestamp) continue;
        await ops.delete(o.metadata.name!).catch((err) => {
          if (!isReason(err, 'NotFound')) throw err;
        });
      }
    }
  } catch (err) {
    // Upstream skips resources that turn out not to support the verb (405) and reports the rest.
    if (!isReason(err, 'MethodNotAllowed') && !isReason(err, 'NotFound')) {
      outcome.contentErrors.push(`${label}: ${errText(err)}`);
      return { estimateSeconds: 0 };
    }
  }
  let items: KubeObject[];
  try {
    items = (await ops.list()).items;
  } catch (err) {
    outcome.contentErrors.push(`${label}: ${errText(err)}`);
    return { estimateSeconds: 0 };
  }
  if (!items.length) return { estimateSeconds: 0 };
  outcome.remaining.set(label, (outcome.remaining.get(label) ?? 0) + items.length);
  let estimate = r.resource === 'pods' && r.group === '' ? podGraceEstimate(items, now) : 0;
  let finalized = false;
  for (const o of items) {
    for (const f of o.metadata.finalizers ?? []) {
      finalized = true;
      outcome.finalizers.set(f, (outcome.finalizers.get(f) ?? 0) + 1);
    }
  }
  if (finalized) estimate = Math.max(estimate, FINALIZER_ESTIMATE_SECONDS);
  if (estimate === 0) outcome.contentErrors.push(`unexpected items still remain in namespace: ${ns} for gvr: ${r.group}/${r.version}, Resource=${r.resource}`);
  return { estimateSeconds: estimate };
}

/**
 * Seconds until the slowest remaining pod's grace period ends (upstream estimateGracefulTermination):
 * the kubelet deletes it then; terminal pods need no wait.
 */
function podGraceEstimate(pods: KubeObject[], now: number): number {
  let max = 0;
  for (const p of pods) {
    const phase = (p.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    let grace = (p.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ?? 30;
    if (p.metadata.deletionTimestamp) grace = Math.max(0, Math.ceil((Date.parse(p.metadata.deletionTimestamp) - now) / 1000));
    if (p.metadata.deletionGracePeriodSeconds !== undefined && !p.metadata.deletionTimestamp) grace = p.metadata.deletionGracePeriodSeconds;
    max = Math.max(max, grace);
  }
  return max;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
