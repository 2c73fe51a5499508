// Dispatches a resource request to its handler by verb and subresource, after checking that the
// resource serves that verb (405 otherwise), as kube-apiserver's installer does per endpoint.
import { errors } from '../util/errors.js';
import type { HandlerContext } from './handlers/context.js';
import { create, del, deleteCollection, get, update } from './handlers/crud.js';
import { list } from './handlers/list.js';
import { watch } from './handlers/watch.js';
import { patch } from './handlers/patch.js';
import { scale } from './handlers/scale.js';
import { bind } from './handlers/binding.js';
import { evict } from './handlers/eviction.js';
import { review, type ReviewDeps } from './handlers/reviews.js';
import { finalizeNamespace } from './handlers/finalize.js';
import { isKubeletSubresource, proxyToKubelet, type KubeletProxyDeps } from './handlers/kubelet-proxy.js';
import { createToken, type TokenDeps } from './handlers/token.js';

export async function route(ctx: HandlerContext, deps: ReviewDeps & KubeletProxyDeps & TokenDeps): Promise<void> {
  const { info, resource } = ctx;
  const verb = info.verb;
  if (!resource.stored) {
    if (verb !== 'create') throw errors.methodNotAllowed();
    if (resource.resource === 'bindings') return bind(ctx);
    return review(ctx, deps);
  }
  if (info.subresource) {
    const sub = resource.subresources.find((s) => s.name === info.subresource);
    if (!sub) throw errors.notFoundPath();
    if (!sub.verbs.includes(verb)) throw errors.methodNotAllowed();
    switch (info.subresource) {
      case 'status':
        if (verb === 'get') return get(ctx);
        if (verb === 'update') return update(ctx);
        return patch(ctx);
      case 'scale':
        return scale(ctx);
      case 'binding':
        return bind(ctx);
      case 'eviction':
        return evict(ctx);
      case 'finalize':
        return finalizeNamespace(ctx);
      case 'token':
        return createToken(ctx, deps);
      case 'approval':
        if (verb === 'get') return get(ctx);
        return verb === 'update' ? update(ctx) : patch(ctx);
      default:
        // pods/log|exec|attach|portforward and nodes/proxy live on the node's kubelet.
        if (isKubeletSubresource(info)) return proxyToKubelet(ctx, deps);
        throw errors.unavailable(`the ${resource.resource}/${info.subresource} subresource is served by the node's kubelet, which is not available for ${info.name}`);
    }
  }
  if (!resource.verbs.includes(verb as never) && !(verb === 'watch' && resource.verbs.includes('watch'))) throw errors.methodNotAllowed();
  switch (verb) {
    case 'get': return get(ctx);
    case 'list': return list(ctx);
    case 'watch': return watch(ctx);
    case 'create': return create(ctx);
    case 'update': return update(ctx);
    case 'patch': return patch(ctx);
    case 'delete': return del(ctx);
    case 'deletecollection': return deleteCollection(ctx);
    default: throw errors.methodNotAllowed();
  }
}
