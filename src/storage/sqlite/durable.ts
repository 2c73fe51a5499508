// Durability off the event loop. SQLite runs with synchronous=NORMAL, so a commit only writes the WAL
// to the page cache (no fsync on the main thread); before a write is acknowledged the backend awaits
// sync(), which fdatasyncs the WAL file on libuv's thread pool. Callers that arrive while an fsync is
// running share the next one (group fsync), so a burst of commits costs at most two fsyncs.
import { open, type FileHandle } from 'node:fs/promises';

/** Coalesces concurrent requests for an operation that must start after the request was made. */
export class Coalescer {
  private running?: Promise<void>;
  private waiting?: Promise<void>;

  constructor(private readonly op: () => Promise<void>) {}

  /** Resolves once an op that started at or after this call has finished. */
  run(): Promise<void> {
    if (this.waiting) return this.waiting;
    if (!this.running) return this.start();
    const waiting = this.running.then(() => undefined, () => undefined).then(() => {
      this.waiting = undefined;
      return this.start();
    });
    this.waiting = waiting;
    return waiting;
  }

  private start(): Promise<void> {
    const p = this.op().finally(() => {
      if (this.running === p) this.running = undefined;
    });
    this.running = p;
    return p;
  }
}

/** fdatasync of one file (the WAL), opened on first use, coalesced across callers. */
export class FileSyncer {
  private handle?: Promise<FileHandle>;
  private readonly coalescer = new Coalescer(() => this.once());

  constructor(private readonly path: string) {}

  sync(): Promise<void> {
    return this.coalescer.run();
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    if (h) await (await h).close().catch(() => undefined);
  }

  private async once(): Promise<void> {
    // The WAL file exists once the first transaction committed; it keeps its inode while the
    // database is open (checkpoints truncate it in place), so one handle serves for the lifetime.
    this.handle ??= open(this.path, 'r');
    try {
      await (await this.handle).datasync();
    } catch (err) {
      this.handle = undefined;
      throw err;
    }
  }
}
