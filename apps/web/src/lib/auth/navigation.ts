/**
 * Where to send the user when the API says they are not signed in (401), and where to go back after signing in.
 */
import { goto } from '$app/navigation';
import { ApiError } from '$lib/api';

/** The sign-in page, coming back to `path` afterwards. */
export function signInHref(path: string): string {
  return path && path !== '/' ? `/connexion?suite=${encodeURIComponent(path)}` : '/connexion';
}

/** A `?suite=` target, kept only when it is a path of this site (no open redirect to another origin). */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  try {
    const url = new URL(raw, 'http://agora.invalid');
    if (url.origin !== 'http://agora.invalid') return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}

export function isUnauthorized(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

/** Path and query of the current page (browser only). */
export function currentPath(): string {
  return location.pathname + location.search;
}

/** Goes to the sign-in page, then back here. */
export function goToSignIn(): Promise<void> {
  return goto(signInHref(currentPath()), { replaceState: false, invalidateAll: true });
}

/**
 * For errors of actions (forms, refreshes): a 401 sends the user to the sign-in page and returns null; any other
 * error gives its message to show.
 */
export function handleApiError(err: unknown): string | null {
  if (isUnauthorized(err)) {
    void goToSignIn();
    return null;
  }
  return err instanceof ApiError ? err.message : String(err);
}
