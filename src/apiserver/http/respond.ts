// Writing responses: JSON bodies, Status errors, and the representation the client asked for.
import type { ServerResponse } from 'node:http';
import { statusFromError, type Status } from '../../util/errors.js';

/** Sends a JSON body (a string is sent as is). */
export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

/** Sends any error as a Kubernetes Status with its HTTP code. */
export function sendError(res: ServerResponse, err: unknown): Status {
  const st = statusFromError(err);
  if (res.headersSent) {
    res.destroy();
    return st;
  }
  const headers: Record<string, string> = {};
  if (st.code === 429 && st.details?.retryAfterSeconds) headers['Retry-After'] = String(st.details.retryAfterSeconds);
  sendJson(res, st.code, st, headers);
  return st;
}

export type Representation =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' };

/**
 * Picks the representation from the Accept header, walking its entries in order as upstream's
 * negotiation does: `application/json;as=Table;v=v1;g=meta.k8s.io` → Table; plain JSON/protobuf/* → object.
 */
export function negotiate(accept: string | undefined, list: boolean): Representation | undefined {
  if (!accept) return { as: 'object' };
  for (const raw of accept.split(',')) {
    const [type, ...params] = raw.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
    }
    if (p.as) {
      if (type !== 'application/json' && type !== 'application/yaml') continue;
      if (p.g !== 'meta.k8s.io' || (p.v !== 'v1' && p.v !== 'v1beta1')) continue;
      if (p.as === 'Table') return { as: 'Table', version: p.v };
      if (p.as === (list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata')) return { as: 'PartialObjectMetadata', version: p.v };
      continue;
    }
    if (['application/json', 'application/*', '*/*', 'application/vnd.kubernetes.protobuf', 'application/yaml'].includes(type ?? '') || type === '') {
      return { as: 'object' };
    }
  }
  return undefined;
}
