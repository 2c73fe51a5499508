// Server-side apply (application/apply-patch+yaml). Field ownership (managedFields, conflicts) is
// built in the kubectl-grade API issue; until then the request is refused by name rather than
// approximated (STYLE.md: refuse, don't approximate).
import { errors } from '../../util/errors.js';
import type { HandlerContext } from './context.js';

export async function applyServerSide(_ctx: HandlerContext, _body: Buffer): Promise<void> {
  throw errors.unsupportedMediaType('server-side apply (application/apply-patch+yaml) is not supported by this server yet; use client-side kubectl apply');
}
