import { ApiError, getCatalogue } from '$lib/api';
import { listInvitations, listMembers } from '$lib/api-identity';
import { failLoad, loadWorkshopAccess } from '$lib/auth/workshop-access';
import { listGroups } from '$lib/groups/api';
import type { PageLoad } from './$types';

const messageOf = (err: unknown): string => (err instanceof ApiError ? err.message : String(err));

export const load: PageLoad = async ({ fetch, params, url }) => {
  const access = await loadWorkshopAccess(params.id, fetch, url, 'diagnostic.read');
  const manage = access.me.rights.includes('groups.manage');
  let groups;
  try {
    groups = await listGroups(params.id, fetch);
  } catch (err) {
    failLoad(err, url);
  }
  const [catalogue, members, invitations] = await Promise.allSettled([
    getCatalogue(access.workshop.regionCode, fetch),
    manage || access.me.rights.includes('people.read') ? listMembers(params.id, fetch) : Promise.resolve(null),
    manage && access.me.rights.includes('invitations.manage') ? listInvitations(params.id, fetch) : Promise.resolve(null),
  ]);
  return {
    ...access,
    groups,
    catalogue: catalogue.status === 'fulfilled' ? catalogue.value : null,
    members: members.status === 'fulfilled' ? members.value : null,
    membersError: members.status === 'rejected' ? messageOf(members.reason) : null,
    invitations: invitations.status === 'fulfilled' ? invitations.value : null,
  };
};
