// Test helper: an APIServer in this process on a free loopback port, with its own PKI and store,
// and a tiny HTTPS client authenticated as cluster-admin.
import https from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../../storage/index.js';
import { ensurePki, type Pki } from '../pki/index.js';
import { UnionAuthenticator, X509Authenticator } from '../authn/index.js';
import { AllowAuthenticatedAuthorizer } from '../authz/authorizer.js';
import { APIServer } from '../server.js';
import { bootstrap } from '../bootstrap.js';
import { ServiceAccountTokenAuthenticator, loadSigningKey, storeGetter } from '../serviceaccount/index.js';

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TestServer {
  server: APIServer;
  /** The server's PKI (e.g. to issue a test kubelet's serving certificate). */
  pki: Pki;
  /** Cluster-admin credentials for clients under test (shape of client/kubeconfig's LoadedKubeconfig). */
  credentials: { server: string; caPem: string; certPem: string; keyPem: string; insecureSkipTlsVerify: false; namespace: string };
  /** One request; with timeoutMs, a response still streaming then (a watch) is cut and returned as read so far. */
  request(method: string, path: string, body?: string | Buffer, headers?: Record<string, string>, timeoutMs?: number): Promise<TestResponse>;
  stop(): Promise<void>;
}

export async function startTestServer(opts: { datastore?: string; watchCacheSize?: number; minRequestTimeoutSeconds?: number } = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-apiserver-'));
  const pki = await ensurePki(dir, { hosts: ['localhost'], ips: ['127.0.0.1'] });
  const backend = await openBackend(opts.datastore ?? 'memory://');
  // The token authenticator reads service accounts from the server's stores, which exist only once
  // the server does: hand it a getter that looks them up lazily (only requests call it).
  const saTokens = new ServiceAccountTokenAuthenticator({
    key: loadSigningKey(pki.serviceAccountKeyPem),
    getObject: storeGetter((): APIServer['stores'] => server.stores),
  });
  const server = new APIServer({
    backend, bindAddress: '127.0.0.1', port: 0,
    tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem, caPem: pki.caCertPem },
    authenticator: new UnionAuthenticator([new X509Authenticator({ caPem: pki.caCertPem }), saTokens]),
    serviceAccountSigningKeyPem: pki.serviceAccountKeyPem,
    authorizer: new AllowAuthenticatedAuthorizer(),
    serviceCIDR: '10.43.0.0/16',
    kubeletClient: { certPem: pki.kubeletClientCertPem, keyPem: pki.kubeletClientKeyPem },
    ...(opts.watchCacheSize !== undefined ? { watchCacheSize: opts.watchCacheSize } : {}),
    ...(opts.minRequestTimeoutSeconds !== undefined ? { minRequestTimeoutSeconds: opts.minRequestTimeoutSeconds } : {}),
  });
  await server.start();
  await bootstrap(server.stores, { advertiseAddress: '127.0.0.1', port: server.port });
  const agent = new https.Agent({ keepAlive: true, ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem, maxSockets: 16 });
  return {
    server,
    pki,
    credentials: { server: server.url, caPem: pki.caCertPem, certPem: pki.adminCertPem, keyPem: pki.adminKeyPem, insecureSkipTlsVerify: false, namespace: 'default' },
    request(method, path, body, headers = {}, timeoutMs) {
      return new Promise((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port: server.port, method, path, agent, headers: { 'content-type': 'application/json', ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', done);
          res.on('error', reject);
          if (timeoutMs) {
            setTimeout(() => {
              done();
              req.destroy();
            }, timeoutMs).unref();
          }
        });
        req.on('error', reject);
        if (timeoutMs) req.setTimeout(timeoutMs * 5, () => req.destroy(new Error(`no response within ${timeoutMs * 5} ms`)));
        req.end(body);
      });
    },
    async stop() {
      agent.destroy();
      await server.stop();
      await backend.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
