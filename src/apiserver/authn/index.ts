// Public surface of API server authentication: the Authenticator contract, its implementations
// and the anonymous-request policy.
export type { Authenticator, UserInfo } from './types.js';
export {
  ANONYMOUS_USERNAME, SYSTEM_AUTHENTICATED, SYSTEM_BOOTSTRAPPERS, SYSTEM_NODES, SYSTEM_UNAUTHENTICATED,
} from './types.js';
export { X509Authenticator } from './x509.js';
export type { X509AuthenticatorOptions } from './x509.js';
export { TokenFileAuthenticator } from './tokenfile.js';
export { BootstrapTokenAuthenticator, BOOTSTRAP_USERNAME, NODE_NAME_HEADER } from './bootstrap.js';
export { UnionAuthenticator } from './union.js';
export { anonymousUser, authenticateRequest, isAnonymousAllowed } from './anonymous.js';
export { bearerToken } from './bearer.js';
