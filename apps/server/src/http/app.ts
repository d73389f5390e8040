import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { IMPORT_MAX_BYTES } from '@agora/domain';
import { apiError } from './errors.ts';
import { isStoreUnavailable } from '../store/unavailable.ts';
import { registry } from '../ops/metrics.ts';
import { csrfMiddleware, sessionMiddleware, type AppEnv } from './context.ts';
import type { RouteDeps } from './deps.ts';
import { authRoutes } from './routes/auth.ts';
import { workshopRoutes } from './routes/workshops.ts';
import { memberRoutes } from './routes/members.ts';
import { invitationRoutes, joinRoutes } from './routes/invitations.ts';
import { regionRoutes } from './routes/regions.ts';
import { voteRoutes } from './routes/votes.ts';
import { groupRoutes } from './routes/groups.ts';
import { diagnosticRoutes } from './routes/diagnostic.ts';
import { consolidationRoutes } from './routes/consolidation.ts';
import { importRoutes } from './routes/import.ts';

/** The HTTP API (everything but the SvelteKit pages and the WebSocket). */
export function createApp(deps: RouteDeps): Hono<AppEnv> {
  const { documents, log } = deps;
  const app = new Hono<AppEnv>();

  /** Liveness: the process answers. */
  app.get('/healthz', (c) =>
    c.json({ status: 'ok', documents: documents.rooms.loadedCount, connections: documents.connections.size }),
  );

  /** Readiness: the store answers and the server is not shutting down (a load balancer stops routing otherwise). */
  app.get('/readyz', async (c) => {
    const problems = await deps.readiness();
    return problems.length === 0 ? c.json({ status: 'ready' }) : c.json({ status: 'not ready', problems }, 503);
  });

  app.get('/metrics', async (c) => {
    c.header('Content-Type', registry.contentType);
    return c.body(await registry.metrics());
  });

  // JSON bodies are small; only the import upload carries a file.
  const smallBody = bodyLimit({ maxSize: 64 * 1024, onError: (c) => apiError(c, 413, 'requête trop volumineuse') });
  const uploadBody = bodyLimit({ maxSize: IMPORT_MAX_BYTES + 64 * 1024, onError: (c) => apiError(c, 413, 'fichier trop volumineux (5 Mo au plus)') });
  app.use('/api/*', (c, next) => (c.req.method === 'POST' && /^\/api\/workshops\/[^/]+\/import\/preview$/.test(c.req.path) ? uploadBody(c, next) : smallBody(c, next)));
  app.use('/api/*', csrfMiddleware(deps.security));
  app.use('/api/*', sessionMiddleware(deps.store, deps.sessions, deps.security));
  app.route('/api/auth', authRoutes(deps));
  app.route('/api/workshops', workshopRoutes(deps));
  app.route('/api/workshops', memberRoutes(deps));
  app.route('/api/workshops', invitationRoutes(deps));
  app.route('/api/workshops', voteRoutes(deps));
  app.route('/api/workshops', groupRoutes(deps));
  app.route('/api/workshops', diagnosticRoutes(deps));
  app.route('/api/workshops', consolidationRoutes(deps));
  app.route('/api/workshops', importRoutes(deps));
  app.route('/api/join', joinRoutes(deps));
  app.route('/api/regions', regionRoutes());
  app.all('/api/*', (c) => apiError(c, 404, 'ressource inconnue'));

  app.onError((err, c) => {
    if (isStoreUnavailable(err)) {
      log.warn('store unavailable: request refused', { path: c.req.path, error: String(err) });
      return apiError(c, 503, 'stockage momentanément indisponible : rien n’a été enregistré, réessayez dans un instant');
    }
    log.error('request failed', { path: c.req.path, error: String(err) });
    return apiError(c, 500, 'erreur interne du serveur');
  });
  return app;
}
