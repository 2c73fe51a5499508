// End-to-end: `kubectl create token` gets a TokenRequest token from `skiff server`, and kubectl
// using only that bearer token (no client certificate) authenticates as the service account.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, kubectl, kubectlOk, missingKubectl, startServer, type RunningServer } from './harness.js';

const skip = missingKubectl();

describe('service account tokens (kubectl 1.32)', { skip }, () => {
  let srv: RunningServer;
  let caFile: string;

  before(async () => {
    srv = await startServer(['--no-agent']);
    caFile = join(srv.dataDir, 'tls', 'server-ca.crt');
  });

  after(async () => {
    await srv?.stop();
  });

  // kubectl with an empty kubeconfig: the token is the only credential it presents.
  const asToken = (token: string, args: string[]) => {
    const empty = join(srv.dataDir, 'empty-kubeconfig.yaml');
    writeFileSync(empty, 'apiVersion: v1\nkind: Config\n');
    return kubectl({ kubeconfig: empty, dataDir: srv.dataDir }, [`--server=${srv.server}`, `--certificate-authority=${caFile}`, `--token=${token}`, ...args]);
  };

  test('kubectl create token → kubectl auth whoami as system:serviceaccount:default:default', async () => {
    // The controller manager creates the namespace's default service account.
    await eventually(() => kubectl(srv, ['get', 'serviceaccount', 'default']).code === 0, 'the default service account');
    const token = kubectlOk(srv, ['create', 'token', 'default']).trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);

    const who = asToken(token, ['auth', 'whoami', '-o', 'json']);
    assert.equal(who.code, 0, who.stderr);
    const status = JSON.parse(who.stdout).status.userInfo;
    assert.equal(status.username, 'system:serviceaccount:default:default');
    assert.ok(status.groups.includes('system:serviceaccounts:default'), who.stdout);

    const pods = asToken(token, ['get', 'pods']);
    assert.equal(pods.code, 0, pods.stderr);
  });

  test('a token for a deleted service account stops working; a missing one is NotFound', () => {
    kubectlOk(srv, ['create', 'serviceaccount', 'robot']);
    const token = kubectlOk(srv, ['create', 'token', 'robot', '--duration=15m', '--audience=https://kubernetes.default.svc.cluster.local']).trim();
    assert.equal(asToken(token, ['get', 'pods']).code, 0);
    kubectlOk(srv, ['delete', 'serviceaccount', 'robot']);
    const denied = asToken(token, ['get', 'pods']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /Unauthorized|provide credentials/);

    const missing = kubectl(srv, ['create', 'token', 'nobody']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
  });
});
