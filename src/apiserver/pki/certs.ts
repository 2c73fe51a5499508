// Certificate minting: a self-signed CA and leaf certificates it signs. Profiles follow what k3s
// (via client-go's cert helpers) issues: the CA is CA:TRUE with keyCertSign; serving certs carry
// serverAuth and their names only in the SAN extension (Go ignores the CN); client certs carry
// clientAuth and the identity in the subject, CN = user and one O per group.
import { randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { SIGNING_ALGORITHM, cryptoProvider, generateKeyPair, importPrivateKeyPem, privateKeyToPem } from './keys.js';

/** A certificate and its private key, both PEM. */
export interface CertAndKey {
  certPem: string;
  keyPem: string;
}

export type LeafUsage = 'server' | 'client';

export interface LeafOptions {
  commonName: string;
  /** Subject O values; Kubernetes reads them as the user's groups on client certificates. */
  organizations?: string[];
  /** SAN entries; only meaningful on serving certificates. */
  dnsNames?: string[];
  ips?: string[];
  usage: LeafUsage;
  validityDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// Backdate notBefore so a joining machine whose clock runs a little behind still accepts the
// certificates minted a moment ago.
const BACKDATE_MS = 60 * 60 * 1000;

/** Creates a self-signed CA certificate with a fresh P-256 key. */
export async function createCa(commonName: string, validityDays: number, now = new Date()): Promise<CertAndKey> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }],
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + validityDays * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, cryptoProvider),
    ],
  }, cryptoProvider);
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyToPem(keys.privateKey) };
}

/** Issues a leaf certificate with a fresh P-256 key, signed by `ca`. */
export async function signLeaf(ca: CertAndKey, opts: LeafOptions, now = new Date()): Promise<CertAndKey> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importPrivateKeyPem(ca.keyPem);
  const keys = await generateKeyPair();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // ECDSA keys only sign; keyEncipherment is an RSA-only usage, so digitalSignature suffices.
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(
      [opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth], false),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, cryptoProvider),
  ];
  const names: x509.JsonGeneralName[] = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));

  const notAfter = Math.min(now.getTime() + opts.validityDays * DAY_MS, caCert.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: subjectName(opts.commonName, opts.organizations ?? []),
    issuer: caCert.subjectName,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(notAfter),
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions,
  }, cryptoProvider);
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyToPem(keys.privateKey) };
}

// Built as a JSON name, not an "O=…, CN=…" string, so group names containing commas, colons or
// equals signs (system:node:x, custom groups) need no escaping. One O attribute per group.
function subjectName(commonName: string, organizations: string[]): x509.JsonName {
  return [...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }];
}

// RFC 5280 serials are positive and at most 20 octets; 128 random bits with the top bit cleared.
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
