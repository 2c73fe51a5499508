// @serial: runs a real node agent (the host's pod bridge and range are shared)
// End-to-end: `kubectl create token` gets a TokenRequest token from `skiff server`, and kubectl
// using only that bearer token (no client certificate) authenticates as the service account. As
// root, also the kubelet's side: a projected serviceAccountToken volume holds a real, pod-bound token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, kubectl, kubectlOk, missingKubectl, startServer, type RunningServer } from './harness.js';

const skip = missingKubectl();

function rootMissing(): string | undefined {
  if (process.getuid?.() === 0) return undefined;
  const why = 'needs root (the node agent\'s process runtime)';
  if (process.env.CI === 'true') throw new Error(why);
  return why;
}

// kubectl with an empty kubeconfig: the token is the only credential it presents.
function asToken(srv: RunningServer, token: string, args: string[]) {
  const empty = join(srv.dataDir, 'empty-kubeconfig.yaml');
  writeFileSync(empty, 'apiVersion: v1\nkind: Config\n');
  return kubectl({ kubeconfig: empty, dataDir: srv.dataDir }, [
    `--server=${srv.server}`, `--certificate-authority=${join(srv.dataDir, 'tls', 'server-ca.crt')}`, `--token=${token}`, ...args,
  ]);
}

describe('service account tokens (kubectl 1.32)', { skip }, () => {
  let srv: RunningServer;

  before(async () => {
    srv = await startServer(['--no-agent']);
  });

  after(async () => {
    await srv?.stop();
  });

  test('kubectl create token → kubectl auth whoami as system:serviceaccount:default:default', async () => {
    // The controller manager creates the namespace's default service account.
    await eventually(() => kubectl(srv, ['get', 'serviceaccount', 'default']).code === 0, 'the default service account');
    const token = kubectlOk(srv, ['create', 'token', 'default']).trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);

    const who = asToken(srv, token, ['auth', 'whoami', '-o', 'json']);
    assert.equal(who.code, 0, who.stderr);
    const status = JSON.parse(who.stdout).status.userInfo;
    assert.equal(status.username, 'system:serviceaccount:default:default');
    assert.ok(status.groups.includes('system:serviceaccounts:default'), who.stdout);

    const pods = asToken(srv, token, ['get', 'pods']);
    assert.equal(pods.code, 0, pods.stderr);
  });

  test('a token for a deleted service account stops working; a missing one is NotFound', () => {
    kubectlOk(srv, ['create', 'serviceaccount', 'robot']);
    const token = kubectlOk(srv, ['create', 'token', 'robot', '--duration=15m', '--audience=https://kubernetes.default.svc.cluster.local']).trim();
    assert.equal(asToken(srv, token, ['get', 'pods']).code, 0);
    kubectlOk(srv, ['delete', 'serviceaccount', 'robot']);
    const denied = asToken(srv, token, ['get', 'pods']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /Unauthorized|provide credentials/);

    const missing = kubectl(srv, ['create', 'token', 'nobody']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
  });
});

describe('service account tokens in pods (kubelet, kubectl 1.32)', { skip: skip ?? rootMissing() }, () => {
  let srv: RunningServer;

  before(async () => {
    srv = await startServer(['--kubelet-port', '0'], { timeoutMs: 60_000 });
  });

  after(async () => {
    if (!srv) return;
    kubectl(srv, ['delete', 'pods', '--all', '--grace-period=1', '--timeout=60s']);
    await srv.stop();
  });

  test('a projected serviceAccountToken volume holds a pod-bound token that authenticates', async () => {
    await eventually(() => kubectl(srv, ['get', 'nodes', '-o', 'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status}']).stdout === 'True', 'the node to be Ready', 30_000);
    await eventually(() => kubectl(srv, ['get', 'serviceaccount', 'default']).code === 0, 'the default service account', 30_000);
    kubectlOk(srv, ['apply', '-f', '-'], { input: JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tok' },
      spec: {
        containers: [{ name: 'c', image: 'local', command: ['sleep', '300'], volumeMounts: [{ name: 't', mountPath: '/var/run/secrets/tokens' }] }],
        volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }],
      },
    }) });
    await eventually(() => kubectl(srv, ['get', 'pod', 'tok', '-o', 'jsonpath={.status.phase}']).stdout === 'Running', 'the pod Running', 60_000);
    const token = kubectlOk(srv, ['exec', 'tok', '--', 'cat', '/var/run/secrets/tokens/token']).trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const who = asToken(srv, token, ['auth', 'whoami', '-o', 'json']);
    assert.equal(who.code, 0, who.stderr);
    const user = JSON.parse(who.stdout).status.userInfo;
    assert.equal(user.username, 'system:serviceaccount:default:default');
    assert.deepEqual(user.extra['authentication.kubernetes.io/pod-name'], ['tok']);
  });
});
