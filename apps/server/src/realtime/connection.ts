import type { Socket } from 'node:net';
import WebSocket from 'ws';
import * as wsModule from 'ws';
import type { DocumentName, WorkshopRole } from '@agora/domain';

/** Who is behind a connection, resolved from the session at the upgrade; presence is stamped from it. */
export interface ConnectionIdentity {
  sessionId: string;
  workshopId: string;
  /** Null for an administrator who is not a member of the workshop. */
  memberId: string | null;
  name: string;
  organisation: string;
  role: WorkshopRole | null;
  readOnly: boolean;
}

let nextId = 1;

/** ws's frame builder: exported at runtime by ws 8 but not declared by @types/ws. */
const { Sender } = wsModule as unknown as {
  Sender: { frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[] };
};

/**
 * Frames a binary message once (header and payload in one buffer), to be written as is to every socket of a
 * broadcast: the same bytes ws would build for each of them, built once instead of once per client.
 */
export function frameBinary(data: Uint8Array): Buffer {
  const payload = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const parts = Sender.frame(payload, { fin: true, opcode: 0x2, mask: false, readOnly: true, rsv1: false });
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** One WebSocket client of one document. Sending respects a bound on the socket's unsent data. */
export class Connection {
  readonly id = nextId++;
  /** Awareness client ids this connection announced; only it may update or remove them. */
  readonly clientIds = new Set<number>();
  closed = false;
  /** The document this connection opened, once its name was checked. */
  document: DocumentName | null = null;
  /** Presence messages accepted in the current one-second window (rate limit). */
  presenceBudget = { windowStart: 0, count: 0 };

  constructor(
    readonly ws: WebSocket,
    /** Null only in tests of the bare protocol; the server always sets it. */
    public identity: ConnectionIdentity | null,
    private readonly maxBufferedBytes: number,
    private readonly onSlow: (conn: Connection) => void,
  ) {}

  /** Read-only connections receive the document but their updates are refused. */
  get readOnly(): boolean {
    return this.identity?.readOnly ?? false;
  }

  send(data: Uint8Array): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.onSlow(this);
      return;
    }
    this.ws.send(data, { binary: true });
  }

  /**
   * Writes a frame built by `frameBinary` straight to the socket. Safe because this server never negotiates
   * compression: ws then writes every frame to the socket at once, in call order (its queue is only used while
   * compressing), so a frame written here cannot overtake or split one ws is sending.
   */
  sendFramed(frame: Buffer): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.onSlow(this);
      return;
    }
    (this.ws as unknown as { _socket: Socket })._socket.write(frame);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, truncateUtf8(reason, 123));
    }
  }
}

/** Close reasons are limited to 123 bytes of UTF-8 (RFC 6455 §5.5). */
export function truncateUtf8(s: string, maxBytes: number): string {
  const enc = new TextEncoder();
  if (enc.encode(s).byteLength <= maxBytes) return s;
  let out = '';
  for (const ch of s) {
    if (enc.encode(`${out}${ch}…`).byteLength > maxBytes) break;
    out += ch;
  }
  return `${out}…`;
}
