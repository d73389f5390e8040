import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { createApp } from './http/app.ts';
import { DocumentServer } from './realtime/document-server.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';
import { loadWebHandler } from './web/sveltekit.ts';
import { AUTH_BRIDGE_KEY, CloseCode, type AuthBridge } from '@agora/domain';
import { SessionManager, SESSION_COOKIE, readCookie, sessionCookie } from './auth/sessions.ts';
import { RateLimiter } from './auth/rate-limit.ts';
import { viewerOf, workshopAccess, allowed, canWriteDocument, actorName } from './auth/access.ts';
import { allowedOrigins, isSameOrigin } from './auth/origin.ts';
import type { RouteDeps } from './http/deps.ts';
import type { Authorize } from './realtime/document-server.ts';
import { VoteService } from './votes/vote-service.ts';
import { WorkshopActivity } from './groups/activity.ts';
import { registerServerGauges } from './ops/metrics.ts';
import { warmDiagnosticRules } from './realtime/rules.ts';
import { LocalBus, type ClusterBus } from './cluster/bus.ts';

export interface RunningServer {
  port: number;
  url: string;
  store: Store;
  documents: DocumentServer;
  sessions: SessionManager;
  log: Logger;
  /** Graceful stop: refuse new connections, flush every document, close sockets with "going away". */
  close(): Promise<void>;
}

const API_PREFIXES = ['/api/', '/healthz', '/readyz', '/metrics'];

