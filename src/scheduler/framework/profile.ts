// A scheduling profile as the framework consumes it: the KubeSchedulerProfile of
// kubescheduler.config.k8s.io/v1 after defaulting (config/ parses and defaults it).

export type ExtensionPoint =
  | 'preEnqueue' | 'queueSort' | 'preFilter' | 'filter' | 'postFilter' | 'preScore' | 'score'
  | 'reserve' | 'permit' | 'preBind' | 'bind' | 'postBind';

export const EXTENSION_POINTS: readonly ExtensionPoint[] = [
  'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score',
  'reserve', 'permit', 'preBind', 'bind', 'postBind',
];

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

export type Plugins = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;

export interface PluginConfig {
  name: string;
  args?: Record<string, unknown>;
}

export interface Profile {
  schedulerName: string;
  /** 0 or unset: the adaptive default. */
  percentageOfNodesToScore?: number;
  plugins: Plugins;
  pluginConfig?: PluginConfig[];
}
