// The resource quota controller's descriptor (kube-controller-manager "resourcequota", --concurrent-resource-quota-syncs 5).
import type { ControllerDescriptor } from '../types.js';
import { ResourceQuotaController } from './controller.js';

export { ResourceQuotaController } from './controller.js';
export type { ResourceQuotaControllerOptions } from './controller.js';
export { podUsage, serviceUsage, claimUsage, podMatchesScope, quotaScopes, toResourceList } from './usage.js';
export type { Usage, ScopeRequirement } from './usage.js';

export const resourceQuotaController: ControllerDescriptor = {
  name: 'resourcequota',
  enabledByDefault: true,
  workers: 5,
  create: (ctx) => new ResourceQuotaController({
    client: ctx.client, informers: ctx.informers, clock: ctx.clock, log: ctx.log.with({ controller: 'resourcequota' }),
  }),
};