/** Starts the whole app in one process: API, WebSocket documents and the SvelteKit pages, on one port. */
export async function startServer(config: Config, inject: { store?: Store; log?: Logger } = {}): Promise<RunningServer> {
  const log = inject.log ?? createLogger(config.LOG_LEVEL);
  warmDiagnosticRules();
  const store = inject.store ?? (await openStore(config, { onIdleError: (err) => log.warn('store connection lost', { error: String(err) }) }));
  let shuttingDown = false;
  const bus = await openBus(config, log);
  const activity = new WorkshopActivity(store, log);
  const documents = new DocumentServer(
    store,
    {
      hooks: activity,
      bus,
      resyncMs: config.RESYNC_MS,
      maxDocumentBytes: config.MAX_DOCUMENT_BYTES,
      maxBufferedBytes: config.MAX_BUFFERED_BYTES,
      compactAfterUpdates: config.COMPACT_AFTER_UPDATES,
      idleMs: config.DOC_IDLE_MS,
    },
    log,
  );
  activity.attach(documents.rooms);
  registerServerGauges({ connections: () => documents.connections.size, documents: () => documents.rooms.loadedCount });
  const sessions = new SessionManager(store);
  const votes = new VoteService(store, documents.rooms, log, bus);
  await votes.start();
  const security = { publicOrigin: config.PUBLIC_ORIGIN, trustProxy: config.TRUST_PROXY };
  const deps: RouteDeps = {
    store,
    sessions,
    documents,
    votes,
    activity,
    log,
    security,
    readiness: async () => {
      const problems: string[] = [];
      if (shuttingDown) problems.push('arrêt en cours');
      try {
        await store.countAccounts();
      } catch (err) {
        problems.push(`stockage indisponible : ${String(err)}`);
      }
      if (bus.shared && !bus.healthy()) problems.push('Redis indisponible');
      return problems;
    },
    limits: {
      signInByAddress: new RateLimiter(config.SIGNIN_RATE_LIMIT, 15 * 60_000),
      signInByEmail: new RateLimiter(Math.max(1, Math.floor(config.SIGNIN_RATE_LIMIT / 2)), 15 * 60_000),
      joinByAddress: new RateLimiter(config.JOIN_RATE_LIMIT, 60_000),
    },
  };
  const api = getRequestListener(createApp(deps).fetch);
  publishAuthBridge(sessions, store, security.publicOrigin?.startsWith('https:') ?? false);
  const web = await loadWebHandler(config.WEB_BUILD_DIR);
  if (!web.built) log.warn('web app not built; serving the API only', { dir: config.WEB_BUILD_DIR });

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (API_PREFIXES.some((p) => url.startsWith(p))) void api(req, res);
    else
      web.handler(req, res, () => {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Page introuvable\n');
      });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.MAX_MESSAGE_BYTES, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/ws/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // Cross-site WebSocket hijacking: a page of another site could open a socket with the user's cookie.
    const origin = req.headers.origin;
    if (!isSameOrigin(origin, req.headers['sec-fetch-site'] as string | undefined, allowedOrigins(req.headers, config.PUBLIC_ORIGIN))) {
      log.warn('cross-origin upgrade refused', { origin });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\norigine non autorisée\n');
      return;
    }
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice('/ws/'.length));
    } catch {
      name = '';
    }
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    // The session is checked at the upgrade; the role, once the document's workshop is known.
    const authorize: Authorize = async (document) => {
      const valid = await sessions.validate(token, Date.now(), { renew: false });
      if (!valid) return { code: CloseCode.UNAUTHENTICATED, reason: 'session absente ou expirée : reconnectez-vous' };
      const viewer = await viewerOf(store, valid.session);
      const access = await workshopAccess(store, viewer, document.workshopId);
      // An administrator may know that a workshop does not exist; anyone else gets the same answer as a non-member.
      if (!access && viewer.account?.isAdmin) return { code: CloseCode.UNKNOWN_DOCUMENT, reason: 'atelier inconnu' };
      if (!access || !allowed(access, 'diagnostic.read')) {
        return { code: CloseCode.FORBIDDEN, reason: 'vous ne faites pas partie de cet atelier' };
      }
      const canWrite = await canWriteDocument(store, access, document);
      if (canWrite === 'unknown-group') return { code: CloseCode.UNKNOWN_DOCUMENT, reason: 'groupe inconnu' };
      return {
        sessionId: valid.session.id,
        workshopId: document.workshopId,
        memberId: access.member?.id ?? null,
        name: actorName(access, viewer),
        organisation: access.member?.organisation ?? viewer.account?.organisation ?? '',
        role: access.role,
        readOnly: !canWrite,
      };
    };
    wss.handleUpgrade(req, socket, head, (ws) => documents.handleConnection(ws, name, authorize));
  });

  // Expired sessions are deleted once an hour.
  const sweeper = setInterval(() => void store.deleteExpiredSessions(Date.now()).catch(() => undefined), 3_600_000);
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A large accept backlog: a room of participants voting within the same second opens many connections at once.
    server.listen({ port: config.PORT, host: config.HOST, backlog: 4096 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  log.info('listening', { url: `http://${host}:${port}`, dataDir: config.DATA_DIR });

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${host}:${port}`,
    store,
    documents,
    sessions,
    log,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        clearInterval(sweeper);
        votes.stop();
        activity.stop();
        server.close();
        await documents.close();
        wss.close();
        server.closeAllConnections();
        await bus.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** Lets the SvelteKit `handle` hook (same process) validate session cookies through this server's store. */
function publishAuthBridge(sessions: SessionManager, store: Store, secure: boolean): void {
  const bridge: AuthBridge = {
    async validate(token) {
      const valid = await sessions.validate(token);
      if (!valid || !token) return { account: null, hasSession: false, setCookie: null };
      const viewer = await viewerOf(store, valid.session);
      return {
        account: viewer.account,
        hasSession: true,
        setCookie: valid.renewed ? sessionCookie(token, valid.session.expiresAt, secure) : null,
      };
    },
  };
  (globalThis as Record<symbol, unknown>)[Symbol.for(AUTH_BRIDGE_KEY)] = bridge;
}

/** Redis when configured (several instances), else the single-instance bus. Fails fast if Redis is unreachable at start. */
async function openBus(config: Config, log: Logger): Promise<ClusterBus> {
  if (!config.REDIS_URL) return new LocalBus();
  // The Redis client (~9 MB of heap) is loaded only when configured.
  const { RedisBus } = await import('./cluster/redis-bus.ts');
  const bus = new RedisBus(config.REDIS_URL, log, config.REDIS_PREFIX);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      bus.start(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis injoignable à ${config.REDIS_URL}`)), 10_000);
      }),
    ]);
  } catch (err) {
    await bus.close().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  log.info('sharing documents through Redis', { instance: bus.instanceId });
  return bus;
}
