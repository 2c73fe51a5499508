// Reads a KubeSchedulerConfiguration file (YAML or JSON), refusing unknown versions and fields the
// way upstream's strict decoder does, then defaults and validates it.
import { parse as parseYaml } from 'yaml';
import type { Profile } from '../framework/index.js';
import { EXTENSION_POINTS } from '../framework/index.js';
import { setDefaults } from './defaults.js';
import type { KubeSchedulerConfiguration } from './types.js';
import { API_VERSION, KIND } from './types.js';
import { validate } from './validate.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `invalid KubeSchedulerConfiguration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const TOP_FIELDS = new Set([
  'apiVersion', 'kind', 'parallelism', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds',
  'leaderElection', 'clientConnection', 'enableProfiling', 'enableContentionProfiling', 'delayCacheUntilActive', 'profiles', 'extenders',
]);
const PROFILE_FIELDS = new Set(['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig']);
const PLUGINS_FIELDS = new Set(['multiPoint', ...EXTENSION_POINTS]);

function unknownFields(obj: unknown, allowed: ReadonlySet<string>, path: string): string[] {
  if (typeof obj !== 'object' || obj === null) return [];
  return Object.keys(obj).filter((k) => !allowed.has(k)).map((k) => `unknown field "${path}${k}"`);
}

/** Parses, defaults and validates; throws ConfigError listing every problem. */
export function parseConfig(text: string): KubeSchedulerConfiguration {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError([`couldn't decode as KubeSchedulerConfiguration: ${e instanceof Error ? e.message : String(e)}`]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(['couldn\'t decode as KubeSchedulerConfiguration: not an object']);
  const obj = raw as Record<string, any>;
  if (obj.kind !== KIND) throw new ConfigError([`Object 'Kind' is missing or not ${KIND}, got ${JSON.stringify(obj.kind ?? '')}`]);
  if (obj.apiVersion !== API_VERSION) {
    throw new ConfigError([`no kind "${KIND}" is registered for version "${obj.apiVersion ?? ''}"; Skiff reads ${API_VERSION}`]);
  }
  const strict: string[] = [...unknownFields(obj, TOP_FIELDS, '')];
  ((obj.profiles ?? []) as unknown[]).forEach((p, i) => {
    strict.push(...unknownFields(p, PROFILE_FIELDS, `profiles[${i}].`));
    strict.push(...unknownFields((p as Record<string, unknown>)?.plugins, PLUGINS_FIELDS, `profiles[${i}].plugins.`));
  });
  if (strict.length) throw new ConfigError(strict.map((s) => `strict decoding error: ${s}`));
  return defaultAndValidate(obj as Partial<KubeSchedulerConfiguration>);
}

/** Defaults and validates an already-decoded object (flags or tests build these). */
export function defaultAndValidate(c: Partial<Omit<KubeSchedulerConfiguration, 'profiles'>> & { profiles?: Partial<Profile>[] }): KubeSchedulerConfiguration {
  const cfg = setDefaults(c);
  const problems = validate(cfg);
  if (problems.length) throw new ConfigError(problems);
  return cfg;
}
