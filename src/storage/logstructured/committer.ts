// Group commit: writes that arrive while the event loop is busy are applied in one transaction,
// so one fsync acknowledges all of them. The Backend API is async, so callers with many writes in
// flight (the API server) pay one durable commit per batch instead of one per write.

interface Pending<Op, R> {
  op: Op;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/** Outcome of one op inside a batch: its result, or the error only that op fails with. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export class GroupCommitter<Op, R> {
  private queue: Pending<Op, R>[] = [];
  private scheduled = false;

  /**
   * runBatch applies ops in order inside one transaction and returns one outcome per op; if it
   * throws, the whole batch failed (nothing committed) and every op rejects with that error. It
   * may return a promise (the batch is committed but not yet durable): the next batch is applied at
   * once and this batch's ops settle when the promise does.
   */
  constructor(
    private readonly runBatch: (ops: Op[]) => Outcome<R>[] | Promise<Outcome<R>[]>,
    private readonly maxBatch = 1000,
  ) {}

  /** Queues op for the next batch; resolves once its batch is durably committed. */
  submit(op: Op): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate (not a microtask) so that every write issued in this turn joins the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Ops waiting for a batch. */
  get pending(): number {
    return this.queue.length;
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      let outcomes: Outcome<R>[] | Promise<Outcome<R>[]>;
      try {
        outcomes = this.runBatch(batch.map((p) => p.op));
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      if (Array.isArray(outcomes)) settle(batch, outcomes);
      else outcomes.then((o) => settle(batch, o), (err: unknown) => { for (const p of batch) p.reject(err); });
    }
  }
}

function settle<Op, R>(batch: Pending<Op, R>[], outcomes: Outcome<R>[]): void {
  batch.forEach((p, i) => {
    const o = outcomes[i]!;
    if (o.ok) p.resolve(o.value);
    else p.reject(o.error);
  });
}
