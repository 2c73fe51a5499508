// End to end with the real client: kubectl (Go's TLS stack) must accept the generated serving
// cert and present the admin cert or a bearer token from a kubeconfig we render. Skips without kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderKubeconfig, writeKubeconfig } from '../../client/kubeconfig.js';
import { BootstrapTokenAuthenticator } from './bootstrap.js';
import { withAuthServer } from './testing.js';
import { UnionAuthenticator } from './union.js';
import { X509Authenticator } from './x509.js';

const run = promisify(execFile);

void test('kubectl trusts the serving cert and authenticates with the admin cert or a token', async (t) => {
  try {
    await run('kubectl', ['version', '--client'], { timeout: 20_000 });
  } catch {
    t.skip('kubectl not installed');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubectl-'));
  try {
    await withAuthServer(
      (pki) => new UnionAuthenticator([new X509Authenticator({ caPem: pki.caCertPem }), new BootstrapTokenAuthenticator('join-secret')]),
      async ({ pki, url }) => {
        const kubectl = async (user: Parameters<typeof renderKubeconfig>[0]['user']): Promise<unknown> => {
          const path = join(dir, 'kubeconfig.yaml');
          await writeKubeconfig(path, renderKubeconfig({ cluster: { server: url, caPem: pki.caCertPem }, user }));
          // --raw on a path the test server answers with the authenticated user.
          const { stdout } = await run('kubectl', ['--kubeconfig', path, 'get', '--raw', '/whoami'], { timeout: 30_000 });
          return JSON.parse(stdout);
        };
        assert.deepEqual(await kubectl({ certPem: pki.adminCertPem, keyPem: pki.adminKeyPem }),
          { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] });
        assert.deepEqual(await kubectl({ token: 'join-secret' }),
          { username: 'system:bootstrap:node', groups: ['system:bootstrappers', 'system:authenticated'] });
      });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
