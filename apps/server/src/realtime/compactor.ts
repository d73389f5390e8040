import { Worker } from 'node:worker_threads';

type Pending = Map<number, { resolve: (state: Uint8Array) => void; reject: (err: Error) => void }>;

/**
 * Compacts large documents on a worker thread: rebuilding a 2.7 MiB state from its stored rows takes 0.1–1 s of
 * CPU, which on the event loop would hold every room of the process (edits, presence, votes) that long. One worker
 * per process, started on first use; it keeps the process alive only while it has work. Requests are served in order.
 */
export class Compactor {
  private current: { worker: Worker; pending: Pending } | null = null;
  private nextId = 1;

  /** The state holding every row (the rows applied to a fresh document, then encoded). */
  compact(rows: Uint8Array[]): Promise<Uint8Array> {
    const { worker, pending } = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (pending.size === 1) worker.ref();
      worker.postMessage({ id, rows });
    });
  }

  async close(): Promise<void> {
    const c = this.current;
    this.current = null;
    if (c) await c.worker.terminate();
  }

  private started(): { worker: Worker; pending: Pending } {
    if (this.current) return this.current;
    const worker = new Worker(new URL('./compaction-worker.mjs', import.meta.url));
    const pending: Pending = new Map();
    worker.unref();
    worker.on('message', (m: { id: number; state?: Uint8Array; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) worker.unref();
      if (m.state) p.resolve(m.state);
      else p.reject(new Error(`compaction failed: ${m.error ?? 'no state'}`));
    });
    // A crashed (or terminated) worker fails what it held; the next compaction starts a new one.
    const fail = (err: Error): void => {
      if (this.current?.worker === worker) this.current = null;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`compaction worker exited (${code})`)));
    this.current = { worker, pending };
    return this.current;
  }
}

/** The process's compactor, shared by every room. */
export const compactor = new Compactor();
