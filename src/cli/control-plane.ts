// Starting the API server the way `skiff server` and `skiff apiserver` do: data dir, store, PKI,
// join token, kubeconfig, authentication, bootstrap objects. Progress goes to stderr.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openBackend, type Backend } from '../storage/index.js';
import { ensurePki, issueServingCert } from '../apiserver/pki/index.js';
import { firstIPv4 } from '../kubelet/node/host.js';
import { renderKubeconfig, writeKubeconfig } from '../client/kubeconfig.js';
import { BootstrapTokenAuthenticator, TokenFileAuthenticator, UnionAuthenticator, X509Authenticator, type Authenticator } from '../apiserver/authn/index.js';
import { ServiceAccountTokenAuthenticator, loadSigningKey, storeGetter } from '../apiserver/serviceaccount/index.js';
import { APIServer } from '../apiserver/server.js';
import { AllowAuthenticatedAuthorizer } from '../apiserver/authz/authorizer.js';
import { bootstrap } from '../apiserver/bootstrap.js';
export { defaultDataDir, untilSignal } from './lifecycle.js';

export interface ControlPlaneOptions {
  dataDir: string;
  bindAddress: string;
  port: number;
  datastore: string;
  etcdEndpoints: string;
  serviceCIDR: string;
  token: string;
  tokenAuthFile: string;
  advertiseAddress: string;
  watchCacheSize?: number;
  minRequestTimeoutSeconds?: number;
}

export interface RunningControlPlane {
  apiserver: APIServer;
  backend: Backend;
  kubeconfigPath: string;
  token: string;
  /** The cluster CA (published as kube-root-ca.crt). */
  caPem: string;
  /** Issues a serving certificate from the cluster CA (the local node's kubelet API). */
  issueServingCert(commonName: string, names: { dnsNames?: string[]; ips?: string[] }): Promise<{ certPem: string; keyPem: string }>;
  stop(): Promise<void>;
}


/** The store URL for --datastore/--etcd-endpoints. */
export function datastoreUrl(o: Pick<ControlPlaneOptions, 'datastore' | 'etcdEndpoints' | 'dataDir'>): string {
  switch (o.datastore) {
    case 'sqlite': return `sqlite://${join(o.dataDir, 'db', 'state.db')}`;
    case 'memory': return 'memory://';
    case 'etcd': {
      if (!o.etcdEndpoints) throw new Error('--datastore etcd needs --etcd-endpoints host:port[,host:port…]');
      return `etcd://${o.etcdEndpoints.split(',').map((e) => e.trim().replace(/^https?:\/\//, '')).join(',')}`;
    }
    default: throw new Error(`--datastore ${o.datastore}: expected sqlite, etcd or memory`);
  }
}

const progress = (msg: string) => process.stderr.write(`skiff: ${msg}\n`);

export async function startControlPlane(o: ControlPlaneOptions): Promise<RunningControlPlane> {
  await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
  const url = datastoreUrl(o);
  progress(`opening datastore ${url}`);
  const backend = await openBackend(url);
  try {
    // As kube-apiserver: listening on every address, it advertises the host's own address (pods
    // reach the `kubernetes` Service's endpoint through it; a loopback endpoint is unreachable to
    // them behind the iptables proxy).
    const advertise = o.advertiseAddress || (o.bindAddress === '0.0.0.0' || o.bindAddress === '::' ? firstIPv4() : o.bindAddress);
    progress(`loading certificates from ${join(o.dataDir, 'tls')}`);
    const ips = [...new Set(['127.0.0.1', advertise, o.bindAddress].filter((a) => a && a !== '0.0.0.0' && a !== '::'))];
    const pki = await ensurePki(o.dataDir, { hosts: ['localhost', hostname()], ips });
    const token = await ensureToken(o.dataDir, o.token);
    const authenticators: Authenticator[] = [new X509Authenticator({ caPem: pki.caCertPem }), new BootstrapTokenAuthenticator(token)];
    if (o.tokenAuthFile) authenticators.push(await TokenFileAuthenticator.load(o.tokenAuthFile));
    // Service account tokens (TokenRequest) are checked against live objects in the server's own
    // stores, which the server creates: the getter reads them lazily (only requests call it).
    authenticators.push(new ServiceAccountTokenAuthenticator({ key: loadSigningKey(pki.serviceAccountKeyPem), getObject: storeGetter((): APIServer['stores'] => apiserver.stores) }));
    const apiserver = new APIServer({
      backend,
      bindAddress: o.bindAddress,
      port: o.port,
      tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem, caPem: pki.caCertPem },
      authenticator: new UnionAuthenticator(authenticators),
      authorizer: new AllowAuthenticatedAuthorizer(),
      serviceCIDR: o.serviceCIDR,
      advertiseAddress: advertise,
      watchCacheSize: o.watchCacheSize,
      minRequestTimeoutSeconds: o.minRequestTimeoutSeconds,
      kubeletClient: { certPem: pki.kubeletClientCertPem, keyPem: pki.kubeletClientKeyPem },
      serviceAccountSigningKeyPem: pki.serviceAccountKeyPem,
    });
    progress('loading the watch cache');
    await apiserver.start();
    progress(`API server listening on ${apiserver.url}`);
    await bootstrap(apiserver.stores, { advertiseAddress: advertise, port: apiserver.port });
    const kubeconfigPath = join(o.dataDir, 'kubeconfig.yaml');
    await writeKubeconfig(kubeconfigPath, renderKubeconfig({
      cluster: { server: apiserver.url, caPem: pki.caCertPem },
      user: { certPem: pki.adminCertPem, keyPem: pki.adminKeyPem },
      name: 'skiff',
    }));
    progress(`wrote ${kubeconfigPath}`);
    return {
      apiserver, backend, kubeconfigPath, token, caPem: pki.caCertPem,
      issueServingCert: (cn, names) => issueServingCert(pki, cn, names),
      async stop() {
        await apiserver.stop();
        await backend.close();
      },
    };
  } catch (err) {
    await backend.close();
    throw err;
  }
}

/** The node join secret: --token, else DATA/token, else a new random one saved there. */
async function ensureToken(dataDir: string, given: string): Promise<string> {
  const path = join(dataDir, 'token');
  if (given) {
    await writeFile(path, given + '\n', { mode: 0o600 });
    return given;
  }
  try {
    const t = (await readFile(path, 'utf8')).trim();
    if (t) return t;
  } catch {
    // first start
  }
  const t = randomBytes(24).toString('hex');
  await writeFile(path, t + '\n', { mode: 0o600 });
  return t;
}
