import { error } from '@sveltejs/kit';
import { WorkshopIdSchema } from '@agora/domain';
import { ApiError, getCatalogue, getMyAccess, getTerritories, getWorkshop, listRegions } from '$lib/api';
import { t } from '$lib/i18n';
import type { PageLoad } from './$types';

const messageOf = (err: unknown): string => (err instanceof ApiError ? err.message : String(err));

export const load: PageLoad = async ({ fetch, params }) => {
  if (!WorkshopIdSchema.safeParse(params.id).success) error(404, t.workshop.notFound);
  let workshop;
  try {
    workshop = await getWorkshop(params.id, fetch);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) error(404, t.workshop.notFound);
    error(err instanceof ApiError && err.status ? err.status : 503, messageOf(err));
  }
  const [catalogue, territories, regions, me] = await Promise.allSettled([
    getCatalogue(workshop.regionCode, fetch),
    getTerritories(workshop.regionCode, fetch),
    listRegions(fetch),
    // Optional: servers that know the viewer's membership tell its name and rights.
    getMyAccess(workshop.id, fetch),
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
    me: me.status === 'fulfilled' ? me.value : null,
  };
};
