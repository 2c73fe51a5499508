// Decoding an object body for create/update: content type, apiVersion/kind against the URL, and
// unknown-field handling per fieldValidation (Strict / Warn / Ignore).
import { errors } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf } from '../../api/registry.js';
import { decodeBody, readBody } from '../http/body.js';
import type { HandlerContext } from './context.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidation(ctx: HandlerContext): FieldValidation {
  const v = ctx.query.get('fieldValidation') ?? '';
  if (v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw errors.badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(v)}: supported values: "Ignore", "Strict", "Warn"`);
}

/** Reads the request body as an object of the resource's kind (or `expectKind` for subresources). */
export async function readObject(ctx: HandlerContext, expect?: { apiVersion: string; kind: string }): Promise<KubeObject> {
  const want = expect ?? { apiVersion: apiVersionOf(ctx.resource), kind: ctx.resource.kind };
  const body = await readBody(ctx.req);
  const obj = decodeBody(body, ctx.req.headers['content-type'], want.kind) as KubeObject;
  checkTypeMeta(obj, want);
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
    throw errors.badRequest(`${want.kind} in version "${want.apiVersion.split('/').pop()}" cannot be handled as a ${want.kind}: json: cannot unmarshal ${typeof obj.metadata} into Go struct field ${want.kind}.metadata of type v1.ObjectMeta`);
  }
  obj.metadata ??= {};
  obj.apiVersion = want.apiVersion;
  obj.kind = want.kind;
  return obj;
}

/** apiVersion/kind in a body must match the endpoint (empty is allowed and filled in). */
export function checkTypeMeta(obj: Record<string, unknown>, want: { apiVersion: string; kind: string }): void {
  const av = obj.apiVersion;
  const k = obj.kind;
  if (av !== undefined && av !== '' && av !== want.apiVersion) {
    throw errors.badRequest(`the API version in the data (${String(av)}) does not match the expected API version (${want.apiVersion})`);
  }
  if (k !== undefined && k !== '' && k !== want.kind) {
    throw errors.badRequest(`the kind in the data (${String(k)}) does not match the expected kind (${want.kind})`);
  }
}

/** Adds Warning headers as upstream does (`299 - "message"`). */
export function warningHeaders(warnings: string[]): Record<string, string[]> | Record<string, never> {
  if (!warnings.length) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) };
}
