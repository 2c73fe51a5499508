// The kubelet's use of this folder: pulls carry the pod's imagePullSecrets; image GC options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { FakeClient } from '../../client/index.js';
import { startKubelet } from '../kubelet.js';
import { FakeRuntime, type AuthConfig, type ImageSpec } from '../runtime/index.js';
import { harness, makePod, NODE } from '../testing.js';
import type { Obj } from '../types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('kubelet pulls with the pod\'s imagePullSecrets; a missing one gets FailedToRetrieveImagePullSecret', async (t) => {
  // The fake records the image only: remember the AuthConfig of each pull too.
  const pulls: Array<{ image: string; auth?: AuthConfig }> = [];
  const orig = FakeRuntime.prototype.pullImage;
  FakeRuntime.prototype.pullImage = function (this: FakeRuntime, image: ImageSpec, auth?: AuthConfig) {
    pulls.push({ image: image.image, ...(auth ? { auth } : {}) });
    return orig.call(this, image);
  };
  t.after(() => { FakeRuntime.prototype.pullImage = orig; });
  const secret: KubeObject = {
    apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'default', name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'reg.example:5000': { auth: b64('me:pw') } } })) },
  } as KubeObject;
  const pod = makePod('priv', {
    imagePullSecrets: [{ name: 'regcred' }, { name: 'gone' }],
    containers: [{ name: 'app', image: 'reg.example:5000/team/app:1', imagePullPolicy: 'Always' }, { name: 'hub', image: 'busybox:1.36' }],
  });
  const h = await harness({ objects: [secret, pod] });
  t.after(() => h.close());
  await h.until(async () => (await h.pod('priv')).status?.phase === 'Running', 'Running');
  assert.deepEqual(pulls.find((p) => p.image === 'reg.example:5000/team/app:1'), { image: 'reg.example:5000/team/app:1', auth: { username: 'me', password: 'pw' } });
  assert.deepEqual(pulls.find((p) => p.image === 'busybox:1.36'), { image: 'busybox:1.36' });
  const ev = await h.until(() => h.client.actions.find((a) => a.resource === 'events' && (a.object as Obj).reason === 'FailedToRetrieveImagePullSecret')?.object as Obj | undefined, 'event');
  assert.equal(ev.type, 'Warning');
  assert.equal(ev.note, 'Unable to retrieve some image pull secrets (gone); attempting to pull the image may not succeed.');
});

test('startKubelet rejects image GC thresholds upstream rejects', async () => {
  const client = new FakeClient({});
  await assert.rejects(startKubelet({
    client, runtime: new FakeRuntime(), nodeName: NODE, dataDir: '/nonexistent', clusterDNS: '10.43.0.10', clusterDomain: 'cluster.local',
    imageGCHighThresholdPercent: 70, imageGCLowThresholdPercent: 80,
  }), /LowThresholdPercent 80 can not be higher than HighThresholdPercent 70/);
});
