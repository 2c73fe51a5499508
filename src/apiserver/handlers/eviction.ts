// pods/eviction (policy/v1 Eviction): delete a pod unless a PodDisruptionBudget forbids it, as
// upstream's EvictionREST: 429 TooManyRequests when the budget has no disruptions left.
import { errors, StatusError } from '../../util/errors.js';
import { labelSelectorFromObject } from '../../api/selectors/labels.js';
import { decodeKv } from '../watchcache/cache.js';
import { nowRfc3339 } from '../registry/codec.js';
import { isDryRun, type HandlerContext } from './context.js';
import { readObject } from './object.js';
import { respondObject } from './reply.js';
import type { DeleteOptions } from '../registry/strategy.js';

export async function evict(ctx: HandlerContext): Promise<void> {
  const eviction = await readObject(ctx, { apiVersion: 'policy/v1', kind: 'Eviction' });
  if (eviction.metadata.name && eviction.metadata.name !== ctx.info.name) throw errors.badRequest(`name in URL does not match name in Eviction object`);
  const opts = ((eviction.deleteOptions ?? {}) as DeleteOptions);
  const dryRun = isDryRun(opts.dryRun ?? ctx.query.getAll('dryRun'));
  const pods = ctx.stores.store('', 'pods');
  const pod = await pods.get(ctx.namespace, ctx.info.name);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  const terminal = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
  if (!terminal) {
    const pdbs = ctx.stores.store('policy', 'poddisruptionbudgets');
    const { kvs } = await pdbs.backend.list(pdbs.prefix(ctx.namespace));
    const matching = kvs.map((kv) => decodeKv(kv)).filter((b) => {
      const sel = (b.spec as { selector?: any } | undefined)?.selector;
      return sel && labelSelectorFromObject(sel).matches(pod.metadata.labels);
    });
    if (matching.length > 1) throw errors.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    if (matching.length === 1) {
      const name = matching[0]!.metadata.name!;
      await pdbs.update(ctx.namespace, name, (b) => {
        const st = { ...((b.status ?? {}) as Record<string, any>) };
        if (st.observedGeneration === undefined || st.observedGeneration < (b.metadata.generation ?? 0)) {
          throw new StatusError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${name} is still being processed by the server.` }] });
        }
        if ((st.disruptionsAllowed ?? 0) <= 0) {
          throw new StatusError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently` }] });
        }
        st.disruptionsAllowed -= 1;
        st.disruptedPods = { ...(st.disruptedPods ?? {}), [ctx.info.name]: nowRfc3339() };
        return { ...b, status: st };
      }, { dryRun, user: ctx.user, subresource: 'status' });
    }
  }
  await pods.delete(ctx.namespace, ctx.info.name, opts, { dryRun, user: ctx.user });
  respondObject(ctx, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
