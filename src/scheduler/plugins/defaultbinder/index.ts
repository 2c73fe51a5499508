// DefaultBinder (upstream defaultbinder): POSTs the pods/binding subresource through the handle's
// bind function.
import type { BindPlugin, Handle } from '../../framework/index.js';
import { Status } from '../../framework/index.js';

export const name = 'DefaultBinder';

export function create(_args: unknown, h: Handle): BindPlugin {
  return {
    name,
    async bind(_state, pod, nodeName) {
      if (!h.bind) return Status.error('no bind function configured in the scheduler handle');
      try {
        await h.bind(pod, nodeName);
        return undefined;
      } catch (e) {
        return Status.error(e instanceof Error ? e : String(e));
      }
    },
  };
}
