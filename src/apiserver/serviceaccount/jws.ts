// Compact JWS with ES256 (ECDSA P-256, SHA-256), the signature form kube-apiserver's
// ServiceAccount token generator uses for an EC key (square/go-jose underneath). The signature is
// the raw r||s pair (RFC 7518 §3.4), not DER, hence dsaEncoding 'ieee-p1363'.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Key id: as upstream, the unpadded base64url SHA-256 of the DER public key, so verifiers can pick a key. */
  kid: string;
}

/** Loads an EC P-256 private key (PEM) for signing and verifying service account tokens. */
export function loadSigningKey(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('service account signing key: want an EC P-256 private key');
  }
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, kid: createHash('sha256').update(der).digest('base64url') };
}

/** Signs `claims` as a compact JWS. */
export function signJws(key: SigningKey, claims: Record<string, unknown>): string {
  const header = b64json({ alg: 'ES256', kid: key.kid });
  const payload = b64json(claims);
  const input = `${header}.${payload}`;
  const sig = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

/**
 * The claims of a compact JWS signed by `key`, or null when the token is not a JWS at all (so
 * another authenticator may own it). Throws when it is a JWS but its signature does not verify.
 */
export function verifyJws(key: SigningKey, token: string): Record<string, any> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, p, s] = parts as [string, string, string];
  const header = parseB64Json(h);
  const claims = parseB64Json(p);
  if (!header || !claims) return null;
  if (header.alg !== 'ES256') throw new Error(`unsupported signing algorithm ${JSON.stringify(header.alg)}`);
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) throw new Error('invalid signature');
  return claims;
}

function b64json(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function parseB64Json(s: string): Record<string, any> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : null;
  } catch {
    return null;
  }
}
