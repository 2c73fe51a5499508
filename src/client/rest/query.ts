// URL paths and query strings for the REST verbs (client-go's request builder).
import type { ResolvedResource, ListOptions, WatchOptions, WriteOptions, PatchOptions } from '../interfaces.js';

/** /api/v1[/namespaces/ns]/pods[/name[/sub]] or /apis/group/version/… */
export function resourcePath(r: ResolvedResource, namespace: string | undefined, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (namespace && r.namespaced) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.resource}`;
  if (name !== undefined) {
    if (name === '') throw new Error(`client: ${r.resource}: resource name may not be empty`);
    p += `/${encodeURIComponent(name)}`;
  }
  if (subresource) p += `/${subresource}`;
  return p;
}

type Params = Record<string, string | number | boolean | undefined>;

/** "?a=1&b=x" from the set parameters, or "". */
export function queryString(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function listParams(o: ListOptions = {}): Params {
  return {
    labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, limit: o.limit, continue: o.continue,
    resourceVersion: o.resourceVersion, resourceVersionMatch: o.resourceVersionMatch, timeoutSeconds: o.timeoutSeconds,
  };
}

export function watchParams(o: WatchOptions = {}): Params {
  return {
    watch: 'true', labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch, allowWatchBookmarks: o.allowWatchBookmarks || undefined,
    sendInitialEvents: o.sendInitialEvents, timeoutSeconds: o.timeoutSeconds,
  };
}

export function writeParams(o: WriteOptions = {}): Params {
  return { dryRun: o.dryRun ? 'All' : undefined, fieldManager: o.fieldManager, fieldValidation: o.fieldValidation };
}

export function patchParams(o: PatchOptions = {}): Params {
  return { ...writeParams(o), force: o.force || undefined };
}

export const PATCH_CONTENT_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;
