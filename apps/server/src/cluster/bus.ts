/**
 * How instances of the server talk to each other. One instance alone uses the `LocalBus` (nothing to say);
 * several use the Redis bus (streams), see redis-bus.ts.
 */
export type ClusterEvent =
  | { type: 'close-sessions'; ids: string[]; code: number; reason: string }
  | { type: 'close-members'; ids: string[]; code: number; reason: string }
  | { type: 'refresh-member'; memberId: string };

export interface BusHandlers {
  /** A document update accepted (and stored) by another instance. `sentAt` is its publication time (ms). */
  update(name: string, update: Uint8Array, sentAt: number): void;
  /** Presence changes of clients connected to another instance. */
  presence(name: string, update: Uint8Array, fromInstance: string): void;
  event(event: ClusterEvent): void;
  /** The bus is back after an outage: documents must be resynchronised from the store. */
  reconnected(): void;
}

export interface ClusterBus {
  readonly instanceId: string;
  /** False for the single-instance LocalBus. */
  readonly shared: boolean;
  setHandlers(handlers: BusHandlers): void;
  /** Starts following a document; call before loading it from the store so that nothing falls in between. */
  watch(name: string): Promise<void>;
  unwatch(name: string): void;
  publishUpdate(name: string, update: Uint8Array): Promise<void>;
  publishPresence(name: string, update: Uint8Array): Promise<void>;
  publishEvent(event: ClusterEvent): Promise<void>;
  /** Takes (or renews) a lease for `ms` milliseconds; true when this instance holds it. */
  lease(key: string, ms: number): Promise<boolean>;
  /** Runs `fn` while holding a short lock (waits for it), so that two instances never run it at once. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  healthy(): boolean;
  close(): Promise<void>;
}

/** The bus of a single instance: every document and lease is local. */
export class LocalBus implements ClusterBus {
  readonly instanceId = 'local';
  readonly shared = false;
  private readonly locks = new Map<string, Promise<unknown>>();
  setHandlers(): void {}
  async watch(): Promise<void> {}
  unwatch(): void {}
  async publishUpdate(): Promise<void> {}
  async publishPresence(): Promise<void> {}
  async publishEvent(): Promise<void> {}
  async lease(): Promise<boolean> {
    return true;
  }
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return run;
  }
  healthy(): boolean {
    return true;
  }
  async close(): Promise<void> {}
}
