import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { documentName, emptyEntryInput, type EntryInput, type Workshop } from '@agora/domain';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';

process.setMaxListeners(0); // every WebsocketProvider adds a process 'exit' listener

export function tempDir(prefix = 'agora-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts a real server on a free loopback port with its own data directory. */
export async function startTestServer(dataDir = tempDir(), env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WEB_BUILD_DIR: path.join(dataDir, 'no-web-build'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer(config);
}

export async function createWorkshop(server: RunningServer, body: Partial<Workshop> = {}): Promise<Workshop> {
  const res = await fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'COP Auvergne-Rhône-Alpes', regionCode: '84', date: '2026-12-03', ...body }),
  });
  if (res.status !== 201) throw new Error(`create workshop: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { workshop: Workshop }).workshop;
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
  destroy(): void;
}

/** A stock y-websocket client, as a browser would use it (minus BroadcastChannel). */
export function connectClient(server: RunningServer, workshopId: string, opts: { connect?: boolean } = {}): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${server.port}/ws`, documentName(workshopId, 'diagnostic'), doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: 200,
  });
  const closes: TestClient['closes'] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  return {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = (): void => {
      if (predicate()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

export function synced(client: TestClient): Promise<void> {
  return waitFor(() => client.provider.synced, 5000, 'sync');
}

export function validEntry(overrides: Partial<EntryInput> = {}): EntryInput {
  return emptyEntryInput({
    lever: 'augm_voitelec',
    territory: 'region:84',
    organisation: 'Métropole de Lyon',
    status: 'en-cours',
    title: 'Bornes de recharge sur voirie',
    ...overrides,
  });
}

/** A raw WebSocket (no Yjs client), to send arbitrary frames. Resolves once open. */
export function rawSocket(server: RunningServer, name: string): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws/${encodeURIComponent(name)}`);
    const closed = new Promise<{ code: number; reason: string }>((res) =>
      ws.on('close', (code, reason) => res({ code, reason: reason.toString() })),
    );
    ws.on('open', () => resolve({ ws, closed }));
    ws.on('error', reject);
  });
}
