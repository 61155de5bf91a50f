/**
 * Group commit (ARCHITECTURE.md, "Hot writes commit together"): many small concurrent writes
 * become one statement. `submit` queues an item; what arrives within `windowMs` of the first —
 * or while an earlier batch is being written — goes to the database together through `write`,
 * which returns one result per item (in order). Each caller is answered only when the statement
 * holding its item has returned, i.e. is committed and durable.
 *
 * One bad item must not fail its neighbours: when a batch of several fails, each item is written
 * again on its own and only the failing one is rejected.
 */
export interface GroupCommitOptions<I, R> {
  write: (items: I[]) => Promise<R[]>;
  /** How long the first item waits for company (ms). */
  windowMs?: number;
  /** The most items in one statement. */
  maxBatch?: number;
  /** Batches written at the same time (each on its own connection). */
  concurrency?: number;
}

interface Waiting<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<I, R> {
  private queue: Waiting<I, R>[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = 0;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly concurrency: number;

  constructor(private readonly opts: GroupCommitOptions<I, R>) {
    this.windowMs = opts.windowMs ?? 2;
    this.maxBatch = opts.maxBatch ?? 200;
    this.concurrency = opts.concurrency ?? 2;
  }

  /** Items queued and not yet handed to `write` (for callers that bound a write-behind queue). */
  get pending(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.running >= this.concurrency || !this.queue.length) return;
    if (this.queue.length >= this.maxBatch) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  private flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running >= this.concurrency || !this.queue.length) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.running++;
    void this.writeBatch(batch).finally(() => {
      this.running--;
      // What queued while this batch was written goes now, without waiting another window.
      if (this.queue.length) this.flush();
    });
  }

  private async writeBatch(batch: Waiting<I, R>[]): Promise<void> {
    try {
      const results = await this.opts.write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // Find the bad item: the others are written one by one and answered as usual.
      for (const w of batch) await this.writeBatch([w]);
    }
  }
}
