// pods/binding and the bindings resource: the scheduler's one write. Sets spec.nodeName exactly once
// and marks PodScheduled, as upstream's BindingREST.
import { errors, StatusError } from '../../util/errors.js';
import type { KubeObject } from '../../api/types.js';
import { nowRfc3339 } from '../registry/codec.js';
import { isDryRun, type HandlerContext } from './context.js';
import { readObject } from './object.js';
import { respondObject } from './reply.js';

export async function bind(ctx: HandlerContext): Promise<void> {
  const binding = await readObject(ctx, { apiVersion: 'v1', kind: 'Binding' });
  const podName = ctx.info.subresource === 'binding' ? ctx.info.name : binding.metadata.name;
  if (!podName) throw errors.invalid('Binding', '', '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
  if (binding.metadata.name && binding.metadata.name !== podName) throw errors.badRequest('the name of the binding does not match the name of the pod');
  const target = binding.target as { kind?: string; name?: string } | undefined;
  if (!target?.name) throw errors.invalid('Binding', '', podName, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
  if (target.kind && target.kind !== 'Node') throw errors.invalid('Binding', '', podName, [{ reason: 'FieldValueNotSupported', field: 'target.kind', message: `Unsupported value: ${JSON.stringify(target.kind)}: supported values: "Node"` }]);
  const pods = ctx.stores.store('', 'pods');
  await pods.update(ctx.namespace, podName, (pod) => {
    const spec = (pod.spec ?? {}) as Record<string, any>;
    if (pod.metadata.deletionTimestamp) throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${podName}": pod ${podName} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${podName}": pod ${podName} is already assigned to node "${spec.nodeName}"`);
    const uid = (binding.metadata as { uid?: string }).uid;
    if (uid && uid !== pod.metadata.uid) throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${podName}": the UID in the binding does not match the pod`);
    const next: KubeObject = { ...pod, spec: { ...spec, nodeName: target.name } };
    if (binding.metadata.annotations) next.metadata = { ...pod.metadata, annotations: { ...pod.metadata.annotations, ...binding.metadata.annotations } };
    const status = { ...((pod.status ?? {}) as Record<string, any>) };
    const conditions = ((status.conditions ?? []) as any[]).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowRfc3339() });
    status.conditions = conditions;
    next.status = status;
    return next;
  }, { dryRun: isDryRun(ctx.query.getAll('dryRun')), user: ctx.user, subresource: 'binding', owned: true });
  respondObject(ctx, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
