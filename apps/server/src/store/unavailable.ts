/**
 * Whether an error means the store cannot be reached right now (PostgreSQL down or restarting, connection cut,
 * pool exhausted, SQLite locked or out of disk) rather than a bug or bad data: such failures get "try again"
 * answers (HTTP 503, WebSocket close 1013) instead of "internal error", and nothing is dropped meanwhile.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** PostgreSQL SQLSTATE: admin shutdown, crash shutdown, cannot connect now, too many connections. */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN']);
const MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection(?: is)? (?:closed|ended)/i, /cannot use a pool after calling end/i];

export function isStoreUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || PG_CODES.has(code) || code.startsWith('08')) return true;
    if ([...SQLITE_CODES].some((c) => code.startsWith(c))) return true;
  }
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err ? isStoreUnavailable(cause) : false;
}
