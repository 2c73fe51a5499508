import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../../util/errors.js';
import type { AuthConfig, ImageSpec } from '../runtime/index.js';
import type { Obj } from '../types.js';
import { pullWithKeyring } from './pull.js';
import { keyringFromSecrets, podPullSecrets } from './secrets.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, type: string, data: Record<string, string>): Obj =>
  ({ metadata: { namespace: 'ns', name }, type, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) });

test('keyringFromSecrets: dockerconfigjson and legacy dockercfg; other types and keys ignored', () => {
  const cases: Array<{ name: string; secrets: Obj[]; image: string; want: string[] }> = [
    { name: 'dockerconfigjson', secrets: [secret('a', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': JSON.stringify({ auths: { 'reg.example': { username: 'j' } } }) })], image: 'reg.example/x', want: ['j'] },
    { name: 'dockercfg', secrets: [secret('a', 'kubernetes.io/dockercfg', { '.dockercfg': JSON.stringify({ 'reg.example': { auth: b64('c:pw') } }) })], image: 'reg.example/x', want: ['c'] },
    { name: 'wrong type', secrets: [secret('a', 'Opaque', { '.dockerconfigjson': JSON.stringify({ auths: { 'reg.example': { username: 'j' } } }) })], image: 'reg.example/x', want: [] },
    { name: 'type without its key', secrets: [secret('a', 'kubernetes.io/dockerconfigjson', { '.dockercfg': JSON.stringify({ 'reg.example': { username: 'c' } }) })], image: 'reg.example/x', want: [] },
    {
      name: 'two secrets, same registry: both, in secret order',
      secrets: [
        secret('a', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': JSON.stringify({ auths: { 'reg.example': { username: 'first' } } }) }),
        secret('b', 'kubernetes.io/dockercfg', { '.dockercfg': JSON.stringify({ 'reg.example': { username: 'second' } }) }),
      ],
      image: 'reg.example/x', want: ['first', 'second'],
    },
  ];
  for (const c of cases) assert.deepEqual(keyringFromSecrets(c.secrets).lookup(c.image).map((a) => a.username), c.want, c.name);
});

test('keyringFromSecrets: malformed JSON names the secret', () => {
  assert.throws(() => keyringFromSecrets([secret('bad', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': '{nope' })]), /secret ns\/bad: \.dockerconfigjson is not a JSON object/);
});

test('podPullSecrets: found and missing', async () => {
  const s = secret('have', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': '{}' });
  const pod: Obj = { metadata: { namespace: 'ns', name: 'p' }, spec: { imagePullSecrets: [{ name: 'have' }, { name: 'gone' }, {}] } };
  const r = await podPullSecrets(pod, async (ns, name) => (ns === 'ns' && name === 'have' ? s : undefined));
  assert.deepEqual(r, { secrets: [s], missing: ['gone'] });
});

function recorder(fail: (auth?: AuthConfig) => Error | undefined) {
  const calls: Array<AuthConfig | undefined> = [];
  return {
    calls,
    pullImage: async (_i: ImageSpec, auth?: AuthConfig) => {
      calls.push(auth);
      const e = fail(auth);
      if (e) throw e;
      return 'sha256:ok';
    },
  };
}

test('pullWithKeyring: anonymous without credentials, each credential in turn, aggregate error', async () => {
  const kr = keyringFromSecrets([secret('a', 'kubernetes.io/dockerconfigjson', {
    '.dockerconfigjson': JSON.stringify({ auths: { 'reg.example/team': { username: 'wrong', password: 'x' }, 'reg.example': { username: 'right', password: 'y' } } }),
  })]);
  const anon = recorder(() => undefined);
  assert.equal(await pullWithKeyring(anon, { image: 'other.example/app' }, kr), 'sha256:ok');
  assert.deepEqual(anon.calls, [undefined]);

  const second = recorder((a) => (a?.username === 'wrong' ? errors.unauthorized('denied') : undefined));
  assert.equal(await pullWithKeyring(second, { image: 'reg.example/team/app' }, kr), 'sha256:ok');
  assert.deepEqual(second.calls.map((a) => a?.username), ['wrong', 'right']);

  const none = recorder((a) => errors.unauthorized(`denied for ${a?.username}`));
  await assert.rejects(pullWithKeyring(none, { image: 'reg.example/team/app' }, kr), (e: Error & { reason?: string }) => {
    assert.equal(e.message, '[denied for wrong, denied for right]');
    assert.equal(e.reason, 'Unauthorized');
    return true;
  });
  const one = recorder(() => new Error('boom'));
  await assert.rejects(pullWithKeyring(one, { image: 'reg.example/app' }, kr), /^Error: boom$/);
});
