// Writing responses: JSON bodies, Status errors, and the representation the client asked for.
import type { ServerResponse } from 'node:http';
import { statusFromError, type Status } from '../../util/errors.js';

/** Sends a JSON body (a string is sent as is). */
export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': bytes.length, ...headers });
  res.end(bytes);
}

/** Bytes per socket write when a body is sent in pieces (sendJsonParts). */
const PIECE_BYTES = 1 << 20;

/**
 * Sends a JSON body given as the parts it is made of (a large list: items already encoded), in
 * pieces of about 1 MiB that follow the socket's back-pressure. Neither the whole body nor its
 * ciphertext is ever one buffer: a 20 MB list costs one copy of each part and no giant
 * allocation for the garbage collector to reckon with. Resolves once the last piece is handed to
 * the socket, or when the client goes away.
 */
export async function sendJsonParts(res: ServerResponse, code: number, parts: readonly Buffer[]): Promise<void> {
  let total = 0;
  for (const p of parts) total += p.length;
  if (total <= PIECE_BYTES) return sendJson(res, code, Buffer.concat(parts, total));
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': total });
  let i = 0;
  while (i < parts.length) {
    let size = 0;
    const start = i;
    while (i < parts.length && (size === 0 || size + parts[i]!.length <= PIECE_BYTES)) size += parts[i++]!.length;
    if (res.destroyed) return;
    const piece = i - start === 1 ? parts[start]! : Buffer.concat(parts.slice(start, i), size);
    if (i === parts.length) {
      res.end(piece);
      return;
    }
    if (!res.write(piece)) await drained(res);
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
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
