// Where managedFields sit inside metadata. The store compares encoded bytes to skip writes that
// change nothing, so the entries are put back where the live object had them.
import type { KubeObject, ManagedFieldsEntry } from '../types.js';

/** Sets (or, for undefined, removes) obj.metadata.managedFields at the position live has them. */
export function placeManagedFields(obj: KubeObject, entries: ManagedFieldsEntry[] | undefined, live: KubeObject | undefined): void {
  const meta = obj.metadata;
  const { managedFields: _old, ...rest } = meta;
  const liveKeys = live?.metadata ? Object.keys(live.metadata) : [];
  const pos = liveKeys.indexOf('managedFields');
  const out: Record<string, unknown> = {};
  if (pos >= 0) {
    const before = new Set(liveKeys.slice(0, pos));
    for (const [k, v] of Object.entries(rest)) if (before.has(k)) out[k] = v;
    if (entries) out.managedFields = entries;
    for (const [k, v] of Object.entries(rest)) if (!before.has(k)) out[k] = v;
  } else {
    Object.assign(out, rest);
    if (entries) out.managedFields = entries;
  }
  obj.metadata = out as KubeObject['metadata'];
}
