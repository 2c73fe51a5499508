// Client-certificate authentication, as kube-apiserver's --client-ca-file: the TLS handshake has
// already checked the chain against the cluster CA (server option `ca`, with requestCert and
// rejectUnauthorized: false so that cert-less clients still get through to other authenticators).
// A presented certificate that did not verify is a bad credential (401), not "no opinion".
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Authenticator, UserInfo } from './types.js';
import { unauthorized } from './types.js';

const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';

export interface X509AuthenticatorOptions {
  /**
   * The cluster CA. When given, the leaf must also be signed directly by it, which guards against
   * a server whose `ca` option trusts more roots than the cluster's.
   */
  caPem?: string;
}

/** CN = user, O = groups; only a verified client cert (TLSSocket.authorized with the cluster CA) counts. */
export class X509Authenticator implements Authenticator {
  private readonly ca: X509Certificate | undefined;
  // One verdict per TLS connection: the certificate cannot change between keep-alive requests.
  private readonly verdicts = new WeakMap<TLSSocket, UserInfo | Error | null>();

  constructor(opts: X509AuthenticatorOptions = {}) {
    this.ca = opts.caPem ? new X509Certificate(opts.caPem) : undefined;
  }

  authenticate(req: IncomingMessage): UserInfo | null {
    const sock = req.socket as TLSSocket;
    if (typeof sock.getPeerCertificate !== 'function') return null; // plain HTTP
    let verdict = this.verdicts.get(sock);
    if (verdict === undefined) {
      verdict = this.judge(sock);
      this.verdicts.set(sock, verdict);
    }
    if (verdict instanceof Error) throw verdict;
    // A copy: the union adds system:authenticated to what it is given.
    return verdict === null ? null : { ...verdict, groups: [...verdict.groups] };
  }

  private judge(sock: TLSSocket): UserInfo | Error | null {
    const peer = sock.getPeerCertificate();
    if (!peer || !peer.raw) return null; // no certificate presented
    if (!sock.authorized) {
      return unauthorized(`verifying client certificate failed: ${String(sock.authorizationError ?? 'unknown error')}`);
    }
    const cert = new X509Certificate(peer.raw);
    // Upstream verifies with KeyUsages=[ClientAuth]: a serving-only certificate is no client identity.
    if (cert.keyUsage && !cert.keyUsage.includes(CLIENT_AUTH_EKU)) {
      return unauthorized('client certificate is not valid for client authentication');
    }
    if (this.ca && !(cert.checkIssued(this.ca) && cert.verify(this.ca.publicKey))) {
      return unauthorized('client certificate is not signed by the cluster CA');
    }
    // Node gives a string for one attribute and an array for several.
    const cns = values(peer.subject?.CN);
    const groups = values(peer.subject?.O);
    // As upstream's CommonNameUserConversion: a certificate without a CN names nobody. With several
    // CNs Go's pkix.Name keeps the last one.
    const cn = cns[cns.length - 1];
    return cn ? { username: cn, groups } : null;
  }
}

function values(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? [...v] : [v];
}
