// How objects are laid out in the store. Values are JSON with `metadata` first and no
// resourceVersion (the store's modRevision is the resourceVersion), so a stored value can be turned
// into API JSON by splicing the revision in, without a parse/serialize round trip.
import type { KeyValue } from '../../storage/index.js';
import type { KubeObject } from '../../api/types.js';

const HEAD = '{"metadata":{';

/** The bytes stored for obj. */
export function encodeStored(obj: KubeObject): Buffer {
  const { metadata, ...rest } = obj;
  const { resourceVersion: _rv, selfLink: _sl, ...meta } = metadata;
  return Buffer.from(JSON.stringify({ metadata: meta, ...rest }));
}

/** API JSON for a stored value at revision rev, built by splicing resourceVersion into metadata. */
export function storedJson(kv: KeyValue, rev = kv.modRevision): string {
  const s = kv.value.toString('utf8');
  if (s.startsWith(HEAD)) {
    const rest = s.slice(HEAD.length);
    return `${HEAD}"resourceVersion":"${rev}"${rest[0] === '}' ? '' : ','}${rest}`;
  }
  const obj = JSON.parse(s) as KubeObject;
  obj.metadata = { ...obj.metadata, resourceVersion: String(rev) };
  return JSON.stringify(obj);
}

/** RFC 3339 with seconds precision, as metav1.Time serialises. */
export function nowRfc3339(ms = Date.now()): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A deep copy of a JSON value. */
export function clone<T>(v: T): T {
  return structuredClone(v);
}
