import * as Y from 'yjs';
import { CloseCode, type ValidationIssue, type Workshop } from '@agora/domain';
import type { DocumentPolicy, EntryDiff } from './policies.ts';
import type { ClusterBus } from '../cluster/bus.ts';
import * as metrics from '../ops/metrics.ts';

/** What the rest of the server hears from rooms: accepted entry changes, and who comes and goes. */
export interface RoomHooks {
  changed(room: DocumentRoom, author: ChangeAuthor, diffs: EntryDiff[]): void;
  connections(room: DocumentRoom): void;
}
import type { Store } from '../store/store.ts';
import type { Logger } from '../log.ts';
import { frameBinary, type Connection } from './connection.ts';
import { PresenceRelay } from './presence.ts';
import { FullState, isEmptyStateVector } from './full-state.ts';
import { hasPending } from './pending.ts';
import {
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  ProtocolError,
  type IncomingMessage,
} from './messages.ts';

export interface RoomOptions {
  /** How this instance hears of (and tells) updates made on other instances. */
  bus: ClusterBus;
  /** Hooks called on accepted changes and on connections coming and going. */
  hooks?: RoomHooks;
  maxDocumentBytes: number;
  compactAfterUpdates: number;
}

/** Origin of updates that passed validation, so the room can tell them from its own writes. */
const VALIDATED = Symbol('validated client update');
/** Origin of updates accepted and stored by another instance: broadcast here, never stored again. */
const REMOTE = Symbol('update from another instance');
/** Origin of updates read back from the store (load, resync): broadcast, never stored again. */
const STORED = Symbol('update from the store');

/** An update arriving less than this after the previous update frame waits for the tick's merged frame. */
const RELAY_QUIET_MS = 5;

/** While the store fails, at most this much accepted data is held in memory before new edits are refused. */
const MAX_UNPERSISTED_BYTES = 8 * 1024 * 1024;

/** Who made an accepted change, for the history. */
export interface ChangeAuthor {
  memberId: string | null;
  name: string;
}

export type ServerWriteResult = { ok: true; diffs: EntryDiff[] } | { ok: false; issues: ValidationIssue[] };

export type UpdateVerdict = { ok: true } | { ok: false; code: number; reason: string; issues: ValidationIssue[] };

export interface RoomStats {
  updatesIn: number;
  updatesRefused: number;
  broadcasts: number;
}

/**
 * One loaded shared document: the authoritative Y.Doc, a twin used to try incoming updates before they touch
 * it, the presence relay, its connections and its persistence.
 */
export class DocumentRoom {
  readonly doc = new Y.Doc({ gc: true });
  /** The document's state encoded once, for joiners, the twin and compaction. */
  readonly fullState = new FullState(this.doc);
  /**
   * The twin, where incoming updates are tried before they touch the document. Built on first use (a document only
   * read, like the projector's, never pays for it; a cold load serves its first joiner without building it).
   */
  private scratch: Y.Doc | null = null;
  readonly presence: PresenceRelay;
  readonly connections = new Set<Connection>();
  readonly stats: RoomStats = { updatesIn: 0, updatesRefused: 0, broadcasts: 0 };

  private storedBytes = 0;
  private storedUpdates = 0;
  /** Size of the first stored row: the compacted state (or the first update) the log grows from. */
  private baseBytes = 0;
  /** Changes to broadcast to this instance's clients at the next flush. */
  private outgoing: Uint8Array[] = [];
  /** Changes accepted here, to store and then publish to other instances. */
  private toStore: Uint8Array[] = [];
  /** Changes that the store refused (outage), held until it answers again. */
  private unpersisted: Uint8Array | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = 500;
  /** True while the store refuses writes: new client edits are refused meanwhile. */
  storeFailing = false;
  private flushScheduled: NodeJS.Immediate | null = null;
  /** Set while a relayed update is applied to the document, so that it is not broadcast a second time. */
  private applyingRelayed = false;
  /** When the last update frame went out (performance.now()): a busy room batches per tick instead of relaying. */
  private lastUpdateFrameAt = -Infinity;
  private flushing: Promise<void> = Promise.resolve();
  destroyed = false;

