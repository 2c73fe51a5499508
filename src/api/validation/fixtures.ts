// Fixtures for the validation tests: objects defaulted the way the API server stores them, and
// causes flattened to upstream's `field: message` lines.
import { applyDefaults } from '../defaults/index.js';
import { validateKind } from './kinds.js';
import type { FieldCause } from './field.js';

type Obj = Record<string, any>;

/** The object after upstream defaulting (what validation sees). */
export function defaulted(group: string, kind: string, o: Obj): Obj {
  const obj = structuredClone({ metadata: { name: 'x', namespace: 'default' }, ...o });
  applyDefaults(group, kind, obj as never);
  return obj;
}

export const lines = (causes: FieldCause[]) => causes.map((c) => `${c.field}: ${c.message}`);

/** Validation lines of a create (or an update from old) after defaulting both. */
export function check(group: string, kind: string, o: Obj, old?: Obj): string[] {
  const next = defaulted(group, kind, o);
  const prev = old ? defaulted(group, kind, old) : undefined;
  return lines(validateKind(group, kind, next, prev, { service: { nodePortRange: { min: 30000, max: 32767 } } }));
}

export const podSpec = (extra: Obj = {}): Obj => ({ containers: [{ name: 'c', image: 'nginx:1.25' }], ...extra });
export const template = (labels: Obj = { app: 'web' }, spec: Obj = podSpec()): Obj => ({ metadata: { labels }, spec });
