import type { Context, MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Action } from '@agora/domain';
import type { Store } from '../store/store.ts';
import { allowed, viewerOf, workshopAccess, type Viewer, type WorkshopAccess } from '../auth/access.ts';
import { allowedOrigins, isSameOrigin } from '../auth/origin.ts';
import { SESSION_COOKIE, readCookie, sessionCookie, type SessionManager } from '../auth/sessions.ts';
import { apiError } from './errors.ts';

export type AppEnv = { Bindings: HttpBindings; Variables: { viewer: Viewer | null } };
export type AppContext = Context<AppEnv>;

export interface HttpSecurity {
  publicOrigin: string | undefined;
  trustProxy: boolean;
}

export function isSecure(c: AppContext, sec: HttpSecurity): boolean {
  if (sec.publicOrigin?.startsWith('https:')) return true;
  return sec.trustProxy && c.req.header('x-forwarded-proto') === 'https';
}

export function clientAddress(c: AppContext, sec: HttpSecurity): string {
  if (sec.trustProxy) {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  return c.env.incoming.socket.remoteAddress ?? 'unknown';
}

/** Validates the session cookie on every request (sliding expiry) and exposes the viewer. */
export function sessionMiddleware(store: Store, sessions: SessionManager, sec: HttpSecurity): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = readCookie(c.req.header('cookie'), SESSION_COOKIE);
    const valid = await sessions.validate(token);
    c.set('viewer', valid ? await viewerOf(store, valid.session) : null);
    if (valid?.renewed && token) c.header('Set-Cookie', sessionCookie(token, valid.session.expiresAt, isSecure(c, sec)), { append: true });
    await next();
  };
}

/** Refuses state-changing requests coming from other sites (CSRF). */
export function csrfMiddleware(sec: HttpSecurity): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const ok = isSameOrigin(c.req.header('origin'), c.req.header('sec-fetch-site'), allowedOrigins(c.req.raw.headers, sec.publicOrigin));
      if (!ok) return apiError(c, 403, 'requête refusée : origine non autorisée');
    }
    await next();
  };
}

/**
 * Loads the workshop of `:id` and checks the viewer may do `action` there. Returns the access, or the error
 * response: 401 without a session, 404 for an unknown workshop or a non-member (no existence leak), 403 otherwise.
 */
export async function requireWorkshop(
  c: AppContext,
  store: Store,
  action: Action,
): Promise<{ ok: true; access: WorkshopAccess } | { ok: false; response: Response }> {
  const viewer = c.get('viewer');
  if (!viewer) return { ok: false, response: apiError(c, 401, 'connexion requise') };
  const id = c.req.param('id') ?? '';
  const access = /^[a-z2-7]{12}$/.test(id) ? await workshopAccess(store, viewer, id) : null;
  if (!access || (!access.member && !access.isAdmin)) return { ok: false, response: apiError(c, 404, 'atelier introuvable') };
  if (!allowed(access, action)) return { ok: false, response: apiError(c, 403, 'action non autorisée pour votre rôle') };
  return { ok: true, access };
}
