// Requests without credentials. kube-apiserver runs them as system:anonymous and its default RBAC
// (the system:public-info-viewer role, bound to system:unauthenticated) lets them read only the
// health endpoints and /version; Skiff applies that policy here, by path, ahead of authorization.
import type { IncomingMessage } from 'node:http';
import type { Authenticator, UserInfo } from './types.js';
import { ANONYMOUS_USERNAME, SYSTEM_UNAUTHENTICATED, unauthorized } from './types.js';

/** A fresh anonymous identity: system:anonymous in group system:unauthenticated. */
export function anonymousUser(): UserInfo {
  return { username: ANONYMOUS_USERNAME, groups: [SYSTEM_UNAUTHENTICATED] };
}

const HEALTH_ROOTS = ['/healthz', '/livez', '/readyz'];

/** Paths anonymous requests may reach: /healthz, /livez, /readyz (and their sub-paths), /version. */
export function isAnonymousAllowed(path: string): boolean {
  const p = path.split('?', 1)[0]!;
  if (p === '/version' || p === '/version/') return true;
  return HEALTH_ROOTS.some((root) => p === root || p.startsWith(root + '/'));
}

/**
 * Authenticates a request for the API server: the authenticated user, else the anonymous user when
 * the path allows it, else a 401. Bad credentials are a 401 on every path, as upstream (an invalid
 * token never degrades to anonymous).
 */
export async function authenticateRequest(authn: Authenticator, req: IncomingMessage): Promise<UserInfo> {
  const user = await authn.authenticate(req);
  if (user) return user;
  if (isAnonymousAllowed(req.url ?? '/')) return anonymousUser();
  throw unauthorized('no credentials');
}
