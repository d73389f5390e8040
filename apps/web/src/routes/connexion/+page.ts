import { setupNeeded } from '$lib/api-identity';
import { safeNext } from '$lib/auth/navigation';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
  const raw = url.searchParams.get('suite');
  return {
    setupNeeded: await setupNeeded(fetch).catch(() => false),
    next: safeNext(raw),
    /** Sent here by a page that needs a session. */
    redirected: raw !== null,
  };
};
