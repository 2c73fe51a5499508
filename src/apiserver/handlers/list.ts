// GET a collection. Served from the watch cache unless the client pins an exact revision or continues
// a paged list: resourceVersion=0 takes the cache as it is; a consistent list (no resourceVersion)
// first asks the store for its current revision and waits for the cache to reach it, as
// kube-apiserver's consistent reads from cache (1.31+); NotOlderThan waits for that revision. The
// first page of a paged list comes from the cache, later pages (continue) from the store at the
// page's revision. Unfiltered object lists are spliced from already-encoded JSON.
import type { KubeObject } from '../../api/types.js';
import type { KeyValue } from '../../storage/index.js';
import { CompactedError } from '../../storage/index.js';
import { errors, StatusError } from '../../util/errors.js';
import { decodeKv } from '../watchcache/cache.js';
import { negotiate, sendJson, sendJsonParts } from '../http/respond.js';
import { parseIncludeObject, partialMetadata, toTable } from '../http/table.js';
import { apiVersionOf } from '../../api/registry.js';
import type { HandlerContext } from './context.js';
import { decodeContinue, encodeContinue, matches, parseListQuery, type ListQuery } from './options.js';

interface Page {
  rev: number;
  /** Items as encoded JSON (fast path) or objects. */
  json?: Buffer[];
  objs?: KubeObject[];
  continueToken?: string;
}

export async function list(ctx: HandlerContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, true);
  if (!rep) throw errors.notAcceptable('only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  const q = parseListQuery(ctx);
  const needObjects = rep.as !== 'object' || q.filtered || ctx.store.converts;
  const page = (await cacheServes(ctx, q)) ? fromCache(ctx, q, needObjects) : await fromStore(ctx, q, needObjects);
  const rv = String(page.rev);
  if (rep.as === 'Table') {
    const objs = (page.objs ?? []).map((o) => ctx.store.output(o));
    const include = parseIncludeObject(ctx.query.get('includeObject'));
    sendJson(ctx.res, 200, toTable(ctx.resource.group, ctx.resource.kind, objs, { include, version: rep.version, resourceVersion: rv, continue: page.continueToken }));
    return;
  }
  if (rep.as === 'PartialObjectMetadata') {
    const items = (page.objs ?? []).map((o) => partialMetadata(o, rep.version));
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    if (page.continueToken) metadata.continue = page.continueToken;
    sendJson(ctx.res, 200, { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${rep.version}`, metadata, items });
    return;
  }
  const items = page.json ?? (page.objs ?? []).map((o) => Buffer.from(JSON.stringify(ctx.store.output(o))));
  const meta = page.continueToken ? `{"resourceVersion":"${rv}","continue":${JSON.stringify(page.continueToken)}}` : `{"resourceVersion":"${rv}"}`;
  // The already-encoded items go out as they are: no giant string to build and re-encode.
  const parts: Buffer[] = [Buffer.from(`{"kind":"${ctx.resource.listKind}","apiVersion":"${apiVersionOf(ctx.resource)}","metadata":${meta},"items":[`)];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(items[i]!);
  }
  parts.push(LIST_END);
  await sendJsonParts(ctx.res, 200, parts);
}

const COMMA = Buffer.from(',');
const LIST_END = Buffer.from(']}');

/** How long a consistent list waits for the cache before reading the store instead. */
const CACHE_WAIT_MS = 3000;

async function cacheServes(ctx: HandlerContext, q: ListQuery): Promise<boolean> {
  if (q.continueToken || q.resourceVersionMatch === 'Exact') return false;
  if (q.resourceVersion === '0') return true;
  const want = q.resourceVersion ? Number(q.resourceVersion) : await ctx.store.backend.currentRevision();
  return ctx.store.cache.waitUntil(want, CACHE_WAIT_MS);
}

function fromCache(ctx: HandlerContext, q: ListQuery, needObjects: boolean): Page {
  const prefix = ctx.store.prefix(ctx.namespace);
  const rev = ctx.store.cache.revision;
  const objs: KubeObject[] = [];
  const json: Buffer[] = [];
  const form = `${ctx.resource.group}/${ctx.resource.version}`;
  const render = (o: KubeObject) => JSON.stringify(ctx.store.output(o));
  // As upstream's cacher, resourceVersion=0 returns everything whatever the limit.
  const limit = q.resourceVersion === '0' ? 0 : q.limit;
  let count = 0;
  let lastKey = '';
  let more = false;
  for (const e of ctx.store.cache.list()) {
    if (!e.key.startsWith(prefix) || !matches(q, e.obj)) continue;
    if (limit && count === limit) {
      more = true;
      break;
    }
    if (needObjects) objs.push(e.obj);
    else json.push(e.json(form, render));
    lastKey = e.key;
    count++;
  }
  const page: Page = needObjects ? { rev, objs } : { rev, json };
  if (more) page.continueToken = encodeContinue(rev, lastKey.slice(prefix.length));
  return page;
}

async function fromStore(ctx: HandlerContext, q: ListQuery, needObjects: boolean): Promise<Page> {
  const prefix = ctx.store.prefix(ctx.namespace);
  let revision = 0;
  let after = '';
  if (q.continueToken) {
    const c = decodeContinue(q.continueToken);
    revision = c.rv;
    after = c.after;
  } else if (q.resourceVersion && q.resourceVersion !== '0' && q.resourceVersionMatch === 'Exact') {
    revision = Number(q.resourceVersion);
  }
  const json: Buffer[] = [];
  const objs: KubeObject[] = [];
  let count = 0;
  let lastKey = '';
  let more = false;
  const backend = ctx.store.backend;
  try {
    for (;;) {
      const want = q.limit ? Math.max(q.limit - count, q.filtered ? 100 : 0) : 0;
      const res = await backend.list(prefix, { limit: want, revision: revision || undefined, continue: after ? prefix + after : undefined });
      revision = res.revision;
      more = res.more;
      for (const kv of res.kvs) {
        lastKey = kv.key;
        if (!take(ctx, q, kv, needObjects, json, objs)) continue;
        count++;
        if (q.limit && count >= q.limit) {
          more = more || kv !== res.kvs[res.kvs.length - 1];
          break;
        }
      }
      if (!more || !q.limit || count >= q.limit) break;
      after = lastKey.slice(prefix.length);
    }
  } catch (err) {
    if (err instanceof CompactedError && q.continueToken) {
      throw new StatusError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    if (err instanceof CompactedError) throw errors.expired(`too old resource version: ${q.resourceVersion} (${err.compactRevision})`);
    throw err;
  }
  const page: Page = { rev: revision };
  if (needObjects) page.objs = objs;
  else page.json = json;
  if (more && q.limit && lastKey) page.continueToken = encodeContinue(revision, lastKey.slice(prefix.length));
  return page;
}

function take(ctx: HandlerContext, q: ListQuery, kv: KeyValue, needObjects: boolean, json: Buffer[], objs: KubeObject[]): boolean {
  if (!needObjects) {
    json.push(Buffer.from(ctx.store.outputJson(kv)));
    return true;
  }
  const obj = decodeKv(kv);
  if (!matches(q, obj)) return false;
  objs.push(obj);
  return true;
}
