// Server-side apply of one configuration to one object (upstream managedfields FieldManager.Apply
// and the managers it wraps): version check, first-apply bookkeeping, the structured apply,
// stripping of server-set metadata, the time of the applier's entry, and kubectl's last-applied
// annotation when kubectl applies over an object that has one.
import { errors, StatusError } from '../../util/errors.js';
import type { KubeObject } from '../types.js';
import { compare } from './compare.js';
import { ElementError } from './elements.js';
import { fieldsOf } from './fields.js';
import type { FieldSet } from './fieldset.js';
import { decodeManagedFields, describeManager, encodeManagedFields, managerKey, type Managed, type ManagerId } from './managers.js';
import { goJson, pathString } from './path.js';
import { placeManagedFields } from './placement.js';
import { recordUpdate, stripMeta } from './track.js';
import type { TypeInfo } from './typeinfo.js';
import { ConflictsError, structuredApply, type UpdaterOptions } from './updater.js';
import { cloneJson, deepEqual } from './values.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Who owns the fields an object had before its first apply (upstream skipNonAppliedManager). */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

export interface ApplyOptions {
  /** The fieldManager of the request (required for apply). */
  manager: string;
  force: boolean;
  info: TypeInfo;
  /** The served group/version and kind the configuration must name, e.g. apps/v1 Deployment. */
  apiVersion: string;
  kind: string;
  subresource?: string;
  /** RFC 3339 time for the entries written. */
  now: string;
  /** Reset fields of the endpoint (see resetFieldsFilter). */
  ignore?: UpdaterOptions['ignore'];
}

export interface ApplyResult {
  /** The object to store, with metadata.managedFields. */
  object: KubeObject;
  /** False when the object (managedFields aside) is what it was. */
  changed: boolean;
}

/**
 * Applies config to live (undefined: the object does not exist yet and apply creates it). Throws
 * StatusErrors: 400 for a configuration of another kind or with managedFields, 409 Conflict listing
 * each field another manager owns with a different value (unless force), 500 for an undecodable
 * object or configuration list.
 */
export function apply(live: KubeObject | undefined, config: Record<string, unknown>, opts: ApplyOptions): ApplyResult {
  checkKind(config, opts);
  const meta = config.metadata;
  if (meta !== null && typeof meta === 'object' && (meta as Record<string, unknown>).managedFields !== undefined &&
      (meta as Record<string, unknown>).managedFields !== null) {
    throw errors.badRequest('metadata.managedFields must be nil');
  }
  let managed: Managed;
  try {
    managed = decodeManagedFields(live?.metadata.managedFields);
  } catch (err) {
    throw errors.internal(`failed to decode managed fields: ${(err as Error).message}`);
  }
  const liveBody = withoutManagedFields(live ?? { apiVersion: opts.apiVersion, kind: opts.kind, metadata: {} });
  const updater: UpdaterOptions = { info: opts.info, ...(opts.ignore ? { ignore: opts.ignore } : {}) };
  const version = { apiVersion: opts.apiVersion, ...(opts.subresource ? { subresource: opts.subresource } : {}) };
  const before = managed;
  const run = (force: boolean) => {
    let m = before;
    if (m.size === 0) {
      // Whatever the object holds before its first apply belongs to one Update manager.
      const empty = { apiVersion: opts.apiVersion, kind: opts.kind, metadata: {} };
      m = recordUpdate(empty, liveBody, m, { manager: BEFORE_FIRST_APPLY, operation: 'Update', ...version }, opts.now, updater);
    }
    const id: ManagerId = { manager: opts.manager, operation: 'Apply', ...version };
    const key = managerKey(id);
    const res = structuredApply(liveBody, config, m, key, id, force, updater);
    stripMeta(res.managed, key);
    return { ...res, key };
  };
  try {
    let res: ReturnType<typeof run>;
    try {
      res = run(opts.force);
    } catch (err) {
      if (!(err instanceof ConflictsError) || opts.manager !== 'kubectl') throw err;
      res = upgradeFromClientSideApply(err, liveBody, opts, () => run(true));
    }
    managed = res.managed;
    let object = res.object as KubeObject;
    const changed = !deepEqual(liveBody, object);
    const entry = managed.get(res.key);
    if (!changed) object = cloneJson(liveBody);
    else if (entry) entry.time = opts.now;
    if (opts.manager === 'kubectl' && live?.metadata.annotations?.[LAST_APPLIED_ANNOTATION]) setLastApplied(object, config);
    placeManagedFields(object, encodeManagedFields(managed), live);
    return { object, changed: changed || !deepEqual(liveBody, withoutManagedFields(object)) };
  } catch (err) {
    if (err instanceof ConflictsError) throw conflictError(err);
    if (err instanceof ElementError) throw new StatusError(500, 'InternalError', `failed to create typed patch object: ${err.message}`);
    throw err;
  }
}

/**
 * kubectl moving from client-side to server-side apply (upstream lastAppliedManager): conflicts on
 * fields its last-applied-configuration still describes (with the live value) are not conflicts,
 * the apply is forced; any other conflict is reported alone.
 */
function upgradeFromClientSideApply<T>(err: ConflictsError, live: KubeObject, opts: ApplyOptions, forced: () => T): T {
  let allowed: FieldSet;
  try {
    const text = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
    if (!text) throw err;
    const last = JSON.parse(text) as Record<string, unknown>;
    if (last === null || typeof last !== 'object' || last.apiVersion !== opts.apiVersion) throw err;
    const cmp = compare(last, live, opts.info);
    allowed = fieldsOf(last, opts.info, false).difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
  } catch {
    throw err;
  }
  const remaining = err.conflicts.filter((c) => !allowed.has(c.path));
  if (remaining.length) throw new ConflictsError(remaining);
  return forced();
}

function checkKind(config: Record<string, unknown>, opts: ApplyOptions): void {
  const av = typeof config.apiVersion === 'string' ? config.apiVersion : '';
  const kind = typeof config.kind === 'string' ? config.kind : '';
  if (av !== opts.apiVersion || kind !== opts.kind) {
    throw errors.badRequest(`invalid object type: ${gvkString(av, kind)}`);
  }
}

/** Go's schema.GroupVersionKind String(): `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function gvkString(apiVersion: string, kind: string): string {
  const i = apiVersion.indexOf('/');
  const gv = i < 0 ? `/${apiVersion}` : apiVersion;
  return `${gv}, Kind=${kind}`;
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const { managedFields: _mf, ...meta } = obj.metadata ?? {};
  return { ...obj, metadata: meta };
}

/** kubectl's annotation follows what kubectl applied server-side (upstream lastAppliedUpdater). */
function setLastApplied(object: KubeObject, config: Record<string, unknown>): void {
  const copy = cloneJson(config) as KubeObject;
  const annotations = copy.metadata?.annotations;
  if (annotations) {
    delete annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  object.metadata.annotations = { ...object.metadata.annotations, [LAST_APPLIED_ANNOTATION]: goJson(copy) };
}

/** 409 as upstream NewConflictError words it. */
export function conflictError(err: ConflictsError): StatusError {
  const { conflicts } = err;
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c.manager)}`, field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${describeManager(conflicts[0]!.manager)}: ${pathString(conflicts[0]!.path)}`;
  } else {
    const lines: string[] = [];
    let last = '';
    for (const c of conflicts) {
      if (c.key !== last) {
        lines.push(`conflicts with ${describeManager(c.manager)}:`);
        last = c.key;
      }
      lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, { causes });
}
