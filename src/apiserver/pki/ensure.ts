// First start: mint the cluster CA, the API server's serving certificate and the cluster-admin
// client certificate under DATA/tls. Later starts: reuse them, re-issuing a leaf only when it is
// missing, broken, not signed by the current CA, close to expiry, or (serving cert) missing a
// name the server was asked to answer on — the same checks k3s runs at start-up.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { createCa, signLeaf } from './certs.js';
import type { CertAndKey } from './certs.js';
import { ensureDir, readPair, writePair } from './files.js';
import { ensureServiceAccountKey } from './service-account.js';
import { ADMIN, APISERVER_KUBELET_CLIENT } from './identities.js';
import { certificateNames, covers, mergeNames, servingNames } from './sans.js';

/** The cluster's TLS material, PEM-encoded, and the folder it lives in. */
export interface Pki {
  caCertPem: string;
  caKeyPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  adminCertPem: string;
  adminKeyPem: string;
  /** The API server's client certificate towards kubelets (logs, exec, port-forward, node proxy). */
  kubeletClientCertPem: string;
  kubeletClientKeyPem: string;
  /** EC P-256 private key that signs service account tokens (DATA/tls/service-account.key). */
  serviceAccountKeyPem: string;
  dir: string;
}

// Validity as k3s: 10-year CA (dynamiclistener's self-signed CA), 1-year leaves, and leaves are
// renewed on start when fewer than 90 days remain.
export const CA_VALIDITY_DAYS = 3650;
export const LEAF_VALIDITY_DAYS = 365;
export const RENEW_WITHIN_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

// File names as k3s lays out its server/tls folder.
const CA = 'server-ca';
const SERVING = 'serving-kube-apiserver';
const ADMIN_CLIENT = 'client-admin';
const KUBELET_CLIENT = 'client-kube-apiserver';

/** Loads DATA/tls or creates it; ensures the serving cert covers hosts (DNS names) and ips. */
export async function ensurePki(dataDir: string, opts: { hosts: string[]; ips: string[] }): Promise<Pki> {
  const dir = join(dataDir, 'tls');
  await ensureDir(dir);
  const now = new Date();

  let ca = await readPair(dir, CA);
  let caIsNew = false;
  if (!ca || !usable(ca, null, now, 0)) {
    ca = await createCa(`skiff-server-ca@${Math.floor(now.getTime() / 1000)}`, CA_VALIDITY_DAYS, now);
    await writePair(dir, CA, ca);
    caIsNew = true;
  }

  const want = servingNames(opts.hosts, opts.ips);
  let server = await readPair(dir, SERVING);
  const serverOk = !caIsNew && server !== null && usable(server, ca, now, RENEW_WITHIN_DAYS);
  if (!server || !serverOk || !covers(certificateNames(server.certPem), want)) {
    // Keep the names a still-valid old cert had: kubeconfigs written earlier may dial them.
    const names = server && serverOk ? mergeNames(certificateNames(server.certPem), want) : want;
    server = await signLeaf(ca, {
      commonName: 'kube-apiserver', usage: 'server', ...names, validityDays: LEAF_VALIDITY_DAYS,
    }, now);
    await writePair(dir, SERVING, server);
  }

  let admin = await readPair(dir, ADMIN_CLIENT);
  if (caIsNew || !admin || !usable(admin, ca, now, RENEW_WITHIN_DAYS)) {
    admin = await signLeaf(ca, {
      commonName: ADMIN.commonName, organizations: ADMIN.organizations, usage: 'client', validityDays: LEAF_VALIDITY_DAYS,
    }, now);
    await writePair(dir, ADMIN_CLIENT, admin);
  }

  let kubeletClient = await readPair(dir, KUBELET_CLIENT);
  if (caIsNew || !kubeletClient || !usable(kubeletClient, ca, now, RENEW_WITHIN_DAYS)) {
    kubeletClient = await signLeaf(ca, {
      commonName: APISERVER_KUBELET_CLIENT.commonName, organizations: APISERVER_KUBELET_CLIENT.organizations,
      usage: 'client', validityDays: LEAF_VALIDITY_DAYS,
    }, now);
    await writePair(dir, KUBELET_CLIENT, kubeletClient);
  }

  const serviceAccountKeyPem = await ensureServiceAccountKey(dir);

  return {
    caCertPem: ca.certPem, caKeyPem: ca.keyPem,
    serverCertPem: server.certPem, serverKeyPem: server.keyPem,
    adminCertPem: admin.certPem, adminKeyPem: admin.keyPem,
    kubeletClientCertPem: kubeletClient.certPem, kubeletClientKeyPem: kubeletClient.keyPem,
    serviceAccountKeyPem,
    dir,
  };
}

/** Issues a client certificate (CN = user, O = groups) signed by the cluster CA; not stored on disk. */
export async function issueClientCert(
  pki: Pki, commonName: string, organizations: string[], validityDays = LEAF_VALIDITY_DAYS,
): Promise<{ certPem: string; keyPem: string }> {
  if (!commonName) throw new Error('issueClientCert: commonName is required');
  if (!(validityDays > 0)) throw new Error(`issueClientCert: validityDays must be positive, got ${validityDays}`);
  return signLeaf({ certPem: pki.caCertPem, keyPem: pki.caKeyPem },
    { commonName, organizations, usage: 'client', validityDays });
}

/** Issues a serving certificate (e.g. a kubelet's, for its IPs and names) signed by the cluster CA; not stored. */
export async function issueServingCert(
  pki: Pick<Pki, 'caCertPem' | 'caKeyPem'>, commonName: string, names: { dnsNames?: string[]; ips?: string[] },
  validityDays = LEAF_VALIDITY_DAYS,
): Promise<{ certPem: string; keyPem: string }> {
  return signLeaf({ certPem: pki.caCertPem, keyPem: pki.caKeyPem }, {
    commonName, usage: 'server', dnsNames: names.dnsNames ?? [], ips: names.ips ?? [], validityDays,
  });
}

// A pair is usable when it parses, the key belongs to the certificate, it is signed by `issuer`
// (or self-signed when issuer is null) and it stays valid for at least `renewWithinDays` more days.
function usable(pair: CertAndKey, issuer: CertAndKey | null, now: Date, renewWithinDays: number): boolean {
  try {
    const cert = new X509Certificate(pair.certPem);
    if (!cert.checkPrivateKey(createPrivateKey(pair.keyPem))) return false;
    if (!issuer && !cert.ca) return false;
    const signer = issuer ? new X509Certificate(issuer.certPem) : cert;
    if (!cert.checkIssued(signer) || !cert.verify(signer.publicKey)) return false;
    return new Date(cert.validTo).getTime() - now.getTime() > renewWithinDays * DAY_MS;
  } catch {
    return false;
  }
}
