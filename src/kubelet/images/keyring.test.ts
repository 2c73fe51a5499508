import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerKeyring, locMatches, repositoryOf, type DockerConfig } from './keyring.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('repositoryOf: upstream ParseImageName repository', () => {
  const cases: Array<[string, string]> = [
    ['busybox', 'docker.io/library/busybox'],
    ['busybox:1.36', 'docker.io/library/busybox'],
    ['team/app@sha256:abc', 'docker.io/team/app'],
    ['registry.example:5000/team/app:v1', 'registry.example:5000/team/app'],
    ['localhost/app', 'localhost/app'],
    ['quay.io/a/b/c:x', 'quay.io/a/b/c'],
  ];
  for (const [image, want] of cases) assert.equal(repositoryOf(image), want, image);
});

test('locMatches: host labels as globs, same port, path prefix', () => {
  const cases: Array<[string, string, boolean]> = [
    ['quay.io', 'quay.io/team/app', true],
    ['quay.io/team', 'quay.io/team/app', true],
    ['quay.io/other', 'quay.io/team/app', false],
    ['*.example.com', 'reg.example.com/app', true],
    ['*.example.com', 'example.com/app', false],
    ['*.example.com', 'a.b.example.com/app', false],
    ['reg?.example.com', 'reg1.example.com/app', true],
    ['reg.example:5000', 'reg.example:5000/app', true],
    ['reg.example:5000', 'reg.example/app', false],
    ['reg.example', 'reg.example:5000/app', false],
    ['QUAY.io', 'quay.io/x', true],
  ];
  for (const [key, target, want] of cases) assert.equal(locMatches(key, target), want, `${key} ~ ${target}`);
});

test('keyring lookup: which credentials an image gets, in which order', () => {
  const cases: Array<{ name: string; cfg: DockerConfig; image: string; want: string[] }> = [
    { name: 'host match', cfg: { 'reg.example:5000': { username: 'a', password: 'p' } }, image: 'reg.example:5000/app:1', want: ['a'] },
    { name: 'scheme and /v2/ dropped', cfg: { 'https://reg.example/v2/': { username: 'a', password: 'p' } }, image: 'reg.example/app', want: ['a'] },
    { name: 'http scheme too', cfg: { 'http://reg.example': { username: 'a', password: 'p' } }, image: 'reg.example/app', want: ['a'] },
    { name: 'other registry: nothing', cfg: { 'reg.example': { username: 'a', password: 'p' } }, image: 'other.example/app', want: [] },
    {
      name: 'most specific path first, then host',
      cfg: { 'reg.example': { username: 'host' }, 'reg.example/team': { username: 'team' }, 'reg.example/team/app': { username: 'app' } },
      image: 'reg.example/team/app:v1', want: ['app', 'team', 'host'],
    },
    { name: 'path that does not apply is skipped', cfg: { 'reg.example/other': { username: 'o' }, 'reg.example': { username: 'host' } }, image: 'reg.example/team/app', want: ['host'] },
    { name: 'hub legacy key', cfg: { 'https://index.docker.io/v1/': { username: 'hub' } }, image: 'busybox', want: ['hub'] },
    { name: 'hub index.docker.io', cfg: { 'index.docker.io': { username: 'hub' } }, image: 'team/app:1', want: ['hub'] },
    { name: 'hub bare docker.io', cfg: { 'docker.io': { username: 'hub' } }, image: 'busybox:1.36', want: ['hub'] },
    { name: 'hub docker.io serves index.docker.io images', cfg: { 'docker.io': { username: 'hub' } }, image: 'index.docker.io/library/busybox', want: ['hub'] },
    { name: 'hub creds not for other registries', cfg: { 'https://index.docker.io/v1/': { username: 'hub' } }, image: 'quay.io/app', want: [] },
    { name: 'wildcard host', cfg: { '*.example.com': { username: 'w' } }, image: 'reg.example.com/app', want: ['w'] },
    { name: 'auth field decoded', cfg: { 'reg.example': { auth: b64('u1:p:w') } }, image: 'reg.example/app', want: ['u1'] },
    { name: 'identity token only', cfg: { 'reg.example': { identitytoken: 'tok' } }, image: 'reg.example/app', want: [''] },
  ];
  for (const c of cases) {
    const kr = new DockerKeyring();
    kr.add(c.cfg);
    assert.deepEqual(kr.lookup(c.image).map((a) => a.username ?? ''), c.want, c.name);
  }
});

test('keyring: AuthConfig fields, auth overriding username/password, duplicates kept in order', () => {
  const kr = new DockerKeyring();
  kr.add({ 'reg.example': { username: 'x', password: 'y', auth: b64('user:pa:ss'), identitytoken: 'id', registrytoken: 'rt', email: 'e@x' } });
  kr.add({ 'https://reg.example/v1/': { username: 'second', password: 'two' } });
  assert.deepEqual(kr.lookup('reg.example/app'), [
    { username: 'user', password: 'pa:ss', identityToken: 'id', registryToken: 'rt' },
    { username: 'second', password: 'two' },
  ]);
  assert.equal(kr.size, 1);
});

test('keyring: a malformed auth field is an error', () => {
  const kr = new DockerKeyring();
  assert.throws(() => kr.add({ 'reg.example': { auth: b64('no-colon') } }), /base64\(username:password\)/);
});
