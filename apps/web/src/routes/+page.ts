import { ApiError, listRegions, listWorkshops, type RegionSummary } from '$lib/api';
import type { Workshop } from '@agora/domain';
import type { PageLoad } from './$types';

export interface HomeData {
  workshops: Workshop[] | null;
  workshopsError: string | null;
  regions: RegionSummary[];
  regionsError: string | null;
}

const messageOf = (err: unknown): string => (err instanceof ApiError ? err.message : String(err));

export const load: PageLoad = async ({ fetch }): Promise<HomeData> => {
  const [workshops, regions] = await Promise.allSettled([listWorkshops(fetch), listRegions(fetch)]);
  return {
    workshops: workshops.status === 'fulfilled' ? workshops.value : null,
    workshopsError: workshops.status === 'rejected' ? messageOf(workshops.reason) : null,
    regions: regions.status === 'fulfilled' ? regions.value : [],
    regionsError: regions.status === 'rejected' ? messageOf(regions.reason) : null,
  };
};
