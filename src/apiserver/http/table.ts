// meta.k8s.io Table and PartialObjectMetadata representations (kubectl-wire §4.2).
import type { KubeObject } from '../../api/types.js';
import { printerFor } from '../../api/printers/index.js';
import { errors } from '../../util/errors.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function parseIncludeObject(v: string | null): IncludeObject {
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw errors.badRequest(`includeObject: unsupported value "${v}": must be None, Metadata or Object`);
}

export function partialMetadata(obj: KubeObject, version = 'v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** A Table of objects; columnDefinitions may be omitted (watch events after the first). */
export function toTable(
  group: string,
  kind: string,
  objs: KubeObject[],
  opts: { include: IncludeObject; version: string; resourceVersion?: string; continue?: string; remainingItemCount?: number; withColumns?: boolean },
): Record<string, unknown> {
  const printer = printerFor(group, kind);
  const now = Date.now();
  const rows = objs.map((o) => {
    const row: Record<string, unknown> = { cells: printer.cells(o, now) };
    if (opts.include === 'Object') row.object = o;
    else if (opts.include === 'Metadata') row.object = partialMetadata(o, opts.version);
    return row;
  });
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata,
    columnDefinitions: opts.withColumns === false ? null : printer.columns,
    rows,
  };
}
