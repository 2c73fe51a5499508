// etcd:// — the store on a real etcd v3 cluster. Each Backend call is one etcd RPC (kine's
// mapping in reverse): create = txn(create_revision == 0), update/delete = txn(mod_revision ==
// expected), reads at a revision, ranges paged under gRPC's 4 MiB message limit, one shared etcd
// watch per prefix.
import type { Etcd3, IKeyValue, IRangeRequest, IRangeResponse, ITxnResponse } from 'etcd3';
import type { Backend, KeyValue, ListOptions, ListResult, WatchEvent } from '../backend.js';
import { ClosedError, CompactedError, ConflictError, KeyExistsError, NotFoundError } from '../errors.js';
import { validateKey, validatePrefix, validateValue } from '../validate.js';
import { prefixEnd } from '../logstructured/log.js';
import { call, createClient, isCompacted, isFutureRevision } from './client.js';
import { toKv } from './convert.js';
import { PrefixFeed } from './watch-feed.js';

/** Responses are kept under this many bytes (gRPC's default receive limit is 4 MiB). */
const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;
const FIRST_PAGE = 500;
const b = (s: string) => Buffer.from(s);

export class EtcdBackend implements Backend {
  private closed = false;
  private readonly feeds = new Map<string, PrefixFeed>();
  /** The highest compaction revision seen, so probing starts there. */
  private knownCompacted = 0;

  constructor(private readonly client: Etcd3) {}

  /** Connects to endpoints (host:port) and checks that etcd answers. */
  static async open(endpoints: string[]): Promise<EtcdBackend> {
    const be = new EtcdBackend(createClient(endpoints));
    try {
      await be.currentRevision();
    } catch (err) {
      be.client.close();
      throw err;
    }
    return be;
  }

  async currentRevision(): Promise<number> {
    this.check();
    const res = await this.range({ key: b('/'), count_only: true });
    return Number(res.header.revision);
  }

