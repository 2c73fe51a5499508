import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeFieldValue, fieldValue, parseFieldSelector } from './fields.js';
import { StatusError } from '../../util/errors.js';

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    assert.equal(e.code, 400);
    return e.message;
  }
  assert.fail('expected a BadRequest');
}

void test('parseFieldSelector parses terms, escapes and operators', () => {
  // [selector, requirements]
  const cases: [string, { field: string; operator: string; value: string }[]][] = [
    ['', []],
    [',', []],
    ['metadata.name=a', [{ field: 'metadata.name', operator: '=', value: 'a' }]],
    ['metadata.name==a', [{ field: 'metadata.name', operator: '=', value: 'a' }]],
    ['metadata.name!=a', [{ field: 'metadata.name', operator: '!=', value: 'a' }]],
    ['metadata.name=', [{ field: 'metadata.name', operator: '=', value: '' }]],
    ['status.phase!=Succeeded,status.phase!=Failed', [
      { field: 'status.phase', operator: '!=', value: 'Failed' },
      { field: 'status.phase', operator: '!=', value: 'Succeeded' },
    ]],
    ['spec.nodeName=n1,metadata.namespace=default', [
      { field: 'metadata.namespace', operator: '=', value: 'default' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
    ]],
    ['metadata.name=a\\,b\\=c\\\\d', [{ field: 'metadata.name', operator: '=', value: 'a,b=c\\d' }]],
    ['metadata.name=x,', [{ field: 'metadata.name', operator: '=', value: 'x' }]],
    ['spec.host=n1', [{ field: 'spec.nodeName', operator: '=', value: 'n1' }]],
  ];
  for (const [s, want] of cases) assert.deepEqual(parseFieldSelector(s, '', 'pods').requirements, want, s);
});

void test('parseFieldSelector rejects bad syntax with upstream messages', () => {
  const cases: [string, string][] = [
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a=b,metadata.name', "invalid selector: 'a=b,metadata.name'; can't understand 'metadata.name'"],
    ['metadata.name=a=b', 'invalid field selector: unescaped character in value: 61'],
    ['metadata.name=a\\b', 'invalid field selector: invalid escape sequence: \\b'],
    ['metadata.name=a\\', 'invalid field selector: invalid escape sequence: \\'],
    ['metadata.name in (a)', "invalid selector: 'metadata.name in (a)'; can't understand 'metadata.name in (a)'"],
    // syntax is checked for every term before any field is
    ['foo=bar,metadata.name', "invalid selector: 'foo=bar,metadata.name'; can't understand 'metadata.name'"],
  ];
  for (const [s, want] of cases) assert.equal(badRequest(() => parseFieldSelector(s, '', 'pods')), want, s);
});

void test('parseFieldSelector checks fields per resource with upstream messages', () => {
  const ok: [string, string, string][] = [
    ['', 'pods', 'spec.nodeName=n,spec.restartPolicy=Always,spec.schedulerName=s,spec.serviceAccountName=sa,spec.hostNetwork=true,status.phase=Running,status.podIP=1.2.3.4,status.nominatedNodeName=n'],
    ['', 'events', 'involvedObject.kind=Pod,involvedObject.namespace=d,involvedObject.name=p,involvedObject.uid=u,involvedObject.apiVersion=v1,involvedObject.resourceVersion=1,involvedObject.fieldPath=f,reason=r,reportingComponent=c,source=s,type=Normal,metadata.name=e,metadata.namespace=d'],
    ['events.k8s.io', 'events', 'regarding.name=p,regarding.kind=Pod,reportingController=c,reason=r,type=Warning,source=s,metadata.namespace=d'],
    ['', 'secrets', 'type=Opaque,metadata.namespace=d,metadata.name=s'],
    ['', 'namespaces', 'status.phase=Active,metadata.name=x'],
    ['', 'nodes', 'spec.unschedulable=false,metadata.name=n'],
    ['', 'replicationcontrollers', 'status.replicas=1,metadata.namespace=d'],
    ['', 'services', 'spec.clusterIP=None,spec.type=ClusterIP'],
    ['batch', 'jobs', 'status.successful=1,metadata.name=j'],
    ['certificates.k8s.io', 'certificatesigningrequests', 'spec.signerName=kubernetes.io/kubelet-serving,metadata.name=c'],
    ['', 'configmaps', 'metadata.name=a,metadata.namespace=b'],
    ['apps', 'deployments', 'metadata.name=a'],
  ];
  for (const [group, resource, s] of ok) assert.ok(!parseFieldSelector(s, group, resource).empty(), `${group}/${resource} ${s}`);

  const bad: [string, string, string, string][] = [
    ['', 'pods', 'foo=bar', 'field label not supported: foo'],
    ['', 'pods', 'status.hostIP=1.2.3.4', 'field label not supported: status.hostIP'],
    ['', 'nodes', 'metadata.namespace=x', 'field label not supported: metadata.namespace'],
    ['', 'namespaces', 'metadata.namespace=x', 'field label not supported: metadata.namespace'],
    ['', 'events', 'regarding.name=x', 'field label not supported: regarding.name'],
    ['events.k8s.io', 'events', 'involvedObject.name=x', 'field label not supported: involvedObject.name'],
    ['batch', 'jobs', 'status.active=1', 'field label "status.active" not supported for batchv1.Job'],
    ['', 'configmaps', 'data.x=1', '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    // upstream registers no conversion for apps/v1 ReplicaSets, so status.replicas is refused there
    ['apps', 'replicasets', 'status.replicas=0', '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    ['', 'pods', ' metadata.name=a', 'field label not supported:  metadata.name'],
    // terms are checked in sorted order
    ['', 'pods', 'zz=1,aa=1', 'field label not supported: aa'],
  ];
  for (const [group, resource, s, want] of bad) assert.equal(badRequest(() => parseFieldSelector(s, group, resource)), want, `${group}/${resource} ${s}`);
});

void test('custom resources accept their selectable fields', () => {
  const sel = parseFieldSelector('spec.color=red', 'example.com', 'widgets', { clusterScoped: false, selectableFields: ['spec.color'] });
  assert.equal(sel.matches({ spec: { color: 'red' } }), true);
  assert.equal(badRequest(() => parseFieldSelector('spec.size=1', 'example.com', 'widgets', { clusterScoped: false })), 'field label not supported: spec.size');
  assert.equal(badRequest(() => parseFieldSelector('metadata.namespace=a', 'example.com', 'gadgets', { clusterScoped: true })), 'field label not supported: metadata.namespace');
});

void test('fieldValue gives upstream string forms', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'ns' },
    spec: { nodeName: 'n1', restartPolicy: 'Always' },
    status: { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] },
  };
  const coreEvent = { involvedObject: { kind: 'Pod', name: 'p', uid: 'u1' }, reason: 'Started', source: { component: 'kubelet' }, reportingComponent: 'kubelet', type: 'Normal' };
  const newEvent = { regarding: { kind: 'Pod', name: 'p' }, reportingController: 'sched', type: 'Warning' };
  // [object, field, value]
  const cases: [unknown, string, string][] = [
    [pod, 'metadata.name', 'p'],
    [pod, 'metadata.namespace', 'ns'],
    [{ metadata: { name: 'n' } }, 'metadata.namespace', ''],
    [pod, 'spec.nodeName', 'n1'],
    [pod, 'spec.schedulerName', ''],
    [pod, 'spec.hostNetwork', 'false'],
    [{ spec: { hostNetwork: true } }, 'spec.hostNetwork', 'true'],
    [pod, 'status.phase', 'Running'],
    [pod, 'status.podIP', '10.0.0.1'],
    [{ status: { podIP: '10.0.0.9' } }, 'status.podIP', '10.0.0.9'],
    [{}, 'status.podIP', ''],
    [{ spec: {} }, 'spec.unschedulable', 'false'],
    [{ spec: { unschedulable: true } }, 'spec.unschedulable', 'true'],
    [{ status: { replicas: 3 } }, 'status.replicas', '3'],
    [{ status: {} }, 'status.replicas', '0'],
    [{ status: { succeeded: 2 } }, 'status.successful', '2'],
    [{}, 'status.successful', '0'],
    [{ type: 'kubernetes.io/tls' }, 'type', 'kubernetes.io/tls'],
    [coreEvent, 'involvedObject.kind', 'Pod'],
    [coreEvent, 'involvedObject.uid', 'u1'],
    [coreEvent, 'involvedObject.namespace', ''],
    [coreEvent, 'source', 'kubelet'],
    [coreEvent, 'reportingComponent', 'kubelet'],
    [newEvent, 'involvedObject.name', 'p'],
    [newEvent, 'reportingComponent', 'sched'],
    [newEvent, 'source', 'sched'],
    [{ deprecatedSource: { component: 'old' } }, 'source', 'old'],
    [{ spec: { signerName: 'x/y' } }, 'spec.signerName', 'x/y'],
    [{ metadata: { name: {} } }, 'metadata.name', ''],
    [null, 'metadata.name', ''],
  ];
  for (const [obj, field, want] of cases) assert.equal(fieldValue(obj, field), want, `${field} of ${JSON.stringify(obj)}`);
});

