/**
 * Validates the session cookie on every request and exposes who is signed in as `event.locals.viewer`
 * (read by the root +layout.server.ts, so every page knows it, even with `ssr = false`).
 *
 * In production the app runs inside apps/server's process, which publishes an in-process bridge to its session
 * store (no second connection, no HTTP round trip). Under `vite dev` there is no bridge: the hook asks the API
 * (`GET /api/auth/me`) with the browser's cookie instead.
 */
import type { Handle } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { AUTH_BRIDGE_KEY, type AuthBridge } from '@agora/domain';
import { NO_VIEWER, type Viewer } from '$lib/api-identity';

const SESSION_COOKIE = 'agora_session';

function authBridge(): AuthBridge | undefined {
  // `globalThis` has no typed index for registered symbols; the server puts an AuthBridge there (see @agora/domain).
  return (globalThis as any)[Symbol.for(AUTH_BRIDGE_KEY)] as AuthBridge | undefined;
}

/** The API's origin under `vite dev` (same default as the dev proxy of vite.config.ts). */
function apiOrigin(): string {
  return env.AGORA_API_ORIGIN || `http://127.0.0.1:${env.AGORA_API_PORT || 3000}`;
}

async function viewerFromApi(cookieHeader: string | null): Promise<{ viewer: Viewer; setCookies: string[] }> {
  try {
    const res = await fetch(`${apiOrigin()}/api/auth/me`, {
      headers: { accept: 'application/json', ...(cookieHeader ? { cookie: cookieHeader } : {}) },
    });
    if (!res.ok) return { viewer: NO_VIEWER, setCookies: [] };
    const body = (await res.json()) as Partial<Viewer>;
    return {
      viewer: { account: body.account ?? null, hasSession: body.hasSession === true },
      setCookies: res.headers.getSetCookie(),
    };
  } catch {
    return { viewer: NO_VIEWER, setCookies: [] };
  }
}

export const handle: Handle = async ({ event, resolve }) => {
  const token = event.cookies.get(SESSION_COOKIE);
  const bridge = authBridge();
  let setCookies: string[] = [];
  if (bridge) {
    if (token) {
      try {
        const valid = await bridge.validate(token);
        event.locals.viewer = { account: valid.account, hasSession: valid.hasSession };
        if (valid.setCookie) setCookies = [valid.setCookie];
      } catch {
        // The store is unavailable: serve the page as signed out; its API calls will say what is wrong.
        event.locals.viewer = NO_VIEWER;
      }
    } else {
      event.locals.viewer = NO_VIEWER;
    }
  } else if (token) {
    const fromApi = await viewerFromApi(event.request.headers.get('cookie'));
    event.locals.viewer = fromApi.viewer;
    setCookies = fromApi.setCookies;
  } else {
    event.locals.viewer = NO_VIEWER;
  }
  const response = await resolve(event);
  for (const cookie of setCookies) response.headers.append('set-cookie', cookie);
  return response;
};
