import type { SessionRecord, Store } from '../store/store.ts';
import { hashSecret, randomId, secretMatches } from './tokens.ts';

export const SESSION_COOKIE = 'agora_session';
const DAY = 24 * 60 * 60 * 1000;
/** Sessions last 30 days and slide: used with less than 15 days left, they are extended to 30 again. */
export const SESSION_LIFETIME_MS = 30 * DAY;
const RENEW_BELOW_MS = 15 * DAY;

export interface ValidSession {
  session: SessionRecord;
  /** True when the expiry was just extended: the cookie must be sent again. */
  renewed: boolean;
}

/**
 * Sessions after Lucia's design (lucia-auth.com, 2025): the token given to the browser is `<id>.<secret>`;
 * the store keeps the id and a SHA-256 of the secret only, compared in constant time.
 */
export class SessionManager {
  constructor(private readonly store: Store) {}

  async create(userId: string | null, now = Date.now()): Promise<{ token: string; session: SessionRecord }> {
    const id = randomId(15);
    const secret = randomId(20);
    const session: SessionRecord = { id, secretHash: hashSecret(secret), userId, createdAt: now, expiresAt: now + SESSION_LIFETIME_MS };
    await this.store.createSession(session);
    return { token: `${id}.${secret}`, session };
  }

  /**
   * Checks a token. With `renew: false` (WebSocket upgrades, which cannot send a cookie back) the expiry is left
   * alone, so that the store never runs ahead of the browser's cookie.
   */
  async validate(token: string | undefined, now = Date.now(), opts: { renew?: boolean } = {}): Promise<ValidSession | null> {
    if (!token || token.length > 200) return null;
    const [id, secret, extra] = token.split('.');
    if (!id || !secret || extra !== undefined || !/^[a-z2-7]+$/.test(id)) return null;
    const session = await this.store.getSession(id);
    if (!session || !secretMatches(secret, session.secretHash)) return null;
    if (session.expiresAt <= now) {
      await this.store.deleteSession(id);
      return null;
    }
    if (opts.renew !== false && session.expiresAt - now < RENEW_BELOW_MS) {
      session.expiresAt = now + SESSION_LIFETIME_MS;
      await this.store.setSessionExpiry(id, session.expiresAt);
      return { session, renewed: true };
    }
    return { session, renewed: false };
  }

  invalidate(id: string): Promise<void> {
    return this.store.deleteSession(id);
  }

  invalidateAccount(userId: string): Promise<string[]> {
    return this.store.deleteAccountSessions(userId);
  }
}

export function sessionCookie(token: string, expiresAt: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${new Date(expiresAt).toUTCString()}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
