/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />

/**
 * Offline shell of Agora COP: a workshop page opened once on this device opens again without a network (a closed
 * lid, a reload on a dead congress wifi), and its diagnostic comes back from IndexedDB (see diagnostic-session).
 *
 * - the app's built files are precached at install (cache first: their names carry a hash);
 * - pages, their SvelteKit data (`__data.json`) and a short list of API reads (see OFFLINE_API_PATTERNS) go to the
 *   network first and fall back on the last copy when the network fails or is slower than NETWORK_TIMEOUT_MS;
 * - everything else (other API calls, writes, WebSockets) is not touched;
 * - the kept copies are dropped at sign-out and on any 401, so that another person on this device does not see them.
 */
import { build, files, version } from '$service-worker';
import { OFFLINE_API_PATTERNS } from '$lib/offline/offline-cache';

const sw = self as unknown as ServiceWorkerGlobalScope;

const ASSETS = `agora-assets-${version}`;
/** Pages, data and API reads: tied to the build, since a page names the built files it loads. */
const RUNTIME = `agora-runtime-${version}`;
const NETWORK_TIMEOUT_MS = 4_000;
const PRECACHE = [...build, ...files];

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(ASSETS);
      await cache.addAll(PRECACHE);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== ASSETS && key !== RUNTIME) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

const isApiRead = (path: string): boolean => OFFLINE_API_PATTERNS.some((re) => re.test(path));
const isData = (path: string): boolean => path.endsWith('/__data.json');

async function forgetRuntime(): Promise<void> {
  await caches.delete(RUNTIME);
}

/** The network, or the kept copy when the network fails or is too slow and a copy exists. */
async function networkFirst(request: Request, key: string, ignoreSearch: boolean): Promise<Response> {
  const cache = await caches.open(RUNTIME);
  const network = fetch(request).then(async (response) => {
    if (response.status === 401) await forgetRuntime();
    else if (response.ok && response.type === 'basic' && !response.redirected) await cache.put(key, response.clone());
    return response;
  });
  const cached = await cache.match(key, { ignoreSearch });
  if (!cached) {
    try {
      return await network;
    } catch {
      return offlineResponse(request);
    }
  }
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), NETWORK_TIMEOUT_MS));
  try {
    return (await Promise.race([network, timeout])) ?? cached;
  } catch {
    return cached;
  }
}

function offlineResponse(request: Request): Response {
  if (request.mode === 'navigate') {
    const html =
      '<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<title>Hors ligne — Agora COP</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2733">' +
      '<h1>Hors ligne</h1><p>Cette page n’a pas encore été ouverte sur cet appareil : elle ne peut pas s’afficher sans connexion.</p>' +
      '<p>Les modifications faites dans un diagnostic déjà ouvert restent enregistrées sur cet appareil. Rouvrez cette page quand la connexion revient.</p>' +
      '<p><a href="">Réessayer</a></p></body></html>';
    return new Response(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
  return new Response(JSON.stringify({ error: 'hors ligne : le serveur est injoignable' }), {
    status: 503,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;

  if (request.method !== 'GET') {
    // Signing out: forget the pages and answers kept for the person who was signed in.
    if (request.method === 'POST' && /^\/api\/auth\/signout(-all)?$/.test(url.pathname)) {
      event.respondWith(fetch(request).finally(() => forgetRuntime()));
    }
    return;
  }

  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, url.pathname + url.search, false));
    return;
  }
  if (isData(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname, true));
    return;
  }
  if (url.pathname.startsWith('/api/') && isApiRead(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname + url.search, false));
  }
});

interface KeepMessage {
  type: 'agora-keep-offline';
  urls: string[];
}

/** A page asks to keep what it loaded before this worker controlled it (see $lib/offline/offline-cache). */
sw.addEventListener('message', (event) => {
  const data = event.data as Partial<KeepMessage> | null;
  if (data?.type !== 'agora-keep-offline' || !Array.isArray(data.urls)) return;
  const port = event.ports[0];
  event.waitUntil(
    (async () => {
      const cache = await caches.open(RUNTIME);
      let ok = true;
      for (const raw of data.urls ?? []) {
        if (typeof raw !== 'string') continue;
        const url = new URL(raw, sw.location.origin);
        if (url.origin !== sw.location.origin) continue;
        const page = !url.pathname.startsWith('/api/') && !isData(url.pathname);
        if (!page && !isData(url.pathname) && !isApiRead(url.pathname)) continue;
        try {
          const response = await fetch(url, { credentials: 'same-origin', headers: page ? { accept: 'text/html' } : {} });
          if (response.ok && !response.redirected) await cache.put(isData(url.pathname) ? url.pathname : url.pathname + url.search, response);
          else ok = false;
        } catch {
          ok = false;
        }
      }
      port?.postMessage({ ok });
    })(),
  );
});
