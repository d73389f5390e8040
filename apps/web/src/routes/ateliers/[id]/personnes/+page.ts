import { listMembers, type MemberRow } from '$lib/api-identity';
import { failLoad, loadWorkshopAccess } from '$lib/auth/workshop-access';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const access = await loadWorkshopAccess(params.id, fetch, url, 'people.read');
  let members: MemberRow[];
  try {
    members = await listMembers(params.id, fetch);
  } catch (err) {
    failLoad(err, url);
  }
  return { ...access, members, loadedAt: new Date().toISOString() };
};
