// Validation as upstream apis/config/validation (field paths and messages in field.Error form).
import type { Profile } from '../framework/index.js';
import { EXTENSION_POINTS } from '../framework/index.js';
import type { KubeSchedulerConfiguration } from './types.js';

const q = (v: unknown) => JSON.stringify(v);

function validatePluginArgs(path: string, name: string, args: Record<string, any>): string[] {
  const errs: string[] = [];
  switch (name) {
    case 'DefaultPreemption': {
      const pct = args.minCandidateNodesPercentage, abs = args.minCandidateNodesAbsolute;
      if (pct < 0 || pct > 100) errs.push(`${path}.minCandidateNodesPercentage: Invalid value: ${pct}: not in valid range [0, 100]`);
      if (abs < 0) errs.push(`${path}.minCandidateNodesAbsolute: Invalid value: ${abs}: not in valid range [0, inf)`);
      if (pct === 0 && abs === 0) errs.push(`${path}.minCandidateNodesPercentage: Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute`);
      break;
    }
    case 'InterPodAffinity': {
      const w = args.hardPodAffinityWeight;
      if (w < 0 || w > 100) errs.push(`${path}.hardPodAffinityWeight: Invalid value: ${w}: not in valid range [0, 100]`);
      break;
    }
    case 'NodeResourcesFit': {
      const s = args.scoringStrategy ?? {};
      const types = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];
      if (!types.includes(s.type)) errs.push(`${path}.scoringStrategy.type: Unsupported value: ${q(s.type)}: supported values: ${types.map(q).join(', ')}`);
      (s.resources ?? []).forEach((r: any, i: number) => {
        if (!(r.weight >= 1 && r.weight <= 100)) errs.push(`${path}.scoringStrategy.resources[${i}].weight: Invalid value: ${r.weight}: resource weight of ${r.name} should be in range [1, 100]`);
      });
      if (s.type === 'RequestedToCapacityRatio') {
        const shape = s.requestedToCapacityRatio?.shape ?? [];
        if (shape.length === 0) errs.push(`${path}.scoringStrategy.requestedToCapacityRatio.shape: Required value: at least one point must be specified`);
        shape.forEach((p: any, i: number) => {
          if (!(p.utilization >= 0 && p.utilization <= 100)) errs.push(`${path}.scoringStrategy.requestedToCapacityRatio.shape[${i}].utilization: Invalid value: ${p.utilization}: not in valid range [0, 100]`);
          else if (i > 0 && p.utilization <= shape[i - 1].utilization) errs.push(`${path}.scoringStrategy.requestedToCapacityRatio.shape[${i}].utilization: Invalid value: ${p.utilization}: utilization values must be sorted in increasing order`);
          if (!(p.score >= 0 && p.score <= 10)) errs.push(`${path}.scoringStrategy.requestedToCapacityRatio.shape[${i}].score: Invalid value: ${p.score}: not in valid range [0, 10]`);
        });
      }
      break;
    }
    case 'NodeResourcesBalancedAllocation':
      (args.resources ?? []).forEach((r: any, i: number) => {
        if (r.weight !== 1) errs.push(`${path}.resources[${i}].weight: Invalid value: ${r.weight}: must be 1`);
      });
      break;
    case 'PodTopologySpread': {
      const t = args.defaultingType;
      if (t !== 'System' && t !== 'List') errs.push(`${path}.defaultingType: Unsupported value: ${q(t)}: supported values: "List", "System"`);
      if (t === 'System' && (args.defaultConstraints ?? []).length) errs.push(`${path}.defaultConstraints: Invalid value: ${q(args.defaultConstraints)}: when .defaultingType is "System"`);
      (args.defaultConstraints ?? []).forEach((c: any, i: number) => {
        if (!(c.maxSkew > 0)) errs.push(`${path}.defaultConstraints[${i}].maxSkew: Invalid value: ${c.maxSkew}: not in valid range (0, inf)`);
        if (!c.topologyKey) errs.push(`${path}.defaultConstraints[${i}].topologyKey: Required value: can not be empty`);
        if (!['DoNotSchedule', 'ScheduleAnyway'].includes(c.whenUnsatisfiable)) errs.push(`${path}.defaultConstraints[${i}].whenUnsatisfiable: Unsupported value: ${q(c.whenUnsatisfiable)}: supported values: "DoNotSchedule", "ScheduleAnyway"`);
        if (c.labelSelector != null) errs.push(`${path}.defaultConstraints[${i}].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`);
      });
      break;
    }
  }
  return errs;
}

