import type { Workshop } from '@agora/domain';
import type { Store } from '../store/store.ts';
import type { Logger } from '../log.ts';
import { DocumentRoom, type RoomOptions } from './room.ts';
import type { Connection } from './connection.ts';
import { policyFor } from './policies.ts';
import { parseDocumentName } from '@agora/domain';

interface Slot {
  room: Promise<DocumentRoom>;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * The loaded documents. Concurrent first connections share one load; a document with no connection is
 * unloaded after `idleMs`, once flushed; a connection arriving during an unload waits for it, then reloads.
 */
export class RoomRegistry {
  private readonly slots = new Map<string, Slot>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly loaded = new Map<string, DocumentRoom>();
  private sweeper: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly options: RoomOptions & { idleMs: number },
    private readonly log: Logger,
  ) {
    this.sweeper = setInterval(() => this.expirePresence(), 5_000);
    this.sweeper.unref();
  }

  /**
   * Loads (or finds) the document and joins `conn` to it in the same step, so that an idle unload can never
   * take the room from under a connection that is joining. Returns null if the connection closed meanwhile.
   */
  async join(name: string, workshop: Workshop, conn: Connection): Promise<DocumentRoom | null> {
    let room = await this.hold(name, workshop);
    // An unload that had already started may have won the race: take the reloaded room then.
    while (room.destroyed) room = await this.hold(name, workshop);
    if (conn.closed) {
      this.release(room);
      return null;
    }
    room.join(conn);
    return room;
  }

  /**
   * Runs a server-side write on a document (loading it if needed), e.g. a stage change or a vote update.
   * `fn` is synchronous, so the room cannot be unloaded while it runs; the write is stored on the next tick.
   */
  async write<T>(name: string, workshop: Workshop, fn: (room: DocumentRoom) => T): Promise<T> {
    let room = await this.hold(name, workshop);
    while (room.destroyed) room = await this.hold(name, workshop);
    try {
      return fn(room);
    } finally {
      this.release(room);
    }
  }

  /** Loads (or finds) a room and cancels its idle unload. The caller checks `destroyed`, then joins or releases it. */
  private async hold(name: string, workshop: Workshop): Promise<DocumentRoom> {
    for (;;) {
      await this.unloading.get(name);
      let slot = this.slots.get(name);
      if (!slot) {
        const part = parseDocumentName(name)?.part ?? 'diagnostic';
        const room = new DocumentRoom(name, workshop, policyFor(part, workshop), this.store, this.options, this.log);
        // Follow the other instances' updates from before the load, so that none falls in between.
        const loading = this.options.bus.watch(name).then(() => room.load()).then(() => {
          this.loaded.set(name, room);
          return room;
        });
        slot = { room: loading, idleTimer: null };
        this.slots.set(name, slot);
        const created = slot;
        loading.catch(() => {
          this.options.bus.unwatch(name);
          if (this.slots.get(name) === created) this.slots.delete(name);
        });
      }
      if (slot.idleTimer) {
        clearTimeout(slot.idleTimer);
        slot.idleTimer = null;
      }
      const room = await slot.room;
      if (!room.destroyed) return room;
    }
  }

  /** Called when a connection leaves: schedules the unload of an empty room. */
  release(room: DocumentRoom): void {
    const slot = this.slots.get(room.name);
    if (!slot || room.connections.size > 0 || slot.idleTimer) return;
    slot.idleTimer = setTimeout(() => void this.unload(room.name), this.options.idleMs);
    slot.idleTimer.unref();
  }

  private async unload(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot) return;
    const room = await slot.room;
    if (room.connections.size > 0) return;
    this.slots.delete(name);
    this.loaded.delete(name);
    this.options.bus.unwatch(name);
    const done = room
      .destroy()
      .catch((err: unknown) => this.log.error('unload failed', { doc: name, error: String(err) }))
      .finally(() => this.unloading.delete(name));
    this.unloading.set(name, done);
    await done;
    this.log.debug('document unloaded', { doc: name });
  }

  /** The loaded room of a document, if any. */
  loadedRoom(name: string): DocumentRoom | undefined {
    return this.loaded.get(name);
  }

  /** The rooms loaded right now (not those still loading). */
  loadedRooms(): DocumentRoom[] {
    return [...this.loaded.values()];
  }

  get loadedCount(): number {
    return this.slots.size;
  }

  /** The loaded room of a document, if any (tests, metrics). */
  async peek(name: string): Promise<DocumentRoom | undefined> {
    return this.slots.get(name)?.room;
  }

  private expirePresence(): void {
    for (const slot of this.slots.values()) void slot.room.then((r) => r.presence.expire(), () => undefined);
  }

  /** Flushes and unloads everything (shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const names = [...this.slots.keys()];
    await Promise.all(
      names.map(async (name) => {
        const slot = this.slots.get(name);
        if (!slot) return;
        if (slot.idleTimer) clearTimeout(slot.idleTimer);
        this.slots.delete(name);
        this.loaded.delete(name);
        this.options.bus.unwatch(name);
        const room = await slot.room.catch(() => null);
        await room?.destroy();
      }),
    );
    await Promise.all(this.unloading.values());
  }
}
