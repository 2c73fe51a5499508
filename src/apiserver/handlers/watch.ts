// Watch: a chunked stream of JSON lines, one event per line, each object carrying kind and
// apiVersion (kubectl-wire §5). Served from the watch cache; BOOKMARKs only when asked for; a
// resourceVersion older than the cache's window gets the upstream ERROR event with 410 Expired.
import type { KubeObject } from '../../api/types.js';
import { errors } from '../../util/errors.js';
import { negotiate } from '../http/respond.js';
import { parseIncludeObject, partialMetadata, toTable, type IncludeObject } from '../http/table.js';
import { TooOldError, type CacheEvent, type Entry } from '../watchcache/cache.js';
import type { HandlerContext } from './context.js';
import { matches, parseListQuery } from './options.js';
import { apiVersionOf } from '../../api/registry.js';

/** Writes beyond this many buffered bytes mean the client is not reading: end its watch. */
const MAX_BUFFERED = 32 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 30_000;

export async function watch(ctx: HandlerContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, false);
  if (!rep) throw errors.notAcceptable('only the following media types are accepted: application/json, application/vnd.kubernetes.protobuf');
  const q = parseListQuery(ctx);
  const timeoutRaw = ctx.query.get('timeoutSeconds');
  // As upstream, an absent or zero timeoutSeconds means the server's default.
  const timeoutS = timeoutRaw && timeoutRaw !== '0' ? Number(timeoutRaw) : ctx.minRequestTimeoutSeconds * (1 + Math.random());
  if (!Number.isFinite(timeoutS) || timeoutS < 0) throw errors.badRequest(`timeoutSeconds: Invalid value: ${JSON.stringify(timeoutRaw)}`);
  const bookmarks = ctx.query.get('allowWatchBookmarks') === 'true';
  const sendInitial = ctx.query.get('sendInitialEvents');
  if (sendInitial === 'true' && (q.resourceVersionMatch !== 'NotOlderThan' || !bookmarks)) {
    throw errors.invalidField('ListOptions', 'sendInitialEvents', true, 'sendInitialEvents is forbidden for watch unless resourceVersionMatch is NotOlderThan and allowWatchBookmarks is true');
  }
  const include: IncludeObject = rep.as === 'Table' ? parseIncludeObject(ctx.query.get('includeObject')) : 'Object';
  const cache = ctx.store.cache;
  await cache.ready();

  const res = ctx.res;
  if (ctx.req.method === 'HEAD') {
    // A HEAD has no body, so there is no stream to keep open on the connection.
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const prefix = ctx.store.prefix(ctx.namespace);
  const form = `${ctx.resource.group}/${ctx.resource.version}`;
  const render = (o: KubeObject) => JSON.stringify(ctx.store.output(o));
  let firstTable = true;
  let closed = false;

  // Each line goes to the socket as one pre-framed HTTP/1.1 chunk ("<hex size>\r\n<line>\r\n"):
  // one write per event instead of http's four-part corked write, and for unfiltered watches the
  // framed bytes are built once per event and shared by every watcher (the fan-out hot path).
  // Direct writes are safe only when this response owns the connection and http holds nothing
  // unsent (no pipelined response ahead of it); otherwise go through res.write with the bare line.
  const socket = res.socket!;
  const http = res as unknown as { outputData?: unknown[] };
  const direct = (socket as unknown as { _httpMessage?: unknown })._httpMessage === res && (http.outputData?.length ?? 0) === 0;
  // Frames queued in one tick (a committed batch, or a backlog when the server falls behind) go
  // out in one socket write: one TLS record and syscall per watcher instead of one per event. The
  // usual tick queues one frame, held without an array.
  let one: Buffer | undefined;
  let more: Buffer[] | undefined;
  const flush = (): void => {
    const first = one;
    const rest = more;
    one = more = undefined;
    if (closed || !first) return;
    if (direct) socket.write(rest ? Buffer.concat([first, ...rest]) : first);
    else for (const f of rest ? [first, ...rest] : [first]) res.write(f.subarray(f.indexOf(10) + 1, f.length - 2));
    if (socket.writableLength > MAX_BUFFERED) finish();
  };
  const send = (framed: Buffer): void => {
    if (!one) {
      one = framed;
      flushSoon(flush);
    } else (more ??= []).push(framed);
  };
  // The shared line of an object event in this watch's form (one builder per watch, not per event).
  const build = (ev: CacheEvent): Buffer => frameEvent(ev.type, ev.entry.json(form, render));
  /** Writes one event for this watcher alone (filtered, Table or metadata-only watches, initial events). */
  const write = (type: string, entry: Entry): void => {
    if (closed) return;
    if (rep.as === 'PartialObjectMetadata') {
      // Metadata-only watches (client-go metadata informers, the garbage collector upstream).
      send(frameChunk(`{"type":"${type}","object":${JSON.stringify(partialMetadata(ctx.store.output(entry.obj), rep.version))}}\n`));
    } else if (rep.as === 'Table') {
      const table = toTable(ctx.resource.group, ctx.resource.kind, [ctx.store.output(entry.obj)], { include, version: rep.version, withColumns: firstTable });
      firstTable = false;
      send(frameChunk(`{"type":"${type}","object":${JSON.stringify(table)}}\n`));
    } else {
      send(frameEvent(type, entry.json(form, render)));
    }
  };
  const bookmark = (rev: number, initialEnd = false): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(rev) };
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    if (!closed) send(frameChunk(JSON.stringify({ type: 'BOOKMARK', object: { kind: ctx.resource.kind, apiVersion: apiVersionOf(ctx.resource), metadata } }) + '\n'));
  };

  let fromRev = q.resourceVersion ? Number(q.resourceVersion) : 0;
  const initial = !q.resourceVersion || q.resourceVersion === '0' || sendInitial === 'true';
  // Plain object watches (no selector, JSON objects): the per-watcher work of the fan-out hot path.
  const plain = !q.filtered && rep.as !== 'PartialObjectMetadata' && rep.as !== 'Table';
  const onEvent = (ev: CacheEvent): void => {
    if (ev.rev <= fromRev || !ev.entry.key.startsWith(prefix)) return;
    if (plain) {
      if (!closed) send(ev.line(form, build));
      return;
    }
    if (!q.filtered) return write(ev.type, ev.entry);
    const now = ev.type !== 'DELETED' && matches(q, ev.entry.obj);
    const before = !!ev.prev && matches(q, ev.prev.obj);
    if (ev.type === 'DELETED') {
      if (matches(q, ev.entry.obj) || before) write('DELETED', ev.entry);
    } else if (now && before) write('MODIFIED', ev.entry);
    else if (now) write('ADDED', ev.entry);
    else if (before) write('DELETED', ev.entry);
  };

  let unregister: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    if (closed) return;
    // What is queued (an ERROR event, the last events before a timeout) goes out before the end.
    if (socket.writableLength <= MAX_BUFFERED) flush();
    closed = true;
    unregister?.();
    for (const t of timers) clearTimeout(t);
    if (socket.writableLength > MAX_BUFFERED) res.destroy();
    else res.end();
  };
  ctx.req.on('close', finish);
  res.on('close', finish);

  try {
    if (initial) {
      const rev = cache.revision;
      for (const e of cache.list()) if (e.key.startsWith(prefix) && matches(q, e.obj)) write('ADDED', e);
      fromRev = Math.max(fromRev, rev);
      unregister = cache.watch(0, { onEvent, onError: finish });
      if (sendInitial === 'true') bookmark(rev, true);
    } else {
      unregister = cache.watch(fromRev, { onEvent, onError: finish });
    }
  } catch (err) {
    if (err instanceof TooOldError) {
      const st = errors.expired(err.message).toStatus();
      send(frameChunk(JSON.stringify({ type: 'ERROR', object: st }) + '\n'));
      finish();
      return;
    }
    throw err;
  }
  if (timeoutS > 0) timers.push(setTimeout(finish, timeoutS * 1000));
  if (bookmarks) timers.push(setInterval(() => bookmark(Math.max(fromRev, cache.revision)), BOOKMARK_INTERVAL_MS));
  await new Promise<void>((resolve) => res.on('close', resolve));
}

const EVENT_END = Buffer.from('}\n\r\n');

/** One HTTP/1.1 chunk holding the watch line {"type":…,"object":<json>}. */
function frameEvent(type: string, json: Buffer): Buffer {
  const open = `{"type":"${type}","object":`;
  const len = open.length + json.length + 2;
  return Buffer.concat([Buffer.from(`${len.toString(16)}\r\n${open}`, 'latin1'), json, EVENT_END]);
}

// Every watch's flush for the current tick, run once the event loop is done fanning out.
let flushes: (() => void)[] = [];
function flushSoon(fn: () => void): void {
  if (flushes.push(fn) === 1) {
    process.nextTick(() => {
      const run = flushes;
      flushes = [];
      for (const f of run) f();
    });
  }
}

/** One HTTP/1.1 chunk: size in hex, CRLF, the bytes, CRLF. */
export function frameChunk(line: string): Buffer {
  const len = Buffer.byteLength(line);
  const head = `${len.toString(16)}\r\n`;
  const out = Buffer.allocUnsafe(head.length + len + 2);
  out.write(head, 0, 'latin1');
  out.write(line, head.length, 'utf8');
  out.write('\r\n', head.length + len, 'latin1');
  return out;
}
