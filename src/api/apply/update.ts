// managedFields for create, update (PUT) and the classic patches (upstream managedfields
// FieldManager.UpdateNoErrors): the request's manager gets an Update entry owning what it changed.
// Entries a client sends are honoured when valid (kubectl's client-side→server-side apply migration
// writes them), `managedFields: []` clears them all, and an object without entries stays without
// until its first apply.
import type { KubeObject, ManagedFieldsEntry } from '../types.js';
import { FieldSet } from './fieldset.js';
import { decodeManagedFields, encodeManagedFields, isResetManagedFields, type Managed } from './managers.js';
import { fieldElement } from './path.js';
import { placeManagedFields } from './placement.js';
import { recordUpdate } from './track.js';
import type { TypeInfo } from './typeinfo.js';
import type { UpdaterOptions } from './updater.js';
import { deepEqual } from './values.js';

export interface UpdateOptions {
  /** The request's field manager (see defaultManager); '' is recorded as "unknown". */
  manager: string;
  info: TypeInfo;
  /** The served group/version, e.g. apps/v1. */
  apiVersion: string;
  subresource?: string;
  /** RFC 3339 time for the entry written. */
  now: string;
  ignore?: UpdaterOptions['ignore'];
}

/**
 * Sets next.metadata.managedFields for a write that turns live (undefined for a create) into next,
 * and returns next. Never throws: if the fields cannot be worked out, live's entries are kept.
 */
export function updateManagedFields(live: KubeObject | undefined, next: KubeObject, opts: UpdateOptions): KubeObject {
  next.metadata ??= {};
  const requested = next.metadata.managedFields;
  const liveEntries = live?.metadata?.managedFields;
  // Entries go back where the request had them, else where the stored object has them.
  const order = requested !== undefined ? { ...next, metadata: { ...next.metadata } } : live;
  delete next.metadata.managedFields;
  const managed = managedBefore(liveEntries, requested, !!opts.subresource);
  // An existing object with no entries is not tracked until it is applied (upstream skipNonApplied).
  if (managed.size === 0 && live?.metadata?.uid) return next;
  const liveBody = live ? withoutManagedFields(live) : {};
  try {
    const out = recordUpdate(liveBody, next, managed, {
      manager: opts.manager || 'unknown', operation: 'Update', apiVersion: opts.apiVersion,
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    }, opts.now, { info: opts.info, ...(opts.ignore ? { ignore: opts.ignore } : {}) });
    let entries = encodeManagedFields(out);
    // Only timestamps moved on a write that changed nothing: keep the old entries (upstream
    // IgnoreManagedFieldsTimestampsTransformer), so a no-op stays a no-op.
    if (live && liveEntries && entries && sameButTimes(liveEntries, entries) && deepEqual(liveBody, next)) entries = liveEntries;
    placeManagedFields(next, entries, order);
  } catch {
    placeManagedFields(next, liveEntries, order);
  }
  return next;
}

function managedBefore(liveEntries: ManagedFieldsEntry[] | undefined, requested: unknown, subresource: boolean): Managed {
  const decodeOrEmpty = (e: ManagedFieldsEntry[] | undefined): Managed => {
    try {
      return decodeManagedFields(e);
    } catch {
      return new Map();
    }
  };
  if (subresource) return decodeOrEmpty(liveEntries);
  if (isResetManagedFields(requested)) return new Map();
  if (Array.isArray(requested)) {
    try {
      const m = decodeManagedFields(requested as ManagedFieldsEntry[]);
      if (m.size > 0) return m;
    } catch {
      // Invalid entries from the client: fall back to the stored ones.
    }
  }
  return decodeOrEmpty(liveEntries);
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const { managedFields: _mf, ...meta } = obj.metadata ?? {};
  return { ...obj, metadata: meta };
}

function sameButTimes(a: ManagedFieldsEntry[], b: ManagedFieldsEntry[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((e, i) => deepEqual({ ...e, time: undefined }, { ...b[i], time: undefined }));
}

/**
 * Upstream's reset fields per endpoint: on the main resource of a kind with a status subresource
 * nobody owns status; through /status only status is owned.
 */
export function resetFieldsFilter(hasStatus: boolean, subresource: string | undefined): UpdaterOptions['ignore'] {
  if (subresource === 'status') {
    return (s) => {
      const out = new FieldSet();
      for (const p of s.paths()) if (p[0] === STATUS) out.insert(p);
      return out;
    };
  }
  if (hasStatus && !subresource) return (s) => s.recursiveDifference(STATUS_SET);
  return undefined;
}

const STATUS = fieldElement('status');
const STATUS_SET = FieldSet.of([STATUS]);

/**
 * The manager of a request without fieldManager (upstream managerOrUserAgent): the User-Agent up to
 * its first '/', printable characters only, at most 128 bytes — `kubectl` for
 * `kubectl/v1.32.0 (linux/amd64) kubernetes/abc`.
 */
export function defaultManager(fieldManager: string | null | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const head = (userAgent ?? '').split('/')[0] ?? '';
  let out = '';
  for (const ch of head) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue;
    if (Buffer.byteLength(out + ch) > 128) break;
    out += ch;
  }
  return out;
}
