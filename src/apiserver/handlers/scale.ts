// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets and
// replicationcontrollers: kubectl scale PATCHes it with a merge patch, or PUTs it with a
// resourceVersion precondition for --current-replicas (kubectl-wire §9.2).
import { errors } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import { formatLabelSelector } from '../../api/selectors/labels.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../../api/patch/index.js';
import { decodeBody, mediaType, readBody } from '../http/body.js';
import { isDryRun, type HandlerContext } from './context.js';
import { checkTypeMeta } from './object.js';
import { trackUpdate } from './apply.js';
import { respondObject } from './reply.js';
import { PATCH_TYPES } from './patch.js';

const SCALE_TYPE = { apiVersion: 'autoscaling/v1', kind: 'Scale' };

export function toScale(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as Record<string, any>;
  const status = (obj.status ?? {}) as Record<string, any>;
  const selector = obj.kind === 'ReplicationController' || !spec.selector?.matchLabels && !spec.selector?.matchExpressions
    ? Object.entries((spec.selector ?? {}) as Record<string, string>).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}=${v}`).join(',')
    : formatLabelSelector(spec.selector);
  const m = obj.metadata;
  return {
    ...SCALE_TYPE,
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

export async function scale(ctx: HandlerContext): Promise<void> {
  const method = ctx.req.method;
  if (method === 'GET') {
    const obj = ctx.store.output(await ctx.store.get(ctx.namespace, ctx.info.name));
    respondObject(ctx, 200, toScale(obj));
    return;
  }
  if (method !== 'PUT' && method !== 'PATCH') throw errors.methodNotAllowed();
  const type = mediaType(ctx.req.headers['content-type']);
  const body = await readBody(ctx.req);
  let input: unknown;
  if (method === 'PUT') {
    input = decodeBody(body, ctx.req.headers['content-type'], 'Scale');
    checkTypeMeta(input as Record<string, unknown>, SCALE_TYPE);
  } else {
    if (!PATCH_TYPES.includes(type) || type === 'application/apply-patch+yaml') {
      throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.slice(0, 3).join(', ')}`);
    }
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw errors.badRequest(`error decoding patch: ${(err as Error).message}`);
    }
  }
  const { obj } = await ctx.store.update(ctx.namespace, ctx.info.name, (cur) => {
    const current = toScale(cur);
    let next: any;
    if (method === 'PUT') next = input;
    else if (type === 'application/json-patch+json') next = applyJsonPatch(current, input);
    else if (type === 'application/merge-patch+json') next = applyMergePatch(current, input);
    else next = applyStrategicMergePatch(current, input, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const replicas = next?.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw errors.invalid('Scale', 'autoscaling', ctx.info.name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    }
    const out = { ...cur, spec: { ...(cur.spec as object), replicas } } as KubeObject;
    const rv = next?.metadata?.resourceVersion;
    out.metadata = { ...cur.metadata };
    if (rv && rv !== cur.metadata.resourceVersion) out.metadata.resourceVersion = rv;
    else delete out.metadata.resourceVersion;
    // Upstream records the scale write as an Update entry with subresource "scale".
    return trackUpdate(ctx, cur, out);
  }, { dryRun: isDryRun(ctx.query.getAll('dryRun')), user: ctx.user });
  respondObject(ctx, 200, toScale(ctx.store.output(obj)));
}
