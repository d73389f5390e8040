import { loadWorkshopAccess } from '$lib/auth/workshop-access';
import type { PageLoad } from './$types';

/** Any member may open the projector view (it shows only what the room may see). */
export const load: PageLoad = async ({ fetch, params, url }) => loadWorkshopAccess(params.id, fetch, url, 'workshop.read');
