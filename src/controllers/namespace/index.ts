// The namespace controller: empties terminating namespaces and finalizes them.
import { refs } from '../../client/index.js';
import type { ControllerDescriptor } from '../types.js';
import { NamespaceController } from './controller.js';

export { NamespaceController, FINALIZER_KUBERNETES } from './controller.js';
export type { NamespaceControllerConfig } from './controller.js';
export { namespacedResources } from './content.js';
export type { ContentResource } from './content.js';

/** Upstream "namespace", --concurrent-namespace-syncs 10. */
export const namespaceController: ControllerDescriptor = {
  name: 'namespace',
  enabledByDefault: true,
  workers: 10,
  create: (ctx) => new NamespaceController({
    client: ctx.client, namespaces: ctx.informers.forResource(refs.namespaces), clock: ctx.clock, log: ctx.log.with({ controller: 'namespace' }),
  }),
};
