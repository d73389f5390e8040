import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { createApp } from './http/app.ts';
import { DocumentServer } from './realtime/document-server.ts';
import { SqliteStore } from './store/sqlite-store.ts';
import type { Store } from './store/store.ts';
import { loadWebHandler } from './web/sveltekit.ts';

export interface RunningServer {
  port: number;
  url: string;
  store: Store;
  documents: DocumentServer;
  log: Logger;
  /** Graceful stop: refuse new connections, flush every document, close sockets with "going away". */
  close(): Promise<void>;
}

const API_PREFIXES = ['/api/', '/healthz'];

/** Starts the whole app in one process: API, WebSocket documents and the SvelteKit pages, on one port. */
export async function startServer(config: Config, deps: { store?: Store; log?: Logger } = {}): Promise<RunningServer> {
  const log = deps.log ?? createLogger(config.LOG_LEVEL);
  const store = deps.store ?? new SqliteStore(config.DATA_DIR);
  const documents = new DocumentServer(
    store,
    {
      maxDocumentBytes: config.MAX_DOCUMENT_BYTES,
      maxBufferedBytes: config.MAX_BUFFERED_BYTES,
      compactAfterUpdates: config.COMPACT_AFTER_UPDATES,
      idleMs: config.DOC_IDLE_MS,
    },
    log,
  );
  const api = getRequestListener(createApp({ store, documents, log }).fetch);
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
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice('/ws/'.length));
    } catch {
      name = '';
    }
    wss.handleUpgrade(req, socket, head, (ws) => documents.handleConnection(ws, name));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
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
    log,
    close() {
      closing ??= (async () => {
        server.close();
        await documents.close();
        wss.close();
        server.closeAllConnections();
        await store.close();
      })();
      return closing;
    },
  };
}
