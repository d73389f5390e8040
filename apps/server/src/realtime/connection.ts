import WebSocket from 'ws';

let nextId = 1;

/** One WebSocket client of one document. Sending respects a bound on the socket's unsent data. */
export class Connection {
  readonly id = nextId++;
  /** Awareness client ids this connection announced; only it may update or remove them. */
  readonly clientIds = new Set<number>();
  /** Read-only connections receive the document but their updates are refused (identity issue). */
  readOnly = false;
  closed = false;
  /** Presence messages accepted in the current one-second window (rate limit). */
  presenceBudget = { windowStart: 0, count: 0 };

  constructor(
    readonly ws: WebSocket,
    private readonly maxBufferedBytes: number,
    private readonly onSlow: (conn: Connection) => void,
  ) {}

  send(data: Uint8Array): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.onSlow(this);
      return;
    }
    this.ws.send(data, { binary: true });
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
