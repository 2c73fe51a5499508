// The five deletion conditions the namespace controller keeps on a terminating namespace, with
// upstream's types, reasons and messages (pkg/controller/namespace/deletion/status_condition_utils.go).
// Each pass sets all five: True with a failure reason when something went wrong, False with the
// "ok" reason otherwise; lastTransitionTime only moves when status, reason or message changes.

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

const OK: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** What one deletion pass found; each failure becomes a True condition. */
export interface DeletionOutcome {
  /** Resources discovery could not describe (e.g. an aggregated API that is down). */
  discoveryFailures: string[];
  /** group/version strings that did not parse. */
  groupVersionFailures: string[];
  /** Errors deleting or listing content. */
  contentErrors: string[];
  /** "pods." → instances still present. */
  remaining: Map<string, number>;
  /** finalizer → instances still carrying it. */
  finalizers: Map<string, number>;
}

export function emptyOutcome(): DeletionOutcome {
  return { discoveryFailures: [], groupVersionFailures: [], contentErrors: [], remaining: new Map(), finalizers: new Map() };
}

function failure(type: ConditionType, o: DeletionOutcome): { reason: string; message: string } | undefined {
  switch (type) {
    case 'NamespaceDeletionDiscoveryFailure':
      return o.discoveryFailures.length
        ? { reason: 'DiscoveryFailed', message: `Discovery failed for some groups, ${o.discoveryFailures.length} failing: ${o.discoveryFailures.join(', ')}` }
        : undefined;
    case 'NamespaceDeletionGroupVersionParsingFailure':
      return o.groupVersionFailures.length ? { reason: 'GroupVersionParsingFailed', message: o.groupVersionFailures.join(', ') } : undefined;
    case 'NamespaceDeletionContentFailure':
      return o.contentErrors.length
        ? { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${o.contentErrors.length} remaining: ${o.contentErrors.join(', ')}` }
        : undefined;
    case 'NamespaceContentRemaining':
      return o.remaining.size
        ? { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${[...o.remaining].sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `${r} has ${n} resource instances`).join(', ')}` }
        : undefined;
    case 'NamespaceFinalizersRemaining':
      return o.finalizers.size
        ? { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${[...o.finalizers].sort(([a], [b]) => a.localeCompare(b)).map(([f, n]) => `${f} in ${n} resource instances`).join(', ')}` }
        : undefined;
  }
}

/**
 * The conditions after a pass: conditions of other types are kept, ours are replaced; a condition
 * whose status, reason and message did not change keeps its lastTransitionTime.
 */
export function updateConditions(current: NamespaceCondition[] | undefined, o: DeletionOutcome, now: string): NamespaceCondition[] {
  const out = (current ?? []).filter((c) => !(CONDITION_TYPES as readonly string[]).includes(c.type));
  for (const type of CONDITION_TYPES) {
    const f = failure(type, o);
    const next: NamespaceCondition = { type, status: f ? 'True' : 'False', lastTransitionTime: now, ...(f ?? OK[type]) };
    const old = current?.find((c) => c.type === type);
    if (old && old.status === next.status && old.reason === next.reason && old.message === next.message) out.push(old);
    else out.push(next);
  }
  return out;
}

/** Whether two condition lists say the same (so no status write is needed). */
export function sameConditions(a: NamespaceCondition[] | undefined, b: NamespaceCondition[]): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b);
}
