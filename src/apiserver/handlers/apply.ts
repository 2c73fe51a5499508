// Server-side apply (PATCH with application/apply-patch+yaml) and the managedFields bookkeeping the
// other writes share. Apply merges the configuration into the live object as its fieldManager,
// answering 409 Conflict for fields another manager owns with a different value unless force=true,
// and creates the object when it does not exist (upstream patcher's forceAllowCreate).
import { parse as parseYaml } from 'yaml';
import { errors, isReason, StatusError, type StatusCause } from '../../util/errors.js';
import { realClock } from '../../util/clock.js';
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf } from '../../api/registry.js';
import { apply, defaultManager, resetFieldsFilter, typeInfoFor, updateManagedFields, type TypeInfo } from '../../api/apply/index.js';
import { applyDefaults } from '../../api/defaults/index.js';
import { typeMismatch } from '../../api/schema/index.js';
import { nowRfc3339 } from '../registry/codec.js';
import { isDryRun, type HandlerContext } from './context.js';
import { respondWritten } from './reply.js';
import { checkFields, warningHeaders } from './object.js';

/** Upstream's FieldManagerMaxLength. */
const MAX_FIELD_MANAGER = 128;

export async function applyServerSide(ctx: HandlerContext, body: Buffer): Promise<void> {
  const manager = ctx.query.get('fieldManager') ?? '';
  checkOptions('PatchOptions', manager, { apply: true });
  const force = parseForce(ctx.query.get('force'));
  const config = decodeConfig(body);
  const name = ctx.info.name;
  const meta = config.metadata;
  if (meta !== undefined && (meta === null || typeof meta !== 'object' || Array.isArray(meta))) {
    throw errors.badRequest('error decoding patch: metadata must be an object');
  }
  const m = (meta ?? {}) as Record<string, unknown>;
  if (m.name !== undefined && m.name !== '' && m.name !== name) {
    throw errors.badRequest(`the name of the object (${String(m.name)}) does not match the name on the URL (${name})`);
  }
  if (ctx.resource.namespaced && m.namespace !== undefined && m.namespace !== '' && m.namespace !== ctx.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const subresource = ctx.info.subresource || undefined;
  const opts = {
    manager, force, info: typeInfo(ctx), apiVersion: apiVersionOf(ctx.resource), kind: ctx.resource.kind,
    now: nowRfc3339(realClock.now()), ignore: resetFieldsFilter(ctx.store.strategy.hasStatus, subresource),
    ...(subresource ? { subresource } : {}),
  };
  const wopts = { dryRun: isDryRun(ctx.query.getAll('dryRun')), user: ctx.user };
  // Unknown fields in the configuration per fieldValidation (pruned before it is merged).
  const gvk = { group: ctx.resource.group, version: ctx.resource.version, kind: ctx.resource.kind };
  checkFields(ctx, config, gvk);
  // A configuration that does not fit the kind's types is a 400 (upstream: the typed conversion of the patch fails).
  const mismatch = typeMismatch(config, gvk);
  if (mismatch) throw errors.badRequest(`failed to create typed patch object (${apiVersionOf(ctx.resource)}, Kind=${ctx.resource.kind}): ${mismatch}`);
  for (let attempt = 0; ; attempt++) {
    try {
      const { obj } = await ctx.store.update(ctx.namespace, name, (cur) => {
        const { object } = apply(cur, config, opts);
        // A resourceVersion the configuration did not set is not a precondition.
        if (object.metadata.resourceVersion === cur.metadata.resourceVersion && m.resourceVersion === undefined) delete object.metadata.resourceVersion;
        return object;
      }, { ...wopts, ...(subresource ? { subresource } : {}) });
      respondWritten(ctx, 200, obj, warningHeaders(ctx.warnings));
      return;
    } catch (err) {
      if (!isReason(err, 'NotFound') || subresource || attempt > 0) throw err;
    }
    // Apply creates.
    const { object } = apply(undefined, config, opts);
    object.metadata.name = name;
    try {
      const created = await ctx.store.create(ctx.namespace, object, wopts);
      respondWritten(ctx, 201, created, warningHeaders(ctx.warnings));
      return;
    } catch (err) {
      // Someone created it meanwhile: apply to theirs.
      if (!isReason(err, 'AlreadyExists')) throw err;
    }
  }
}

/** The field semantics of the endpoint's kind. */
export function typeInfo(ctx: HandlerContext): TypeInfo {
  return typeInfoFor({ group: ctx.resource.group, version: ctx.resource.version, kind: ctx.resource.kind });
}

/**
 * Gives `next` the managedFields of a create (live undefined), update or non-apply patch by the
 * request's field manager (fieldManager, else the User-Agent's first word), and returns it.
 */
export function trackUpdate(ctx: HandlerContext, live: KubeObject | undefined, next: KubeObject): KubeObject {
  const subresource = ctx.info.subresource || undefined;
  // Upstream defaults while decoding, before the field manager runs, so the writer owns the fields
  // defaulting filled in (kubectl-create owns a defaulted .spec.replicas). The store defaults again;
  // defaulting is idempotent. A kind whose served version differs from its stored one is defaulted
  // by the store only, and a bad value is left for the store to report.
  if (!subresource && !ctx.store.converts) {
    try {
      applyDefaults(ctx.store.info.storage.group, ctx.resource.kind, next);
    } catch {
      // Reported by the store's defaulting.
    }
  }
  return updateManagedFields(live, next, {
    manager: defaultManager(ctx.query.get('fieldManager'), ctx.req.headers['user-agent']),
    info: typeInfo(ctx),
    apiVersion: apiVersionOf(ctx.resource),
    now: nowRfc3339(realClock.now()),
    ignore: resetFieldsFilter(ctx.store.strategy.hasStatus, subresource),
    ...(subresource ? { subresource } : {}),
  });
}

/**
 * Upstream ValidateCreateOptions / ValidateUpdateOptions / ValidatePatchOptions for the field
 * manager (and force): 422 `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: …`.
 */
export function checkOptions(kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', manager: string, q: { apply: boolean; force?: string | null }): void {
  const causes: StatusCause[] = [];
  if (q.apply && !manager) causes.push({ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' });
  if (!q.apply && q.force !== undefined && q.force !== null) {
    causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' });
  }
  if (Buffer.byteLength(manager) > MAX_FIELD_MANAGER) {
    causes.push({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${MAX_FIELD_MANAGER} bytes`, field: 'fieldManager' });
  }
  let i = 0;
  for (const ch of manager) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      const cp = ch.codePointAt(0)!;
      const u = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(manager)}: invalid character ${u} (at position ${i})`, field: 'fieldManager' });
    }
    i += Buffer.byteLength(ch);
  }
  if (causes.length === 0) return;
  const text = causes.map((c) => `${c.field}: ${c.message}`);
  throw new StatusError(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${text.length === 1 ? text[0] : `[${text.join(', ')}]`}`,
    { name: '', group: 'meta.k8s.io', kind, causes });
}

function parseForce(v: string | null): boolean {
  if (v === null || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  throw errors.badRequest(`force: Invalid value: ${JSON.stringify(v)}: must be true or false`);
}

/** The configuration: YAML (JSON is YAML too); upstream says `error decoding patch: …`. */
function decodeConfig(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  let v: unknown;
  // kubectl sends JSON (valid YAML); JSON.parse reads it many times faster than a YAML parser.
  if (/^\s*\{/.test(text)) {
    try {
      v = JSON.parse(text);
    } catch {
      v = undefined;
    }
  }
  if (v === undefined) {
    try {
      v = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
    } catch (err) {
      throw errors.badRequest(`error decoding patch: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (v === null || v === undefined) v = {};
  if (typeof v !== 'object' || Array.isArray(v)) throw errors.badRequest('error decoding patch: the applied configuration must be an object');
  return v as Record<string, unknown>;
}
