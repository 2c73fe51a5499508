// The taint eviction controller: deletes pods that do not tolerate their node's NoExecute taints.
import { refs } from '../../../client/index.js';
import type { ControllerDescriptor } from '../../types.js';
import { TaintEvictionController } from './controller.js';

export { TaintEvictionController } from './controller.js';
export type { TaintEvictionConfig } from './controller.js';

/** Upstream "taint-eviction-controller". */
export const taintEvictionController: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  enabledByDefault: true,
  workers: 8,
  create: (ctx) => new TaintEvictionController({
    client: ctx.client, pods: ctx.informers.forResource(refs.pods), nodes: ctx.informers.forResource(refs.nodes),
    recorder: ctx.recorder('taint-eviction-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'taint-eviction-controller' }),
  }),
};
