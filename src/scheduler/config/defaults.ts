// Defaulting as upstream config/v1/defaults.go: one default-scheduler profile, the default plugin
// set merged with each profile's (mergePlugins) and default args for every enabled plugin.
import type { PluginConfig, PluginRef, PluginSet, Plugins, Profile } from '../framework/index.js';
import { EXTENSION_POINTS } from '../framework/index.js';
import type { KubeSchedulerConfiguration } from './types.js';
import { API_VERSION, DEFAULT_SCHEDULER_NAME, KIND } from './types.js';

/** Upstream getDefaultPlugins (v1), without the volume plugins Skiff does not have. */
export function defaultPlugins(): Plugins {
  return {
    multiPoint: {
      enabled: [
        { name: 'SchedulingGates' },
        { name: 'PrioritySort' },
        { name: 'NodeUnschedulable' },
        { name: 'NodeName' },
        { name: 'TaintToleration', weight: 3 },
        { name: 'NodeAffinity', weight: 2 },
        { name: 'NodePorts' },
        { name: 'NodeResourcesFit', weight: 1 },
        { name: 'PodTopologySpread', weight: 2 },
        { name: 'InterPodAffinity', weight: 2 },
        { name: 'DefaultPreemption' },
        { name: 'NodeResourcesBalancedAllocation', weight: 1 },
        { name: 'ImageLocality', weight: 1 },
        { name: 'DefaultBinder' },
      ],
    },
  };
}

/** Default args per plugin (upstream SetDefaults_*Args). */
export function defaultPluginArgs(): Record<string, Record<string, unknown>> {
  const cpuMem = () => [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
  return {
    DefaultPreemption: { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 },
    InterPodAffinity: { hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false },
    NodeAffinity: {},
    NodeResourcesBalancedAllocation: { resources: cpuMem() },
    NodeResourcesFit: { scoringStrategy: { type: 'LeastAllocated', resources: cpuMem() } },
    PodTopologySpread: { defaultingType: 'System' },
  };
}

/**
 * Upstream mergePluginSet: custom disabled entries drop defaults ("*" drops all); a default that is
 * re-enabled in custom is replaced in place (keeping order); other custom plugins follow.
 */
export function mergePluginSet(def: PluginSet | undefined, custom: PluginSet | undefined): PluginSet {
  const disabled: PluginRef[] = [...(custom?.disabled ?? []), ...(def?.disabled ?? [])].map((p) => ({ name: p.name }));
  const disabledNames = new Set(disabled.map((p) => p.name));
  const customEnabled = custom?.enabled ?? [];
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabledNames.has('*')) {
    for (const p of def?.enabled ?? []) {
      if (disabledNames.has(p.name)) continue;
      const i = customEnabled.findIndex((c) => c.name === p.name);
      if (i >= 0) {
        replaced.add(i);
        enabled.push({ ...customEnabled[i]! });
      } else {
        enabled.push({ ...p });
      }
    }
  }
  customEnabled.forEach((p, i) => { if (!replaced.has(i)) enabled.push({ ...p }); });
  const out: PluginSet = {};
  if (enabled.length) out.enabled = enabled;
  if (disabled.length) out.disabled = disabled;
  return out;
}

export function mergePlugins(def: Plugins, custom: Plugins | undefined): Plugins {
  const out: Plugins = {};
  for (const point of ['multiPoint', ...EXTENSION_POINTS] as const) {
    const merged = mergePluginSet(def[point], custom?.[point]);
    if (merged.enabled || merged.disabled) out[point] = merged;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Fills unset fields of `v` from `d`, recursively for objects. */
function fill(v: Record<string, any>, d: Record<string, any>): Record<string, any> {
  const out = { ...v };
  for (const [k, dv] of Object.entries(d)) {
    if (out[k] === undefined || out[k] === null) out[k] = structuredClone(dv);
    else if (isObject(out[k]) && isObject(dv)) out[k] = fill(out[k], dv);
  }
  return out;
}

function defaultProfile(p: Partial<Profile>): Profile {
  const plugins = mergePlugins(defaultPlugins(), p.plugins);
  const enabledNames = new Set<string>();
  for (const set of Object.values(plugins)) for (const r of set?.enabled ?? []) enabledNames.add(r.name);
  const defaults = defaultPluginArgs();
  const configs: PluginConfig[] = (p.pluginConfig ?? []).map((c) => ({ name: c.name, args: defaults[c.name] ? fill(c.args ?? {}, defaults[c.name]!) : c.args ?? {} }));
  const configured = new Set(configs.map((c) => c.name));
  for (const name of Object.keys(defaults)) {
    if (enabledNames.has(name) && !configured.has(name)) configs.push({ name, args: defaults[name]! });
  }
  const out: Profile = { schedulerName: p.schedulerName ?? '', plugins, pluginConfig: configs };
  if (p.percentageOfNodesToScore !== undefined && p.percentageOfNodesToScore !== null) out.percentageOfNodesToScore = p.percentageOfNodesToScore;
  return out;
}

/** A fully defaulted configuration from a partial one (upstream SetDefaults_KubeSchedulerConfiguration). */
export function setDefaults(c: Partial<Omit<KubeSchedulerConfiguration, 'profiles'>> & { profiles?: Partial<Profile>[] } = {}): KubeSchedulerConfiguration {
  const profiles = c.profiles?.length ? c.profiles.map((p) => ({ ...p })) : [{}];
  if (profiles.length === 1 && !profiles[0]!.schedulerName) profiles[0]!.schedulerName = DEFAULT_SCHEDULER_NAME;
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    parallelism: c.parallelism ?? 16,
    percentageOfNodesToScore: c.percentageOfNodesToScore ?? 0,
    podInitialBackoffSeconds: c.podInitialBackoffSeconds ?? 1,
    podMaxBackoffSeconds: c.podMaxBackoffSeconds ?? 10,
    leaderElection: fill(c.leaderElection ?? {}, {
      leaderElect: true, leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '2s',
      resourceLock: 'leases', resourceName: 'kube-scheduler', resourceNamespace: 'kube-system',
    }) as KubeSchedulerConfiguration['leaderElection'],
    clientConnection: fill(c.clientConnection ?? {}, {
      kubeconfig: '', acceptContentTypes: '', contentType: 'application/vnd.kubernetes.protobuf', qps: 50, burst: 100,
    }) as KubeSchedulerConfiguration['clientConnection'],
    enableProfiling: c.enableProfiling ?? true,
    enableContentionProfiling: c.enableContentionProfiling ?? true,
    delayCacheUntilActive: c.delayCacheUntilActive ?? false,
    profiles: profiles.map(defaultProfile),
    extenders: c.extenders ?? [],
  };
}
