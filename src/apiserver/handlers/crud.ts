// get, create, update (PUT) and delete of one object.
import { errors } from '../../util/errors.js';
import { readBody } from '../http/body.js';
import { negotiate } from '../http/respond.js';
import { parseIncludeObject, partialMetadata, toTable } from '../http/table.js';
import type { KubeObject } from '../../api/types.js';
import type { DeleteOptions } from '../registry/strategy.js';
import { isDryRun, type HandlerContext } from './context.js';
import { fieldValidation, readObject, warningHeaders } from './object.js';
import { respondObject, respondWritten } from './reply.js';
import { checkOptions, trackUpdate } from './apply.js';
import { matches, parseListQuery } from './options.js';
import { decodeKv } from '../watchcache/cache.js';
import { clone } from '../registry/codec.js';
import { apiVersionOf } from '../../api/registry.js';

export async function get(ctx: HandlerContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, false);
  if (!rep) throw errors.notAcceptable('only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  const obj = ctx.store.output(await ctx.store.get(ctx.namespace, ctx.info.name));
  if (rep.as === 'Table') {
    const include = parseIncludeObject(ctx.query.get('includeObject'));
    respondObject(ctx, 200, toTable(ctx.resource.group, ctx.resource.kind, [obj], { include, version: rep.version, resourceVersion: obj.metadata.resourceVersion }));
  } else if (rep.as === 'PartialObjectMetadata') {
    respondObject(ctx, 200, partialMetadata(obj, rep.version));
  } else respondObject(ctx, 200, obj);
}

export async function create(ctx: HandlerContext): Promise<void> {
  fieldValidation(ctx);
  checkOptions('CreateOptions', ctx.query.get('fieldManager') ?? '', { apply: false });
  const obj = await readObject(ctx);
  if (ctx.info.name) throw errors.methodNotAllowed();
  trackUpdate(ctx, undefined, obj);
  const created = await ctx.store.create(ctx.namespace, obj, { dryRun: isDryRun(ctx.query.getAll('dryRun')), user: ctx.user });
  respondWritten(ctx, 201, created, warningHeaders(ctx.warnings));
}

export async function update(ctx: HandlerContext): Promise<void> {
  fieldValidation(ctx);
  checkOptions('UpdateOptions', ctx.query.get('fieldManager') ?? '', { apply: false });
  const obj = await readObject(ctx);
  if (obj.metadata.name && obj.metadata.name !== ctx.info.name) {
    throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
  }
  if (ctx.resource.namespaced && obj.metadata.namespace && obj.metadata.namespace !== ctx.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const { obj: out } = await ctx.store.update(ctx.namespace, ctx.info.name, (cur) => trackUpdate(ctx, cur, clone(obj)), {
    dryRun: isDryRun(ctx.query.getAll('dryRun')), user: ctx.user, subresource: ctx.info.subresource || undefined, owned: true,
  });
  respondWritten(ctx, 200, out, warningHeaders(ctx.warnings));
}

/** DeleteOptions from the body (kubectl sends JSON) or the query string. */
export async function readDeleteOptions(ctx: HandlerContext): Promise<DeleteOptions> {
  const body = await readBody(ctx.req);
  let opts: Record<string, any> = {};
  if (body.length) {
    try {
      opts = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw errors.badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
    if (!opts || typeof opts !== 'object' || Array.isArray(opts)) throw errors.badRequest('DeleteOptions must be an object');
  }
  const q = ctx.query;
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null) opts.gracePeriodSeconds = Number(grace);
  if (q.get('propagationPolicy')) opts.propagationPolicy = q.get('propagationPolicy');
  if (q.get('orphanDependents')) opts.orphanDependents = q.get('orphanDependents') === 'true';
  if (q.getAll('dryRun').length) opts.dryRun = q.getAll('dryRun');
  if (opts.gracePeriodSeconds !== undefined && (!Number.isInteger(opts.gracePeriodSeconds) || opts.gracePeriodSeconds < 0)) {
    if (opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
    else throw errors.badRequest(`gracePeriodSeconds: Invalid value: ${JSON.stringify(opts.gracePeriodSeconds)}`);
  }
  if (opts.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw errors.invalidField('DeleteOptions', 'propagationPolicy', opts.propagationPolicy, 'propagationPolicy must be one of Orphan, Background, Foreground');
  }
  if (opts.propagationPolicy !== undefined && opts.orphanDependents !== undefined) {
    throw errors.invalidField('DeleteOptions', 'propagationPolicy', opts.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set');
  }
  return opts as DeleteOptions;
}

export async function del(ctx: HandlerContext): Promise<void> {
  const opts = await readDeleteOptions(ctx);
  const { obj, deleted } = await ctx.store.delete(ctx.namespace, ctx.info.name, opts, { dryRun: isDryRun(opts.dryRun), user: ctx.user });
  if (!deleted || ctx.resource.resource === 'pods' || ctx.resource.resource === 'services') {
    respondWritten(ctx, 200, obj);
    return;
  }
  respondObject(ctx, 200, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
    details: { name: obj.metadata.name, group: ctx.resource.group, kind: ctx.resource.resource, uid: obj.metadata.uid },
  });
}

export async function deleteCollection(ctx: HandlerContext): Promise<void> {
  const opts = await readDeleteOptions(ctx);
  const q = parseListQuery(ctx);
  const prefix = ctx.store.prefix(ctx.namespace);
  const dryRun = isDryRun(opts.dryRun);
  const items: KubeObject[] = [];
  const { kvs, revision } = await ctx.store.backend.list(prefix);
  for (const kv of kvs) {
    const o = decodeKv(kv);
    if (!matches(q, o)) continue;
    try {
      const { obj } = await ctx.store.delete(ctx.namespace || o.metadata.namespace || '', o.metadata.name!, opts, { dryRun, user: ctx.user });
      items.push(ctx.store.output(obj));
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  respondObject(ctx, 200, { kind: ctx.resource.listKind, apiVersion: apiVersionOf(ctx.resource), metadata: { resourceVersion: String(revision) }, items });
}
