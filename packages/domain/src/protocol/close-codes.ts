/**
 * WebSocket close codes used by the document server (4000–4999 is the range RFC 6455 leaves to applications).
 * The web client reads them to decide what to tell the user and whether to reconnect.
 */
export const CloseCode = {
  /** Server shutting down or restarting: reconnect. */
  GOING_AWAY: 1001,
  /** Frame larger than the maximum payload (sent by `ws` itself). */
  MESSAGE_TOO_BIG: 1009,
  /** Unexpected server error: reconnect. */
  INTERNAL_ERROR: 1011,
  /** The store is unavailable: the edit is kept by the client and sent again on reconnection. */
  STORE_UNAVAILABLE: 1013,
  /** A frame could not be decoded, or has an unknown message type. */
  MALFORMED_MESSAGE: 4400,
  /** No valid session (identity issue). Do not reconnect. */
  UNAUTHENTICATED: 4401,
  /** The session may not open or write this document. Do not reconnect. */
  FORBIDDEN: 4403,
  /** The document name is invalid or its workshop does not exist. Do not reconnect. */
  UNKNOWN_DOCUMENT: 4404,
  /** The client could not keep up (send buffer full): reconnect and resync. */
  SLOW_CLIENT: 4408,
  /** The session or invitation was revoked. Do not reconnect. */
  REVOKED: 4410,
  /** The edit would make the document larger than allowed: the client must reload the document. */
  DOCUMENT_TOO_LARGE: 4413,
  /** The edit broke a domain rule and was refused whole: the client must reload the document. */
  EDIT_REFUSED: 4422,
  /** Too many connections or messages. Reconnect later. */
  RATE_LIMITED: 4429,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** What the client should do after a close. */
export type CloseAdvice = 'reconnect' | 'reload-document' | 'stop';

export function adviceForClose(code: number): CloseAdvice {
  switch (code) {
    case CloseCode.EDIT_REFUSED:
    case CloseCode.DOCUMENT_TOO_LARGE:
    case CloseCode.MESSAGE_TOO_BIG:
      return 'reload-document';
    case CloseCode.UNAUTHENTICATED:
    case CloseCode.FORBIDDEN:
    case CloseCode.UNKNOWN_DOCUMENT:
    case CloseCode.REVOKED:
    case CloseCode.MALFORMED_MESSAGE:
      return 'stop';
    default:
      return 'reconnect';
  }
}
