/**
 * Asks the service worker (src/service-worker.ts) to keep what the current page needs to open again without a
 * network: the page itself, its SvelteKit data and the API answers its load functions read. Pages fetched before the
 * service worker took control of the tab are not in its caches otherwise.
 *
 * Resolves to true once the service worker confirmed, false when there is none (insecure context, unsupported
 * browser, or not installed within `timeoutMs`): the diagnostic is still kept in IndexedDB, but a reload without a
 * network would then fail to load the page.
 */

/** API reads a page needs to open again offline (the service worker keeps only these). */
export const OFFLINE_API_PATTERNS: readonly RegExp[] = [
  /^\/api\/auth\/me$/,
  /^\/api\/regions(\/[^/]+\/(catalogue|territories))?$/,
  /^\/api\/workshops\/[a-z2-7]{12}$/,
  /^\/api\/workshops\/[a-z2-7]{12}\/(me|groups)$/,
];

export function isOfflineApiPath(pathname: string): boolean {
  return OFFLINE_API_PATTERNS.some((re) => re.test(pathname));
}

/** SvelteKit's data address of a page (`/a/b` → `/a/b/__data.json`, `/` → `/__data.json`). */
export function dataUrlOf(pathname: string): string {
  return `${pathname.replace(/\/$/, '')}/__data.json`;
}

/** Same-origin API reads this page made so far (from the resource timing entries). */
function apiReadsOfPage(): string[] {
  if (typeof performance === 'undefined' || typeof performance.getEntriesByType !== 'function') return [];
  const out = new Set<string>();
  for (const entry of performance.getEntriesByType('resource')) {
    try {
      const url = new URL(entry.name);
      if (url.origin === location.origin && isOfflineApiPath(url.pathname)) out.add(url.pathname + url.search);
    } catch {
      /* not a URL */
    }
  }
  return [...out];
}

export async function prepareOffline(timeoutMs = 30_000): Promise<boolean> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || !window.isSecureContext) return false;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
  const registration = await Promise.race([navigator.serviceWorker.ready, timeout]);
  const worker = registration?.active;
  if (!worker) return false;
  const urls = [location.pathname + location.search, dataUrlOf(location.pathname), ...apiReadsOfPage()];
  return new Promise<boolean>((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), timeoutMs);
    channel.port1.onmessage = (event: MessageEvent<{ ok?: boolean }>) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(event.data?.ok === true);
    };
    worker.postMessage({ type: 'agora-keep-offline', urls }, [channel.port2]);
  });
}
