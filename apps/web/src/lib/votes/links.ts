/** Links between the console, the projector and the join pages. */

/**
 * The address the projector shows as a QR code: `?lien=` when it is a page of this site (an invitation link or
 * the workshop), else the workshop's own page. Another origin is refused: a crafted projector link must not put
 * a foreign QR code in front of the room.
 */
export function projectorJoinUrl(raw: string | null, origin: string, workshopId: string): string {
  const fallback = new URL(`/ateliers/${encodeURIComponent(workshopId)}`, origin).href;
  if (!raw) return fallback;
  try {
    const url = new URL(raw, origin);
    if (url.origin !== origin) return fallback;
    if (!url.pathname.startsWith('/rejoindre/') && !url.pathname.startsWith('/ateliers/')) return fallback;
    return url.href;
  } catch {
    return fallback;
  }
}

/** The projector page of a workshop, showing `joinUrl` as its QR code when given. */
export function projectorHref(workshopId: string, joinUrl: string | null): string {
  const path = `/ateliers/${encodeURIComponent(workshopId)}/projecteur`;
  return joinUrl ? `${path}?lien=${encodeURIComponent(joinUrl)}` : path;
}
