import { redirect } from '@sveltejs/kit';
import type { Account } from '@agora/domain';
import { listAccounts } from '$lib/api-identity';
import { signInHref } from '$lib/auth/navigation';
import { failLoad } from '$lib/auth/workshop-access';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url }) => {
  const { viewer } = await parent();
  if (!viewer.account) redirect(303, signInHref(url.pathname));
  let accounts: Account[] = [];
  if (viewer.account.isAdmin) {
    try {
      accounts = await listAccounts(fetch);
    } catch (err) {
      failLoad(err, url);
    }
  }
  return { account: viewer.account, accounts };
};
