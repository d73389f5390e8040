/**
 * Sessions and the doors around them: first-run setup, sign-in, cookies, forged and expired sessions, sliding
 * renewal, sign-out (here and everywhere), password change, rate limits, CSRF and cross-origin WebSocket
 * upgrades, malformed bodies.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, documentName, type Workshop } from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import { randomId } from '../src/auth/tokens.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import {
  ADMIN,
  adminCookie,
  api,
  connectClient,
  createWorkshop,
  joinAs,
  rawSocket,
  sessionCookieOf,
  startTestServer,
  synced,
  waitFor,
  type TestClient,
} from './helpers.ts';

const DAY = 24 * 60 * 60 * 1000;
const BAD_CREDENTIALS = 'adresse e-mail ou mot de passe incorrect';
const PASSWORD = 'un mot de passe assez long';

/** Servers started by one test only (closed after it). */
const ownServers: RunningServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const x of ownServers.splice(0)) await x.close();
});

async function ownServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const x = await startTestServer(undefined, env);
  ownServers.push(x);
  return x;
}

/** The shared server of this file (generous limits: the rate-limit tests use their own servers). */
let s: RunningServer;
let admin: string;
beforeAll(async () => {
  s = await startTestServer(undefined, { SIGNIN_RATE_LIMIT: '1000', JOIN_RATE_LIMIT: '10000' });
  admin = await adminCookie(s);
});
afterAll(async () => {
  await s?.close();
});

function client(x: RunningServer, workshopId: string, cookie: string): TestClient {
  const c = connectClient(x, workshopId, cookie);
  clients.push(c);
  return c;
}

let accountCount = 0;
/** One argon2 hash of PASSWORD, reused by every organiser account (hashing is the slow part of these tests). */
let passwordHash: string;
/** A new organiser account on `s` (stored directly: account creation over HTTP is tested on its own). */
async function organiser(name = 'Odile Organisatrice'): Promise<{ email: string; id: string; cookie: string }> {
  const email = `orga${++accountCount}@region.example.fr`;
  const account = { id: randomId(), email, name, organisation: 'Conseil régional', category: 'conseil-regional' as const, isAdmin: false, createdAt: new Date().toISOString() };
  passwordHash ??= await hashPassword(PASSWORD);
  await s.store.createAccount(account, passwordHash);
  return { email, id: account.id, cookie: await anotherSession(account.id) };
}

/** Another session of the same account, as a sign-in on another device would create. */
async function anotherSession(accountId: string): Promise<string> {
  const { token } = await s.sessions.create(accountId);
  return `agora_session=${token}`;
}

/** `agora_session=<id>.<secret>` → the session id. */
const sessionIdOf = (cookie: string) => cookie.slice('agora_session='.length).split('.')[0]!;

function setCookieOf(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith('agora_session='));
}

function attributes(setCookie: string): Map<string, string> {
  const parts = setCookie.split(';').map((p) => p.trim());
  return new Map(parts.slice(1).map((p) => [p.split('=')[0]!.toLowerCase(), p.includes('=') ? p.slice(p.indexOf('=') + 1) : '']));
}

