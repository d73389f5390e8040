import { redirect } from '@sveltejs/kit';
import { ApiError } from '$lib/api';
import { getJoinInfo, type JoinInfo } from '$lib/api-identity';
import { t } from '$lib/i18n';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params }): Promise<{ info: JoinInfo | null; loadError: string | null }> => {
  let info: JoinInfo;
  try {
    info = await getJoinInfo(params.token, fetch);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { info: null, loadError: t.auth.join.unknownLink };
    return { info: null, loadError: err instanceof ApiError ? t.auth.errors.server(err.message) : String(err) };
  }
  // This browser already joined: straight to the workshop.
  if (info.member) redirect(303, `/ateliers/${info.workshop.id}`);
  return { info, loadError: null };
};
