// Public surface of service account tokens: signing (TokenRequest) and the bearer authenticator.
export { loadSigningKey, signJws, verifyJws } from './jws.js';
export type { SigningKey } from './jws.js';
export {
  DEFAULT_EXPIRATION_SECONDS, DEFAULT_ISSUER, MIN_EXPIRATION_SECONDS, issueToken, serviceAccountUsername,
} from './claims.js';
export type { IssueTokenOptions, IssuedToken, ObjectRef, PrivateClaims } from './claims.js';
export {
  EXTRA_CREDENTIAL_ID, EXTRA_NODE_NAME, EXTRA_POD_NAME, EXTRA_POD_UID, ServiceAccountTokenAuthenticator, storeGetter,
} from './authenticator.js';
export type { ObjectGetter, ServiceAccountTokenAuthenticatorOptions } from './authenticator.js';
