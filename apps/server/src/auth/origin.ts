import type { IncomingHttpHeaders } from 'node:http';

/**
 * The origins a browser request may come from: the configured public origin (behind a proxy) and the origin
 * of the Host the request was sent to (a cross-site page cannot make a browser lie about that).
 */
export function allowedOrigins(headers: IncomingHttpHeaders | Headers, publicOrigin: string | undefined): Set<string> {
  const host = headers instanceof Headers ? headers.get('host') : headers.host;
  const set = new Set<string>();
  if (publicOrigin) set.add(new URL(publicOrigin).origin);
  if (host) {
    set.add(`http://${host}`);
    set.add(`https://${host}`);
  }
  return set;
}

/**
 * Whether a request comes from one of our own pages. Browsers always send Origin (and Sec-Fetch-Site) on
 * cross-origin state-changing requests and WebSocket handshakes; a request with neither comes from a
 * non-browser client, which cannot carry a victim's cookies, and is let through.
 */
export function isSameOrigin(origin: string | null | undefined, fetchSite: string | null | undefined, allowed: Set<string>): boolean {
  if (origin) return allowed.has(origin);
  if (fetchSite) return fetchSite === 'same-origin' || fetchSite === 'none';
  return true;
}
