import * as Y from 'yjs';
import { CloseCode, type ValidationIssue, type Workshop } from '@agora/domain';
import type { DocumentPolicy, EntryDiff } from './policies.ts';
import * as metrics from '../ops/metrics.ts';

/** What the rest of the server hears from rooms: accepted entry changes, and who comes and goes. */
export interface RoomHooks {
  changed(room: DocumentRoom, conn: Connection, diffs: EntryDiff[]): void;
  connections(room: DocumentRoom): void;
}
import type { Store } from '../store/store.ts';
import type { Logger } from '../log.ts';
import type { Connection } from './connection.ts';
import { PresenceRelay } from './presence.ts';
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
  /** Hooks called on accepted changes and on connections coming and going. */
  hooks?: RoomHooks;
  maxDocumentBytes: number;
  compactAfterUpdates: number;
}

/** Origin of updates that passed validation, so the room can tell them from its own writes. */
const VALIDATED = Symbol('validated client update');

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
  /** Mirror of `doc` where each incoming update is tried first; rebuilt from `doc` after a refusal. */
  private scratch = new Y.Doc({ gc: true });
  readonly presence: PresenceRelay;
  readonly connections = new Set<Connection>();
  readonly stats: RoomStats = { updatesIn: 0, updatesRefused: 0, broadcasts: 0 };

  private storedBytes = 0;
  private storedUpdates = 0;
  private outgoing: Uint8Array[] = [];
  private flushScheduled: NodeJS.Immediate | null = null;
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
    this.presence = new PresenceRelay((u) => {
      this.broadcast(encodeAwareness(u));
      metrics.framesOut.inc({ kind: 'presence' });
    });
    policy.defineRoots(this.doc);
    policy.defineRoots(this.scratch);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      // Server-side writes must reach the twin too; validated updates are already there.
      if (origin !== VALIDATED) Y.applyUpdate(this.scratch, update, VALIDATED);
      this.outgoing.push(update);
      this.scheduleFlush();
    });
  }

  /** Loads the stored state; a new document gets its meta stamped (and stored) by the server. */
  async load(): Promise<void> {
    const stored = await this.store.loadDocument(this.name);
    this.storedBytes = stored.bytes;
    this.storedUpdates = stored.updates.length;
    if (stored.updates.length > 0) {
      const merged = stored.updates.length === 1 ? stored.updates[0]! : Y.mergeUpdates(stored.updates);
      Y.applyUpdate(this.doc, merged, VALIDATED);
      Y.applyUpdate(this.scratch, merged, VALIDATED);
      this.outgoing = []; // nothing to broadcast or store: it came from the store
    }
    this.policy.init(this.doc);
    await this.flush();
    if (this.storedUpdates > this.options.compactAfterUpdates) await this.compact();
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
      case 'sync-step1':
        conn.send(encodeSyncStep2(this.doc, msg.stateVector));
        return { ok: true };
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
    if (this.storedBytes + update.byteLength > this.options.maxDocumentBytes) {
      return this.refuse(conn, CloseCode.DOCUMENT_TOO_LARGE, 'document trop volumineux', []);
    }
    let tr: Y.Transaction | null = null;
    const capture = (t: Y.Transaction): void => {
      tr = t;
    };
    this.scratch.on('afterTransaction', capture);
    try {
      Y.applyUpdate(this.scratch, update, VALIDATED);
    } catch (err) {
      this.rebuildScratch();
      this.log.warn('undecodable update', { doc: this.name, error: String(err) });
      return this.refuse(conn, CloseCode.MALFORMED_MESSAGE, 'mise à jour illisible', []);
    } finally {
      this.scratch.off('afterTransaction', capture);
    }
    const applied = tr as Y.Transaction | null;
    if (!applied) return { ok: true };
    if (conn.readOnly || !this.policy.clientWritable) {
      // A read-only client still answers the server's sync step 1 with its (empty) state: only a real change,
      // or content left pending on the twin, is a write.
      const wrote = this.policy.changed(applied) || this.scratch.store.pendingStructs !== null;
      if (!wrote) return { ok: true };
      this.rebuildScratch();
      return this.refuse(conn, CloseCode.FORBIDDEN, 'lecture seule : modification refusée', []);
    }
    const result = this.policy.validate(this.scratch, applied);
    const hooks = this.options.hooks;
    if (result.ok && hooks && this.policy.describe) {
      const diffs = this.policy.describe(applied, this.doc, this.scratch);
      if (diffs.length > 0) hooks.changed(this, conn, diffs);
    }
    if (!result.ok) {
      this.rebuildScratch();
      const first = result.issues[0];
      const reason = first ? `${first.field ? `${first.field} : ` : ''}${first.message}` : 'modification refusée';
      return this.refuse(conn, CloseCode.EDIT_REFUSED, `modification refusée : ${reason}`, result.issues);
    }
    Y.applyUpdate(this.doc, update, VALIDATED);
    return { ok: true };
  }

  private refuse(conn: Connection, code: number, reason: string, issues: ValidationIssue[]): UpdateVerdict {
    this.stats.updatesRefused++;
    metrics.updatesRefused.inc({ reason: String(code) });
    this.log.info('update refused', { doc: this.name, conn: conn.id, code, reason });
    conn.send(encodePermissionDenied(reason));
    return { ok: false, code, reason, issues };
  }

  private rebuildScratch(): void {
    this.scratch.destroy();
    this.scratch = new Y.Doc({ gc: true });
    this.policy.defineRoots(this.scratch);
    Y.applyUpdate(this.scratch, Y.encodeStateAsUpdate(this.doc), VALIDATED);
  }

  broadcast(frame: Uint8Array): void {
    this.stats.broadcasts++;
    for (const c of this.connections) c.send(frame);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = setImmediate(() => {
      this.flushScheduled = null;
      void this.flush().catch((err: unknown) => this.log.error('flush failed', { doc: this.name, error: String(err) }));
    });
  }

  /**
   * Stores the updates accepted since the last flush, then sends them to everyone as one frame
   * (merged and encoded once per tick, whatever the number of clients).
   */
  flush(): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.outgoing.length === 0) return;
      const batch = this.outgoing;
      this.outgoing = [];
      const merged = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
      await this.store.appendUpdates(this.name, [merged]);
      this.storedBytes += merged.byteLength;
      this.storedUpdates++;
      this.broadcast(encodeUpdate(merged));
      metrics.framesOut.inc({ kind: 'update' });
      if (this.storedUpdates > this.options.compactAfterUpdates) await this.compact();
    };
    this.flushing = this.flushing.then(run, run);
    return this.flushing;
  }

  /** Replaces the stored log by one update holding the whole state. */
  private async compact(): Promise<void> {
    const state = Y.encodeStateAsUpdate(this.doc);
    await this.store.compactDocument(this.name, state, Number.MAX_SAFE_INTEGER);
    this.storedBytes = state.byteLength;
    this.storedUpdates = 1;
  }

  /** Flushes, compacts and frees the document. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = null;
    await this.flush();
    if (this.storedUpdates > 1) await this.compact();
    this.presence.destroy();
    this.doc.destroy();
    this.scratch.destroy();
  }
}

