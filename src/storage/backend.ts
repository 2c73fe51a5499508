// The store contract (shared/DESIGN.md §3): etcd semantics, as kine maps them onto SQL.
// One global revision that increases by one per write; every read and write reports it.

/** One stored key at one revision. */
export interface KeyValue {
  key: string;
  value: Buffer;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the last write to this key; the API's metadata.resourceVersion. */
  modRevision: number;
}

export type EventType = 'PUT' | 'DELETE';

/**
 * One change. PUT: kv is the new value; prevKv is the value it replaced (absent on create).
 * DELETE: kv.key is the key, kv.modRevision the delete's revision, kv.value empty; prevKv is the
 * deleted value (always present).
 */
export interface WatchEvent {
  type: EventType;
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface ListOptions {
  /** At most this many kvs (0 or absent: all). */
  limit?: number;
  /** Resume after this key (exclusive): the last key of the previous page. */
  continue?: string;
  /** Read at this past revision (absent or 0: current). */
  revision?: number;
}

export interface ListResult {
  /** The revision the list was read at. */
  revision: number;
  kvs: KeyValue[];
  /** True when more keys follow under the prefix. */
  more: boolean;
}

export interface Backend {
  /** The current store revision. */
  currentRevision(): Promise<number>;
  /** The value of key at revision (absent: current); kv is undefined when the key does not exist. */
  get(key: string, opts?: { revision?: number }): Promise<{ revision: number; kv?: KeyValue }>;
  /** Keys under prefix in byte order, consistent at one revision. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Number of keys under prefix now. */
  count(prefix: string): Promise<{ revision: number; count: number }>;
  /** Creates key; KeyExistsError if it exists. */
  create(key: string, value: Buffer): Promise<{ revision: number; kv: KeyValue }>;
  /** Replaces key if its modRevision is expectModRevision; ConflictError otherwise, NotFoundError if absent. */
  update(key: string, value: Buffer, expectModRevision: number): Promise<{ revision: number; kv: KeyValue; prevKv: KeyValue }>;
  /** Deletes key (if expectModRevision is given, only at that modRevision). NotFoundError / ConflictError. */
  delete(key: string, expectModRevision?: number): Promise<{ revision: number; prevKv: KeyValue }>;
  /**
   * Every event under prefix with revision > fromRevision, in revision order, in batches; no gaps, no
   * duplicates. Ends when signal aborts. Iteration throws CompactedError when fromRevision has been
   * compacted (or the watcher fell so far behind that its next event was).
   */
  watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent[]>;
  /**
   * As etcd's compact: revision stays readable, history superseded before it is removed; a read at a
   * revision below it, or a watch whose first wanted revision (fromRevision + 1) is below it, fails
   * with CompactedError.
   */
  compact(revision: number): Promise<void>;
  /** The last compaction revision (0 when never compacted): the oldest revision still readable. */
  compactRevision(): Promise<number>;
  /** Stops background work and releases the store. */
  close(): Promise<void>;
}

/** The largest value the store accepts (etcd's default request limit is 1.5 MiB). */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024;
