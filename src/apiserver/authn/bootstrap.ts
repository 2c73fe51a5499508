// The node join secret (`skiff server --token`, DATA/token) as a bearer token.
//
// k3s lets an agent present its join token to the supervisor (user "node", group "k3s:agent"),
// which hands back a kubelet client certificate for `system:node:<name>`; the agent says which
// node it is in a `K3s-Node-Name` header. kubeadm's bootstrap tokens authenticate as
// `system:bootstrap:<token-id>` in group `system:bootstrappers`. Skiff combines the two:
//
//   Bearer <token>                               → system:bootstrap:node, groups [system:bootstrappers]
//   Bearer <token> + Skiff-Node-Name: <name>     → system:node:<name>,   groups [system:nodes, system:bootstrappers]
//
// The first identity is only good for bootstrapping (e.g. asking for a certificate); the second
// is the identity the Node authorizer and the default node RBAC expect from a kubelet, so an agent
// can also work on the token alone. Anyone holding the join secret may claim any node name — the
// same trust k3s places in it (it can mint any node's certificate).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearerToken } from './bearer.js';
import type { Authenticator, UserInfo } from './types.js';
import { SYSTEM_BOOTSTRAPPERS, SYSTEM_NODES, unauthorized } from './types.js';

/** Header in which an agent names the node it joins as (cf. k3s's K3s-Node-Name). */
export const NODE_NAME_HEADER = 'skiff-node-name';
/** The user a join token maps to when no node name is given. */
export const BOOTSTRAP_USERNAME = 'system:bootstrap:node';

// A node name is a DNS-1123 subdomain, as Node objects require.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The join secret as a bearer token; see the file comment for the identities it yields. */
export class BootstrapTokenAuthenticator implements Authenticator {
  private readonly digest: Buffer;

  constructor(token: string) {
    if (!token) throw new Error('BootstrapTokenAuthenticator: the join token must not be empty');
    this.digest = sha256(token);
  }

  authenticate(req: IncomingMessage): UserInfo | null {
    const token = bearerToken(req);
    // Compare digests in constant time: the join secret must not leak through response timing.
    if (token === null || !timingSafeEqual(sha256(token), this.digest)) return null;
    const header = req.headers[NODE_NAME_HEADER];
    const nodeName = Array.isArray(header) ? header[0] : header;
    if (nodeName === undefined) return { username: BOOTSTRAP_USERNAME, groups: [SYSTEM_BOOTSTRAPPERS] };
    if (nodeName.length > 253 || !DNS1123_SUBDOMAIN.test(nodeName)) {
      throw unauthorized(`${NODE_NAME_HEADER} ${JSON.stringify(nodeName)} is not a valid node name`);
    }
    return { username: `system:node:${nodeName}`, groups: [SYSTEM_NODES, SYSTEM_BOOTSTRAPPERS] };
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