/** Opens a WebSocket and reports how the handshake ended: opened, or the HTTP status of a refused upgrade. */
function handshake(
  x: RunningServer,
  name: string,
  headers: Record<string, string>,
): Promise<{ opened: true; ws: WebSocket; messages: Buffer[] } | { opened: false; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${x.port}/ws/${encodeURIComponent(name)}`, { headers });
    // Frames may arrive in the same packet as the 101 response: collect them from the start.
    const messages: Buffer[] = [];
    ws.on('message', (d: Buffer) => messages.push(d));
    ws.on('open', () => resolve({ opened: true, ws, messages }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ opened: false, status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (err) => reject(err));
  });
}

describe('first-run setup', () => {
  it('creates the first administrator once (201), then refuses (409); /setup says needed true → false', async () => {
    const x = await ownServer();
    expect(await (await api(x, 'GET', '/api/auth/setup')).json()).toEqual({ needed: true });
    const res = await api(x, 'POST', '/api/auth/setup', { body: ADMIN });
    expect(res.status).toBe(201);
    const { account } = (await res.json()) as { account: Record<string, unknown> };
    expect(account).toMatchObject({ email: ADMIN.email, name: ADMIN.name, isAdmin: true });
    expect(account).not.toHaveProperty('password');
    expect(account).not.toHaveProperty('passwordHash');
    const cookie = sessionCookieOf(res);
    expect(((await (await api(x, 'GET', '/api/auth/me', { cookie })).json()) as { account: { isAdmin: boolean } }).account.isAdmin).toBe(true);
    expect(await (await api(x, 'GET', '/api/auth/setup')).json()).toEqual({ needed: false });

    const again = await api(x, 'POST', '/api/auth/setup', { body: { ...ADMIN, email: 'intrus@example.org' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'la configuration initiale est déjà faite' });
    expect(setCookieOf(again)).toBeUndefined();
    expect(await x.store.countAccounts()).toBe(1);
    expect(await x.store.getAccountByEmail('intrus@example.org')).toBeNull();
  });

  // Regression test (found by the authorisation matrix work).
  it('creates exactly one administrator when setups race', async () => {
    const x = await ownServer();
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) => api(x, 'POST', '/api/auth/setup', { body: { ...ADMIN, email: `admin${i}@prefecture.example.fr` } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409]);
    expect(await x.store.countAccounts()).toBe(1);
  });

  it('validates the setup body (400 with issues, nothing stored)', async () => {
    const x = await ownServer();
    const res = await api(x, 'POST', '/api/auth/setup', { body: { ...ADMIN, email: 'pas-une-adresse', password: 'court' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(body.error).toBe('données invalides');
    expect(body.issues.map((i) => i.path).sort()).toEqual(['email', 'password']);
    expect(body.issues.find((i) => i.path === 'password')?.message).toBe('le mot de passe doit faire au moins 12 caractères');
    expect(await x.store.countAccounts()).toBe(0);
    expect(await (await api(x, 'GET', '/api/auth/setup')).json()).toEqual({ needed: true });
  });
});

describe('organiser accounts', () => {
  // Regression test (found by the authorisation matrix work).
  it('answers 409 (not 500) to the second of two simultaneous creations with the same e-mail', async () => {
    const body = { email: 'doublon@region.example.fr', name: 'Double', password: PASSWORD, organisation: 'Région', category: 'conseil-regional' };
    const results = await Promise.all([0, 1].map(() => api(s, 'POST', '/api/auth/accounts', { cookie: admin, body })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('refuses a second account with the same e-mail (409) and non-administrators (403)', async () => {
    const body = { email: 'unique@region.example.fr', name: 'Unique', password: PASSWORD, organisation: 'Région', category: 'conseil-regional' };
    expect((await api(s, 'POST', '/api/auth/accounts', { cookie: admin, body })).status).toBe(201);
    const again = await api(s, 'POST', '/api/auth/accounts', { cookie: admin, body: { ...body, email: ' UNIQUE@region.example.fr ' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      error: 'un compte existe déjà pour cette adresse',
      issues: [{ path: 'email', message: 'adresse déjà utilisée' }],
    });
    const o = await organiser();
    const before = (await s.store.listAccounts()).length;
    for (const cookie of [o.cookie, undefined]) {
      const res = await api(s, 'POST', '/api/auth/accounts', { cookie, body: { ...body, email: 'pirate@example.org', isAdmin: true } });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'réservé aux administrateurs' });
      const list = await api(s, 'GET', '/api/auth/accounts', { cookie });
      expect(list.status).toBe(403);
    }
    expect((await s.store.listAccounts()).length).toBe(before);
    const list = (await (await api(s, 'GET', '/api/auth/accounts', { cookie: admin })).json()) as { accounts: Record<string, unknown>[] };
    expect(list.accounts.length).toBe(before);
    for (const a of list.accounts) expect(a).not.toHaveProperty('passwordHash');
  });
});

describe('sign-in', () => {
  it('signs in with the right password (case-insensitive e-mail) and sets a fresh session cookie', async () => {
    const res = await api(s, 'POST', '/api/auth/signin', { body: { email: `  ${ADMIN.email.toUpperCase()} `, password: ADMIN.password } });
    expect(res.status).toBe(200);
    const { account } = (await res.json()) as { account: Record<string, unknown> };
    expect(account).toMatchObject({ email: ADMIN.email, isAdmin: true });
    expect(account).not.toHaveProperty('passwordHash');
    const cookie = sessionCookieOf(res);
    expect(cookie).toMatch(/^agora_session=[a-z2-7]{24}\.[a-z2-7]{32}$/);
    expect(cookie).not.toBe(admin);
    const session = await s.store.getSession(sessionIdOf(cookie));
    // Only a hash of the secret is stored.
    expect(session?.secretHash).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(session!.secretHash).toString()).not.toContain(cookie.split('.')[1]);
  });

  it('refuses unknown e-mails and wrong passwords with the same 401 and French message, and no cookie', async () => {
    const unknown = await api(s, 'POST', '/api/auth/signin', { body: { email: 'personne@example.org', password: ADMIN.password } });
    const wrong = await api(s, 'POST', '/api/auth/signin', { body: { email: ADMIN.email, password: 'pas le bon mot de passe' } });
    for (const res of [unknown, wrong]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: BAD_CREDENTIALS });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('sets HttpOnly, SameSite=Lax, Path=/, a 30-day Expires, and no Secure on plain http', async () => {
    const res = await api(s, 'POST', '/api/auth/signin', { body: { email: ADMIN.email, password: ADMIN.password } });
    const setCookie = setCookieOf(res)!;
    const attrs = attributes(setCookie);
    expect(attrs.has('httponly')).toBe(true);
    expect(attrs.get('samesite')).toBe('Lax');
    expect(attrs.get('path')).toBe('/');
    expect(attrs.has('secure')).toBe(false);
    expect(attrs.has('domain')).toBe(false);
    const expires = Date.parse(attrs.get('expires')!);
    expect(Math.abs(expires - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    const session = await s.store.getSession(sessionIdOf(setCookie.split(';')[0]!));
    expect(Math.abs(session!.expiresAt - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
  });

  it('marks cookies Secure when PUBLIC_ORIGIN is https (setup, sign-in, join, sign-out)', async () => {
    const x = await ownServer({ PUBLIC_ORIGIN: 'https://agora.example.fr' });
    const setup = await api(x, 'POST', '/api/auth/setup', { body: ADMIN });
    expect(setup.status).toBe(201);
    const signin = await api(x, 'POST', '/api/auth/signin', { body: { email: ADMIN.email, password: ADMIN.password } });
    expect(signin.status).toBe(200);
    const cookie = sessionCookieOf(signin);
    const w = await createWorkshop(x, cookie);
    const inv = await api(x, 'POST', `/api/workshops/${w.id}/invitations`, { cookie, body: { role: 'participant' } });
    const { invitation } = (await inv.json()) as { invitation: { token: string } };
    const join = await api(x, 'POST', `/api/join/${invitation.token}`, {
      body: { name: 'Jeanne', organisation: 'EPCI', category: 'epci' },
      // The public origin is accepted as a same-origin request.
      headers: { origin: 'https://agora.example.fr' },
    });
    expect(join.status).toBe(201);
    const signout = await api(x, 'POST', '/api/auth/signout', { cookie });
    for (const res of [setup, signin, join, signout]) {
      const attrs = attributes(setCookieOf(res)!);
      expect(attrs.has('secure')).toBe(true);
      expect(attrs.has('httponly')).toBe(true);
      expect(attrs.get('samesite')).toBe('Lax');
    }
  });
});

describe('forged, expired and renewed sessions', () => {
  it('treats forged or malformed cookies as anonymous (HTTP 401, WebSocket 4401) and keeps the real session', async () => {
    const w = await createWorkshop(s, admin);
    const [id, secret] = admin.slice('agora_session='.length).split('.') as [string, string];
    const forged = [
      `${randomId(15)}.${randomId(20)}`, // random token
      `${id}.${randomId(20)}`, // right id, wrong secret
      `${id}.${secret.slice(0, -1)}`, // truncated secret
      `${id}.${secret}.extra`, // three parts
      `${id.toUpperCase()}.${secret}`, // id outside the alphabet
      id, // id alone
      `.${secret}`,
      'garbage',
      `${id}.${secret}${'a'.repeat(200)}`, // over-long
      '',
    ];
    for (const token of forged) {
      const cookie = `agora_session=${token}`;
      const me = await api(s, 'GET', '/api/auth/me', { cookie });
      expect(await me.json(), token).toEqual({ account: null, hasSession: false });
      const list = await api(s, 'GET', '/api/workshops', { cookie });
      expect(list.status, token).toBe(401);
      expect(await list.json(), token).toEqual({ error: 'connexion requise' });
      const one = await api(s, 'GET', `/api/workshops/${w.id}`, { cookie });
      expect(one.status, token).toBe(401);
      const create = await api(s, 'POST', '/api/workshops', { cookie, body: { name: 'Atelier pirate', regionCode: '84', date: '2026-12-03' } });
      expect(create.status, token).toBe(401);
      const { closed } = await rawSocket(s, documentName(w.id, 'diagnostic'), { cookie });
      expect((await closed).code, token).toBe(CloseCode.UNAUTHENTICATED);
    }
    expect((await s.store.listWorkshops()).some((x) => x.name === 'Atelier pirate')).toBe(false);
    // Guessing at the secret neither deletes nor damages the real session.
    expect((await api(s, 'GET', '/api/workshops', { cookie: admin })).status).toBe(200);
  });

  it('refuses an expired session (401, WebSocket 4401) and deletes it', async () => {
    const o = await organiser();
    const w = await createWorkshop(s, o.cookie);
    const id = sessionIdOf(o.cookie);
    await s.store.setSessionExpiry(id, Date.now() - 1);
    const { closed } = await rawSocket(s, documentName(w.id, 'diagnostic'), { cookie: o.cookie });
    expect(await closed).toEqual({ code: CloseCode.UNAUTHENTICATED, reason: 'session absente ou expirée : reconnectez-vous' });
    expect(await s.store.getSession(id)).toBeNull();
    const again = await organiser();
    await s.store.setSessionExpiry(sessionIdOf(again.cookie), Date.now() - 1);
    const res = await api(s, 'GET', '/api/workshops', { cookie: again.cookie });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'connexion requise' });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await s.store.getSession(sessionIdOf(again.cookie))).toBeNull();
  });

  it('slides: a session with less than 15 days left is extended to 30 days and the cookie sent again', async () => {
    const o = await organiser();
    const id = sessionIdOf(o.cookie);
    // 20 days left: not renewed, no cookie.
    const twenty = Date.now() + 20 * DAY;
    await s.store.setSessionExpiry(id, twenty);
    const quiet = await api(s, 'GET', '/api/auth/me', { cookie: o.cookie });
    expect(quiet.headers.getSetCookie()).toEqual([]);
    expect((await s.store.getSession(id))!.expiresAt).toBe(twenty);

    // 1 day left: renewed.
    await s.store.setSessionExpiry(id, Date.now() + DAY);
    const res = await api(s, 'GET', '/api/workshops', { cookie: o.cookie });
    expect(res.status).toBe(200);
    const setCookie = setCookieOf(res);
    expect(setCookie).toBeDefined();
    expect(setCookie!.split(';')[0]).toBe(o.cookie); // same token, new expiry
    const expires = Date.parse(attributes(setCookie!).get('expires')!);
    expect(Math.abs(expires - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    const stored = (await s.store.getSession(id))!.expiresAt;
    expect(Math.abs(stored - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    // Once renewed, the next request does not send it again.
    expect((await api(s, 'GET', '/api/workshops', { cookie: o.cookie })).headers.getSetCookie()).toEqual([]);
  });

  // Regression test (found by the authorisation matrix work).
  it('a renewal made by a WebSocket upgrade still reaches the browser on the next HTTP response', async () => {
    const o = await organiser();
    const w = await createWorkshop(s, o.cookie);
    await s.store.setSessionExpiry(sessionIdOf(o.cookie), Date.now() + DAY);
    const c = client(s, w.id, o.cookie);
    await synced(c);
    c.provider.disconnect();
    // The browser still holds a cookie that expires in one day: the next response must extend it.
    const res = await api(s, 'GET', '/api/workshops', { cookie: o.cookie });
    expect(res.status).toBe(200);
    const setCookie = setCookieOf(res);
    expect(setCookie).toBeDefined();
    expect(Math.abs(Date.parse(attributes(setCookie!).get('expires')!) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
  });
});

describe('sign-out', () => {
  it('clears the cookie, kills the session and closes its sockets with 4410', async () => {
    const o = await organiser();
    const w = await createWorkshop(s, o.cookie);
    const c = client(s, w.id, o.cookie);
    await synced(c);
    const res = await api(s, 'POST', '/api/auth/signout', { cookie: o.cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const cleared = setCookieOf(res)!;
    expect(cleared.split(';')[0]).toBe('agora_session=');
    expect(attributes(cleared).get('max-age')).toBe('0');
    expect(attributes(cleared).has('httponly')).toBe(true);
    expect(attributes(cleared).get('path')).toBe('/');
    await waitFor(() => c.closes.length > 0, 5000, 'socket closed');
    c.provider.disconnect();
    expect(c.closes[0]).toEqual({ code: CloseCode.REVOKED, reason: 'session fermée' });
    expect(await s.store.getSession(sessionIdOf(o.cookie))).toBeNull();
    const after = await api(s, 'GET', '/api/workshops', { cookie: o.cookie });
    expect(after.status).toBe(401);
    expect(await (await api(s, 'GET', '/api/auth/me', { cookie: o.cookie })).json()).toEqual({ account: null, hasSession: false });
    // Signing out without a session is harmless.
    const anon = await api(s, 'POST', '/api/auth/signout');
    expect(anon.status).toBe(200);
  });

  it('signs out everywhere: both sessions dead, the other device’s socket closed with 4410, other accounts untouched', async () => {
    const o = await organiser();
    const other = await anotherSession(o.id);
    const w = await createWorkshop(s, o.cookie);
    const bystander = await joinAs(s, o.cookie, w.id, { name: 'Béatrice' });
    const c = client(s, w.id, other);
    const b = client(s, w.id, bystander.cookie);
    await Promise.all([synced(c), synced(b)]);

    const res = await api(s, 'POST', '/api/auth/signout-all', { cookie: o.cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, sessionsClosed: 2 });
    expect(setCookieOf(res)!.split(';')[0]).toBe('agora_session=');
    await waitFor(() => c.closes.length > 0, 5000, 'other device closed');
    c.provider.disconnect();
    expect(c.closes[0]).toEqual({ code: CloseCode.REVOKED, reason: 'session révoquée : déconnexion de tous les appareils' });
    for (const cookie of [o.cookie, other]) {
      expect((await api(s, 'GET', '/api/workshops', { cookie })).status).toBe(401);
    }
    // The participant's socket and the administrator's session are not affected.
    await new Promise((r) => setTimeout(r, 50));
    expect(b.closes).toEqual([]);
    expect((await api(s, 'GET', '/api/workshops', { cookie: admin })).status).toBe(200);
    // A link session (no account) cannot "sign out everywhere".
    const linkRes = await api(s, 'POST', '/api/auth/signout-all', { cookie: bystander.cookie });
    expect(linkRes.status).toBe(401);
    expect(await linkRes.json()).toEqual({ error: 'connexion requise' });
  });
});

describe('password change', () => {
  it('refuses a wrong current password (400), then changes it: old fails, new works, other sessions closed', async () => {
    const o = await organiser();
    const other = await anotherSession(o.id);
    const w = await createWorkshop(s, o.cookie);
    const c = client(s, w.id, other);
    await synced(c);

    const wrong = await api(s, 'POST', '/api/auth/password', { cookie: o.cookie, body: { currentPassword: 'pas le bon', newPassword: 'un tout nouveau mot de passe' } });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      error: 'mot de passe actuel incorrect',
      issues: [{ path: 'currentPassword', message: 'mot de passe actuel incorrect' }],
    });
    const short = await api(s, 'POST', '/api/auth/password', { cookie: o.cookie, body: { currentPassword: PASSWORD, newPassword: 'court' } });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['newPassword']);
    const anon = await api(s, 'POST', '/api/auth/password', { body: { currentPassword: PASSWORD, newPassword: 'un tout nouveau mot de passe' } });
    expect(anon.status).toBe(401);
    // Nothing changed so far.
    expect(c.closes).toEqual([]);
    expect((await api(s, 'GET', '/api/workshops', { cookie: other })).status).toBe(200);

    const res = await api(s, 'POST', '/api/auth/password', { cookie: o.cookie, body: { currentPassword: PASSWORD, newPassword: 'un tout nouveau mot de passe' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const fresh = sessionCookieOf(res);
    expect(fresh).not.toBe(o.cookie);
    await waitFor(() => c.closes.length > 0, 5000, 'other session socket closed');
    c.provider.disconnect();
    expect(c.closes[0]).toEqual({ code: CloseCode.REVOKED, reason: 'mot de passe changé : reconnectez-vous' });
    expect((await api(s, 'GET', '/api/workshops', { cookie: other })).status).toBe(401);
    expect((await api(s, 'GET', '/api/workshops', { cookie: fresh })).status).toBe(200);

    const old = await api(s, 'POST', '/api/auth/signin', { body: { email: o.email, password: PASSWORD } });
    expect(old.status).toBe(401);
    expect(await old.json()).toEqual({ error: BAD_CREDENTIALS });
    const now = await api(s, 'POST', '/api/auth/signin', { body: { email: o.email, password: 'un tout nouveau mot de passe' } });
    expect(now.status).toBe(200);
  });

  // Regression test (found by the authorisation matrix work).
  it('after a password change, “sign out everywhere” still closes the sockets this browser had open', async () => {
    const o = await organiser();
    const w = await createWorkshop(s, o.cookie);
    const c = client(s, w.id, o.cookie);
    await synced(c);
    const res = await api(s, 'POST', '/api/auth/password', { cookie: o.cookie, body: { currentPassword: PASSWORD, newPassword: 'un tout nouveau mot de passe' } });
    expect(res.status).toBe(200);
    const fresh = sessionCookieOf(res);
    const all = await api(s, 'POST', '/api/auth/signout-all', { cookie: fresh });
    expect(all.status).toBe(200);
    await waitFor(() => c.closes.length > 0, 1500, 'socket closed by sign-out everywhere');
    c.provider.disconnect();
    expect(c.closes[0]?.code).toBe(CloseCode.REVOKED);
  });
});

describe('rate limits', () => {
  it('limits sign-in attempts per address: 429 with Retry-After, even with the right password', async () => {
    const x = await ownServer({ SIGNIN_RATE_LIMIT: '4' });
    await api(x, 'POST', '/api/auth/setup', { body: ADMIN });
    for (let i = 0; i < 4; i++) {
      const res = await api(x, 'POST', '/api/auth/signin', { body: { email: `inconnu${i}@example.org`, password: 'nimporte quoi' } });
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const blocked = await api(x, 'POST', '/api/auth/signin', { body: { email: ADMIN.email, password: ADMIN.password } });
    expect(blocked.status).toBe(429);
    const retry = Number(blocked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    expect(await blocked.json()).toEqual({ error: `trop de tentatives : réessayez dans ${retry} s` });
    expect(blocked.headers.getSetCookie()).toEqual([]);
  });

  it('limits sign-in attempts per e-mail at half the limit; a success resets that count', async () => {
    const x = await ownServer({ SIGNIN_RATE_LIMIT: '8' }); // 4 per e-mail
    await api(x, 'POST', '/api/auth/setup', { body: ADMIN });
    const attempt = (password: string, email: string = ADMIN.email) => api(x, 'POST', '/api/auth/signin', { body: { email, password } });
    expect((await attempt('mauvais 1')).status).toBe(401);
    expect((await attempt(ADMIN.password)).status).toBe(200); // resets this e-mail's count
    // Without the reset, the 4th of these would already be refused.
    for (let i = 2; i <= 5; i++) expect((await attempt(`mauvais ${i}`)).status, `mauvais ${i}`).toBe(401);
    const blocked = await attempt(ADMIN.password); // 5th for this e-mail since the reset, 7th for the address
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: string }).error).toMatch(/^trop de tentatives : réessayez dans \d+ s$/);
    // The address itself is not blocked yet (8th hit): another e-mail still gets an answer.
    expect((await attempt('peu importe', 'autre@example.org')).status).toBe(401);
  });

  it('limits joins by link per address: 429 with Retry-After, and no member added', async () => {
    const x = await ownServer({ JOIN_RATE_LIMIT: '3' });
    const cookie = await adminCookie(x);
    const w = await createWorkshop(x, cookie);
    const inv = await api(x, 'POST', `/api/workshops/${w.id}/invitations`, { cookie, body: { role: 'participant' } });
    const { invitation } = (await inv.json()) as { invitation: { token: string; id: string } };
    const person = { name: 'Jules', organisation: 'EPCI', category: 'epci' };
    expect((await api(x, 'GET', `/api/join/${invitation.token}`)).status).toBe(200);
    expect((await api(x, 'POST', `/api/join/${invitation.token}`, { body: person })).status).toBe(201);
    expect((await api(x, 'GET', `/api/join/${'a'.repeat(26)}`)).status).toBe(404); // look-ups of unknown tokens count too
    const blocked = await api(x, 'POST', `/api/join/${invitation.token}`, { body: person });
    expect(blocked.status).toBe(429);
    const retry = Number(blocked.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(await blocked.json()).toEqual({ error: `trop de tentatives : réessayez dans ${retry} s` });
    expect(blocked.headers.getSetCookie()).toEqual([]);
    expect((await x.store.getInvitation(invitation.id))!.uses).toBe(1);
    expect((await x.store.listMembers(w.id)).length).toBe(2); // the creator and Jules
  });
});

describe('cross-site requests', () => {
  let w: Workshop;
  beforeAll(async () => {
    w = await createWorkshop(s, admin, { name: 'COP CSRF' });
  });

  it('refuses state-changing requests from another origin (403, nothing stored); same origin is fine', async () => {
    const countWorkshops = async () => (await s.store.listWorkshops()).length;
    const before = await countWorkshops();
    const body = { name: 'Atelier forgé', regionCode: '84', date: '2026-12-03' };
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: `http://127.0.0.1:${s.port + 1}` }, // another port is another origin
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of crossSite) {
      const res = await api(s, 'POST', '/api/workshops', { cookie: admin, body, headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toEqual({ error: 'requête refusée : origine non autorisée' });
    }
    expect(await countWorkshops()).toBe(before);

    // Other methods and routes: revoking an invitation, removing a member, signing in (login CSRF), signing out.
    const inv = await api(s, 'POST', `/api/workshops/${w.id}/invitations`, { cookie: admin, body: { role: 'participant' } });
    const { invitation } = (await inv.json()) as { invitation: { id: string; token: string } };
    const evil = { origin: 'https://evil.example' };
    expect((await api(s, 'DELETE', `/api/workshops/${w.id}/invitations/${invitation.id}`, { cookie: admin, headers: evil })).status).toBe(403);
    expect((await s.store.getInvitation(invitation.id))!.revokedAt).toBeNull();
    const member = (await s.store.listMembers(w.id))[0]!;
    expect((await api(s, 'PATCH', `/api/workshops/${w.id}/members/${member.id}`, { cookie: admin, body: { role: 'observateur' }, headers: evil })).status).toBe(403);
    expect((await s.store.getMember(member.id))!.role).toBe(member.role);
    const signin = await api(s, 'POST', '/api/auth/signin', { body: { email: ADMIN.email, password: ADMIN.password }, headers: evil });
    expect(signin.status).toBe(403);
    expect(signin.headers.getSetCookie()).toEqual([]);
    const join = await api(s, 'POST', `/api/join/${invitation.token}`, { body: { name: 'X', organisation: 'Y', category: 'autre' }, headers: evil });
    expect(join.status).toBe(403);
    expect((await s.store.getInvitation(invitation.id))!.uses).toBe(0);
    expect((await api(s, 'POST', '/api/auth/signout', { cookie: admin, headers: evil })).status).toBe(403);
    expect((await api(s, 'GET', '/api/workshops', { cookie: admin })).status).toBe(200);

    // Reads are not state-changing.
    expect((await api(s, 'GET', `/api/workshops/${w.id}`, { cookie: admin, headers: evil })).status).toBe(200);

    // Same origin, or same-origin fetch metadata, is accepted.
    for (const headers of [{ origin: s.url }, { 'sec-fetch-site': 'same-origin' }] as Record<string, string>[]) {
      const res = await api(s, 'POST', '/api/workshops', { cookie: admin, body, headers });
      expect(res.status, JSON.stringify(headers)).toBe(201);
    }
    expect(await countWorkshops()).toBe(before + 2);
  });

  it('refuses a cross-origin WebSocket upgrade with HTTP 403; same origin opens', async () => {
    const name = documentName(w.id, 'diagnostic');
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      const result = await handshake(s, name, { cookie: admin, ...headers });
      expect(result.opened, JSON.stringify(headers)).toBe(false);
      if (!result.opened) {
        expect(result.status).toBe(403);
        expect(result.body).toBe('origine non autorisée\n');
      }
    }
    expect([...s.documents.connections].some((c) => c.document?.workshopId === w.id)).toBe(false);
    const ok = await handshake(s, name, { cookie: admin, origin: s.url });
    expect(ok.opened).toBe(true);
    if (ok.opened) {
      await waitFor(() => ok.messages.length > 0, 5000, 'first frame');
      expect(ok.messages[0]![0]).toBe(0); // y-websocket sync message: the document is served
      ok.ws.close();
    }
  });
});

