import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Store } from '../store/store.ts';
import type { Logger } from '../log.ts';
import type { DocumentServer } from '../realtime/document-server.ts';
import { apiError } from './errors.ts';
import { workshopRoutes } from './routes/workshops.ts';
import { regionRoutes } from './routes/regions.ts';

export interface AppDeps {
  store: Store;
  documents: DocumentServer;
  log: Logger;
}

/** The HTTP API (everything but the SvelteKit pages and the WebSocket). */
export function createApp({ store, documents, log }: AppDeps): Hono {
  const app = new Hono();

  app.get('/healthz', (c) =>
    c.json({ status: 'ok', documents: documents.rooms.loadedCount, connections: documents.connections.size }),
  );

  app.use('/api/*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => apiError(c, 413, 'requête trop volumineuse') }));
  app.route('/api/workshops', workshopRoutes(store));
  app.route('/api/regions', regionRoutes());
  app.all('/api/*', (c) => apiError(c, 404, 'ressource inconnue'));

  app.onError((err, c) => {
    log.error('request failed', { path: c.req.path, error: String(err) });
    return apiError(c, 500, 'erreur interne du serveur');
  });
  return app;
}