void test('field selectors match, report exact values and print', () => {
  const running = { metadata: { name: 'a', namespace: 'd' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
  const done = { metadata: { name: 'b', namespace: 'd' }, spec: { nodeName: 'n1' }, status: { phase: 'Succeeded' } };
  const sel = parseFieldSelector('spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed', '', 'pods');
  assert.equal(sel.matches(running), true);
  assert.equal(sel.matches(done), false);
  assert.equal(sel.matches({ spec: { nodeName: 'n2' } }), false);
  assert.equal(sel.exactValue('spec.nodeName'), 'n1');
  assert.equal(sel.exactValue('status.phase'), undefined);
  assert.equal(sel.toString(), 'spec.nodeName=n1,status.phase!=Failed,status.phase!=Succeeded');

  const everything = parseFieldSelector('', '', 'pods');
  assert.equal(everything.empty(), true);
  assert.equal(everything.matches(done), true);
  assert.equal(everything.exactValue('metadata.name'), undefined);

  // metadata.namespace= on a cluster-scoped object compares against ""
  assert.equal(parseFieldSelector('metadata.namespace=', '', 'persistentvolumes').matches({ metadata: { name: 'pv' } }), true);
  const escaped = parseFieldSelector('metadata.name=a\\,b', '', 'configmaps');
  assert.equal(escaped.matches({ metadata: { name: 'a,b' } }), true);
  assert.equal(escaped.toString(), 'metadata.name=a\\,b');
  assert.equal(escapeFieldValue('a\\b=c,d'), 'a\\\\b\\=c\\,d');
});
