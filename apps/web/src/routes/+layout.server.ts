import type { LayoutServerLoad } from './$types';

/** Who is signed in (validated by the `handle` hook), for every page. Re-run with `invalidateAll()` after sign-in/out. */
export const load: LayoutServerLoad = ({ locals }) => ({ viewer: locals.viewer });
