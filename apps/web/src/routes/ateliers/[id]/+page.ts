import { ApiError, getCatalogue, getTerritories, listRegions } from '$lib/api';
import { loadWorkshopAccess } from '$lib/auth/workshop-access';
import type { PageLoad } from './$types';

const messageOf = (err: unknown): string => (err instanceof ApiError ? err.message : String(err));

export const load: PageLoad = async ({ fetch, params, url }) => {
  // A 401 goes to the sign-in page (then back here); an unknown workshop or a non-member gets a 404 saying so.
  const { workshop, me } = await loadWorkshopAccess(params.id, fetch, url);
  const [catalogue, territories, regions] = await Promise.allSettled([
    getCatalogue(workshop.regionCode, fetch),
    getTerritories(workshop.regionCode, fetch),
    listRegions(fetch),
  ]);
  const regionName =
    (territories.status === 'fulfilled' ? territories.value.region.name : undefined) ??
    (regions.status === 'fulfilled' ? regions.value.find((r) => r.code === workshop.regionCode)?.name : undefined) ??
    workshop.regionCode;
  return {
    workshop,
    regionName,
    catalogue: catalogue.status === 'fulfilled' ? catalogue.value : null,
    catalogueError: catalogue.status === 'rejected' ? messageOf(catalogue.reason) : null,
    territories: territories.status === 'fulfilled' ? territories.value : null,
    territoriesError: territories.status === 'rejected' ? messageOf(territories.reason) : null,
    me,
  };
};
