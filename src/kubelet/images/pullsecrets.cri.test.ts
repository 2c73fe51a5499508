// The kubelet's pull path (pod imagePullSecrets → keyring → CriRuntime.pullImage with AuthConfig)
// against a real containerd and a registry that wants basic auth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createCriRuntime } from '../runtime/cri/index.js';
import { criTestSkip, pushImage, requireCri, startCriTestEnv, startRegistry } from '../runtime/cri/testing/index.js';
import type { Obj } from '../types.js';
import { keyringFromSecrets, podPullSecrets, pullWithKeyring } from './index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function dockerConfigSecret(name: string, auths: Record<string, unknown>): Obj {
  return { metadata: { namespace: 'default', name }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } };
}

test('pull with imagePullSecrets from a registry with htpasswd', { skip: criTestSkip(), timeout: 180_000 }, async (t) => {
  requireCri();
  const env = await startCriTestEnv();
  t.after(() => env.stop());
  const creds = { user: 'puller', password: 's3cret-pw' };
  const reg = await startRegistry({ dataDir: join(env.dir, 'private-registry'), htpasswd: creds });
  t.after(() => reg.stop());
  const image = `${reg.host}/private/busybox:1`;
  await pushImage(env.images.layout, env.images.busybox, image, creds);
  const rt = await createCriRuntime({ endpoint: env.containerd.endpoint });
  t.after(() => rt.close());

  // No secret: anonymous pull, refused by the registry.
  await assert.rejects(pullWithKeyring(rt, { image }, undefined), /401 Unauthorized/);
  // A pod whose secret is missing pulls without it (and fails the same way).
  const pod: Obj = { metadata: { namespace: 'default', name: 'p' }, spec: { imagePullSecrets: [{ name: 'regcred' }, { name: 'gone' }] } };
  const wrong = dockerConfigSecret('regcred', { [reg.host]: { username: creds.user, password: 'nope' } });
  const found = await podPullSecrets(pod, async (_ns, name) => (name === 'regcred' ? wrong : undefined));
  assert.deepEqual(found.missing, ['gone']);
  await assert.rejects(pullWithKeyring(rt, { image }, keyringFromSecrets(found.secrets)), /401 Unauthorized/);
  assert.equal(await rt.imageStatus({ image }), null);

  // The right credentials, as `auth` (base64 user:password), after a wrong more specific entry:
  // the wrong one is tried first, then the right one.
  const right = dockerConfigSecret('regcred', {
    [`${reg.host}/private`]: { username: creds.user, password: 'wrong-again' },
    [`http://${reg.host}`]: { auth: b64(`${creds.user}:${creds.password}`) },
  });
  const ref = await pullWithKeyring(rt, { image }, keyringFromSecrets([right]));
  assert.match(ref, /^sha256:[0-9a-f]{64}$/);
  const img = await rt.imageStatus({ image });
  assert.ok(img, 'pulled image present');
  assert.equal(img.id, ref);
});