function queueSortOf(p: Profile): string {
  return JSON.stringify([p.plugins.queueSort ?? null, (p.plugins.multiPoint?.enabled ?? []).some((r) => r.name === 'PrioritySort')]);
}

/** All problems as "path: message" lines; empty when valid. */
export function validate(c: KubeSchedulerConfiguration): string[] {
  const errs: string[] = [];
  if (!(c.parallelism > 0)) errs.push(`parallelism: Invalid value: ${c.parallelism}: should be an integer value greater than zero`);
  if (c.percentageOfNodesToScore < 0 || c.percentageOfNodesToScore > 100) errs.push(`percentageOfNodesToScore: Invalid value: ${c.percentageOfNodesToScore}: not in valid range [0-100]`);
  if (!(c.podInitialBackoffSeconds > 0)) errs.push(`podInitialBackoffSeconds: Invalid value: ${c.podInitialBackoffSeconds}: must be greater than 0`);
  if (c.podMaxBackoffSeconds < c.podInitialBackoffSeconds) errs.push(`podMaxBackoffSeconds: Invalid value: ${c.podMaxBackoffSeconds}: must be greater than or equal to PodInitialBackoffSeconds`);
  if (c.leaderElection.leaderElect && !c.leaderElection.resourceLock) errs.push('leaderElection.resourceLock: Invalid value: "": resourceLock is required');
  if (c.profiles.length === 0) errs.push('profiles: Required value');
  const names = new Set<string>();
  c.profiles.forEach((p, i) => {
    const path = `profiles[${i}]`;
    if (!p.schedulerName) errs.push(`${path}.schedulerName: Required value`);
    else if (names.has(p.schedulerName)) errs.push(`${path}.schedulerName: Duplicate value: ${q(p.schedulerName)}`);
    names.add(p.schedulerName);
    const pct = p.percentageOfNodesToScore;
    if (pct !== undefined && (pct < 0 || pct > 100)) errs.push(`${path}.percentageOfNodesToScore: Invalid value: ${pct}: not in valid range [0-100]`);
    for (const point of ['multiPoint', ...EXTENSION_POINTS] as const) {
      (p.plugins[point]?.enabled ?? []).forEach((r, j) => {
        if (!r.name) errs.push(`${path}.plugins.${point}.enabled[${j}].name: Required value`);
        if (r.weight !== undefined && (r.weight < 0 || r.weight > 100 || !Number.isInteger(r.weight))) {
          errs.push(`${path}.plugins.${point}.enabled[${j}].weight: Invalid value: ${r.weight}: must be an integer in [0, 100]`);
        }
      });
    }
    const seen = new Set<string>();
    (p.pluginConfig ?? []).forEach((pc, j) => {
      const pcPath = `${path}.pluginConfig[${j}]`;
      if (seen.has(pc.name)) errs.push(`${pcPath}: Duplicate value: ${q(pc.name)}`);
      seen.add(pc.name);
      errs.push(...validatePluginArgs(`${pcPath}.args`, pc.name, pc.args ?? {}));
    });
  });
  // One queue serves every profile, so they must sort it the same way.
  const first = c.profiles[0];
  c.profiles.slice(1).forEach((p, i) => {
    if (first && queueSortOf(p) !== queueSortOf(first)) errs.push(`profiles[${i + 1}].plugins.queueSort: Invalid value: ${q(p.plugins.queueSort ?? {})}: queueSort must be the same for all profiles`);
  });
  return errs;
}
