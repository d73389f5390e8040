import { ApiError, getCatalogue } from '$lib/api';
import { loadWorkshopAccess } from '$lib/auth/workshop-access';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const access = await loadWorkshopAccess(params.id, fetch, url, 'diagnostic.read');
  try {
    return { ...access, catalogue: await getCatalogue(access.workshop.regionCode, fetch), catalogueError: null };
  } catch (err) {
    return { ...access, catalogue: null, catalogueError: err instanceof ApiError ? err.message : String(err) };
  }
};
