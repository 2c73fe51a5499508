import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, mappingFor } from './expand.js';
import { expandCommand, makeEnvironment, type EnvSources } from './env.js';
import { serviceEnv } from './services.js';

test('$(VAR) expansion table (upstream expansion_test)', () => {
  const vars = new Map([['VAR_A', 'A'], ['VAR_B', 'B'], ['VAR_C', 'C'], ['VAR_EMPTY', '']]);
  const m = mappingFor(vars);
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_B)', 'A-B'],
    ['$(VAR_EMPTY)', ''],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$VAR_A', '$VAR_A'],
    ['$', '$'],
    ['foo$', 'foo$'],
    ['$()', '$()'],
    ['$(VAR_A)$(VAR_B)$(VAR_C)', 'ABC'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
  ];
  for (const [input, want] of cases) assert.equal(expand(input, m), want, input);
});

const src = (over: Partial<EnvSources> = {}): EnvSources => ({
  configMap: async (_ns, name) => (name === 'cm' ? { data: { A: '1', 'bad key': 'x', B: '2' } } : undefined),
  secret: async (_ns, name) => (name === 's' ? { data: { PW: Buffer.from('hunter2').toString('base64') } } : undefined),
  services: [], allocatable: { cpu: '4', memory: '8Gi' }, hostIP: '192.168.0.1', podIP: '10.42.0.5', nodeName: 'n1', ...over,
});

test('environment: envFrom with prefix, valueFrom, expansion over earlier vars and services', async () => {
  const pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { app: 'web' } }, spec: { nodeName: 'n1', serviceAccountName: 'sa' } };
  const c = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'CM_' }],
    env: [
      { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'PW' } } },
      { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k', optional: true } } },
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'URL', value: 'http://$(NAME):$(FOO_SERVICE_PORT)/$(CM_A)$$' },
    ],
    command: ['echo', '$(URL)', '$$(NAME)'],
  };
  const services = [{ metadata: { name: 'foo', namespace: 'ns' }, spec: { clusterIP: '10.43.0.7', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }];
  const env = await makeEnvironment(pod, c, src({ services }));
  const m = Object.fromEntries(env.map((e) => [e.key, e.value]));
  assert.equal(m.CM_A, '1');
  assert.equal(m['CM_bad key'], undefined);
  assert.equal(m.NAME, 'p');
  assert.equal(m.IP, '10.42.0.5');
  assert.equal(m.APP, 'web');
  assert.equal(m.PW, 'hunter2');
  assert.equal('OPT' in m, false);
  assert.equal(m.MEM, '8192');
  assert.equal(m.URL, 'http://p:80/1$');
  assert.equal(m.FOO_SERVICE_HOST, '10.43.0.7');
  assert.equal(m.FOO_PORT_80_TCP_ADDR, '10.43.0.7');
  assert.deepEqual(expandCommand(c, env).command, ['echo', 'http://p:80/1$', '$(NAME)']);
});

test('missing sources fail as upstream', async () => {
  const pod = { metadata: { name: 'p', namespace: 'ns' }, spec: {} };
  await assert.rejects(makeEnvironment(pod, { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, src()), /configmap "nope" not found/);
  await assert.rejects(makeEnvironment(pod, { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'zz' } } }] }, src()), /couldn't find key zz in ConfigMap ns\/cm/);
  await assert.rejects(makeEnvironment(pod, { envFrom: [{ secretRef: { name: 'nope' } }] }, src()), /secret "nope" not found/);
});

test('service env vars in docker-link style', () => {
  const env = Object.fromEntries(serviceEnv([{ metadata: { name: 'my-svc' }, spec: { clusterIP: '10.0.0.1', ports: [{ name: 'web', port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } }]));
  assert.deepEqual(env, {
    MY_SVC_SERVICE_HOST: '10.0.0.1', MY_SVC_SERVICE_PORT: '8080', MY_SVC_SERVICE_PORT_WEB: '8080', MY_SVC_PORT: 'tcp://10.0.0.1:8080',
    MY_SVC_PORT_8080_TCP: 'tcp://10.0.0.1:8080', MY_SVC_PORT_8080_TCP_PROTO: 'tcp', MY_SVC_PORT_8080_TCP_PORT: '8080', MY_SVC_PORT_8080_TCP_ADDR: '10.0.0.1',
    MY_SVC_PORT_53_UDP: 'udp://10.0.0.1:53', MY_SVC_PORT_53_UDP_PROTO: 'udp', MY_SVC_PORT_53_UDP_PORT: '53', MY_SVC_PORT_53_UDP_ADDR: '10.0.0.1',
  });
});
