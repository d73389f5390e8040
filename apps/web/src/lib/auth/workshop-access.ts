/**
 * Loads a workshop and the viewer's access to it (`/api/workshops/:id` and `/me`), for the load functions of the
 * workshop's pages: a 401 redirects to the sign-in page (then back), an unknown workshop or a non-member gets a 404
 * that says so, a missing right a 403.
 */
import { error, redirect } from '@sveltejs/kit';
import { WorkshopIdSchema, type Action, type Workshop } from '@agora/domain';
import { ApiError, getMyAccess, getWorkshop, type WorkshopMe } from '$lib/api';
import { t } from '$lib/i18n';
import { signInHref } from './navigation.ts';

type Fetch = typeof fetch;

export interface WorkshopAccessData {
  workshop: Workshop;
  me: WorkshopMe;
}

/** Turns an API failure of a load function into SvelteKit's redirect or error (never returns). */
export function failLoad(err: unknown, url: URL): never {
  if (err instanceof ApiError) {
    if (err.status === 401) redirect(303, signInHref(url.pathname + url.search));
    if (err.status === 404) error(404, t.auth.workshopAccess.notFound);
    if (err.status === 403) error(403, t.auth.workshopAccess.forbidden);
    error(err.status || 503, err.message);
  }
  error(500, String(err));
}

export async function loadWorkshopAccess(id: string, fetchFn: Fetch, url: URL, right?: Action): Promise<WorkshopAccessData> {
  if (!WorkshopIdSchema.safeParse(id).success) error(404, t.auth.workshopAccess.notFound);
  let data: WorkshopAccessData;
  try {
    const [workshop, me] = await Promise.all([getWorkshop(id, fetchFn), getMyAccess(id, fetchFn)]);
    data = { workshop, me };
  } catch (err) {
    failLoad(err, url);
  }
  if (right && !data.me.rights.includes(right)) error(403, t.auth.workshopAccess.forbidden);
  return data;
}
