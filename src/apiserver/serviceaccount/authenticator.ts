// Bearer tokens issued by TokenRequest, verified as upstream's pkg/serviceaccount/jwt.go
// (jwtTokenAuthenticator) and claims.go (validator): a token of another issuer, or no JWT at all,
// is none of our business; a token of ours must carry a valid signature, be within its lifetime
// (with go-jose's one minute of leeway), name one of the server's audiences, and the service
// account — and the pod it is bound to, if any — must still exist with the uid it was issued for.
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { realClock, type Clock } from '../../util/clock.js';
import { StatusError } from '../../util/errors.js';
import { bearerToken } from '../authn/bearer.js';
import { SYSTEM_AUTHENTICATED, unauthorized, type Authenticator, type UserInfo } from '../authn/types.js';
import type { StoreLookup } from '../handlers/context.js';
import { DEFAULT_ISSUER, serviceAccountUsername, type PrivateClaims } from './claims.js';
import { verifyJws, type SigningKey } from './jws.js';

/** Reads a live object; null when it does not exist. */
export type ObjectGetter = (resource: 'serviceaccounts' | 'pods', namespace: string, name: string) => Promise<KubeObject | null>;

const LEEWAY_SECONDS = 60;

// user.Info extra keys upstream sets for pod-bound tokens (serviceaccount/util.go).
export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

export interface ServiceAccountTokenAuthenticatorOptions {
  key: SigningKey;
  getObject: ObjectGetter;
  issuer?: string;
  /** The API server's audiences (--api-audiences); default [issuer], as upstream. */
  audiences?: string[];
  clock?: Pick<Clock, 'now'>;
}

export class ServiceAccountTokenAuthenticator implements Authenticator {
  private readonly issuer: string;
  private readonly audiences: string[];
  private readonly clock: Pick<Clock, 'now'>;

  constructor(private readonly opts: ServiceAccountTokenAuthenticatorOptions) {
    this.issuer = opts.issuer ?? DEFAULT_ISSUER;
    this.audiences = opts.audiences ?? [this.issuer];
    this.clock = opts.clock ?? realClock;
  }

  async authenticate(req: IncomingMessage): Promise<UserInfo | null> {
    const token = bearerToken(req);
    if (token === null) return null;
    return this.authenticateToken(token);
  }

  /** The user a bare token stands for (also for TokenReview); null when it is not our token. */
  async authenticateToken(token: string): Promise<UserInfo | null> {
    // Peek at the issuer before verifying, as upstream does, so foreign JWTs fall through.
    if (peekIssuer(token) !== this.issuer) return null;
    let claims: Record<string, any> | null;
    try {
      claims = verifyJws(this.opts.key, token);
    } catch (err) {
      throw unauthorized(`service account token: ${(err as Error).message}`);
    }
    if (!claims) return null;
    this.checkTime(claims);
    const aud: unknown = claims.aud;
    const auds = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
    if (!auds.some((a) => this.audiences.includes(a as string))) throw unauthorized('service account token: token audiences do not match the API server\'s');
    const k8s = claims['kubernetes.io'] as PrivateClaims | undefined;
    if (!k8s?.namespace || !k8s.serviceaccount?.name || !k8s.serviceaccount.uid) throw unauthorized('service account token: missing kubernetes.io claims');
    if (claims.sub !== serviceAccountUsername(k8s.namespace, k8s.serviceaccount.name)) throw unauthorized('service account token: sub does not match the kubernetes.io claim');
    await this.checkLive('serviceaccounts', k8s.namespace, k8s.serviceaccount);
    const extra: Record<string, string[]> = {};
    if (k8s.pod) {
      await this.checkLive('pods', k8s.namespace, k8s.pod);
      extra[EXTRA_POD_NAME] = [k8s.pod.name];
      extra[EXTRA_POD_UID] = [k8s.pod.uid];
    }
    if (k8s.node?.name) extra[EXTRA_NODE_NAME] = [k8s.node.name];
    if (typeof claims.jti === 'string') extra[EXTRA_CREDENTIAL_ID] = [`JTI=${claims.jti}`];
    return {
      username: serviceAccountUsername(k8s.namespace, k8s.serviceaccount.name),
      uid: k8s.serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${k8s.namespace}`, SYSTEM_AUTHENTICATED],
      ...(Object.keys(extra).length ? { extra } : {}),
    };
  }

  private checkTime(claims: Record<string, any>): void {
    const now = Math.floor(this.clock.now() / 1000);
    if (typeof claims.exp !== 'number' || now > claims.exp + LEEWAY_SECONDS) throw unauthorized('service account token has expired');
    if (typeof claims.nbf === 'number' && now < claims.nbf - LEEWAY_SECONDS) throw unauthorized('service account token is not valid yet');
  }

  // upstream: "service account <ns>/<name> has been deleted" / "uid mismatch"; a pod being deleted
  // also invalidates its tokens.
  private async checkLive(resource: 'serviceaccounts' | 'pods', ns: string, ref: { name: string; uid: string }): Promise<void> {
    const obj = await this.opts.getObject(resource, ns, ref.name);
    if (!obj) throw unauthorized(`${resource} ${ns}/${ref.name} has been deleted`);
    if (obj.metadata.uid !== ref.uid) throw unauthorized(`${resource} ${ns}/${ref.name} uid (${ref.uid}) does not match the live object's (${obj.metadata.uid})`);
    if (obj.metadata.deletionTimestamp) throw unauthorized(`${resource} ${ns}/${ref.name} is being deleted`);
  }
}

/** An ObjectGetter over the API server's stores; `stores` is read lazily (the server builds them after its authenticator). */
export function storeGetter(stores: () => StoreLookup): ObjectGetter {
  return async (resource, ns, name) => {
    try {
      return await stores().store('', resource).get(ns, name);
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return null;
      throw err;
    }
  };
}

function peekIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as { iss?: string }).iss : undefined;
  } catch {
    return undefined;
  }
}
