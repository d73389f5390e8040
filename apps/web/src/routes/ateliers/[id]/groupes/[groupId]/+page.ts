import { error } from '@sveltejs/kit';
import { ApiError, getCatalogue, getTerritories } from '$lib/api';
import { failLoad, loadWorkshopAccess } from '$lib/auth/workshop-access';
import { listGroups } from '$lib/groups/api';
import { t } from '$lib/i18n';
import type { PageLoad } from './$types';

const messageOf = (err: unknown): string => (err instanceof ApiError ? err.message : String(err));

export const load: PageLoad = async ({ fetch, params, url }) => {
  const access = await loadWorkshopAccess(params.id, fetch, url, 'diagnostic.read');
  let groups;
  try {
    groups = await listGroups(params.id, fetch);
  } catch (err) {
    failLoad(err, url);
  }
  const group = groups.find((g) => g.id === params.groupId);
  if (!group) error(404, t.groups.workspace.notFound);
  const [catalogue, territories] = await Promise.allSettled([
    getCatalogue(access.workshop.regionCode, fetch),
    getTerritories(access.workshop.regionCode, fetch),
  ]);
  return {
    ...access,
    group,
    // `?regarder`: looking in from the control room, without presence.
    observer: url.searchParams.has('regarder'),
    catalogue: catalogue.status === 'fulfilled' ? catalogue.value : null,
    catalogueError: catalogue.status === 'rejected' ? messageOf(catalogue.reason) : null,
    territories: territories.status === 'fulfilled' ? territories.value : null,
    territoriesError: territories.status === 'rejected' ? messageOf(territories.reason) : null,
  };
};
