import { redirect } from '@sveltejs/kit';
import type { Workshop } from '@agora/domain';
import { ApiError, listRegions, listWorkshops, type RegionSummary } from '$lib/api';
import { setupNeeded } from '$lib/api-identity';
import type { PageLoad } from './$types';

export interface HomeData {
  /** No account exists yet (signed-out visitors are offered the first-run setup). */
  setupNeeded: boolean;
  workshops: Workshop[] | null;
  workshopsError: string | null;
  regions: RegionSummary[];
  regionsError: string | null;
}

const messageOf = (err: unknown): string => (err instanceof ApiError ? err.message : String(err));

export const load: PageLoad = async ({ fetch, parent }): Promise<HomeData> => {
  const { viewer } = await parent();
  if (!viewer.hasSession) {
    return {
      setupNeeded: await setupNeeded(fetch).catch(() => false),
      workshops: null,
      workshopsError: null,
      regions: [],
      regionsError: null,
    };
  }
  const [workshops, regions] = await Promise.allSettled([
    listWorkshops(fetch),
    // Only organisers create workshops (and need the regions); everyone sees region names in the list.
    listRegions(fetch),
  ]);
  if (workshops.status === 'rejected' && workshops.reason instanceof ApiError && workshops.reason.status === 401) {
    // The session ended since the page was opened: the header's state is stale.
    redirect(303, '/connexion');
  }
  return {
    setupNeeded: false,
    workshops: workshops.status === 'fulfilled' ? workshops.value : null,
    workshopsError: workshops.status === 'rejected' ? messageOf(workshops.reason) : null,
    regions: regions.status === 'fulfilled' ? regions.value : [],
    regionsError: regions.status === 'rejected' ? messageOf(regions.reason) : null,
  };
};
