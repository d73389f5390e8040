import { getCatalogue } from '$lib/api';
import { loadWorkshopAccess } from '$lib/auth/workshop-access';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const access = await loadWorkshopAccess(params.id, fetch, url, 'groups.manage');
  const catalogue = await getCatalogue(access.workshop.regionCode, fetch).catch(() => null);
  return { ...access, catalogue };
};
