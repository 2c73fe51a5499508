import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from './index.js';
import { NOW, ago, S, M, H, D } from './testing/time.js';

const pod = printerFor('', 'Pod');
const cells = (p: any) => pod.cells(p, NOW);

function running(name: string, restarts = 0, extra: any = {}) {
  return {
    name,
    ready: true,
    started: true,
    restartCount: restarts,
    image: 'nginx:1.27',
    state: { running: { startedAt: ago(10 * M) } },
    ...extra,
  };
}

function makePod(over: { spec?: any; status?: any; metadata?: any } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-5d8f7c9b6-x2x7q', namespace: 'default', creationTimestamp: ago(2 * H + 3 * M), ...over.metadata },
    spec: {
      nodeName: 'node-1',
      containers: [
        { name: 'web', image: 'nginx:1.27' },
        { name: 'metrics', image: 'prom/statsd-exporter' },
      ],
      ...over.spec,
    },
    status: {
      phase: 'Running',
      podIP: '10.42.0.17',
      podIPs: [{ ip: '10.42.0.17' }, { ip: 'fd00::17' }],
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [running('web'), running('metrics')],
      ...over.status,
    },
  };
}

void test('pod columns are upstream 1.32 columns', () => {
  assert.deepEqual(
    pod.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
});

void test('a running, ready pod', () => {
  assert.deepEqual(cells(makePod()), ['web-5d8f7c9b6-x2x7q', '2/2', 'Running', '0', '123m', '10.42.0.17', 'node-1', '<none>', '<none>']);
});

void test('restarts show how long ago the last container terminated', () => {
  const p = makePod({
    status: {
      containerStatuses: [
        running('web', 3, { lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: ago(5 * M) } } }),
        running('metrics', 1, { lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(2 * H) } } }),
      ],
    },
  });
  assert.equal(cells(p)[3], '4 (5m ago)');
});

void test('CrashLoopBackOff wins over Running and the container is not ready', () => {
  const p = makePod({
    status: {
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False' },
      ],
      containerStatuses: [
        {
          name: 'web',
          ready: false,
          restartCount: 6,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(90 * S) } },
        },
        running('metrics'),
      ],
    },
  });
  assert.deepEqual(cells(p).slice(1, 4), ['1/2', 'CrashLoopBackOff', '6 (90s ago)']);
});

void test('pending pod: unscheduled, image pulling, scheduling gated', () => {
  const unscheduled = makePod({
    spec: { nodeName: undefined },
    status: { phase: 'Pending', podIP: undefined, podIPs: undefined, conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }], containerStatuses: undefined },
  });
  assert.deepEqual(cells(unscheduled).slice(1), ['0/2', 'Pending', '0', '123m', '<none>', '<none>', '<none>', '<none>']);

  const pulling = makePod({
    status: {
      phase: 'Pending',
      containerStatuses: [
        { name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        { name: 'metrics', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } },
      ],
    },
  });
  // The first container's reason wins (upstream walks the list backwards).
  assert.equal(cells(pulling)[2], 'ContainerCreating');

  const gated = makePod({
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }], containerStatuses: undefined },
  });
  assert.equal(cells(gated)[2], 'SchedulingGated');
});

