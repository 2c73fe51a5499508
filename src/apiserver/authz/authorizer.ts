// Authorization behind an interface (as kube-apiserver's authorizer chain). RBAC comes in a later
// issue; until then every authenticated user is allowed and anonymous users are not.
import type { UserInfo } from '../authn/index.js';

export interface AuthorizationAttributes {
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

export interface Authorizer {
  authorize(user: UserInfo, attrs: AuthorizationAttributes | Record<string, unknown>): Promise<Decision>;
}

/** Allows every authenticated user (group system:authenticated). */
export class AllowAuthenticatedAuthorizer implements Authorizer {
  async authorize(user: UserInfo): Promise<Decision> {
    if (user.groups.includes('system:authenticated') || user.groups.includes('system:masters')) return { allowed: true, reason: '' };
    return { allowed: false, reason: 'anonymous requests are not authorized' };
  }
}
