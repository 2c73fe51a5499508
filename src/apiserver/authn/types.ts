// The authentication contract, shaped like k8s.io/apiserver's authenticator.Request and user.Info.
import type { IncomingMessage } from 'node:http';
import { errors } from '../../util/errors.js';
import type { StatusError } from '../../util/errors.js';

/** Who made a request: name, optional uid, groups and extra attributes (as user.Info upstream). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface Authenticator {
  /** null = this authenticator has no opinion; throw StatusError 401 for bad credentials it owns */
  authenticate(req: IncomingMessage): UserInfo | null | Promise<UserInfo | null>;
}

// Well-known names from k8s.io/apiserver/pkg/authentication/user.
export const SYSTEM_AUTHENTICATED = 'system:authenticated';
export const SYSTEM_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS_USERNAME = 'system:anonymous';
export const SYSTEM_NODES = 'system:nodes';
export const SYSTEM_BOOTSTRAPPERS = 'system:bootstrappers';

/** A 401 whose client-facing message is the bare "Unauthorized" kube-apiserver sends; `detail` is kept as the cause for logs. */
export function unauthorized(detail: string): StatusError {
  const err = errors.unauthorized();
  err.cause = new Error(detail);
  return err;
}
