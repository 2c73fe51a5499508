// The de-duplicating work queue of client-go (util/workqueue.Type): an item added while queued is
// collapsed into the queued one; an item added while a worker processes it is re-queued only when
// that worker calls done(), so no two workers ever hold the same item.

export class Queue<T = string> {
  private items: T[] = [];
  private head = 0;
  /** Items that need processing: queued, or added again while being processed. */
  private readonly dirty = new Set<T>();
  /** Items handed to a worker and not yet done(). */
  private readonly processing = new Set<T>();
  private getters: (() => void)[] = [];
  private drainers: (() => void)[] = [];
  private stopping = false;

  /** Marks item as needing processing; a no-op if it is already queued or the queue is shutting down. */
  add(item: T): void {
    if (this.stopping || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.items.push(item);
    this.wakeOne();
  }

  /** Items waiting to be handed out (not counting those being processed). */
  len(): number {
    return this.items.length - this.head;
  }

  /**
   * Waits for the next item and marks it processing; the caller must call done(item).
   * Resolves undefined once the queue is shut down and empty (then the worker should exit).
   */
  async get(): Promise<T | undefined> {
    while (this.len() === 0 && !this.stopping) await new Promise<void>((resolve) => this.getters.push(resolve));
    if (this.len() === 0) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  /** Ends processing of item; if it was added meanwhile it goes back on the queue. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.items.push(item);
      this.wakeOne();
    } else if (this.processing.size === 0) {
      const d = this.drainers;
      this.drainers = [];
      for (const f of d) f();
    }
  }

  /** Stops accepting items; workers still get what is queued, then undefined. */
  shutDown(): void {
    this.stopping = true;
    const g = this.getters;
    this.getters = [];
    for (const f of g) f();
  }

  /** shutDown, then resolves once every item handed out has been done(). */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    while (this.processing.size > 0) await new Promise<void>((resolve) => this.drainers.push(resolve));
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  private wakeOne(): void {
    this.getters.shift()?.();
  }
}
