import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig, setDefaults } from './index.js';
import { Framework } from '../framework/index.js';
import { inTreeRegistry } from '../registry.js';

test('defaults: one default-scheduler profile with upstream plugins, weights and args', () => {
  const c = parseConfig('apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n');
  assert.equal(c.parallelism, 16);
  assert.equal(c.percentageOfNodesToScore, 0);
  assert.equal(c.podInitialBackoffSeconds, 1);
  assert.equal(c.podMaxBackoffSeconds, 10);
  assert.equal(c.leaderElection.resourceName, 'kube-scheduler');
  assert.equal(c.profiles.length, 1);
  const p = c.profiles[0]!;
  assert.equal(p.schedulerName, 'default-scheduler');
  const fit = p.pluginConfig!.find((x) => x.name === 'NodeResourcesFit')!;
  assert.deepEqual(fit.args, { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] } });
  const fwk = new Framework(inTreeRegistry, p);
  assert.deepEqual(fwk.listPlugins('filter'), ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual(fwk.listPlugins('score'), ['TaintToleration', 'NodeAffinity', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity', 'NodeResourcesBalancedAllocation', 'ImageLocality']);
  assert.deepEqual([...fwk.scoreWeights], [['TaintToleration', 3], ['NodeAffinity', 2], ['NodeResourcesFit', 1], ['PodTopologySpread', 2], ['InterPodAffinity', 2], ['NodeResourcesBalancedAllocation', 1], ['ImageLocality', 1]]);
  assert.deepEqual(fwk.listPlugins('postFilter'), ['DefaultPreemption']);
  assert.deepEqual(fwk.listPlugins('bind'), ['DefaultBinder']);
  assert.deepEqual(fwk.listPlugins('preEnqueue'), ['SchedulingGates']);
});

test('profiles: disable per extension point, override weights, plugin args defaulted', () => {
  const c = parseConfig(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 50
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packer
  plugins:
    score:
      disabled:
      - name: NodeResourcesBalancedAllocation
      - name: ImageLocality
      enabled:
      - name: NodeResourcesFit
        weight: 5
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
`);
  assert.equal(c.profiles.length, 2);
  const bp = c.profiles[1]!;
  const fwk = new Framework(inTreeRegistry, bp);
  assert.deepEqual(fwk.listPlugins('score'), ['NodeResourcesFit', 'TaintToleration', 'NodeAffinity', 'PodTopologySpread', 'InterPodAffinity']);
  assert.equal(fwk.scoreWeights.get('NodeResourcesFit'), 5);
  assert.deepEqual(fwk.listPlugins('filter').includes('NodeResourcesFit'), true);
  const args = bp.pluginConfig!.find((x) => x.name === 'NodeResourcesFit')!.args as any;
  assert.equal(args.scoringStrategy.type, 'MostAllocated');
  assert.deepEqual(args.scoringStrategy.resources, [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]);
});

test('"*" disables every default at one extension point', () => {
  const c = setDefaults({ profiles: [{ schedulerName: 'x', plugins: { score: { disabled: [{ name: '*' }] } } }] });
  assert.deepEqual(new Framework(inTreeRegistry, c.profiles[0]!).listPlugins('score'), []);
});

const bad: [string, string, RegExp][] = [
  ['wrong version', 'apiVersion: kubescheduler.config.k8s.io/v1beta2\nkind: KubeSchedulerConfiguration\n', /no kind "KubeSchedulerConfiguration" is registered for version "kubescheduler.config.k8s.io\/v1beta2"/],
  ['unknown field', 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nparalelism: 3\n', /strict decoding error: unknown field "paralelism"/],
  ['ranges', 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nparallelism: 0\npercentageOfNodesToScore: 120\npodInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\n',
    /parallelism: Invalid value: 0: should be an integer value greater than zero\n.*percentageOfNodesToScore: Invalid value: 120: not in valid range \[0-100\]\n.*podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds/],
  ['duplicate profile', 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: a\n- schedulerName: a\n', /profiles\[1\].schedulerName: Duplicate value: "a"/],
  ['missing name in multi-profile', 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: a\n- {}\n', /profiles\[1\].schedulerName: Required value/],
  ['bad args', 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args:\n      scoringStrategy:\n        type: Fancy\n',
    /profiles\[0\].pluginConfig\[0\].args.scoringStrategy.type: Unsupported value: "Fancy"/],
];
for (const [name, yaml, re] of bad) {
  test(`validation: ${name}`, () => {
    assert.throws(() => parseConfig(yaml), (e: unknown) => e instanceof ConfigError && re.test(e.message));
  });
}

test('JSON is accepted too', () => {
  const c = parseConfig(JSON.stringify({ apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration', podMaxBackoffSeconds: 20 }));
  assert.equal(c.podMaxBackoffSeconds, 20);
});

test('an unknown plugin fails when the framework is built', () => {
  const c = setDefaults({ profiles: [{ schedulerName: 'x', plugins: { filter: { enabled: [{ name: 'Nope' }] } } }] });
  assert.throws(() => new Framework(inTreeRegistry, c.profiles[0]!), /plugin "Nope" does not exist/);
});
