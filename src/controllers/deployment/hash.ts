// The pod-template-hash (upstream pkg/controller/controller_utils.go ComputeHash): FNV-32a over a
// deterministic encoding of the pod template, then the collision count as 8 little-endian bytes
// (only the low 4 set, as upstream), rendered as the decimal of the hash mapped onto the "safe"
// alphabet of k8s.io/apimachinery/pkg/util/rand.SafeEncodeString. Upstream hashes a spew dump of the
// Go struct; we hash canonical JSON (keys sorted), so values differ from upstream's but are stable.
import type { PodTemplateSpec } from '../controller-utils/index.js';

/** Consonants and digits that cannot spell words (rand.SafeEncodeString's alphabet). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Each character of s replaced by SAFE_ALPHABET[charCode % 27] (upstream SafeEncodeString). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/**
 * JSON with object keys sorted at every level, undefined and null members dropped (a Go struct
 * decodes a null member and an absent one alike, so upstream's hash cannot tell them apart).
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

/** The pod-template-hash of template for a Deployment with this status.collisionCount. */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32a(enc.encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}
