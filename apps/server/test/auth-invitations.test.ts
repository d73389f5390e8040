/**
 * Invitation links and the access they give: expiry, use limits (also under concurrency), revocation (which
 * closes live sockets), coming back in the same browser, removal, and role changes applied to open sockets.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CloseCode,
  INVITATION_STATE_MESSAGES,
  RIGHTS,
  ACTIONS,
  addEntry,
  documentName,
  invitationState,
  readEntries,
  type Workshop,
} from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import type { SqliteStore } from '../src/store/sqlite-store.ts';
import {
  adminCookie,
  api,
  connectClient,
  createWorkshop,
  rawSocket,
  sessionCookieOf,
  signIn,
  startTestServer,
  synced,
  validEntry,
  waitFor,
  type TestClient,
} from './helpers.ts';

const HOUR = 3_600_000;
const PERSON = { name: 'Inès Invitée', organisation: 'Communauté de communes', category: 'epci' } as const;

let s: RunningServer;
let admin: string;
const clients: TestClient[] = [];
beforeAll(async () => {
  s = await startTestServer(undefined, { JOIN_RATE_LIMIT: '10000', SIGNIN_RATE_LIMIT: '1000' });
  admin = await adminCookie(s);
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await s?.close();
});

function client(workshopId: string, cookie: string): TestClient {
  const c = connectClient(s, workshopId, cookie);
  clients.push(c);
  return c;
}

interface Inv {
  id: string;
  token: string;
  role: string;
  state: string;
  expiresAt: string;
  maxUses: number | null;
  uses: number;
}

async function invite(workshopId: string, body: Record<string, unknown> = {}): Promise<Inv> {
  const res = await api(s, 'POST', `/api/workshops/${workshopId}/invitations`, { cookie: admin, body: { role: 'participant', ...body } });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { invitation: Inv }).invitation;
}

function join(token: string, person: Record<string, string> = PERSON, cookie?: string) {
  return api(s, 'POST', `/api/join/${token}`, { body: person, cookie });
}

async function joined(token: string, name: string = PERSON.name): Promise<{ cookie: string; memberId: string }> {
  const res = await join(token, { ...PERSON, name });
  expect(res.status, await res.clone().text()).toBe(201);
  return { cookie: sessionCookieOf(res), memberId: ((await res.json()) as { member: { id: string } }).member.id };
}

async function stateInListing(workshopId: string, id: string): Promise<string | undefined> {
  const res = await api(s, 'GET', `/api/workshops/${workshopId}/invitations`, { cookie: admin });
  return ((await res.json()) as { invitations: Inv[] }).invitations.find((i) => i.id === id)?.state;
}

async function storedTitles(workshopId: string): Promise<string[]> {
  const stored = await s.store.loadDocument(documentName(workshopId, 'diagnostic'));
  const doc = new Y.Doc();
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  const titles = readEntries(doc).map((e) => e.title).sort();
  doc.destroy();
  return titles;
}

async function waitForAsync(predicate: () => Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const presenceOf = (watcher: TestClient, other: TestClient) =>
  watcher.provider.awareness.getStates().get(other.doc.clientID) as { user?: { name: string; role?: string; id?: string } } | undefined;

describe('expired links', () => {
  it('invitationState: valid until expiresAt (exclusive), and revoked > expired > exhausted', () => {
    const now = Date.parse('2026-12-03T09:00:00.000Z');
    const base = { expiresAt: new Date(now + HOUR).toISOString(), maxUses: null, uses: 0, revokedAt: null };
    expect(invitationState(base, now)).toBe('valid');
    expect(invitationState(base, now + HOUR - 1)).toBe('valid');
    expect(invitationState(base, now + HOUR)).toBe('expired');
    expect(invitationState(base, now + 2 * HOUR)).toBe('expired');
    expect(invitationState({ ...base, maxUses: 2, uses: 1 }, now)).toBe('valid');
    expect(invitationState({ ...base, maxUses: 2, uses: 2 }, now)).toBe('exhausted');
    expect(invitationState({ ...base, maxUses: 2, uses: 2 }, now + HOUR)).toBe('expired');
    expect(invitationState({ ...base, maxUses: 2, uses: 2, revokedAt: new Date(now).toISOString() }, now + HOUR)).toBe('revoked');
  });

  it('a link created for 1 hour expires an hour later', async () => {
    const w = await createWorkshop(s, admin);
    const before = Date.now();
    const inv = await invite(w.id, { expiresInHours: 1 });
    const expiresAt = Date.parse(inv.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + HOUR);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + HOUR);
    const stored = (await s.store.getInvitation(inv.id))!;
    expect(invitationState(stored)).toBe('valid');
    expect(invitationState(stored, expiresAt - 1)).toBe('valid');
    expect(invitationState(stored, expiresAt)).toBe('expired');
  });

  it('over HTTP: the join page says it expired, joining answers 410 with the French message, nothing is used', async () => {
    const w = await createWorkshop(s, admin, { name: 'COP lien expiré' });
    const inv = await invite(w.id, { expiresInHours: 1 });
    (s.store as SqliteStore).db.prepare('UPDATE invitations SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), inv.id);
    const look = await api(s, 'GET', `/api/join/${inv.token}`);
    expect(look.status).toBe(200);
    expect(await look.json()).toEqual({
      workshop: { id: w.id, name: 'COP lien expiré', regionCode: w.regionCode, date: w.date },
      role: 'participant',
      state: 'expired',
      message: 'Ce lien d’invitation a expiré.',
      member: null,
    });
    const res = await join(inv.token);
    expect(res.status).toBe(410);
    expect(await res.json()).toEqual({ error: INVITATION_STATE_MESSAGES.expired });
    expect(INVITATION_STATE_MESSAGES.expired).toBe('Ce lien d’invitation a expiré.');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect((await s.store.getInvitation(inv.id))!.uses).toBe(0);
    expect((await s.store.listMembers(w.id)).length).toBe(1);
    expect(await stateInListing(w.id, inv.id)).toBe('expired');
  });
});

describe('exhausted links', () => {
  it('maxUses 2: two joins, the third is refused with 410 and the French message', async () => {
    const w = await createWorkshop(s, admin);
    const inv = await invite(w.id, { maxUses: 2 });
    await joined(inv.token, 'Première');
    await joined(inv.token, 'Deuxième');
    const third = await join(inv.token, { ...PERSON, name: 'Troisième' });
    expect(third.status).toBe(410);
    expect(await third.json()).toEqual({ error: 'Ce lien d’invitation a atteint son nombre maximal d’utilisations.' });
    expect((await s.store.getInvitation(inv.id))!.uses).toBe(2);
    expect((await s.store.listMembers(w.id)).map((m) => m.name).sort()).toEqual(['Claire Admin', 'Deuxième', 'Première']);
    expect(await stateInListing(w.id, inv.id)).toBe('exhausted');
    const look = (await (await api(s, 'GET', `/api/join/${inv.token}`)).json()) as { state: string; message: string };
    expect(look).toMatchObject({ state: 'exhausted', message: INVITATION_STATE_MESSAGES.exhausted });
  });

  it('concurrent joins never exceed maxUses (10 at once, maxUses 3)', async () => {
    const w = await createWorkshop(s, admin);
    const inv = await invite(w.id, { maxUses: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => join(inv.token, { ...PERSON, name: `Concurrent ${i}` })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(3);
    expect(statuses.filter((x) => x === 410)).toHaveLength(7);
    for (const r of results.filter((x) => x.status === 410)) {
      expect(await r.json()).toEqual({ error: INVITATION_STATE_MESSAGES.exhausted });
      // Those who did not get in are not left with a session of no use.
      expect(r.headers.getSetCookie().filter((x) => x.startsWith('agora_session='))).toEqual([]);
    }
    expect((await s.store.getInvitation(inv.id))!.uses).toBe(3);
    const members = await s.store.listMembers(w.id);
    expect(members.filter((m) => m.invitationId === inv.id)).toHaveLength(3);
    // The three who got in are exactly the three with a 201.
    const winners = await Promise.all(results.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as { member: { id: string } }).member.id));
    expect(members.filter((m) => m.invitationId === inv.id).map((m) => m.id).sort()).toEqual(winners.sort());
  });
});

describe('revoked links', () => {
  it('refuses the link (410), closes the sockets of those it let in (4410) and takes their access away', async () => {
    const w = await createWorkshop(s, admin, { name: 'COP révocation' });
    const inv = await invite(w.id);
    const p = await joined(inv.token, 'Paul Révoqué');
    const promoted = await joined(inv.token, 'Priscille Promue');
    expect((await api(s, 'PATCH', `/api/workshops/${w.id}/members/${promoted.memberId}`, { cookie: admin, body: { role: 'animateur' } })).status).toBe(200);
    // An organiser account that used the link keeps its place too.
    const orgRes = await api(s, 'POST', '/api/auth/accounts', {
      cookie: admin,
      body: { email: 'orga.revocation@region.example.fr', name: 'Olga Organisatrice', password: 'un mot de passe assez long', organisation: 'Région', category: 'conseil-regional' },
    });
    expect(orgRes.status).toBe(201);
    const org = await signIn(s, 'orga.revocation@region.example.fr', 'un mot de passe assez long');
    const orgJoin = await join(inv.token, { ...PERSON, name: 'Olga (lien)' }, org);
    expect(orgJoin.status).toBe(201);
    expect(((await orgJoin.json()) as { member: { userId: string | null } }).member.userId).not.toBeNull();

    const c = client(w.id, p.cookie);
    const keeper = client(w.id, promoted.cookie);
    await Promise.all([synced(c), synced(keeper)]);

    const res = await api(s, 'DELETE', `/api/workshops/${w.id}/invitations/${inv.id}`, { cookie: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, membersRemoved: 1 });

    await waitFor(() => c.closes.length > 0, 5000, 'revoked socket closed');
    c.provider.disconnect();
    expect(c.closes[0]).toEqual({ code: CloseCode.REVOKED, reason: 'invitation révoquée : votre accès à l’atelier est fermé' });
    await new Promise((r) => setTimeout(r, 50));
    expect(keeper.closes).toEqual([]);

    // The cookie no longer opens anything in this workshop.
    const get = await api(s, 'GET', `/api/workshops/${w.id}`, { cookie: p.cookie });
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual({ error: 'atelier introuvable' });
    const list = (await (await api(s, 'GET', '/api/workshops', { cookie: p.cookie })).json()) as { workshops: Workshop[] };
    expect(list.workshops.map((x) => x.id)).not.toContain(w.id);
    const { closed } = await rawSocket(s, documentName(w.id, 'diagnostic'), { cookie: p.cookie });
    expect((await closed).code).toBe(CloseCode.FORBIDDEN);
    // Nor can they come back through the link, with or without their cookie.
    for (const cookie of [p.cookie, undefined]) {
      const again = await join(inv.token, PERSON, cookie);
      expect(again.status).toBe(410);
      expect(await again.json()).toEqual({ error: 'Ce lien d’invitation a été révoqué.' });
    }
    const look = (await (await api(s, 'GET', `/api/join/${inv.token}`, { cookie: p.cookie })).json()) as { state: string; member: unknown };
    expect(look).toMatchObject({ state: 'revoked', member: null });
    expect(await stateInListing(w.id, inv.id)).toBe('revoked');

    // The promoted facilitator and the organiser account keep their access.
    expect((await api(s, 'GET', `/api/workshops/${w.id}`, { cookie: promoted.cookie })).status).toBe(200);
    expect((await api(s, 'GET', `/api/workshops/${w.id}`, { cookie: org })).status).toBe(200);

    // Revoking again changes nothing.
    const revokedAt = (await s.store.getInvitation(inv.id))!.revokedAt;
    const twice = await api(s, 'DELETE', `/api/workshops/${w.id}/invitations/${inv.id}`, { cookie: admin });
    expect(await twice.json()).toEqual({ ok: true, membersRemoved: 0 });
    expect((await s.store.getInvitation(inv.id))!.revokedAt).toBe(revokedAt);
  });

  it('an invitation of another workshop cannot be revoked through this one (404)', async () => {
    const w = await createWorkshop(s, admin);
    const other = await createWorkshop(s, admin);
    const inv = await invite(other.id);
    const res = await api(s, 'DELETE', `/api/workshops/${w.id}/invitations/${inv.id}`, { cookie: admin });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'invitation introuvable' });
    expect((await s.store.getInvitation(inv.id))!.revokedAt).toBeNull();
  });
});

describe('coming back', () => {
  it('in the same browser: the same member is returned (200), no new use is counted, even once the link is used up', async () => {
    const w = await createWorkshop(s, admin);
    const inv = await invite(w.id, { maxUses: 1 });
    const first = await join(inv.token);
    expect(first.status).toBe(201);
    const cookie = sessionCookieOf(first);
    const { member } = (await first.json()) as { member: { id: string } };
    expect((await s.store.getInvitation(inv.id))!.uses).toBe(1);

    const again = await join(inv.token, { ...PERSON, name: 'Autre nom' }, cookie);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ member: expect.objectContaining({ id: member.id, name: PERSON.name, role: 'participant' }), workshopId: w.id });
    expect(again.headers.getSetCookie()).toEqual([]);
    expect((await s.store.getInvitation(inv.id))!.uses).toBe(1);
    expect((await s.store.listMembers(w.id)).length).toBe(2);
    const look = (await (await api(s, 'GET', `/api/join/${inv.token}`, { cookie })).json()) as { state: string; member: { id: string } };
    expect(look.state).toBe('exhausted');
    expect(look.member.id).toBe(member.id);
  });

  it('an organiser already seated keeps their seat (no downgrade, no duplicate, no use counted)', async () => {
    const w = await createWorkshop(s, admin);
    const inv = await invite(w.id, { role: 'observateur' });
    const res = await join(inv.token, PERSON, admin);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { member: { role: string; name: string } }).member).toMatchObject({ role: 'animateur', name: 'Claire Admin' });
    expect((await s.store.getInvitation(inv.id))!.uses).toBe(0);
    expect((await s.store.listMembers(w.id)).length).toBe(1);
  });
});

describe('removal and role changes on live sockets', () => {
  it('removing a member closes their socket with 4410 and their cookie no longer opens the workshop', async () => {
    const w = await createWorkshop(s, admin);
    const inv = await invite(w.id);
    const p = await joined(inv.token, 'Rémi Retiré');
    const other = await joined(inv.token, 'Rita Restée');
    const c = client(w.id, p.cookie);
    const o = client(w.id, other.cookie);
    await Promise.all([synced(c), synced(o)]);
    const res = await api(s, 'DELETE', `/api/workshops/${w.id}/members/${p.memberId}`, { cookie: admin });
    expect(res.status).toBe(200);
    await waitFor(() => c.closes.length > 0, 5000, 'removed socket closed');
    c.provider.disconnect();
    expect(c.closes[0]).toEqual({ code: CloseCode.REVOKED, reason: 'vous avez été retiré·e de l’atelier' });
    await new Promise((r) => setTimeout(r, 50));
    expect(o.closes).toEqual([]);
    expect((await api(s, 'GET', `/api/workshops/${w.id}`, { cookie: p.cookie })).status).toBe(404);
    const { closed } = await rawSocket(s, documentName(w.id, 'diagnostic'), { cookie: p.cookie });
    expect((await closed).code).toBe(CloseCode.FORBIDDEN);
    // The invitation still works for others; the removed person is a new member if they join again.
    expect((await s.store.getInvitation(inv.id))!.revokedAt).toBeNull();
  });

  it('participant → observateur: no reconnection, presence shows the new role at the next renewal, the next write is refused (4403)', async () => {
    const w = await createWorkshop(s, admin);
    const inv = await invite(w.id);
    const p = await joined(inv.token, 'Léa Lectrice');
    const watcher = client(w.id, admin);
    const c = client(w.id, p.cookie);
    await Promise.all([synced(watcher), synced(c)]);
    const state = { user: { name: 'Léa', color: '#047857' }, editing: null };
    c.provider.awareness.setLocalState(state);
    await waitFor(() => presenceOf(watcher, c)?.user?.role === 'participant', 5000, 'participant presence');
    expect(presenceOf(watcher, c)?.user).toMatchObject({ name: 'Léa Lectrice', id: p.memberId, role: 'participant' });

    addEntry(c.doc, validEntry({ title: 'Avant le changement de rôle' }), 'Léa');
    await waitForAsync(async () => (await storedTitles(w.id)).includes('Avant le changement de rôle'), 5000, 'first entry stored');

    const conn = [...s.documents.connections].find((x) => x.identity?.memberId === p.memberId)!;
    expect(conn.readOnly).toBe(false);
    const res = await api(s, 'PATCH', `/api/workshops/${w.id}/members/${p.memberId}`, { cookie: admin, body: { role: 'observateur' } });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    // Same socket, still open, now read-only.
    expect(c.closes).toEqual([]);
    expect(c.provider.wsconnected).toBe(true);
    expect(conn.closed).toBe(false);
    expect(conn.readOnly).toBe(true);
    expect(conn.identity?.role).toBe('observateur');
    const me = (await (await api(s, 'GET', `/api/workshops/${w.id}/me`, { cookie: p.cookie })).json()) as { role: string; rights: string[] };
    expect(me.role).toBe('observateur');
    expect(me.rights).toEqual(ACTIONS.filter((a) => RIGHTS.observateur.has(a)));

    // Until the client renews its presence, the old stamp stays; the renewal carries the new role.
    expect(presenceOf(watcher, c)?.user?.role).toBe('participant');
    c.provider.awareness.setLocalState({ ...state });
    await waitFor(() => presenceOf(watcher, c)?.user?.role === 'observateur', 5000, 'observer presence');
    expect(presenceOf(watcher, c)?.user).toMatchObject({ name: 'Léa Lectrice', id: p.memberId });

    addEntry(c.doc, validEntry({ title: 'Après le changement de rôle' }), 'Léa');
    await waitFor(() => c.closes.length > 0, 5000, 'write refused');
    c.provider.disconnect();
    expect(c.closes[0]).toEqual({ code: CloseCode.FORBIDDEN, reason: 'lecture seule : modification refusée' });
    await new Promise((r) => setTimeout(r, 100));
    expect(await storedTitles(w.id)).toEqual(['Avant le changement de rôle']);
  });

  it('observateur → participant: the same socket may write at once', async () => {
    const w = await createWorkshop(s, admin);
    const inv = await invite(w.id, { role: 'observateur' });
    const o = await joined(inv.token, 'Oscar Promu');
    const c = client(w.id, o.cookie);
    await synced(c);
    const res = await api(s, 'PATCH', `/api/workshops/${w.id}/members/${o.memberId}`, { cookie: admin, body: { role: 'participant' } });
    expect(res.status).toBe(200);
    addEntry(c.doc, validEntry({ title: 'Écrit après la promotion' }), 'Oscar');
    await waitForAsync(async () => (await storedTitles(w.id)).includes('Écrit après la promotion'), 5000, 'entry stored');
    expect(c.closes).toEqual([]);
  });
});
