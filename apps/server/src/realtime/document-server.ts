import type WebSocket from 'ws';
import { CloseCode, can, parseDocumentName, type DocumentName, type Member } from '@agora/domain';
import type { Store } from '../store/store.ts';
import { isStoreUnavailable } from '../store/unavailable.ts';
import { mayWriteDocument } from '../auth/access.ts';
import type { Logger } from '../log.ts';
import { Connection, type ConnectionIdentity } from './connection.ts';
import { decodeMessage, ProtocolError } from './messages.ts';
import { RoomRegistry } from './rooms.ts';
import type { DocumentRoom, RoomHooks } from './room.ts';
import type { ClusterBus } from '../cluster/bus.ts';
import { redisLag } from '../ops/metrics.ts';

export interface DocumentServerOptions {
  hooks?: RoomHooks;
  bus: ClusterBus;
  /** Anti-entropy period with several instances: loaded documents re-read the store this often. */
  resyncMs?: number;
  maxDocumentBytes: number;
  maxBufferedBytes: number;
  compactAfterUpdates: number;
  idleMs: number;
}

/** Decides whether a connection may open a workshop's documents, and as whom. */
export type Authorize = (document: DocumentName) => Promise<ConnectionIdentity | { code: number; reason: string }>;

/** Frames a connection may send before its document is loaded; more means a misbehaving client. */
const MAX_QUEUED_FRAMES = 256;

/** Serves shared documents over the y-websocket protocol, checking every message before it has any effect. */
export class DocumentServer {
  readonly rooms: RoomRegistry;
  readonly connections = new Set<Connection>();

  constructor(
    private readonly store: Store,
    private readonly options: DocumentServerOptions,
    private readonly log: Logger,
  ) {
    this.rooms = new RoomRegistry(store, options, log);
    const bus = options.bus;
    bus.setHandlers({
      update: (name, update, sentAt) => {
        const room = this.rooms.loadedRoom(name);
        if (!room) return;
        redisLag.set(Math.max(0, Date.now() - sentAt) / 1000);
        room.applyRemote(update);
      },
      presence: (name, update, from) => {
        try {
          this.rooms.loadedRoom(name)?.presence.receiveRemote(from, update);
        } catch (err) {
          log.warn('bad presence from another instance', { doc: name, error: String(err) });
        }
      },
      event: (e) => {
        if (e.type === 'close-sessions') this.closeLocal((c) => !!c.identity && e.ids.includes(c.identity.sessionId), e.code, e.reason);
        else if (e.type === 'close-members') this.closeLocal((c) => !!c.identity?.memberId && e.ids.includes(c.identity.memberId), e.code, e.reason);
        else void store.getMember(e.memberId).then((m) => m && this.refreshLocal(m));
      },
      reconnected: () => this.resyncAll(),
    });
    if (bus.shared) {
      this.resyncTimer = setInterval(() => this.resyncAll(), options.resyncMs ?? 30_000);
      this.resyncTimer.unref();
    }
  }

  private resyncTimer: NodeJS.Timeout | null = null;

  /** Re-reads the store for every loaded document (after a Redis outage, and periodically). */
  resyncAll(): void {
    for (const room of this.rooms.loadedRooms()) {
      void room.resync().catch((err: unknown) => this.log.warn('resync failed', { doc: room.name, error: String(err) }));
    }
  }

  private closeLocal(match: (c: Connection) => boolean, code: number, reason: string): void {
    for (const c of this.connections) if (match(c)) c.close(code, reason);
  }

