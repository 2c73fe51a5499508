// kube-apiserver's authenticator chain: a union of request authenticators (x509, then tokens),
// wrapped so every authenticated user is in system:authenticated. As upstream's union, a member
// that rejects a credential does not stop the others: a bad client cert with a good token
// authenticates. And as upstream's bearertoken wrapper, a bearer token nobody recognises is a 401
// rather than a silent fall-back to anonymous.
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../../util/errors.js';
import { bearerToken } from './bearer.js';
import type { Authenticator, UserInfo } from './types.js';
import { SYSTEM_AUTHENTICATED, unauthorized } from './types.js';

/** First non-null wins; every authenticated user also gets group system:authenticated. */
export class UnionAuthenticator implements Authenticator {
  private readonly list: readonly Authenticator[];

  constructor(list: Authenticator[]) {
    this.list = [...list];
  }

  async authenticate(req: IncomingMessage): Promise<UserInfo | null> {
    const failures: unknown[] = [];
    for (const a of this.list) {
      let user: UserInfo | null;
      try {
        user = await a.authenticate(req);
      } catch (err) {
        failures.push(err);
        continue;
      }
      if (user) {
        const groups = user.groups.includes(SYSTEM_AUTHENTICATED) ? user.groups : [...user.groups, SYSTEM_AUTHENTICATED];
        return { ...user, groups };
      }
    }
    if (failures.length > 0) {
      // A server-side failure (not a 401) wins: the client should see 500/503, not "log in again".
      throw failures.find((e) => !(e instanceof StatusError && e.code === 401)) ?? failures[0];
    }
    if (bearerToken(req) !== null) throw unauthorized('invalid bearer token');
    return null;
  }
}
