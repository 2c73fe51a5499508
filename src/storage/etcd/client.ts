// The etcd3 client as Skiff uses it: raw KV/Watch RPCs (so every etcd field is under our control),
// the package's own retry and circuit-breaker policies switched off in favour of util/retry, and
// etcd's errors translated into the store's typed errors at this one boundary.
import { Etcd3, type IOptions } from 'etcd3';
import type { CompactedError} from '../errors.js';
import { UnavailableError } from '../errors.js';
import { retry } from '../../util/backoff.js';
import { logger } from '../../util/log.js';

const log = logger('storage.etcd');

// A pass-through cockatiel policy: etcd3's default breaker stops all calls for 5 s after three
// failures, which would turn a one-second member restart into a five-second outage.
const passThrough = {
  _altReturn: undefined as never,
  onSuccess: () => ({ dispose() {} }),
  onFailure: () => ({ dispose() {} }),
  execute: async <T>(fn: (ctx: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> =>
    fn({ signal: signal ?? new AbortController().signal }),
};

/** A client for comma-separated host:port endpoints. */
export function createClient(endpoints: string[]): Etcd3 {
  const opts: IOptions = {
    hosts: endpoints.map((e) => (/^https?:\/\//.test(e) ? e : `http://${e}`)),
    dialTimeout: 5000,
    faultHandling: { host: () => passThrough as never, global: passThrough as never },
    // Unary calls get a deadline so a hung member fails over instead of hanging the caller.
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + 15_000 }),
  };
  return new Etcd3(opts);
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** etcd's "required revision has been compacted". */
export const isCompacted = (err: unknown): boolean => /required revision has been compacted/.test(message(err));
/** etcd's "required revision is a future revision". */
export const isFutureRevision = (err: unknown): boolean => /required revision is a future revision/.test(message(err));

/** Transport-level failures worth retrying (member down, leader election, deadline). */
export function isTransient(err: unknown): boolean {
  const m = message(err);
  const code = (err as { code?: unknown }).code;
  return code === 14 || code === 4 || /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|No connection established|leader changed|no leader|timed out|Unavailable|connection (closed|reset)|too many requests/i.test(m)
    || (err as object)?.constructor?.name === 'GRPCUnavailableError' || (err as object)?.constructor?.name === 'GRPCDeadlineExceededError';
}

/**
 * Runs an RPC, retrying transient failures with backoff for up to ~20 s, then UnavailableError.
 * A retried write may have been applied by the attempt that failed (as with any etcd client): a
 * create then reports KeyExists and a CAS update Conflict, never a silent double write.
 */
export async function call<T>(what: string, fn: () => Promise<T>, onCompacted?: () => Promise<CompactedError>): Promise<T> {
  try {
    return await retry(fn, {
      initialMs: 50, maxMs: 2000, maxAttempts: 15,
      retryable: isTransient,
      onError: (err, delayMs) => log.v(2).info('etcd call failed, retrying', { what, err, delayMs }),
    });
  } catch (err) {
    if (isCompacted(err) && onCompacted) throw await onCompacted();
    if (isTransient(err)) throw new UnavailableError(`etcd ${what}: ${message(err)}`);
    throw err;
  }
}