  /**
   * Takes an upgraded socket for the document `name` (the part of the path after `/ws/`); `authorize` checks the
   * session's role in the document's workshop before anything is sent.
   */
  handleConnection(ws: WebSocket, name: string, authorize: Authorize): void {
    const conn = new Connection(ws, null, this.options.maxBufferedBytes, (c) =>
      c.close(CloseCode.SLOW_CLIENT, 'client trop lent : reconnectez-vous'),
    );
    this.connections.add(conn);
    let room: DocumentRoom | null = null;
    const queue: Uint8Array[] = [];

    const onFrame = (data: Uint8Array): void => {
      if (conn.closed) return;
      if (!room) {
        if (queue.length >= MAX_QUEUED_FRAMES) conn.close(CloseCode.RATE_LIMITED, 'trop de messages avant synchronisation');
        else queue.push(data);
        return;
      }
      try {
        const verdict = room.handle(conn, decodeMessage(data));
        if (!verdict.ok) conn.close(verdict.code, verdict.reason);
      } catch (err) {
        if (err instanceof ProtocolError) {
          conn.close(CloseCode.MALFORMED_MESSAGE, `message invalide : ${err.message}`);
        } else {
          this.log.error('message handling failed', { doc: name, error: String(err) });
          conn.close(CloseCode.INTERNAL_ERROR, 'erreur interne');
        }
      }
    };

    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (!isBinary) {
        conn.close(CloseCode.MALFORMED_MESSAGE, 'message texte non pris en charge');
        return;
      }
      onFrame(toUint8Array(data));
    });
    ws.on('error', (err) => this.log.warn('socket error', { doc: name, error: String(err) }));
    ws.on('close', () => {
      conn.closed = true;
      this.connections.delete(conn);
      if (room) {
        room.leave(conn);
        this.rooms.release(room);
      }
    });

    const parsed = parseDocumentName(name);
    if (!parsed) {
      conn.close(CloseCode.UNKNOWN_DOCUMENT, 'nom de document invalide');
      return;
    }
    void (async () => {
      // The session and the role first: someone without access learns nothing, not even whether the workshop exists.
      const identity = await authorize(parsed);
      if ('code' in identity) {
        conn.close(identity.code, identity.reason);
        return;
      }
      const workshop = await this.store.getWorkshop(parsed.workshopId);
      if (!workshop) {
        conn.close(CloseCode.UNKNOWN_DOCUMENT, 'atelier inconnu');
        return;
      }
      conn.identity = identity;
      conn.document = parsed;
      room = await this.rooms.join(name, workshop, conn);
      if (!room) return;
      for (const frame of queue.splice(0)) onFrame(frame);
    })().catch((err: unknown) => {
      if (isStoreUnavailable(err)) {
        this.log.warn('store unavailable: connection refused for now', { doc: name, error: String(err) });
        conn.close(CloseCode.STORE_UNAVAILABLE, 'stockage momentanément indisponible : réessai automatique, vos modifications restent sur votre poste');
        return;
      }
      this.log.error('document load failed', { doc: name, error: String(err) });
      conn.close(CloseCode.INTERNAL_ERROR, 'document indisponible');
    });
  }

  /** Closes the connections opened under these sessions (sign-out, revocation), on every instance. */
  closeSessions(sessionIds: Iterable<string>, code: number, reason: string): void {
    const ids = [...sessionIds];
    if (ids.length === 0) return;
    this.closeLocal((c) => !!c.identity && ids.includes(c.identity.sessionId), code, reason);
    void this.options.bus.publishEvent({ type: 'close-sessions', ids, code, reason }).catch(() => undefined);
  }

  /** Closes the connections of these workshop members (removal, revoked invitation), on every instance. */
  closeMembers(memberIds: Iterable<string>, code: number, reason: string): void {
    const ids = [...memberIds];
    if (ids.length === 0) return;
    this.closeLocal((c) => !!c.identity?.memberId && ids.includes(c.identity.memberId), code, reason);
    void this.options.bus.publishEvent({ type: 'close-members', ids, code, reason }).catch(() => undefined);
  }

  /** Applies a member's new role (or group) to their open connections at once, on every instance. */
  refreshMember(member: Member): void {
    this.refreshLocal(member);
    void this.options.bus.publishEvent({ type: 'refresh-member', memberId: member.id }).catch(() => undefined);
  }

  private refreshLocal(member: Member): void {
    for (const c of this.connections) {
      if (!c.identity || c.identity.memberId !== member.id) continue;
      if (!can(member.role, 'diagnostic.read')) {
        c.close(CloseCode.FORBIDDEN, 'votre rôle ne permet plus d’accéder à ce document');
        continue;
      }
      const canWrite = c.document !== null && mayWriteDocument((a) => can(member.role, a), member.groupId, c.document);
      c.identity = { ...c.identity, role: member.role, readOnly: !canWrite };
    }
  }

  /** Members of a workshop with at least one open connection. */
  onlineMemberIds(workshopId: string): Set<string> {
    const ids = new Set<string>();
    for (const c of this.connections) {
      if (c.identity?.workshopId === workshopId && c.identity.memberId && !c.closed) ids.add(c.identity.memberId);
    }
    return ids;
  }

  /** Closes every socket with "going away" and unloads every document after a last flush. */
  async close(): Promise<void> {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    for (const c of this.connections) c.close(CloseCode.GOING_AWAY, 'redémarrage du serveur');
    await this.rooms.closeAll();
  }
}

/**
 * Copies a frame into its own exactly-sized buffer: `ws` hands out views into larger pooled buffers, and a
 * decoder reading past the end of a view into such a buffer would not throw but read foreign bytes.
 */
function toUint8Array(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return new Uint8Array(data instanceof ArrayBuffer ? data.slice(0) : data);
}
