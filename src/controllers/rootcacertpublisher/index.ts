// Publishes the cluster CA as the kube-root-ca.crt ConfigMap in every namespace.
import { refs } from '../../client/index.js';
import type { Controller, ControllerDescriptor } from '../types.js';
import { RootCACertPublisher } from './controller.js';

export { RootCACertPublisher, ROOT_CA_CONFIGMAP, DESCRIPTION, DESCRIPTION_ANNOTATION } from './controller.js';
export type { RootCAPublisherConfig } from './controller.js';

/** Upstream "root-ca-certificate-publisher" (one worker). */
export const rootCACertificatePublisherController: ControllerDescriptor = {
  name: 'root-ca-certificate-publisher',
  enabledByDefault: true,
  workers: 1,
  create: (ctx): Controller => {
    if (!ctx.config.rootCAPem) {
      // Without a CA there is nothing to publish (upstream refuses to start the controller).
      ctx.log.warn('root-ca-certificate-publisher: no root CA configured; not publishing kube-root-ca.crt');
      return { run: async () => undefined };
    }
    return new RootCACertPublisher({
      client: ctx.client, namespaces: ctx.informers.forResource(refs.namespaces), configMaps: ctx.informers.forResource(refs.configmaps),
      rootCAPem: ctx.config.rootCAPem, clock: ctx.clock, log: ctx.log.with({ controller: 'root-ca-certificate-publisher' }),
    });
  },
};
