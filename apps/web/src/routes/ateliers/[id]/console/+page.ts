import { listInvitations, type InvitationRow } from '$lib/api-identity';
import { failLoad, loadWorkshopAccess } from '$lib/auth/workshop-access';
import { listVotes } from '$lib/votes/api';
import type { PublicVoteState } from '$lib/votes/types';
import type { PageLoad } from './$types';

/**
 * The console is for co-chairs and facilitators (`vote.moderate`); other members get a page that says so (not an
 * error page), with a way back to the workshop.
 */
export const load: PageLoad = async ({ fetch, params, url }) => {
  const access = await loadWorkshopAccess(params.id, fetch, url);
  const allowed = access.me.rights.includes('vote.moderate');
  let votes: PublicVoteState[] = [];
  let invitations: InvitationRow[] = [];
  if (allowed) {
    try {
      [votes, invitations] = await Promise.all([
        listVotes(params.id, fetch),
        access.me.rights.includes('invitations.manage') ? listInvitations(params.id, fetch).catch(() => []) : Promise.resolve([]),
      ]);
    } catch (err) {
      failLoad(err, url);
    }
  }
  return { ...access, allowed, votes, invitations };
};
