// Bound service account token claims, as upstream's pkg/serviceaccount/claims.go: registered claims
// (iss, sub, aud, exp, iat, nbf, jti) plus the private "kubernetes.io" claim naming the service
// account and, for a token bound to a pod, the pod (and the node it runs on).
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../util/clock.js';
import { signJws, type SigningKey } from './jws.js';

/** The issuer kubeadm and k3s configure by default (--service-account-issuer). */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** TokenRequest's default and minimum lifetimes (upstream validation: at least 10 minutes). */
export const DEFAULT_EXPIRATION_SECONDS = 3600;
export const MIN_EXPIRATION_SECONDS = 600;

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface PrivateClaims {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  node?: ObjectRef;
}

export interface IssueTokenOptions {
  namespace: string;
  serviceAccount: ObjectRef;
  audiences: string[];
  expirationSeconds: number;
  pod?: ObjectRef;
  node?: ObjectRef;
  issuer?: string;
}

export interface IssuedToken {
  token: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** `system:serviceaccount:<ns>:<name>`, the username a service account token authenticates as. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Signs a service account token; iat = nbf = now, exp = now + expirationSeconds. */
export function issueToken(key: SigningKey, opts: IssueTokenOptions, clock: Pick<Clock, 'now'>): IssuedToken {
  const now = Math.floor(clock.now() / 1000);
  const exp = now + opts.expirationSeconds;
  const k8s: PrivateClaims = { namespace: opts.namespace, serviceaccount: opts.serviceAccount };
  if (opts.pod) k8s.pod = opts.pod;
  if (opts.node) k8s.node = opts.node;
  const token = signJws(key, {
    aud: opts.audiences,
    exp,
    iat: now,
    iss: opts.issuer ?? DEFAULT_ISSUER,
    jti: randomUUID(),
    'kubernetes.io': k8s,
    nbf: now,
    sub: serviceAccountUsername(opts.namespace, opts.serviceAccount.name),
  });
  return { token, expiresAt: exp };
}
