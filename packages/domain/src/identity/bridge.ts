import type { Account } from './identity.ts';

/**
 * How the SvelteKit app, mounted in the server's process, validates the session cookie in its `handle` hook
 * without a second connection to the store: the server publishes this object on `globalThis` under
 * `Symbol.for(AUTH_BRIDGE_KEY)` before loading the app.
 */
export const AUTH_BRIDGE_KEY = 'agora.auth';

export interface AuthBridge {
  /** Validates a session token (sliding expiry); `setCookie` is the header to send back when it was extended. */
  validate(token: string | undefined): Promise<{ account: Account | null; hasSession: boolean; setCookie: string | null }>;
}
