// namespaces/finalize: the only way to change spec.finalizers; when the last one is removed from a
// terminating namespace it is deleted (upstream's FinalizeREST).
import { errors } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import { isDryRun, type HandlerContext } from './context.js';
import { readObject } from './object.js';
import { respondObject } from './reply.js';

export async function finalizeNamespace(ctx: HandlerContext): Promise<void> {
  const body = await readObject(ctx);
  const finalizers = (body.spec as { finalizers?: unknown } | undefined)?.finalizers ?? [];
  if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) {
    throw errors.invalid('Namespace', '', ctx.info.name, [{ reason: 'FieldValueInvalid', field: 'spec.finalizers', message: 'Invalid value: must be a list of strings' }]);
  }
  const store = ctx.store;
  const dryRun = isDryRun(ctx.query.getAll('dryRun'));
  let out: KubeObject | undefined;
  const { obj } = await store.update('', ctx.info.name, (cur) => {
    out = { ...cur, spec: { ...(cur.spec as object), finalizers } };
    const rv = body.metadata.resourceVersion;
    out.metadata = { ...cur.metadata };
    if (rv && rv !== cur.metadata.resourceVersion) out.metadata.resourceVersion = rv;
    else delete out.metadata.resourceVersion;
    return out;
  }, { dryRun, user: ctx.user, subresource: 'finalize' });
  // Nothing left to wait for: a terminating namespace without finalizers goes away now.
  if (obj.metadata.deletionTimestamp && !finalizers.length && !obj.metadata.finalizers?.length && !dryRun) {
    await store.backend.delete(store.key('', ctx.info.name)).catch(() => undefined);
  }
  respondObject(ctx, 200, store.output(obj));
}
