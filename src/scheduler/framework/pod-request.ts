// What a pod asks of a node (upstream resourcehelper.PodRequests as used by
// framework.computePodResourceRequest): the sum of its containers, raised to the largest init
// container (sidecars — restartable init containers — count alongside everything started after
// them), plus the RuntimeClass overhead.
import type { Container, Pod } from '../types.js';
import { Resource } from './resource.js';

/** Defaults the scorer assumes for containers without requests (upstream schedutil.DefaultMilliCPURequest / DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

function containerRequest(c: Container, nonZero: boolean): Resource {
  const r = Resource.fromList(c.resources?.requests);
  if (nonZero) {
    const req = c.resources?.requests;
    if (!req || req.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!req || req.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * The pod's effective request. With nonZero, containers without a cpu/memory request count as
 * 100m/200Mi (what scoring uses so empty pods still spread).
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const reqs = new Resource();
  for (const c of pod.spec.containers ?? []) reqs.add(containerRequest(c, nonZero));
  const restartable = new Resource();
  const initMax = new Resource();
  for (const c of pod.spec.initContainers ?? []) {
    let r = containerRequest(c, nonZero);
    if (c.restartPolicy === 'Always') {
      // A sidecar keeps running: it adds to the regular containers and to every later init container.
      reqs.add(r);
      restartable.add(r);
      r = restartable.clone();
    } else {
      r.add(restartable);
    }
    initMax.setMax(r);
  }
  reqs.setMax(initMax);
  // Overhead counts in both the real and the non-zero figures, as upstream.
  reqs.addList(pod.spec.overhead);
  return reqs;
}
