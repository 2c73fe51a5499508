// PATCH in the four content types kubectl and client libraries send (kubectl-wire §7.2). The patch
// is applied to the current object inside the store's compare-and-swap loop, so concurrent writers
// are retried unless the patch itself pins a resourceVersion.
import { errors } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf } from '../../api/registry.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../../api/patch/index.js';
import { typeMismatch } from '../../api/schema/index.js';
import { mediaType, readBody } from '../http/body.js';
import { isDryRun, type HandlerContext } from './context.js';
import { checkTypeMeta, fieldValidation, warningHeaders, checkFields } from './object.js';
import { respondWritten } from './reply.js';
import { applyServerSide, checkOptions, trackUpdate } from './apply.js';

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

export async function patch(ctx: HandlerContext): Promise<void> {
  const type = mediaType(ctx.req.headers['content-type']);
  if (!PATCH_TYPES.includes(type)) {
    throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
  }
  fieldValidation(ctx);
  const body = await readBody(ctx.req);
  if (type === 'application/apply-patch+yaml') return applyServerSide(ctx, body);
  checkOptions('PatchOptions', ctx.query.get('fieldManager') ?? '', { apply: false, force: ctx.query.get('force') });
  let p: unknown;
  try {
    p = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw errors.badRequest(`error decoding patch: ${(err as Error).message}`);
  }
  const want = { apiVersion: apiVersionOf(ctx.resource), kind: ctx.resource.kind };
  const gvk = { group: ctx.resource.group, version: ctx.resource.version, kind: ctx.resource.kind };
  const warningsBefore = ctx.warnings.length;
  const opts = { dryRun: isDryRun(ctx.query.getAll('dryRun')), user: ctx.user, subresource: ctx.info.subresource || undefined };
  const { obj } = await ctx.store.update(ctx.namespace, ctx.info.name, (cur) => {
    const current = { ...cur, ...want };
    let out: unknown;
    switch (type) {
      case 'application/json-patch+json': out = applyJsonPatch(current, p); break;
      case 'application/merge-patch+json': out = applyMergePatch(current, p); break;
      default: out = applyStrategicMergePatch(current, p, gvk);
    }
    if (!out || typeof out !== 'object' || Array.isArray(out)) throw errors.badRequest('the patch produced an object that is not a JSON object');
    const next = out as KubeObject;
    checkTypeMeta(next, want);
    if (!next.metadata || typeof next.metadata !== 'object') throw errors.badRequest('the patch removed metadata');
    // A resourceVersion the patch did not change is not a precondition (see store.update).
    if (next.metadata.resourceVersion === cur.metadata.resourceVersion) delete next.metadata.resourceVersion;
    // Unknown fields of the patched object per fieldValidation (pruned, as upstream decoding does),
    // before its managedFields are worked out; a retried attempt reports its own warnings only.
    ctx.warnings.length = warningsBefore;
    patchedTypes(next, gvk);
    checkFields(ctx, next, gvk);
    return trackUpdate(ctx, cur, next);
  }, opts);
  respondWritten(ctx, 200, obj, warningHeaders(ctx.warnings));
}

/**
 * A patched object that no longer decodes into the kind's Go type is a 422 on the field `patch`
 * (upstream patcher: NewInvalid(GroupKind{}, "", [Invalid("patch", <patched object>, <decode error>)])).
 */
function patchedTypes(next: KubeObject, gvk: { group: string; version: string; kind: string }): void {
  const mismatch = typeMismatch(next, gvk);
  if (mismatch) throw errors.invalid('', '', '', [{ reason: 'FieldValueInvalid', field: 'patch', message: `Invalid value: ${JSON.stringify(JSON.stringify(next))}: ${mismatch}` }]);
}
