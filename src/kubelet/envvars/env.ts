// A container's environment (upstream kubelet_pods.go makeEnvironmentVariables): envFrom sources
// (with prefix; keys that are not valid names are skipped), env entries in order with $(VAR)
// expansion over what came before, valueFrom (fieldRef, resourceFieldRef, configMapKeyRef,
// secretKeyRef with optional), then service variables not already set. A missing non-optional
// source fails with upstream's CreateContainerConfigError messages.
import type { KeyValue } from '../runtime/index.js';
import type { Obj } from '../types.js';
import { expand, mappingFor } from './expand.js';
import { fieldValue, resourceValue, type RuntimeFields } from './fieldref.js';
import { serviceEnv } from './services.js';

/** A problem with a container's configuration: the container waits with this reason. */
export class ContainerConfigError extends Error {
  constructor(message: string, readonly reason = 'CreateContainerConfigError') {
    super(message);
  }
}

export interface EnvSources extends RuntimeFields {
  configMap(namespace: string, name: string): Promise<Obj | undefined>;
  secret(namespace: string, name: string): Promise<Obj | undefined>;
  /** Services whose variables the pod gets (see servicesForPod). */
  services: Obj[];
  allocatable: Record<string, string>;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Decoded key → value data of a ConfigMap or Secret. */
export function sourceData(obj: Obj, secret: boolean): Map<string, string> {
  const m = new Map<string, string>();
  if (secret) {
    for (const [k, v] of Object.entries(obj.data ?? {})) m.set(k, Buffer.from(String(v), 'base64').toString('utf8'));
    for (const [k, v] of Object.entries(obj.stringData ?? {})) m.set(k, String(v));
  } else {
    for (const [k, v] of Object.entries(obj.data ?? {})) m.set(k, String(v));
    for (const [k, v] of Object.entries(obj.binaryData ?? {})) m.set(k, Buffer.from(String(v), 'base64').toString('utf8'));
  }
  return m;
}

export async function makeEnvironment(pod: Obj, container: Obj, src: EnvSources): Promise<KeyValue[]> {
  const ns = pod.metadata.namespace as string;
  const env = new Map<string, string>();
  const svc = new Map(serviceEnv(src.services));

  for (const from of container.envFrom ?? []) {
    const isSecret = !!from.secretRef;
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const obj = isSecret ? await src.secret(ns, ref.name) : await src.configMap(ns, ref.name);
    if (!obj) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${isSecret ? 'secret' : 'configmap'} "${ref.name}" not found`);
    }
    for (const [k, v] of sourceData(obj, isSecret)) {
      const key = `${from.prefix ?? ''}${k}`;
      if (ENV_NAME.test(key)) env.set(key, v);
    }
  }

  for (const e of container.env ?? []) {
    if (e.valueFrom) {
      const v = await valueFrom(pod, container, e.valueFrom, src, ns);
      if (v === undefined) continue;
      env.set(e.name, v);
    } else {
      env.set(e.name, expand(String(e.value ?? ''), mappingFor(env, svc)));
    }
  }

  for (const [k, v] of svc) if (!env.has(k)) env.set(k, v);
  return [...env].map(([key, value]) => ({ key, value }));
}

async function valueFrom(pod: Obj, container: Obj, vf: Obj, src: EnvSources, ns: string): Promise<string | undefined> {
  if (vf.fieldRef) return fieldValue(pod, vf.fieldRef.fieldPath, src);
  if (vf.resourceFieldRef) return resourceValue(pod, vf.resourceFieldRef, container, src.allocatable);
  const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
  if (!ref) return undefined;
  const isSecret = !!vf.secretKeyRef;
  const kind = isSecret ? 'secret' : 'configmap';
  const obj = isSecret ? await src.secret(ns, ref.name) : await src.configMap(ns, ref.name);
  if (!obj) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`${kind} "${ref.name}" not found`);
  }
  const data = sourceData(obj, isSecret);
  if (!data.has(ref.key)) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${ref.key} in ${isSecret ? 'Secret' : 'ConfigMap'} ${ns}/${ref.name}`);
  }
  return data.get(ref.key);
}

/** command and args with $(VAR) references expanded over the final environment (upstream ExpandContainerCommandAndArgs). */
export function expandCommand(container: Obj, env: KeyValue[]): { command?: string[]; args?: string[] } {
  const m = mappingFor(new Map(env.map((e) => [e.key, e.value])));
  const out: { command?: string[]; args?: string[] } = {};
  if (container.command) out.command = (container.command as string[]).map((s) => expand(s, m));
  if (container.args) out.args = (container.args as string[]).map((s) => expand(s, m));
  return out;
}