  async compactRevision(): Promise<number> {
    this.check();
    // etcd has no RPC for it; a read below the compaction point fails, so binary-search the
    // lowest readable revision, starting from the last one seen.
    const head = await this.currentRevision();
    const readable = async (rev: number) => {
      try {
        await this.client.kv.range({ key: b('/'), count_only: true, revision: rev });
        return true;
      } catch (err) {
        if (isCompacted(err)) return false;
        throw err;
      }
    };
    let lo = Math.max(1, this.knownCompacted);
    let hi = head;
    if (await readable(lo)) return lo === 1 ? 0 : lo;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await readable(mid)) hi = mid;
      else lo = mid + 1;
    }
    this.knownCompacted = lo;
    return lo;
  }

  async get(key: string, opts: { revision?: number } = {}): Promise<{ revision: number; kv?: KeyValue }> {
    this.check();
    validateKey(key);
    const res = await this.rangeAt({ key: b(key) }, opts.revision);
    return { revision: res.atRevision, kv: res.kvs[0] ? toKv(res.kvs[0]) : undefined };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.check();
    validatePrefix(prefix);
    const want = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const end = b(prefixEnd(prefix));
    let start = b(opts.continue ? opts.continue + '\0' : prefix);
    let at = opts.revision || 0;
    let page = FIRST_PAGE;
    const kvs: KeyValue[] = [];
    for (;;) {
      const limit = Math.min(page, want - kvs.length);
      let res: IRangeResponse & { atRevision: number };
      try {
        res = await this.rangeAt({ key: start, range_end: end, limit }, at);
      } catch (err) {
        // A page over the message limit: ask for fewer keys (a 1.5 MiB value always fits alone).
        if (/RESOURCE_EXHAUSTED|larger than max/i.test(String(err)) && page > 1) {
          page = Math.max(1, Math.floor(page / 4));
          continue;
        }
        throw err;
      }
      // Every later page reads at the revision of the first, so the list is one snapshot.
      at = res.atRevision;
      kvs.push(...res.kvs.map(toKv));
      const more = res.more;
      if (!more || kvs.length >= want) return { revision: at, kvs, more };
      start = b(kvs[kvs.length - 1]!.key + '\0');
      const bytes = res.kvs.reduce((n, kv) => n + kv.key.length + (kv.value?.length ?? 0) + 64, 0);
      page = Math.max(1, Math.min(5000, Math.floor(MAX_RESPONSE_BYTES / Math.max(1, bytes / Math.max(1, res.kvs.length)))));
    }
  }

  async count(prefix: string): Promise<{ revision: number; count: number }> {
    this.check();
    validatePrefix(prefix);
    const res = await this.range({ key: b(prefix), range_end: b(prefixEnd(prefix)), count_only: true });
    return { revision: Number(res.header.revision), count: Number(res.count) };
  }

  async create(key: string, value: Buffer): Promise<{ revision: number; kv: KeyValue }> {
    this.check();
    validateKey(key);
    validateValue(value);
    const res = await this.txn('create', {
      compare: [{ key: b(key), target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: b(key), value } }],
    });
    if (!res.succeeded) throw new KeyExistsError(key);
    const rev = Number(res.header.revision);
    return { revision: rev, kv: { key, value: Buffer.from(value), createRevision: rev, modRevision: rev } };
  }

  async update(key: string, value: Buffer, expectModRevision: number): Promise<{ revision: number; kv: KeyValue; prevKv: KeyValue }> {
    this.check();
    validateKey(key);
    validateValue(value);
    const res = await this.txn('update', {
      compare: this.expect(key, expectModRevision),
      success: [{ request_put: { key: b(key), value, prev_kv: true } }],
      failure: [{ request_range: { key: b(key) } }],
    });
    if (!res.succeeded) this.failed(key, res);
    const rev = Number(res.header.revision);
    const prevKv = toKv(res.responses[0]!.response_put.prev_kv);
    return { revision: rev, kv: { key, value: Buffer.from(value), createRevision: prevKv.createRevision, modRevision: rev }, prevKv };
  }

  async delete(key: string, expectModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }> {
    this.check();
    validateKey(key);
    const res = await this.txn('delete', {
      compare: this.expect(key, expectModRevision),
      success: [{ request_delete_range: { key: b(key), prev_kv: true } }],
      failure: [{ request_range: { key: b(key) } }],
    });
    if (!res.succeeded) this.failed(key, res);
    return { revision: Number(res.header.revision), prevKv: toKv(res.responses[0]!.response_delete_range.prev_kvs[0]!) };
  }

  watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent[]> {
    this.check();
    validatePrefix(prefix);
    return this.subscribe(prefix, fromRevision, signal);
  }

  async compact(revision: number): Promise<void> {
    this.check();
    try {
      // physical: return once the old revisions are actually gone, as the sqlite store does.
      await call('compact', () => this.client.kv.compact({ revision, physical: true }));
      this.knownCompacted = Math.max(this.knownCompacted, revision);
    } catch (err) {
      if (isCompacted(err)) return; // already compacted at or past revision: nothing to do, as memory://
      if (isFutureRevision(err)) throw new RangeError(`compact: revision ${revision} is in the future`);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.feeds.values()) f.stop();
    this.feeds.clear();
    this.client.close();
  }

  private check(): void {
    if (this.closed) throw new ClosedError();
  }

  private async *subscribe(prefix: string, from: number, signal: AbortSignal): AsyncGenerator<WatchEvent[]> {
    let feed = this.feeds.get(prefix);
    if (!feed || !feed.active || from < feed.from) {
      // A watch from before the compaction point fails up front, without disturbing a shared feed.
      await this.rangeAt({ key: b(prefix), count_only: true }, from + 1);
      this.check();
      feed = this.feeds.get(prefix);
      if (!feed || !feed.active) {
        feed = new PrefixFeed(this.client, prefix, from, async () => ({ current: await this.currentRevision(), compacted: await this.compactRevision() }));
        this.feeds.set(prefix, feed);
      } else feed.rewind(from);
    }
    try {
      yield* feed.subscribe(from, signal);
    } finally {
      // The last watcher of a prefix releases its etcd watch.
      if (feed.size === 0 && this.feeds.get(prefix) === feed) {
        feed.stop();
        this.feeds.delete(prefix);
      }
    }
  }

  /** Compare list for "key exists (at expected modRevision, when given)". */
  private expect(key: string, modRevision?: number) {
    const exists = { key: b(key), target: 'Create' as const, result: 'Greater' as const, create_revision: 0 };
    return modRevision === undefined ? [exists] : [exists, { key: b(key), target: 'Mod' as const, result: 'Equal' as const, mod_revision: modRevision }];
  }

  /** A failed CAS txn: NotFound when the key is absent, Conflict with its current value otherwise. */
  private failed(key: string, res: ITxnResponse): never {
    const cur: IKeyValue | undefined = res.responses[0]?.response_range.kvs[0];
    if (!cur) throw new NotFoundError(key);
    throw new ConflictError(key, toKv(cur));
  }

  private txn(what: string, req: Parameters<Etcd3['kv']['txn']>[0]): Promise<ITxnResponse> {
    return call(what, () => this.client.kv.txn(req));
  }

  private range(req: IRangeRequest): Promise<IRangeResponse> {
    return call('range', () => this.client.kv.range(req));
  }

  /**
   * A range at rev (0: current). As memory://, a future revision reads the current one; below the
   * compaction point is CompactedError. atRevision is the revision actually read.
   */
  private async rangeAt(req: IRangeRequest, rev = 0): Promise<IRangeResponse & { atRevision: number }> {
    try {
      const res = await call('range', () => this.client.kv.range({ ...req, revision: rev }));
      return { ...res, atRevision: rev || Number(res.header.revision) };
    } catch (err) {
      if (isFutureRevision(err)) {
        const res = await this.range({ ...req, revision: 0 });
        return { ...res, atRevision: Number(res.header.revision) };
      }
      if (isCompacted(err)) {
        const [current, compacted] = await Promise.all([this.currentRevision(), this.compactRevision()]);
        throw new CompactedError(rev, compacted, current);
      }
      throw err;
    }
  }
}
