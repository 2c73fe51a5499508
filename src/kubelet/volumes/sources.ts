// Payloads of the volume kinds whose files the kubelet writes (upstream pkg/volume/{configmap,
// secret,downwardapi,projected}): all keys or the listed items, each with its mode or defaultMode.
import { fieldValue, resourceValue, sourceData, type RuntimeFields } from '../envvars/index.js';
import type { Obj } from '../types.js';
import type { Payload } from './atomic-writer.js';

/** A volume could not be set up; upstream's FailedMount event carries this message. */
export class MountError extends Error {}

export interface VolumeSources extends RuntimeFields {
  configMap(namespace: string, name: string): Promise<Obj | undefined>;
  secret(namespace: string, name: string): Promise<Obj | undefined>;
  /** A bound service account token (TokenRequest); rejects when none can be had, failing the mount. */
  token(pod: Obj, audience: string | undefined, expirationSeconds: number): Promise<string>;
  allocatable: Record<string, string>;
}

function mode(m: unknown, dflt: number): number {
  return typeof m === 'number' ? m : dflt;
}

/** Files of a configMap or secret source (volume or projection). */
async function keyed(kind: 'configmap' | 'secret', src: Obj, ns: string, s: VolumeSources, defaultMode: number, out: Map<string, Payload>): Promise<void> {
  const obj = kind === 'secret' ? await s.secret(ns, src.name ?? src.secretName) : await s.configMap(ns, src.name);
  const name = kind === 'secret' ? src.secretName ?? src.name : src.name;
  if (!obj) {
    if (src.optional) return;
    throw new MountError(`${kind} "${name}" not found`);
  }
  const data = new Map<string, Buffer>();
  const enc = (v: unknown) => Buffer.from(String(v), 'base64');
  if (kind === 'secret') for (const [k, v] of Object.entries(obj.data ?? {})) data.set(k, enc(v));
  else {
    for (const [k, v] of sourceData(obj, false)) data.set(k, Buffer.from(v));
    for (const [k, v] of Object.entries(obj.binaryData ?? {})) data.set(k, enc(v));
  }
  if (src.items?.length) {
    for (const it of src.items as Obj[]) {
      if (!data.has(it.key)) {
        if (src.optional) continue;
        throw new MountError(`configmap references non-existent config key: ${it.key}`.replace('configmap', kind === 'secret' ? 'secret' : 'configmap'));
      }
      out.set(it.path, { data: data.get(it.key)!, mode: mode(it.mode, defaultMode) });
    }
    return;
  }
  for (const [k, v] of data) out.set(k, { data: v, mode: defaultMode });
}

function downward(items: Obj[], pod: Obj, s: VolumeSources, defaultMode: number, out: Map<string, Payload>): void {
  for (const it of items) {
    let v: string;
    if (it.fieldRef) v = fieldValue(pod, it.fieldRef.fieldPath, s);
    else if (it.resourceFieldRef) v = resourceValue(pod, it.resourceFieldRef, undefined, s.allocatable);
    else continue;
    out.set(it.path, { data: v, mode: mode(it.mode, defaultMode) });
  }
}

/** The files a configMap/secret/downwardAPI/projected volume holds; undefined for other kinds. */
export async function payloadFor(vol: Obj, pod: Obj, s: VolumeSources): Promise<Map<string, Payload> | undefined> {
  const ns = pod.metadata.namespace as string;
  const out = new Map<string, Payload>();
  if (vol.configMap) await keyed('configmap', vol.configMap, ns, s, mode(vol.configMap.defaultMode, 0o644), out);
  else if (vol.secret) await keyed('secret', vol.secret, ns, s, mode(vol.secret.defaultMode, 0o644), out);
  else if (vol.downwardAPI) downward(vol.downwardAPI.items ?? [], pod, s, mode(vol.downwardAPI.defaultMode, 0o644), out);
  else if (vol.projected) {
    const dm = mode(vol.projected.defaultMode, 0o644);
    for (const src of vol.projected.sources ?? []) {
      if (src.configMap) await keyed('configmap', src.configMap, ns, s, dm, out);
      else if (src.secret) await keyed('secret', src.secret, ns, s, dm, out);
      else if (src.downwardAPI) downward(src.downwardAPI.items ?? [], pod, s, dm, out);
      else if (src.serviceAccountToken) {
        const t = src.serviceAccountToken;
        out.set(t.path, { data: await s.token(pod, t.audience, t.expirationSeconds ?? 3607), mode: dm });
      } else throw new MountError('unsupported projected volume source');
    }
  } else return undefined;
  return out;
}
