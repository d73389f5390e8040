import { listInvitations, type InvitationRow } from '$lib/api-identity';
import { failLoad, loadWorkshopAccess } from '$lib/auth/workshop-access';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const access = await loadWorkshopAccess(params.id, fetch, url, 'invitations.manage');
  let invitations: InvitationRow[];
  try {
    invitations = await listInvitations(params.id, fetch);
  } catch (err) {
    failLoad(err, url);
  }
  return { ...access, invitations };
};
