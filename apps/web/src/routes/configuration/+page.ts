import { setupNeeded } from '$lib/api-identity';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
  try {
    return { needed: await setupNeeded(fetch), loadError: null };
  } catch (err) {
    return { needed: false, loadError: err instanceof Error ? err.message : String(err) };
  }
};
