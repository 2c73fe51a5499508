// Decoding an object body for create/update: content type, apiVersion/kind against the URL, and
// unknown-field handling per fieldValidation (Strict / Warn / Ignore).
import { errors } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf } from '../../api/registry.js';
import { typeMismatch, unknownFields } from '../../api/schema/index.js';
import type { GroupVersionKind } from '../../api/schema/index.js';
import { decodeObjectBody, readBody } from '../http/body.js';
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
  const mode = fieldValidation(ctx);
  const body = await readBody(ctx.req);
  const { obj: decoded, duplicates } = decodeObjectBody(body, ctx.req.headers['content-type'], want.kind, mode !== 'Ignore');
  const obj = decoded as KubeObject;
  checkTypeMeta(obj, want);
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
    throw errors.badRequest(`${want.kind} in version "${want.apiVersion.split('/').pop()}" cannot be handled as a ${want.kind}: json: cannot unmarshal ${typeof obj.metadata} into Go struct field ${want.kind}.metadata of type v1.ObjectMeta`);
  }
  const [group, version] = want.apiVersion.includes('/') ? want.apiVersion.split('/') as [string, string] : ['', want.apiVersion];
  const gvk = { group, version, kind: want.kind };
  // A value of the wrong JSON type fails decoding before any strict check (upstream decodes into Go structs).
  const mismatch = typeMismatch(obj, gvk);
  if (mismatch) throw errors.badRequest(`${want.kind} in version "${version}" cannot be handled as a ${want.kind}: ${mismatch}`);
  // Unknown fields never reach storage: upstream decodes into Go structs, which drop them.
  const unknown = unknownFields(obj, gvk, { prune: true }).map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode !== 'Ignore') {
    // go-yaml's errors come first (upstream converts YAML to JSON before decoding), then the JSON
    // decoder's unknown and duplicate fields.
    const yamlErrors = duplicates.filter((d) => d.startsWith('yaml:'));
    const jsonDuplicates = duplicates.filter((d) => !d.startsWith('yaml:'));
    reportStrictErrors(ctx, mode, gvk, [...yamlErrors, ...unknown, ...jsonDuplicates]);
  }
  obj.metadata ??= {};
  obj.apiVersion = want.apiVersion;
  obj.kind = want.kind;
  return obj;
}

/**
 * fieldValidation for an object that did not come straight from a request body, e.g. the result of
 * applying a patch: unknown fields are removed from `obj` (as upstream's decoding drops them);
 * Strict then rejects them with upstream's 400, Warn adds one Warning per field to ctx.warnings,
 * Ignore says nothing.
 */
export function checkFields(ctx: HandlerContext, obj: unknown, gvk: GroupVersionKind): void {
  const mode = fieldValidation(ctx);
  const unknown = unknownFields(obj, gvk, { prune: true }).map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode !== 'Ignore') reportStrictErrors(ctx, mode, gvk, unknown);
}

// Upstream (apimachinery runtime.NewStrictDecodingError, the apiserver's create/update handlers):
// Strict → 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: a, b`;
// Warn → each error becomes a `Warning: 299 - "<error>"` header.
function reportStrictErrors(ctx: HandlerContext, mode: FieldValidation, gvk: GroupVersionKind, errs: string[]): void {
  if (errs.length === 0) return;
  if (mode === 'Strict') {
    throw errors.badRequest(`${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: strict decoding error: ${errs.join(', ')}`);
  }
  ctx.warnings.push(...errs);
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
