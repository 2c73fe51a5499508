// Service validation tables (upstream ValidateService / ValidateServiceUpdate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from './fixtures.js';

const svc = (spec: Record<string, any>) => ({ spec });

test('valid services of every type', () => {
  for (const spec of [
    { ports: [{ port: 80 }], selector: { app: 'web' } },
    { clusterIP: 'None', selector: { app: 'web' } },
    { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
    { type: 'LoadBalancer', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 443 }] },
    { type: 'ExternalName', externalName: 'example.com.' },
  ]) assert.deepEqual(check('', 'Service', svc(spec)), [], JSON.stringify(spec));
});

test('service violations as upstream words them', () => {
  const table: [Record<string, any>, string[]][] = [
    [{ selector: { app: 'x' } }, ['spec.ports: Required value']],
    [{ ports: [{ port: 0 }] }, ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive']],
    [{ ports: [{ port: 80 }, { port: 81 }] }, ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    [{ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }, ['spec.ports[1].name: Duplicate value: "a"']],
    [{ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }, ['spec.ports[1]: Duplicate value: {"AppProtocol":null,"Name":"","NodePort":0,"Port":80,"Protocol":"TCP","TargetPort":0}']],
    [{ ports: [{ port: 80, targetPort: 'Web_Port' }] }, [
      'spec.ports[0].targetPort: Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]],
    [{ type: 'Magic', ports: [{ port: 80 }] }, ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    [{ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }, ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767']],
    [{ ports: [{ port: 80, nodePort: 30001 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    [{ type: 'ExternalName' }, ['spec.externalName: Required value']],
    [{ type: 'ExternalName', externalName: 'example.com', clusterIP: '10.43.0.9' }, ['spec.clusterIPs: Forbidden: may not be set for ExternalName services']],
    [{ sessionAffinity: 'Sticky', ports: [{ port: 80 }] }, ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']],
    [{ ports: [{ port: 80 }], externalTrafficPolicy: 'Local' }, ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']],
    [{ ports: [{ port: 80 }], selector: { 'bad key!': 'v' } }, [
      `spec.selector: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]],
  ];
  for (const [spec, want] of table) assert.deepEqual(check('', 'Service', svc(spec)), want, JSON.stringify(spec));
});

test('service updates: the cluster IP may not change', () => {
  const old = svc({ clusterIP: '10.43.0.10', ports: [{ port: 80 }] });
  assert.deepEqual(check('', 'Service', svc({ clusterIP: '10.43.0.10', ports: [{ port: 81 }] }), old), []);
  assert.deepEqual(check('', 'Service', svc({ clusterIP: '10.43.0.11', ports: [{ port: 80 }] }), old), ['spec.clusterIPs[0]: Invalid value: "10.43.0.11": may not change once set']);
  assert.deepEqual(check('', 'Service', svc({ type: 'ExternalName', externalName: 'a.b' }), old), []);
});
