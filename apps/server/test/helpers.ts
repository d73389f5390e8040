import { afterEach } from 'vitest';
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

/** The session cookie (`name=value`) from a response's Set-Cookie headers. */
export function sessionCookieOf(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('agora_session='));
  if (!cookie) throw new Error(`no session cookie (status ${res.status})`);
  return cookie.split(';')[0]!;
}

export async function api(
  server: RunningServer,
  method: string,
  path: string,
  opts: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
}

export const ADMIN = {
  email: 'admin@prefecture.example.fr',
  name: 'Claire Admin',
  password: 'correct horse battery staple',
  organisation: 'Préfecture de région',
  category: 'services-etat',
} as const;

const adminCookies = new WeakMap<RunningServer, string>();

/** The administrator's cookie on this server: set up on first use (or signed in when the store already has it). */
export async function adminCookie(server: RunningServer): Promise<string> {
  let cookie = adminCookies.get(server);
  if (!cookie) {
    const needed = ((await (await api(server, 'GET', '/api/auth/setup')).json()) as { needed: boolean }).needed;
    cookie = needed ? await setupAdmin(server) : await signIn(server, ADMIN.email, ADMIN.password);
    adminCookies.set(server, cookie);
  }
  return cookie;
}

/** First-run setup of the administrator; returns its session cookie. */
export async function setupAdmin(server: RunningServer): Promise<string> {
  const res = await api(server, 'POST', '/api/auth/setup', { body: ADMIN });
  if (res.status !== 201) throw new Error(`setup: ${res.status} ${await res.text()}`);
  return sessionCookieOf(res);
}

export async function signIn(server: RunningServer, email: string, password: string): Promise<string> {
  const res = await api(server, 'POST', '/api/auth/signin', { body: { email, password } });
  if (res.status !== 200) throw new Error(`signin: ${res.status} ${await res.text()}`);
  return sessionCookieOf(res);
}

export async function createWorkshop(server: RunningServer, cookie: string, body: Partial<Workshop> = {}): Promise<Workshop> {
  const res = await api(server, 'POST', '/api/workshops', {
    cookie,
    body: { name: 'COP Auvergne-Rhône-Alpes', regionCode: '84', date: '2026-12-03', ...body },
  });
  if (res.status !== 201) throw new Error(`create workshop: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { workshop: Workshop }).workshop;
}

/** Creates an invitation link and joins through it as a new person; returns that person's cookie and member id. */
export async function joinAs(
  server: RunningServer,
  organiserCookie: string,
  workshopId: string,
  person: { name: string; organisation?: string; category?: string; role?: 'participant' | 'observateur'; groupId?: string },
): Promise<{ cookie: string; memberId: string; token: string; invitationId: string }> {
  const inv = await api(server, 'POST', `/api/workshops/${workshopId}/invitations`, {
    cookie: organiserCookie,
    body: { role: person.role ?? 'participant', ...(person.groupId ? { groupId: person.groupId } : {}) },
  });
  if (inv.status !== 201) throw new Error(`invitation: ${inv.status} ${await inv.text()}`);
  const { invitation } = (await inv.json()) as { invitation: { token: string; id: string } };
  const res = await api(server, 'POST', `/api/join/${invitation.token}`, {
    body: { name: person.name, organisation: person.organisation ?? 'CCI Auvergne-Rhône-Alpes', category: person.category ?? 'organisme-consulaire' },
  });
  if (res.status !== 201) throw new Error(`join: ${res.status} ${await res.text()}`);
  const { member } = (await res.json()) as { member: { id: string } };
  return { cookie: sessionCookieOf(res), memberId: member.id, token: invitation.token, invitationId: invitation.id };
}

/** A `ws` WebSocket class that sends a cookie (and optionally an Origin) with the handshake, for WebsocketProvider. */
export function webSocketWith(headers: Record<string, string>): typeof WebSocket {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  } as typeof WebSocket;
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
  destroy(): void;
}

/** A stock y-websocket client, as a browser would use it (minus BroadcastChannel). */
export function connectClient(
  server: RunningServer,
  workshopId: string,
  cookie: string,
  opts: { connect?: boolean; document?: string } = {},
): TestClient {
  const doc = new Y.Doc();
  const name = opts.document ?? documentName(workshopId, 'diagnostic');
  const provider = new WebsocketProvider(`ws://127.0.0.1:${server.port}/ws`, name, doc, {
    WebSocketPolyfill: webSocketWith({ cookie }) as unknown as typeof globalThis.WebSocket,
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
export function rawSocket(
  server: RunningServer,
  name: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws/${encodeURIComponent(name)}`, { headers });
    const closed = new Promise<{ code: number; reason: string }>((res) =>
      ws.on('close', (code, reason) => res({ code, reason: reason.toString() })),
    );
    ws.on('open', () => resolve({ ws, closed }));
    ws.on('error', reject);
  });
}

/**
 * Cleanups run after each test of the file, last registered first: `defer` any teardown (servers, databases,
 * proxies), `track` a client so that it is destroyed.
 */
export function cleanupAfterEach(): { defer(fn: () => unknown): void; track(c: TestClient): TestClient } {
  const pending: (() => unknown)[] = [];
  afterEach(async () => {
    for (const f of pending.splice(0).reverse()) await f();
  });
  return {
    defer: (fn) => void pending.push(fn),
    track(c) {
      pending.push(() => c.destroy());
      return c;
    },
  };
}
