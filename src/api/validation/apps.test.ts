// Workload controller validation tables (upstream pkg/apis/apps/validation, core RC rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, podSpec, template } from './fixtures.js';

const deploy = (spec: Record<string, any>) => ({ spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec } });

test('valid workloads', () => {
  assert.deepEqual(check('apps', 'Deployment', deploy({})), []);
  assert.deepEqual(check('apps', 'ReplicaSet', deploy({ replicas: 0 })), []);
  assert.deepEqual(check('apps', 'StatefulSet', deploy({ serviceName: 'web' })), []);
  assert.deepEqual(check('apps', 'DaemonSet', deploy({})), []);
  assert.deepEqual(check('', 'ReplicationController', { spec: { selector: { app: 'web' }, template: template() } }), []);
});

test('deployment violations', () => {
  const table: [Record<string, any>, string[]][] = [
    [{ replicas: -1 }, ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    [{ selector: undefined }, ['spec.selector: Required value']],
    [{ selector: {} }, ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']],
    [{ template: template({ app: 'other' }) }, ['spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`']],
    [{ template: template({ app: 'web' }, podSpec({ restartPolicy: 'Never' })) }, ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    [{ template: template({ app: 'web' }, { containers: [{ name: 'c' }] }) }, ['spec.template.spec.containers[0].image: Required value']],
    [{ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }, ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']],
    [{ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } } }, ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%']],
    [{ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots' } } }, [
      `spec.strategy.rollingUpdate.maxSurge: Invalid value: "lots": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    ]],
    [{ strategy: { type: 'Recreate', rollingUpdate: {} } }, ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]],
    [{ minReadySeconds: 700 }, ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']],
  ];
  for (const [spec, want] of table) assert.deepEqual(check('apps', 'Deployment', deploy(spec)), want, JSON.stringify(spec));
});

test('selectors are immutable on update; scaling is not', () => {
  const old = deploy({});
  assert.deepEqual(check('apps', 'Deployment', deploy({ replicas: 5 }), old), []);
  const moved = deploy({ selector: { matchLabels: { app: 'web', tier: 'x' } }, template: template({ app: 'web', tier: 'x' }) });
  assert.deepEqual(check('apps', 'Deployment', moved, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable']);
  assert.deepEqual(check('apps', 'ReplicaSet', moved, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable']);
  assert.deepEqual(check('apps', 'StatefulSet', deploy({ serviceName: 'other' }), deploy({ serviceName: 'web' })), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

test('statefulset, daemonset and replication controller specifics', () => {
  assert.deepEqual(check('apps', 'StatefulSet', deploy({ podManagementPolicy: 'Random' })), ['spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"']);
  assert.deepEqual(check('apps', 'StatefulSet', deploy({ selector: {} })), ['spec.selector: Invalid value: {}: empty selector is invalid for statefulset']);
  assert.deepEqual(check('apps', 'DaemonSet', deploy({ updateStrategy: { type: 'Eventually' } })), ['spec.updateStrategy.type: Unsupported value: "Eventually": supported values: "OnDelete", "RollingUpdate"']);
  assert.deepEqual(check('apps', 'DaemonSet', deploy({ template: template({ app: 'web' }, podSpec({ activeDeadlineSeconds: 5 })) })), ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported']);
  assert.deepEqual(check('', 'ReplicationController', { spec: { selector: { app: 'x' }, template: template() } }), ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
});
