// ECDSA P-256 key pairs as WebCrypto keys (what @peculiar/x509 signs with) and PEM text (what
// Node's tls, kubectl and openssl read). k3s and kubeadm both default to P-256 for new clusters:
// key generation takes about a millisecond, where RSA-2048 takes tens to hundreds.
import { createPrivateKey, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export const subtle = webcrypto.subtle;

/** The WebCrypto provider handed to @peculiar/x509 explicitly (no process-global setup). */
export const cryptoProvider = webcrypto;

const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** The algorithm every Skiff certificate is signed with: ECDSA over SHA-256. */
export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Generates a fresh, extractable P-256 key pair. */
export async function generateKeyPair(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** PEM ("PRIVATE KEY", PKCS#8) for a private key; Go's tls.X509KeyPair and Node both accept it. */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  return toPem('PRIVATE KEY', der);
}

/**
 * Imports a PEM private key written by us or by openssl ("PRIVATE KEY" or SEC1 "EC PRIVATE KEY")
 * as a WebCrypto signing key. Node's KeyObject normalises both encodings to PKCS#8 first.
 */
export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return subtle.importKey('pkcs8', der, EC_ALGORITHM, true, ['sign']);
}

/** Wraps DER bytes in PEM armour with 64-column base64 lines (RFC 7468). */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
