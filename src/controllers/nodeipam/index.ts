// Assigns each node a pod CIDR from the cluster CIDR.
import { refs } from '../../client/index.js';
import type { ControllerDescriptor } from '../types.js';
import { NodeIpamController } from './controller.js';

export { NodeIpamController } from './controller.js';
export type { NodeIpamConfig } from './controller.js';
export { CidrSet, parseCidr, formatCidr } from './cidrset.js';

/** Upstream "node-ipam" (range allocator, as with --allocate-node-cidrs); allocation is in memory, so one worker suffices. */
export const nodeIpamController: ControllerDescriptor = {
  name: 'node-ipam',
  enabledByDefault: true,
  workers: 1,
  create: (ctx) => new NodeIpamController({
    client: ctx.client, nodes: ctx.informers.forResource(refs.nodes),
    clusterCIDR: ctx.config.clusterCIDR, nodeCIDRMaskSize: ctx.config.nodeCIDRMaskSize,
    recorder: ctx.recorder('node-ipam-controller'), clock: ctx.clock, log: ctx.log.with({ controller: 'node-ipam' }),
  }),
};
