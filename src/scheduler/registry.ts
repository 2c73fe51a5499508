// The in-tree plugins by name (upstream plugins/registry.go): one line each.
import type { PluginFactory } from './framework/index.js';
import * as prioritySort from './plugins/prioritysort/index.js';
import * as schedulingGates from './plugins/schedulinggates/index.js';
import * as nodeUnschedulable from './plugins/nodeunschedulable/index.js';
import * as nodeName from './plugins/nodename/index.js';
import * as taintToleration from './plugins/tainttoleration/index.js';
import * as nodeAffinity from './plugins/nodeaffinity/index.js';
import * as nodePorts from './plugins/nodeports/index.js';
import * as nodeResourcesFit from './plugins/noderesourcesfit/index.js';
import * as balancedAllocation from './plugins/balancedallocation/index.js';
import * as podTopologySpread from './plugins/podtopologyspread/index.js';
import * as interPodAffinity from './plugins/interpodaffinity/index.js';
import * as imageLocality from './plugins/imagelocality/index.js';
import * as defaultPreemption from './plugins/defaultpreemption/index.js';
import * as defaultBinder from './plugins/defaultbinder/index.js';

const plugins: { name: string; create: PluginFactory }[] = [
  prioritySort,
  schedulingGates,
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  balancedAllocation,
  podTopologySpread,
  interPodAffinity,
  imageLocality,
  defaultPreemption,
  defaultBinder,
];

/** Plugin name → factory. Out-of-tree plugins: pass a merged copy to the Scheduler. */
export const inTreeRegistry: ReadonlyMap<string, PluginFactory> = new Map(plugins.map((p) => [p.name, p.create]));
