// Query parameters shared by the read handlers, validated as upstream does.
import { errors } from '../../util/errors.js';
import { parseLabelSelector, type LabelSelector } from '../../api/selectors/labels.js';
import { parseFieldSelector, type FieldSelector } from '../../api/selectors/fields.js';
import type { KubeObject } from '../../api/types.js';
import type { HandlerContext } from './context.js';

export interface ListQuery {
  labels: LabelSelector;
  fields: FieldSelector;
  limit: number;
  continueToken: string;
  resourceVersion: string;
  resourceVersionMatch: string;
  filtered: boolean;
}

export function parseListQuery(ctx: HandlerContext): ListQuery {
  const q = ctx.query;
  const labels = parseLabelSelector(q.get('labelSelector') ?? '');
  const fields = parseFieldSelector(q.get('fieldSelector') ?? '', ctx.resource.group, ctx.resource.resource);
  const limitRaw = q.get('limit');
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw errors.badRequest(`limit: Invalid value: ${JSON.stringify(limitRaw)}: must be a non-negative integer`);
  const resourceVersion = q.get('resourceVersion') ?? '';
  if (resourceVersion && !/^\d+$/.test(resourceVersion)) {
    throw errors.badRequest(`resourceVersion: Invalid value: ${JSON.stringify(resourceVersion)}: must be a non-negative integer`);
  }
  const resourceVersionMatch = q.get('resourceVersionMatch') ?? '';
  if (resourceVersionMatch && !['NotOlderThan', 'Exact'].includes(resourceVersionMatch)) {
    throw errors.badRequest(`resourceVersionMatch: Unsupported value: ${JSON.stringify(resourceVersionMatch)}: supported values: "Exact", "NotOlderThan"`);
  }
  if (resourceVersionMatch && !resourceVersion) {
    throw errors.badRequest(`resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided`);
  }
  if (resourceVersionMatch === 'Exact' && resourceVersion === '0') {
    throw errors.badRequest(`resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"`);
  }
  const continueToken = q.get('continue') ?? '';
  if (continueToken && resourceVersion) throw errors.badRequest('specifying resource version is not allowed when using continue');
  return { labels, fields, limit, continueToken, resourceVersion, resourceVersionMatch, filtered: !labels.empty() || !fields.empty() };
}

/** True when obj passes the query's label and field selectors. */
export function matches(q: Pick<ListQuery, 'labels' | 'fields' | 'filtered'>, obj: KubeObject): boolean {
  if (!q.filtered) return true;
  return q.labels.matches(obj.metadata?.labels) && q.fields.matches(obj);
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

/** Encodes where the next page starts (upstream's format: base64 of {v, rv, start}). */
export function encodeContinue(rv: number, lastKeyRelative: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: lastKeyRelative + '\u0000' })).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; after: string } {
  let t: ContinueToken;
  try {
    t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
  } catch {
    throw errors.badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
  if (t?.v !== 'meta.k8s.io/v1' || !Number.isInteger(t.rv) || t.rv <= 0 || typeof t.start !== 'string' || !t.start.endsWith('\u0000')) {
    throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  const after = t.start.slice(0, -1);
  if (after.includes('..') || after.startsWith('/')) throw errors.badRequest('continue key is not valid: path traversal attempt');
  return { rv: t.rv, after };
}