void test('init containers: Init:N/M, Init:<reason>, PodInitializing', () => {
  const spec = {
    initContainers: [
      { name: 'migrate', image: 'app:2' },
      { name: 'warm-cache', image: 'app:2' },
    ],
    containers: [{ name: 'app', image: 'app:2' }],
  };
  const waitingApp = [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }];
  const notInit = [{ type: 'Initialized', status: 'False' }];

  const second = makePod({
    spec,
    status: {
      phase: 'Pending',
      conditions: notInit,
      initContainerStatuses: [
        { name: 'migrate', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'warm-cache', ready: false, restartCount: 0, state: { running: { startedAt: ago(20 * S) } } },
      ],
      containerStatuses: waitingApp,
    },
  });
  assert.deepEqual(cells(second).slice(1, 4), ['0/1', 'Init:1/2', '0']);

  const crashing = makePod({
    spec,
    status: {
      phase: 'Pending',
      conditions: notInit,
      initContainerStatuses: [
        {
          name: 'migrate',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(40 * S) } },
        },
        { name: 'warm-cache', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
      ],
      containerStatuses: waitingApp,
    },
  });
  // While initializing, init-container restarts count.
  assert.deepEqual(cells(crashing).slice(1, 4), ['0/1', 'Init:CrashLoopBackOff', '4 (40s ago)']);

  const failed = makePod({
    spec,
    status: {
      phase: 'Failed',
      conditions: notInit,
      initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }],
      containerStatuses: waitingApp,
    },
  });
  assert.equal(cells(failed)[2], 'Init:ExitCode:2');

  const signalled = makePod({
    spec,
    status: {
      phase: 'Pending',
      conditions: notInit,
      initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }],
    },
  });
  assert.equal(cells(signalled)[2], 'Init:Signal:9');

  const initialized = makePod({
    spec,
    status: {
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [
        { name: 'migrate', ready: true, restartCount: 2, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'warm-cache', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
      containerStatuses: waitingApp,
    },
  });
  // Initialized: plain init-container restarts no longer count.
  assert.deepEqual(cells(initialized).slice(1, 4), ['0/1', 'PodInitializing', '0']);
});

void test('sidecar (restartable init) containers count toward Ready', () => {
  const p = makePod({
    spec: {
      initContainers: [{ name: 'istio-proxy', image: 'istio/proxyv2', restartPolicy: 'Always' }],
      containers: [{ name: 'web', image: 'nginx' }],
    },
    status: {
      initContainerStatuses: [
        {
          name: 'istio-proxy',
          ready: true,
          started: true,
          restartCount: 1,
          state: { running: { startedAt: ago(9 * M) } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(9 * M) } },
        },
      ],
      containerStatuses: [running('web')],
    },
  });
  assert.deepEqual(cells(p).slice(1, 4), ['2/2', 'Running', '1 (9m ago)']);
});

void test('completed, errored and signalled containers', () => {
  const completed = makePod({
    status: {
      phase: 'Succeeded',
      containerStatuses: [
        { name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'metrics', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
    },
  });
  assert.deepEqual(cells(completed).slice(1, 3), ['0/2', 'Completed']);

  const stillRunning = makePod({
    status: {
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        { name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        running('metrics'),
      ],
    },
  });
  assert.deepEqual(cells(stillRunning).slice(1, 3), ['1/2', 'NotReady']);

  const noReason = makePod({
    status: {
      phase: 'Failed',
      containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }],
    },
  });
  assert.equal(cells(noReason)[2], 'ExitCode:3');

  const evicted = makePod({
    status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', containerStatuses: [] },
  });
  assert.equal(cells(evicted)[2], 'Evicted');
});

void test('Terminating, NodeLost → Unknown, and terminal pods keep their status', () => {
  const deleting = makePod({ metadata: { deletionTimestamp: ago(10 * S) } });
  assert.equal(cells(deleting)[2], 'Terminating');

  const lost = makePod({ metadata: { deletionTimestamp: ago(10 * S) }, status: { reason: 'NodeLost' } });
  assert.equal(cells(lost)[2], 'Unknown');

  const done = makePod({
    metadata: { deletionTimestamp: ago(10 * S) },
    status: {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'web', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    },
  });
  assert.equal(cells(done)[2], 'Completed');
});

void test('wide cells: nominated node and readiness gates', () => {
  const p = makePod({
    spec: { nodeName: undefined, readinessGates: [{ conditionType: 'target-health.elbv2.k8s.aws/web' }, { conditionType: 'example.com/ready' }] },
    status: {
      phase: 'Pending',
      podIP: undefined,
      podIPs: undefined,
      nominatedNodeName: 'node-3',
      conditions: [{ type: 'target-health.elbv2.k8s.aws/web', status: 'True' }, { type: 'example.com/ready', status: 'False' }],
      containerStatuses: undefined,
    },
    metadata: { creationTimestamp: ago(3 * D) },
  });
  assert.deepEqual(cells(p).slice(4), ['3d', '<none>', '<none>', 'node-3', '1/2']);
});
