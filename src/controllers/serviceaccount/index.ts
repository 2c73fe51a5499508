// Keeps the "default" ServiceAccount in every active namespace.
import { refs } from '../../client/index.js';
import type { ControllerDescriptor } from '../types.js';
import { ServiceAccountController } from './controller.js';

export { ServiceAccountController } from './controller.js';
export type { ServiceAccountControllerConfig } from './controller.js';

/** Upstream "serviceaccount" (one worker, as kube-controller-manager starts it). */
export const serviceAccountController: ControllerDescriptor = {
  name: 'serviceaccount',
  enabledByDefault: true,
  workers: 1,
  create: (ctx) => new ServiceAccountController({
    client: ctx.client, namespaces: ctx.informers.forResource(refs.namespaces), serviceAccounts: ctx.informers.forResource(refs.serviceaccounts),
    clock: ctx.clock, log: ctx.log.with({ controller: 'serviceaccount' }),
  }),
};
