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
let lastSecond = -1;
let lastText = '';

/** RFC 3339 to the second (as metadata timestamps); formatted once per second. */
export function nowRfc3339(ms = Date.now()): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSecond) {
    lastText = new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = sec;
  }
  return lastText;
}

/** A deep copy of a JSON value. */
export function clone<T>(v: T): T {
  // Objects here are plain JSON (decoded bodies and stored values): a direct walk is ~10× faster
  // than structuredClone and allocates only the copy.
  return cloneJson(v);
}

function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const a = new Array(v.length);
    for (let i = 0; i < v.length; i++) a[i] = cloneJson(v[i]);
    return a as T;
  }
  // for…in over a plain JSON object visits exactly its own keys, without Object.keys' array.
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = cloneJson((v as Record<string, unknown>)[k]);
  return out as T;
}