  constructor(
    readonly name: string,
    readonly workshop: Workshop,
    private readonly policy: DocumentPolicy,
    private readonly store: Store,
    private readonly options: RoomOptions,
    private readonly log: Logger,
  ) {
    const bus = options.bus;
    this.presence = new PresenceRelay(
      (u) => {
        this.broadcast(encodeAwareness(u));
        metrics.framesOut.inc({ kind: 'presence' });
      },
      bus.shared ? (u) => void bus.publishPresence(name, u).catch(() => undefined) : null,
    );
    policy.defineRoots(this.doc);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      // Server-side writes must reach the twin too; validated updates are already there.
      if (origin !== VALIDATED && this.scratch) Y.applyUpdate(this.scratch, update, VALIDATED);
      this.fullState.updated(update);
      if (!this.applyingRelayed) this.outgoing.push(update);
      if (origin !== REMOTE && origin !== STORED) this.toStore.push(update);
      this.scheduleFlush();
    });
  }

  /** Loads the stored state; a new document gets its meta stamped (and stored) by the server. */
  async load(): Promise<void> {
    const stored = await this.store.loadDocument(this.name);
    this.storedBytes = stored.bytes;
    this.storedUpdates = stored.updates.length;
    this.baseBytes = stored.updates[0]?.byteLength ?? 0;
    if (stored.updates.length > 0) {
      const merged = stored.updates.length === 1 ? stored.updates[0]! : Y.mergeUpdates(stored.updates);
      Y.applyUpdate(this.doc, merged, STORED);
      this.outgoing = []; // nobody to send it to yet
      // A single row (a compacted state, or the only update) is exactly the document: the first joiners after a
      // restart get it as is instead of waiting for an encoding.
      if (stored.updates.length === 1 && !hasPending(this.doc)) this.fullState.prime(merged);
    }
    this.policy.init(this.doc);
    await this.flush();
    if (this.compactionDue()) await this.compact();
  }

  join(conn: Connection): void {
    this.connections.add(conn);
    this.options.hooks?.connections(this);
    conn.send(encodeSyncStep1(this.doc));
    const presence = this.presence.snapshot();
    if (presence) conn.send(encodeAwareness(presence));
  }

  leave(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.presence.removeConnection(conn);
    this.options.hooks?.connections(this);
  }

  /** Handles one decoded message of a joined connection. Returns a verdict for updates. */
  handle(conn: Connection, msg: IncomingMessage): UpdateVerdict {
    switch (msg.type) {
      case 'sync-step1': {
        const empty = isEmptyStateVector(msg.stateVector);
        const before = this.fullState.encodings;
        const cached = empty ? this.fullState.joinMessages() : null;
        if (cached) for (const m of cached) conn.send(m);
        else conn.send(encodeSyncStep2(this.doc, msg.stateVector));
        if (empty) metrics.joins.inc({ state: cached && this.fullState.encodings === before ? 'cached' : 'encoded' });
        return { ok: true };
      }
      case 'sync-update':
        return this.receiveUpdate(conn, msg.update);
      case 'awareness':
        try {
          this.presence.receive(conn, msg.update);
        } catch {
          throw new ProtocolError('malformed awareness update');
        }
        return { ok: true };
      case 'query-awareness': {
        const snapshot = this.presence.snapshot();
        if (snapshot) conn.send(encodeAwareness(snapshot));
        return { ok: true };
      }
    }
  }

  /** Tries an update on the twin, validates what it touched, then applies it whole or refuses it whole. */
  private receiveUpdate(conn: Connection, update: Uint8Array): UpdateVerdict {
    this.stats.updatesIn++;
    metrics.updatesIn.inc();
    // An empty update (no structs, no deletions: what a client with nothing new answers to sync step 1) changes nothing.
    if (update.byteLength === 2 && update[0] === 0 && update[1] === 0) return { ok: true };
    if (this.storeFailing) {
      return this.refuse(conn, CloseCode.STORE_UNAVAILABLE, 'stockage momentanément indisponible : modification conservée sur votre poste, réessai automatique', []);
    }
    if (this.storedBytes + update.byteLength > this.options.maxDocumentBytes) {
      return this.refuse(conn, CloseCode.DOCUMENT_TOO_LARGE, 'document trop volumineux', []);
    }
    let tr: Y.Transaction | null = null;
    const capture = (t: Y.Transaction): void => {
      tr = t;
    };
    const twin = this.twin();
    // Structs left pending by earlier updates would reach clients with this one through the document, not by relay.
    const pendingBefore = hasPending(twin);
    twin.on('afterTransaction', capture);
    try {
      Y.applyUpdate(twin, update, VALIDATED);
    } catch (err) {
      this.rebuildScratch();
      this.log.warn('undecodable update', { doc: this.name, error: String(err) });
      return this.refuse(conn, CloseCode.MALFORMED_MESSAGE, 'mise à jour illisible', []);
    } finally {
      twin.off('afterTransaction', capture);
    }
    const applied = tr as Y.Transaction | null;
    if (!applied) return { ok: true };
    if (conn.readOnly || !this.policy.clientWritable) {
      // A read-only client still answers the server's sync step 1 with its (empty) state: only a real change,
      // or content left pending on the twin, is a write.
      const wrote = this.policy.changed(applied) || twin.store.pendingStructs !== null;
      if (!wrote) return { ok: true };
      this.rebuildScratch();
      return this.refuse(conn, CloseCode.FORBIDDEN, 'lecture seule : modification refusée', []);
    }
    const result = this.policy.validate(twin, applied, this.doc);
    if (!result.ok) {
      this.rebuildScratch();
      const first = result.issues[0];
      const reason = first ? `${first.field ? `${first.field} : ` : ''}${first.message}` : 'modification refusée';
      return this.refuse(conn, CloseCode.EDIT_REFUSED, `modification refusée : ${reason}`, result.issues);
    }
    // Everyone waits for this update, nobody for the history or the second apply: relay it first when that keeps
    // the order of what clients receive, then do the rest (the document still holds the state before it). Not when
    // structs are (or were) pending: the document then broadcasts exactly what it could integrate.
    const relayed = !pendingBefore && !hasPending(twin) && this.relayNow(update);
    // The history diff needs the document before the update; a failure there must not keep the document from
    // getting what clients already received.
    let diffs: EntryDiff[] = [];
    try {
      if (this.options.hooks && this.policy.describe) diffs = this.policy.describe(applied, this.doc, twin);
    } catch (err) {
      this.log.error('history diff failed', { doc: this.name, error: String(err) });
    }
    this.applyingRelayed = relayed;
    try {
      Y.applyUpdate(this.doc, update, VALIDATED);
    } finally {
      this.applyingRelayed = false;
    }
    if (diffs.length > 0) this.options.hooks?.changed(this, { memberId: conn.identity?.memberId ?? null, name: conn.identity?.name ?? 'inconnu' }, diffs);
    return { ok: true };
  }

  /**
   * Broadcasts a validated client update as received, at once, when the room is quiet: nothing waits to be
   * broadcast before it, and no update frame went out in the last few milliseconds. Under a steady flow of edits,
   * updates wait for the end of the tick and go out merged in one frame per client instead (relaying the first of
   * each tick apart doubled the frames, and the CPU, at 1,600 edits/s). Returns whether it was sent.
   */
  private relayNow(update: Uint8Array): boolean {
    const now = performance.now();
    if (this.outgoing.length > 0 || now - this.lastUpdateFrameAt < RELAY_QUIET_MS) return false;
    this.lastUpdateFrameAt = now;
    this.broadcast(encodeUpdate(update));
    metrics.framesOut.inc({ kind: 'update' });
    this.scheduleFlush();
    return true;
  }

  /**
   * A server-side write made on behalf of a person (consolidation, import): run on the twin first and checked by
   * the document's rules exactly like a client edit, then applied whole, or refused whole with the issues.
   * Accepted changes go to the history under `author`. Stored on the next flush (await `flush()` to be sure).
   */
  serverWrite(fn: (doc: Y.Doc) => void, author: ChangeAuthor): ServerWriteResult {
    let tr: Y.Transaction | null = null;
    let update: Uint8Array | null = null;
    const capture = (t: Y.Transaction): void => {
      tr = t;
    };
    const captureUpdate = (u: Uint8Array): void => {
      update = u;
    };
    const twin = this.twin();
    twin.on('afterTransaction', capture);
    twin.on('update', captureUpdate);
    try {
      twin.transact(() => fn(twin), VALIDATED);
    } catch (err) {
      this.rebuildScratch();
      throw err;
    } finally {
      twin.off('afterTransaction', capture);
      twin.off('update', captureUpdate);
    }
    const applied = tr as Y.Transaction | null;
    const produced = update as Uint8Array | null;
    if (!applied || !produced) return { ok: true, diffs: [] };
    const result = this.policy.validate(twin, applied, this.doc);
    if (!result.ok) {
      this.rebuildScratch();
      return { ok: false, issues: result.issues };
    }
    const diffs = this.policy.describe ? this.policy.describe(applied, this.doc, twin) : [];
    Y.applyUpdate(this.doc, produced, VALIDATED);
    if (diffs.length > 0) this.options.hooks?.changed(this, author, diffs);
    return { ok: true, diffs };
  }

  private refuse(conn: Connection, code: number, reason: string, issues: ValidationIssue[]): UpdateVerdict {
    this.stats.updatesRefused++;
    metrics.updatesRefused.inc({ reason: String(code) });
    this.log.info('update refused', { doc: this.name, conn: conn.id, code, reason });
    conn.send(encodePermissionDenied(reason));
    return { ok: false, code, reason, issues };
  }

  private rebuildScratch(): void {
    // Built again from the document on next use.
    this.scratch?.destroy();
    this.scratch = null;
  }

  private twin(): Y.Doc {
    if (!this.scratch) {
      const twin = new Y.Doc({ gc: true });
      this.policy.defineRoots(twin);
      Y.applyUpdate(twin, this.fullState.update(), VALIDATED);
      this.scratch = twin;
    }
    return this.scratch;
  }

  broadcast(message: Uint8Array): void {
    this.stats.broadcasts++;
    if (this.connections.size === 0) return;
    const frame = frameBinary(message);
    for (const c of this.connections) c.sendFramed(frame);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = setImmediate(() => {
      this.flushScheduled = null;
      void this.flush().catch((err: unknown) => this.log.error('flush failed', { doc: this.name, error: String(err) }));
    });
  }

  /**
   * Sends the changes of this tick to the clients here as one frame (merged and encoded once, whatever the
   * number of clients), then stores the changes accepted here and publishes them to the other instances.
   * When the store fails, the accepted changes are held and retried, and new edits are refused meanwhile.
   */
  flush(): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.outgoing.length > 0) {
        const out = this.outgoing;
        this.outgoing = [];
        this.broadcast(encodeUpdate(out.length === 1 ? out[0]! : Y.mergeUpdates(out)));
        this.lastUpdateFrameAt = performance.now();
        metrics.framesOut.inc({ kind: 'update' });
      }
      const batch = this.unpersisted ? [this.unpersisted, ...this.toStore] : this.toStore;
      this.toStore = [];
      this.unpersisted = null;
      if (batch.length === 0) return;
      const merged = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
      try {
        await this.store.appendUpdates(this.name, [merged]);
      } catch (err) {
        this.holdUnpersisted(merged, err);
        return;
      }
      if (this.storeFailing) this.log.info('store back: held edits stored', { doc: this.name });
      this.storeFailing = false;
      this.retryDelay = 500;
      if (this.storedUpdates === 0) this.baseBytes = merged.byteLength;
      this.storedBytes += merged.byteLength;
      this.storedUpdates++;
      if (this.options.bus.shared) void this.options.bus.publishUpdate(this.name, merged).catch(() => undefined);
      if (this.compactionDue()) await this.compact();
    };
    this.flushing = this.flushing.then(run, run);
    return this.flushing;
  }

  private holdUnpersisted(merged: Uint8Array, err: unknown): void {
    this.unpersisted = merged;
    if (!this.storeFailing) this.log.error('store unavailable: holding accepted edits', { doc: this.name, error: String(err) });
    this.storeFailing = true;
    if (merged.byteLength > MAX_UNPERSISTED_BYTES) this.log.error('held edits exceed the memory bound', { doc: this.name, bytes: merged.byteLength });
    if (this.retryTimer || this.destroyed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, 10_000);
  }

  /** Applies an update that another instance accepted and stored. */
  applyRemote(update: Uint8Array): void {
    if (this.destroyed) return;
    try {
      Y.applyUpdate(this.doc, update, REMOTE);
    } catch (err) {
      this.log.warn('bad update from another instance', { doc: this.name, error: String(err) });
    }
  }

  /** Anti-entropy: merges what the store holds (updates another instance stored while messages were lost). */
  async resync(): Promise<void> {
    if (this.destroyed) return;
    const stored = await this.store.loadDocument(this.name);
    if (stored.updates.length === 0 || this.destroyed) return;
    const merged = stored.updates.length === 1 ? stored.updates[0]! : Y.mergeUpdates(stored.updates);
    const missing = Y.diffUpdate(merged, Y.encodeStateVector(this.doc));
    Y.applyUpdate(this.doc, missing, STORED);
    this.storedBytes = stored.bytes;
    this.storedUpdates = stored.updates.length;
    this.baseBytes = stored.updates[0]!.byteLength;
  }

  /**
   * Compaction rewrites the whole state, which costs its size (and holds the event loop while it is encoded): due
   * once the log has more than `compactAfterUpdates` rows and has grown by half the state, or holds twenty times
   * that many rows. A small document compacts every `compactAfterUpdates` rows as before; a 2.7 MiB one no longer
   * rewrites itself every ten seconds of editing to save a few kilobytes of log.
   */
  private compactionDue(): boolean {
    const rows = this.options.compactAfterUpdates;
    const max = this.options.maxDocumentBytes;
    const appended = this.storedBytes - this.baseBytes;
    // Near the size limit (which counts the log), compacting gives the room back at once.
    if (this.storedBytes > max * 0.8 && appended > max * 0.05) return true;
    if (this.storedUpdates <= rows) return false;
    return appended * 2 >= this.baseBytes || this.storedUpdates > rows * 20;
  }

  /**
   * Replaces the stored log by one update holding the same state. Built from the stored rows themselves (not from
   * this instance's document, which may lack an update another instance just stored), under a lease so that one
   * instance at a time compacts a document.
   */
  private async compact(): Promise<void> {
    if (!(await this.options.bus.lease(`compact:${this.name}`, 30_000))) return;
    const stored = await this.store.loadDocument(this.name);
    if (stored.updates.length <= 1) return;
    // Alone, this instance's document holds every stored update (flushes are serialised): encode it (fast).
    // With several instances, merge the stored rows themselves, without building a document (no long stall).
    const state = this.options.bus.shared ? Y.mergeUpdates(stored.updates) : this.fullState.update();
    await this.store.compactDocument(this.name, state, stored.lastSeq);
    this.storedBytes = state.byteLength;
    this.storedUpdates = 1;
    this.baseBytes = state.byteLength;
  }

  /** Flushes, compacts and frees the document. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.flush();
    if (this.unpersisted) this.log.error('document unloaded with edits the store refused', { doc: this.name });
    else if (this.storedUpdates > 1) await this.compact().catch((err: unknown) => this.log.warn('compaction failed', { doc: this.name, error: String(err) }));
    this.presence.destroy();
    this.doc.destroy();
    this.scratch?.destroy();
  }
}

