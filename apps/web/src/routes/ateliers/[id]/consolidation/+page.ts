import { getCatalogue, getTerritories } from '$lib/api';
import { loadWorkshopAccess } from '$lib/auth/workshop-access';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const access = await loadWorkshopAccess(params.id, fetch, url, 'groups.manage');
  const [catalogue, territories] = await Promise.all([
    getCatalogue(access.workshop.regionCode, fetch).catch(() => null),
    getTerritories(access.workshop.regionCode, fetch).catch(() => null),
  ]);
  return { ...access, catalogue, territories };
};
