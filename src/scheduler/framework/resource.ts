// Resource arithmetic on nodes and pods (upstream framework.Resource): cpu in millicores, memory and
// ephemeral storage in bytes, the pod count, and every other ("scalar") resource by name.
import { bytes, milliCPU } from '../quantity.js';
import type { ResourceList } from '../types.js';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  scalar: Map<string, number> | undefined;

  static fromList(list: ResourceList | undefined): Resource {
    const r = new Resource();
    r.addList(list);
    return r;
  }

  addList(list: ResourceList | undefined): void {
    if (!list) return;
    for (const name in list) {
      const q = list[name];
      switch (name) {
        case CPU: this.milliCPU += milliCPU(q); break;
        case MEMORY: this.memory += bytes(q); break;
        case EPHEMERAL_STORAGE: this.ephemeralStorage += bytes(q); break;
        case PODS: this.allowedPodNumber += bytes(q); break;
        default: if (isScalarResourceName(name)) this.addScalar(name, bytes(q));
      }
    }
  }

  add(r: Resource): void {
    this.milliCPU += r.milliCPU;
    this.memory += r.memory;
    this.ephemeralStorage += r.ephemeralStorage;
    this.allowedPodNumber += r.allowedPodNumber;
    if (r.scalar) for (const [k, v] of r.scalar) this.addScalar(k, v);
  }

  sub(r: Resource): void {
    this.milliCPU -= r.milliCPU;
    this.memory -= r.memory;
    this.ephemeralStorage -= r.ephemeralStorage;
    this.allowedPodNumber -= r.allowedPodNumber;
    if (r.scalar) for (const [k, v] of r.scalar) this.addScalar(k, -v);
  }

  /** Raises each resource to at least r's amount (how init containers combine). */
  setMax(r: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, r.milliCPU);
    this.memory = Math.max(this.memory, r.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, r.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, r.allowedPodNumber);
    if (r.scalar) for (const [k, v] of r.scalar) this.setScalar(k, Math.max(this.getScalar(k), v));
  }

  getScalar(name: string): number {
    return this.scalar?.get(name) ?? 0;
  }

  setScalar(name: string, v: number): void {
    (this.scalar ??= new Map()).set(name, v);
  }

  addScalar(name: string, v: number): void {
    this.setScalar(name, this.getScalar(name) + v);
  }

  /** The amount of a resource by its API name. */
  get(name: string): number {
    switch (name) {
      case CPU: return this.milliCPU;
      case MEMORY: return this.memory;
      case EPHEMERAL_STORAGE: return this.ephemeralStorage;
      case PODS: return this.allowedPodNumber;
      default: return this.getScalar(name);
    }
  }

  clone(): Resource {
    const c = new Resource();
    c.milliCPU = this.milliCPU;
    c.memory = this.memory;
    c.ephemeralStorage = this.ephemeralStorage;
    c.allowedPodNumber = this.allowedPodNumber;
    if (this.scalar) c.scalar = new Map(this.scalar);
    return c;
  }

  isZero(): boolean {
    if (this.milliCPU || this.memory || this.ephemeralStorage) return false;
    if (this.scalar) for (const v of this.scalar.values()) if (v) return false;
    return true;
  }
}

/** Extended ("example.com/gpu"), hugepages-*, attachable-volumes-* and requests.* resources (upstream IsScalarResourceName). */
export function isScalarResourceName(name: string): boolean {
  return isExtendedResourceName(name) || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

/** A fully qualified name outside kubernetes.io (upstream IsExtendedResourceName, simplified). */
export function isExtendedResourceName(name: string): boolean {
  if (!name.includes('/')) return false;
  if (name.startsWith('requests.')) return false;
  const domain = name.slice(0, name.indexOf('/'));
  return !(domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io'));
}