describe('malformed bodies and unknown links', () => {
  it('answers 400 with issues and stores nothing', async () => {
    const w = await createWorkshop(s, admin, { name: 'COP corps invalides' });
    const accountsBefore = (await s.store.listAccounts()).length;
    const cases: { method: string; path: string; body: unknown; paths: string[]; cookie?: string }[] = [
      { method: 'POST', path: '/api/auth/signin', body: { email: 'pas-une-adresse', password: '' }, paths: ['email', 'password'] },
      { method: 'POST', path: '/api/auth/signin', body: { email: ADMIN.email, password: ADMIN.password, admin: true }, paths: [''] },
      { method: 'POST', path: '/api/auth/accounts', body: { email: 'n@example.fr', name: 'N', password: 'court', organisation: 'O', category: 'autre' }, paths: ['password'], cookie: admin },
      { method: 'POST', path: '/api/auth/accounts', body: { email: 'n@example.fr', name: '', password: PASSWORD, organisation: 'O', category: 'pirate' }, paths: ['category', 'name'], cookie: admin },
      { method: 'POST', path: `/api/workshops/${w.id}/invitations`, body: { role: 'participant', maxUses: 0, expiresInHours: 24 * 61 }, paths: ['expiresInHours', 'maxUses'], cookie: admin },
      { method: 'POST', path: `/api/workshops/${w.id}/members`, body: { email: ADMIN.email, role: 'administrateur' }, paths: ['role'], cookie: admin },
    ];
    for (const c of cases) {
      const res = await api(s, c.method, c.path, { cookie: c.cookie, body: c.body });
      const label = `${c.path} ${JSON.stringify(c.body)}`;
      expect(res.status, label).toBe(400);
      const body = (await res.json()) as { error: string; issues: { path: string; message: string }[] };
      expect(body.error, label).toBe('données invalides');
      expect([...new Set(body.issues.map((i) => i.path))].sort(), label).toEqual(c.paths);
      expect(res.headers.getSetCookie(), label).toEqual([]);
    }
    const notJson = await api(s, 'POST', '/api/auth/signin', { body: '{pas du json' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'corps de requête JSON invalide' });
    expect((await s.store.listAccounts()).length).toBe(accountsBefore);
    expect(await s.store.listInvitations(w.id)).toEqual([]);
    expect((await s.store.listMembers(w.id)).length).toBe(1);

    // A join with a bad body uses nothing and adds no one.
    const inv = await api(s, 'POST', `/api/workshops/${w.id}/invitations`, { cookie: admin, body: { role: 'participant', maxUses: 1 } });
    const { invitation } = (await inv.json()) as { invitation: { id: string; token: string } };
    const join = await api(s, 'POST', `/api/join/${invitation.token}`, { body: { name: ' ', organisation: 'X', category: 'pirate', role: 'animateur' } });
    expect(join.status).toBe(400);
    expect(((await join.json()) as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(['', 'category', 'name']);
    expect(join.headers.getSetCookie()).toEqual([]);
    expect((await s.store.getInvitation(invitation.id))!.uses).toBe(0);
    expect((await s.store.listMembers(w.id)).length).toBe(1);
  });

  it('answers 404 for unknown or malformed invitation tokens', async () => {
    for (const token of [randomId(17).slice(0, 26), 'abc', 'A'.repeat(26), '..%2F..%2Fapi']) {
      for (const method of ['GET', 'POST']) {
        const res = await api(s, method, `/api/join/${token}`, method === 'POST' ? { body: { name: 'X', organisation: 'Y', category: 'autre' } } : {});
        expect(res.status, `${method} ${token}`).toBe(404);
        expect(await res.json(), `${method} ${token}`).toEqual({ error: 'lien d’invitation inconnu' });
        expect(res.headers.getSetCookie()).toEqual([]);
      }
    }
  });
});
