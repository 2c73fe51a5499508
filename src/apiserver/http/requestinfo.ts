// Parses a request path into what it addresses, as kube-apiserver's RequestInfoFactory does:
// /api/v1/namespaces/ns/pods/name/status → {group:'', version:'v1', namespace:'ns', resource:'pods', name, subresource:'status'}.

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection (resource requests); the lower-case method otherwise. */
  verb: string;
  apiPrefix: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments after the subresource (proxy paths). */
  rest: string[];
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Parses a URL path and method; `watch` is the ?watch query value. */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', group: '', version: '',
    namespace: '', resource: '', subresource: '', name: '', rest: [],
  };
  const parts = path.split('/').filter((p, i) => i > 0 || p !== '').map(safeDecode);
  if (parts[0] === '') parts.shift();
  if (parts[parts.length - 1] === '') parts.pop();
  if (parts[0] !== 'api' && parts[0] !== 'apis') return info;
  info.apiPrefix = parts.shift()!;
  if (info.apiPrefix === 'apis') {
    if (parts.length < 2) return info; // /apis, /apis/<group>: discovery
    info.group = parts.shift()!;
  }
  if (parts.length < 1) return info; // /api: discovery
  info.version = parts.shift()!;
  if (parts.length < 1) return info; // /api/v1: discovery
  info.isResourceRequest = true;
  info.verb = METHOD_VERBS[method] ?? method.toLowerCase();

  // Deprecated /watch/ paths (still served upstream): GET /api/v1/watch/namespaces/ns/pods
  let watchPath = false;
  if ((parts[0] as string | undefined) === 'watch') {
    parts.shift();
    watchPath = true;
  }
  if ((parts[0] as string | undefined) === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      // /namespaces/<ns> itself is the namespace object, and /namespaces/<ns>/status|finalize its subresources.
      if (parts.length > 2 && parts[2] !== 'status' && parts[2] !== 'finalize') parts.splice(0, 2);
    }
  }
  info.resource = parts[0] ?? '';
  info.name = parts[1] ?? '';
  info.subresource = parts[2] ?? '';
  info.rest = parts.slice(3);
  // As upstream, /namespaces/<ns> keeps namespace = <ns> (authorizers use it); handlers ignore the
  // namespace of cluster-scoped resources.

  if (info.verb === 'get' && !info.name) info.verb = 'list';
  if (info.verb === 'delete' && !info.name) info.verb = 'deletecollection';
  if ((info.verb === 'list' || info.verb === 'get') && (watchPath || isTrue(query.get('watch')))) info.verb = 'watch';
  return info;
}

function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
