import { getCatalogue, getTerritories } from '$lib/api';
import { loadWorkshopAccess } from '$lib/auth/workshop-access';
import { listGroups } from '$lib/groups/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const access = await loadWorkshopAccess(params.id, fetch, url, 'diagnostic.edit');
  const [catalogue, territories, groups] = await Promise.all([
    getCatalogue(access.workshop.regionCode, fetch).catch(() => null),
    getTerritories(access.workshop.regionCode, fetch).catch(() => null),
    listGroups(params.id, fetch).catch(() => []),
  ]);
  // Facilitators may import into any group; a participant into their own group only.
  const targets = access.me.rights.includes('groups.manage') ? groups : groups.filter((g) => g.id === access.me.member?.groupId);
  return { ...access, catalogue, territories, targets };
};
