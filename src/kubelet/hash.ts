// The container hash (upstream kubecontainer.HashContainer): a spec change other than resources
// restarts the container; the hash is kept as a container annotation to compare against.
import { createHash } from 'node:crypto';
import type { Obj } from './types.js';

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v as Obj).sort().map((k) => [k, stable((v as Obj)[k])]));
  }
  return v;
}

/** Hex hash of a container spec, ignoring resources (resized in place upstream). */
export function containerHash(container: Obj): string {
  const { resources: _r, ...rest } = container;
  return createHash('sha256').update(JSON.stringify(stable(rest))).digest('hex').slice(0, 8);
}
