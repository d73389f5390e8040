/**
 * Authorisation matrix: every principal × every action, over HTTP and over WebSocket. The expectations are
 * computed from the domain's RIGHTS table and `canAssignRole`, so the table and the enforcement cannot drift;
 * a few literal anchors make sure the table itself says what the product promises.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ACTIONS,
  CloseCode,
  INVITABLE_ROLES,
  RIGHTS,
  WORKSHOP_ROLES,
  addEntry,
  canAssignRole,
  documentName,
  readEntries,
  type Account,
  type Action,
  type Workshop,
  type WorkshopRole,
} from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { randomId } from '../src/auth/tokens.ts';
import {
  ADMIN,
  adminCookie,
  api,
  connectClient,
  createWorkshop,
  rawSocket,
  sessionCookieOf,
  startTestServer,
  synced,
  validEntry,
  waitFor,
  type TestClient,
} from './helpers.ts';

type Kind = 'anonymous' | 'member' | 'outsider' | 'admin';
interface Principal {
  key: string;
  kind: Kind;
  /** Role in the workshop under test (null: not a member). */
  role: WorkshopRole | null;
  cookie: string | undefined;
  hasAccount: boolean;
  memberId: string | null;
  /** Name under which the server knows them in the workshop. */
  name: string;
  organisation: string;
}

type Expect = 'ok' | 401 | 403 | 404;

const PASSWORD = 'un mot de passe assez long';
const ERR = {
  401: 'connexion requise',
  404: 'atelier introuvable',
  403: 'action non autorisée pour votre rôle',
} as const;

/** What the server must answer to `p` for an action guarded by `requireWorkshop(action)`, from the table. */
function expected(p: Principal, action: Action): Expect {
  if (p.kind === 'anonymous') return 401;
  if (p.kind === 'outsider') return 404;
  if (p.kind === 'admin') return 'ok';
  return RIGHTS[p.role!].has(action) ? 'ok' : 403;
}

/** Same, for role assignments: also needs `canAssignRole` (403 with the route's own message otherwise). */
function expectedAssign(p: Principal, current: WorkshopRole | null, next: WorkshopRole | null): Expect {
  const base = expected(p, 'people.manage');
  if (base !== 'ok') return base;
  return canAssignRole(p.role, current, next, p.kind === 'admin') ? 'ok' : 403;
}

/** Checks a refusal's exact status and body. */
async function expectRefusal(res: Response, status: 401 | 403 | 404, error: string, label: string): Promise<void> {
  const body = await res.text();
  expect(res.status, `${label}: ${body}`).toBe(status);
  expect(JSON.parse(body), label).toEqual({ error });
}

let s: RunningServer;
let admin: string;
let w: Workshop;
let w2: Workshop;
let principals: Principal[];
let by: Record<string, Principal>;
/** A standing invitation used to make throw-away target members. */
let targetToken: string;
/** An organiser account that matrix actors try to seat. */
let seatEmail: string;
let seatAccountId: string;
const clients: TestClient[] = [];

function client(cookie: string, workshopId = w.id): TestClient {
  const c = connectClient(s, workshopId, cookie);
  clients.push(c);
  return c;
}

let passwordHash: string;
/** An organiser account, stored directly with one shared hash (account creation over HTTP is tested elsewhere). */
async function createAccount(email: string, name: string, organisation: string, category: Account['category'] = 'conseil-regional') {
  passwordHash ??= await hashPassword(PASSWORD);
  const account: Account = { id: randomId(), email, name, organisation, category, isAdmin: false, createdAt: new Date().toISOString() };
  await s.store.createAccount(account, passwordHash);
  return account;
}

/** A session of an account, as signing in creates it. */
async function sessionOf(accountId: string): Promise<string> {
  const { token } = await s.sessions.create(accountId);
  return `agora_session=${token}`;
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function joinWith(token: string, name: string, organisation = 'CCI Auvergne-Rhône-Alpes') {
  const res = await api(s, 'POST', `/api/join/${token}`, { body: { name, organisation, category: 'organisme-consulaire' } });
  expect(res.status, await res.clone().text()).toBe(201);
  const { member } = await json<{ member: { id: string } }>(res);
  return { cookie: sessionCookieOf(res), memberId: member.id };
}

async function invite(workshopId: string, role: 'participant' | 'observateur', cookie = admin, extra: Record<string, unknown> = {}) {
  const res = await api(s, 'POST', `/api/workshops/${workshopId}/invitations`, { cookie, body: { role, ...extra } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json<{ invitation: { id: string; token: string } }>(res)).invitation;
}

/** A fresh member of `w` with `role` (joined by link, then given the role by the administrator). */
async function freshTarget(role: WorkshopRole, label: string): Promise<string> {
  const { memberId } = await joinWith(targetToken, `Cible ${label}`.slice(0, 80));
  if (role !== 'participant') {
    const res = await api(s, 'PATCH', `/api/workshops/${w.id}/members/${memberId}`, { cookie: admin, body: { role } });
    expect(res.status).toBe(200);
  }
  return memberId;
}

async function storedEntries(workshopId: string) {
  const stored = await s.store.loadDocument(documentName(workshopId, 'diagnostic'));
  const doc = new Y.Doc();
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  const entries = readEntries(doc);
  doc.destroy();
  return entries;
}

async function waitForAsync(predicate: () => Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  s = await startTestServer(undefined, { SIGNIN_RATE_LIMIT: '1000', JOIN_RATE_LIMIT: '10000' });
  admin = await adminCookie(s);

  const anim = await createAccount('animation@region.example.fr', 'Aline Animatrice', 'Conseil régional');
  const etat = await createAccount('prefet@prefecture.example.fr', 'Paul Préfet', 'Préfecture de région', 'services-etat');
  const region = await createAccount('presidente@region.example.fr', 'Rose Présidente', 'Conseil régional');
  const outsider = await createAccount('autre@region.example.fr', 'Olivier Autre', 'Conseil départemental', 'conseil-departemental');
  seatEmail = 'siege@region.example.fr';
  seatAccountId = (await createAccount(seatEmail, 'Simone Siège', 'EPCI', 'epci')).id;

  const animCookie = await sessionOf(anim.id);
  // The workshop is created by the facilitator, so that the administrator is NOT a member of it.
  w = await createWorkshop(s, animCookie, { name: 'COP matrice des droits' });
  w2 = await createWorkshop(s, animCookie, { name: 'COP autre atelier' });

  for (const [email, role] of [
    ['prefet@prefecture.example.fr', 'copresident-etat'],
    ['presidente@region.example.fr', 'copresident-region'],
  ] as const) {
    const res = await api(s, 'POST', `/api/workshops/${w.id}/members`, { cookie: admin, body: { email, role } });
    expect(res.status).toBe(201);
  }
  const etatCookie = await sessionOf(etat.id);
  const regionCookie = await sessionOf(region.id);
  const outsiderCookie = await sessionOf(outsider.id);

  const participant = await joinWith((await invite(w.id, 'participant')).token, 'Pauline Participante', 'Métropole de Lyon');
  const observateur = await joinWith((await invite(w.id, 'observateur')).token, 'Omar Observateur', 'ADEME');
  const elsewhere = await joinWith((await invite(w2.id, 'participant')).token, 'Éric Ailleurs', 'CCI Ailleurs');
  targetToken = (await invite(w.id, 'participant')).token;

  const memberIdOf = async (userId: string) => (await s.store.findMemberByAccount(w.id, userId))!.id;
  principals = [
    { key: 'anonyme', kind: 'anonymous', role: null, cookie: undefined, hasAccount: false, memberId: null, name: '', organisation: '' },
    { key: 'copresident-etat', kind: 'member', role: 'copresident-etat', cookie: etatCookie, hasAccount: true, memberId: await memberIdOf(etat.id), name: 'Paul Préfet', organisation: 'Préfecture de région' },
    { key: 'copresident-region', kind: 'member', role: 'copresident-region', cookie: regionCookie, hasAccount: true, memberId: await memberIdOf(region.id), name: 'Rose Présidente', organisation: 'Conseil régional' },
    { key: 'animateur', kind: 'member', role: 'animateur', cookie: animCookie, hasAccount: true, memberId: await memberIdOf(anim.id), name: 'Aline Animatrice', organisation: 'Conseil régional' },
    { key: 'participant', kind: 'member', role: 'participant', cookie: participant.cookie, hasAccount: false, memberId: participant.memberId, name: 'Pauline Participante', organisation: 'Métropole de Lyon' },
    { key: 'observateur', kind: 'member', role: 'observateur', cookie: observateur.cookie, hasAccount: false, memberId: observateur.memberId, name: 'Omar Observateur', organisation: 'ADEME' },
    { key: 'membre-autre-atelier', kind: 'outsider', role: null, cookie: elsewhere.cookie, hasAccount: false, memberId: null, name: 'Éric Ailleurs', organisation: 'CCI Ailleurs' },
    { key: 'organisateur-non-membre', kind: 'outsider', role: null, cookie: outsiderCookie, hasAccount: true, memberId: null, name: 'Olivier Autre', organisation: 'Conseil départemental' },
    { key: 'administrateur', kind: 'admin', role: null, cookie: admin, hasAccount: true, memberId: null, name: ADMIN.name, organisation: ADMIN.organisation },
  ];
  by = Object.fromEntries(principals.map((p) => [p.key, p]));
});

afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await s?.close();
});

describe('the rights table says what the product promises', () => {
  it('anchors: co-chairs may do everything, observers only read and export, facilitators manage but do not vote', () => {
    for (const a of ACTIONS) {
      expect(RIGHTS['copresident-etat'].has(a), a).toBe(true);
      expect(RIGHTS['copresident-region'].has(a), a).toBe(true);
    }
    expect([...RIGHTS.observateur].sort()).toEqual(['diagnostic.read', 'export', 'people.read', 'presence.see', 'workshop.read']);
    expect(RIGHTS.participant.has('diagnostic.edit')).toBe(true);
    expect(RIGHTS.participant.has('people.manage')).toBe(false);
    expect(RIGHTS.animateur.has('people.manage')).toBe(true);
    expect(RIGHTS.animateur.has('vote.cast')).toBe(false);
    expect(canAssignRole('animateur', null, 'copresident-etat')).toBe(false);
    expect(canAssignRole('animateur', 'participant', 'animateur')).toBe(false);
    expect(canAssignRole('animateur', 'participant', 'observateur')).toBe(true);
    expect(canAssignRole('copresident-region', null, 'copresident-etat')).toBe(true);
    expect(canAssignRole('participant', 'observateur', 'participant')).toBe(false);
    expect(canAssignRole(null, null, 'participant', true)).toBe(true);
  });
});

describe('HTTP authorisation matrix', () => {
  it('reads: GET workshop, /me, members, invitations, audit', async () => {
    const reads: { label: string; action: Action; path: string }[] = [
      { label: 'GET workshop', action: 'workshop.read', path: `/api/workshops/${w.id}` },
      { label: 'GET me', action: 'workshop.read', path: `/api/workshops/${w.id}/me` },
      { label: 'GET members', action: 'people.read', path: `/api/workshops/${w.id}/members` },
      { label: 'GET invitations', action: 'invitations.manage', path: `/api/workshops/${w.id}/invitations` },
      { label: 'GET audit', action: 'audit.read', path: `/api/workshops/${w.id}/audit` },
    ];
    let allowedCount = 0;
    let refusedCount = 0;
    for (const p of principals) {
      for (const r of reads) {
        const label = `${p.key} ${r.label}`;
        const res = await api(s, 'GET', r.path, { cookie: p.cookie });
        const exp = expected(p, r.action);
        if (exp !== 'ok') {
          refusedCount++;
          await expectRefusal(res, exp, ERR[exp], label);
          continue;
        }
        allowedCount++;
        expect(res.status, label).toBe(200);
        const body = (await res.json()) as Record<string, unknown>;
        if (r.label === 'GET workshop') expect((body.workshop as Workshop).id, label).toBe(w.id);
        if (r.label === 'GET me') {
          const rights = ACTIONS.filter((a) => p.kind === 'admin' || RIGHTS[p.role!].has(a));
          expect(body, label).toEqual({
            member: p.memberId ? expect.objectContaining({ id: p.memberId, role: p.role, name: p.name }) : null,
            role: p.role,
            isAdmin: p.kind === 'admin',
            rights,
          });
        }
        if (r.label === 'GET members') {
          const members = body.members as Record<string, unknown>[];
          const manager = p.kind === 'admin' || RIGHTS[p.role!].has('people.manage');
          for (const q of principals.filter((x) => x.kind === 'member')) {
            const m = members.find((x) => x.id === q.memberId);
            expect(m, `${label} sees ${q.key}`).toMatchObject({ name: q.name, role: q.role });
            // Account and invitation ids only for people managers; session ids never.
            expect(m!.userId !== null, `${label} userId of ${q.key}`).toBe(manager && q.hasAccount);
            expect(m!.invitationId !== null, `${label} invitationId of ${q.key}`).toBe(manager && !q.hasAccount);
            expect(m, label).not.toHaveProperty('sessionId');
          }
          // Nobody from the other workshop is listed.
          expect(members.some((x) => x.name === 'Éric Ailleurs'), label).toBe(false);
        }
        if (r.label === 'GET invitations') expect((body.invitations as unknown[]).length, label).toBeGreaterThanOrEqual(3);
        if (r.label === 'GET audit') expect(Array.isArray(body.entries), label).toBe(true);
      }
    }
    // The matrix is not vacuous: both sides are exercised.
    expect(allowedCount).toBeGreaterThan(10);
    expect(refusedCount).toBeGreaterThan(10);
  });

  it('GET /api/auth/me tells who is there, without the password hash', async () => {
    for (const p of principals) {
      const res = await api(s, 'GET', '/api/auth/me', { cookie: p.cookie });
      expect(res.status, p.key).toBe(200);
      const body = (await res.json()) as { account: Record<string, unknown> | null; hasSession: boolean };
      expect(body.hasSession, p.key).toBe(p.kind !== 'anonymous');
      if (p.hasAccount) {
        expect(body.account, p.key).toMatchObject({ name: p.name, isAdmin: p.kind === 'admin' });
        expect(body.account, p.key).not.toHaveProperty('passwordHash');
        expect(JSON.stringify(body), p.key).not.toMatch(/argon2/);
      } else expect(body.account, p.key).toBeNull();
    }
  });

  it('lists workshops: members and the administrator see it, nobody else does', async () => {
    for (const p of principals) {
      const res = await api(s, 'GET', '/api/workshops', { cookie: p.cookie });
      if (p.kind === 'anonymous') {
        await expectRefusal(res, 401, 'connexion requise', p.key);
        continue;
      }
      expect(res.status, p.key).toBe(200);
      const ids = (await json<{ workshops: Workshop[] }>(res)).workshops.map((x) => x.id);
      expect(ids.includes(w.id), `${p.key} sees w`).toBe(p.kind === 'member' || p.kind === 'admin');
      const inW2 = p.key === 'animateur' || p.key === 'membre-autre-atelier' || p.kind === 'admin';
      expect(ids.includes(w2.id), `${p.key} sees w2`).toBe(inW2);
    }
  });

  it('creates workshops: organiser accounts only (link sessions and visitors get 401)', async () => {
    for (const p of principals) {
      const before = (await s.store.listWorkshops()).length;
      const res = await api(s, 'POST', '/api/workshops', { cookie: p.cookie, body: { name: `Atelier de ${p.key}`, regionCode: '84', date: '2026-12-03' } });
      if (!p.hasAccount) {
        await expectRefusal(res, 401, 'connexion d’organisateur requise', p.key);
        expect((await s.store.listWorkshops()).length, p.key).toBe(before);
        continue;
      }
      expect(res.status, p.key).toBe(201);
      const { workshop } = await json<{ workshop: Workshop }>(res);
      // The creator sits in it as a facilitator.
      const me = await json<{ role: string }>(await api(s, 'GET', `/api/workshops/${workshop.id}/me`, { cookie: p.cookie }));
      expect(me.role, p.key).toBe('animateur');
    }
  });

  it('seats organiser accounts (POST members) as the table and canAssignRole say', async () => {
    let seated = 0;
    for (const p of principals) {
      for (const role of WORKSHOP_ROLES) {
        const label = `${p.key} seats ${role}`;
        const res = await api(s, 'POST', `/api/workshops/${w.id}/members`, { cookie: p.cookie, body: { email: seatEmail, role } });
        const exp = expectedAssign(p, null, role);
        if (exp !== 'ok') {
          const msg = exp === 403 && expected(p, 'people.manage') === 'ok' ? 'votre rôle ne permet pas d’attribuer ce rôle' : ERR[exp];
          await expectRefusal(res, exp, msg, label);
          expect(await s.store.findMemberByAccount(w.id, seatAccountId), label).toBeNull();
          continue;
        }
        seated++;
        expect(res.status, label).toBe(201);
        const { member } = await json<{ member: { id: string; role: string; userId: string } }>(res);
        expect(member, label).toMatchObject({ role, userId: seatAccountId, name: 'Simone Siège' });
        expect((await s.store.findMemberByAccount(w.id, seatAccountId))?.role, label).toBe(role);
        const del = await api(s, 'DELETE', `/api/workshops/${w.id}/members/${member.id}`, { cookie: admin });
        expect(del.status, label).toBe(200);
      }
    }
    // admin 5 + two co-chairs 5 each + facilitator 2 (participant, observateur).
    expect(seated).toBe(17);
  });

  it('anchor: the facilitator cannot seat a co-chair or a facilitator; a co-chair can', async () => {
    const seat = (p: string, role: WorkshopRole) =>
      api(s, 'POST', `/api/workshops/${w.id}/members`, { cookie: by[p]!.cookie, body: { email: seatEmail, role } });
    await expectRefusal(await seat('animateur', 'copresident-etat'), 403, 'votre rôle ne permet pas d’attribuer ce rôle', 'anim→etat');
    await expectRefusal(await seat('animateur', 'animateur'), 403, 'votre rôle ne permet pas d’attribuer ce rôle', 'anim→anim');
    const ok = await seat('copresident-region', 'copresident-etat');
    expect(ok.status).toBe(201);
    const { member } = await json<{ member: { id: string } }>(ok);
    // Once seated as a co-chair, the facilitator cannot unseat them either.
    await expectRefusal(
      await api(s, 'DELETE', `/api/workshops/${w.id}/members/${member.id}`, { cookie: by.animateur!.cookie }),
      403,
      'votre rôle ne permet pas de retirer cette personne',
      'anim removes etat',
    );
    expect((await api(s, 'DELETE', `/api/workshops/${w.id}/members/${member.id}`, { cookie: by['copresident-etat']!.cookie })).status).toBe(200);
  });

  it('changes roles (PATCH members): every actor × current role × next role', async () => {
    const targets = new Map<WorkshopRole, string>();
    for (const role of WORKSHOP_ROLES) targets.set(role, await freshTarget(role, `patch ${role}`));
    let changed = 0;
    for (const p of principals) {
      for (const from of WORKSHOP_ROLES) {
        const id = targets.get(from)!;
        for (const to of WORKSHOP_ROLES) {
          const label = `${p.key}: ${from} → ${to}`;
          const res = await api(s, 'PATCH', `/api/workshops/${w.id}/members/${id}`, { cookie: p.cookie, body: { role: to } });
          const exp = expectedAssign(p, from, to);
          if (exp !== 'ok') {
            const msg = exp === 403 && expected(p, 'people.manage') === 'ok' ? 'votre rôle ne permet pas ce changement' : ERR[exp];
            await expectRefusal(res, exp, msg, label);
            expect((await s.store.getMember(id))?.role, label).toBe(from);
            continue;
          }
          changed++;
          expect(res.status, label).toBe(200);
          const body = await json<{ member: Record<string, unknown> }>(res);
          expect(body.member, label).toMatchObject({ id, role: to });
          expect(body.member, label).not.toHaveProperty('sessionId');
          expect((await s.store.getMember(id))?.role, label).toBe(to);
          if (to !== from) {
            const reset = await api(s, 'PATCH', `/api/workshops/${w.id}/members/${id}`, { cookie: admin, body: { role: from } });
            expect(reset.status, label).toBe(200);
          }
        }
      }
    }
    // admin 25 + co-chairs 25 each + facilitator 4 (participant/observateur among themselves).
    expect(changed).toBe(79);
  });

  it('nobody but an administrator changes their own role or removes themselves', async () => {
    for (const key of ['copresident-etat', 'animateur'] as const) {
      const p = by[key]!;
      const patch = await api(s, 'PATCH', `/api/workshops/${w.id}/members/${p.memberId}`, { cookie: p.cookie, body: { role: 'participant' } });
      expect(patch.status, key).toBe(400);
      expect(((await patch.json()) as { error: string }).error, key).toMatch(/^vous ne pouvez pas changer votre propre rôle/);
      const del = await api(s, 'DELETE', `/api/workshops/${w.id}/members/${p.memberId}`, { cookie: p.cookie });
      expect(del.status, key).toBe(400);
      expect(await del.json(), key).toEqual({ error: 'vous ne pouvez pas vous retirer vous-même' });
      expect((await s.store.getMember(p.memberId!))?.role, key).toBe(p.role);
    }
  });

  it('removes members (DELETE members): every actor × target role', async () => {
    let removed = 0;
    for (const p of principals) {
      for (const role of WORKSHOP_ROLES) {
        const label = `${p.key} removes ${role}`;
        const id = await freshTarget(role, `${p.key} ${role}`);
        const res = await api(s, 'DELETE', `/api/workshops/${w.id}/members/${id}`, { cookie: p.cookie });
        const exp = expectedAssign(p, role, null);
        if (exp !== 'ok') {
          const msg = exp === 403 && expected(p, 'people.manage') === 'ok' ? 'votre rôle ne permet pas de retirer cette personne' : ERR[exp];
          await expectRefusal(res, exp, msg, label);
          expect((await s.store.getMember(id))?.role, label).toBe(role);
          continue;
        }
        removed++;
        expect(res.status, label).toBe(200);
        expect(await res.json(), label).toEqual({ ok: true });
        expect(await s.store.getMember(id), label).toBeNull();
      }
    }
    expect(removed).toBe(17);
  });

  it('a member of another workshop cannot act on this one through its member ids', async () => {
    // The facilitator of w2 (also of w) is fine; the participant of w2 tries to remove someone of w by id.
    const id = await freshTarget('participant', 'cross');
    const res = await api(s, 'DELETE', `/api/workshops/${w.id}/members/${id}`, { cookie: by['membre-autre-atelier']!.cookie });
    await expectRefusal(res, 404, 'atelier introuvable', 'cross delete');
    // And a manager of w2 cannot reach a member of w through w2's URL.
    const w2res = await api(s, 'DELETE', `/api/workshops/${w2.id}/members/${id}`, { cookie: by.animateur!.cookie });
    expect(w2res.status).toBe(404);
    expect(await w2res.json()).toEqual({ error: 'personne introuvable' });
    expect(await s.store.getMember(id)).not.toBeNull();
  });

  it('creates and revokes invitations (POST/DELETE invitations)', async () => {
    for (const p of principals) {
      for (const role of INVITABLE_ROLES) {
        const label = `${p.key} invites ${role}`;
        const before = (await s.store.listInvitations(w.id)).length;
        const res = await api(s, 'POST', `/api/workshops/${w.id}/invitations`, { cookie: p.cookie, body: { role, label: label.slice(0, 80) } });
        const exp = expected(p, 'invitations.manage');
        if (exp !== 'ok') {
          await expectRefusal(res, exp, ERR[exp], label);
          expect((await s.store.listInvitations(w.id)).length, label).toBe(before);
          continue;
        }
        expect(res.status, label).toBe(201);
        const { invitation } = await json<{ invitation: { id: string; role: string; state: string; token: string } }>(res);
        expect(invitation, label).toMatchObject({ role, state: 'valid' });
        expect(invitation.token, label).toMatch(/^[a-z2-7]{26}$/);
        expect((await s.store.listInvitations(w.id)).length, label).toBe(before + 1);
      }
      const target = await invite(w.id, 'participant');
      const label = `${p.key} revokes`;
      const res = await api(s, 'DELETE', `/api/workshops/${w.id}/invitations/${target.id}`, { cookie: p.cookie });
      const exp = expected(p, 'invitations.manage');
      if (exp !== 'ok') {
        await expectRefusal(res, exp, ERR[exp], label);
        expect((await s.store.getInvitation(target.id))?.revokedAt, label).toBeNull();
        continue;
      }
      expect(res.status, label).toBe(200);
      expect(await res.json(), label).toEqual({ ok: true, membersRemoved: 0 });
      expect((await s.store.getInvitation(target.id))?.revokedAt, label).not.toBeNull();
    }
  });

  it('an invitation link can never grant a facilitator or co-chair seat', async () => {
    for (const role of ['animateur', 'copresident-etat', 'copresident-region']) {
      const before = (await s.store.listInvitations(w.id)).length;
      const res = await api(s, 'POST', `/api/workshops/${w.id}/invitations`, { cookie: admin, body: { role } });
      expect(res.status, role).toBe(400);
      const body = (await res.json()) as { error: string; issues: { path: string }[] };
      expect(body.error).toBe('données invalides');
      expect(body.issues.map((i) => i.path)).toEqual(['role']);
      expect((await s.store.listInvitations(w.id)).length, role).toBe(before);
    }
  });

  it('changes the stage (stage.change)', async () => {
    for (const p of principals) {
      const res = await api(s, 'POST', `/api/workshops/${w.id}/stage`, { cookie: p.cookie, body: { stage: 'diagnostic' } });
      const exp = expected(p, 'stage.change');
      if (exp !== 'ok') await expectRefusal(res, exp, ERR[exp], p.key);
      else {
        expect(res.status, p.key).toBe(200);
        expect(((await res.json()) as { workshop: Workshop }).workshop.stage, p.key).toBe('diagnostic');
      }
    }
  });
});

describe('WebSocket authorisation matrix', () => {
  it('opens the diagnostic document: sync when allowed, 4401 without a session, 4403 for non-members', async () => {
    const name = documentName(w.id, 'diagnostic');
    for (const p of principals) {
      const exp = expected(p, 'diagnostic.read');
      if (exp === 'ok') {
        const c = client(p.cookie!);
        await synced(c);
        expect(c.closes, p.key).toEqual([]);
        c.provider.disconnect();
        continue;
      }
      const { closed } = await rawSocket(s, name, p.cookie ? { cookie: p.cookie } : {});
      const close = await closed;
      if (exp === 401) expect(close, p.key).toEqual({ code: CloseCode.UNAUTHENTICATED, reason: 'session absente ou expirée : reconnectez-vous' });
      else expect(close, p.key).toEqual({ code: CloseCode.FORBIDDEN, reason: 'vous ne faites pas partie de cet atelier' });
    }
    // Positive control: the member of the other workshop does open their own workshop's document.
    const own = client(by['membre-autre-atelier']!.cookie!, w2.id);
    await synced(own);
    own.provider.disconnect();
  });

  it('writes an entry: accepted and stored for editors, refused with 4403 for observers (store unchanged)', async () => {
    for (const p of principals) {
      if (expected(p, 'diagnostic.read') !== 'ok') continue; // covered above: they cannot even open it
      const title = `Action saisie par ${p.key}`;
      const before = await storedEntries(w.id);
      const c = client(p.cookie!);
      await synced(c);
      addEntry(c.doc, validEntry({ title }), p.name);
      if (expected(p, 'diagnostic.edit') === 'ok') {
        await waitForAsync(async () => (await storedEntries(w.id)).some((e) => e.title === title), 5000, `${p.key} stored`);
        expect(c.closes, p.key).toEqual([]);
        expect((await storedEntries(w.id)).length, p.key).toBe(before.length + 1);
      } else {
        await waitFor(() => c.closes.length > 0, 5000, `${p.key} refused`);
        c.provider.disconnect();
        expect(c.closes[0], p.key).toEqual({ code: CloseCode.FORBIDDEN, reason: 'lecture seule : modification refusée' });
        await new Promise((r) => setTimeout(r, 100));
        expect(await storedEntries(w.id), p.key).toEqual(before);
        const room = await s.documents.rooms.peek(documentName(w.id, 'diagnostic'));
        if (room) expect(readEntries(room.doc).some((e) => e.title === title), p.key).toBe(false);
      }
      c.provider.disconnect();
    }
    const titles = (await storedEntries(w.id)).map((e) => e.title);
    const editors = principals.filter((p) => expected(p, 'diagnostic.edit') === 'ok').map((p) => `Action saisie par ${p.key}`);
    expect(titles.sort()).toEqual(editors.sort());
    expect(editors).toHaveLength(5);
  });

  it('stamps presence: a participant who calls themselves "Préfet" appears under their joined name and role', async () => {
    const watcher = client(by.animateur!.cookie!);
    const liar = client(by.participant!.cookie!);
    await Promise.all([synced(watcher), synced(liar)]);
    liar.provider.awareness.setLocalState({
      user: { name: 'Préfet', color: '#1d4ed8', organisation: 'Préfecture de région', role: 'copresident-etat', id: by['copresident-etat']!.memberId },
      editing: null,
    });
    await waitFor(() => {
      const st = watcher.provider.awareness.getStates().get(liar.doc.clientID) as { user?: unknown } | undefined;
      return !!st?.user;
    }, 5000, 'presence of the participant');
    const seen = watcher.provider.awareness.getStates().get(liar.doc.clientID) as { user: Record<string, unknown> };
    expect(seen.user).toEqual({
      name: 'Pauline Participante',
      color: '#1d4ed8',
      organisation: 'Métropole de Lyon',
      role: 'participant',
      id: by.participant!.memberId,
    });
  });

  // Regression test (found by the authorisation matrix work).
  it('stamps presence for a non-member administrator too: no client-chosen id or role', async () => {
    const watcher = client(by.animateur!.cookie!);
    const adm = client(admin);
    await Promise.all([synced(watcher), synced(adm)]);
    adm.provider.awareness.setLocalState({
      user: { name: 'X', color: '#1d4ed8', role: 'participant', id: by.participant!.memberId },
      editing: null,
    });
    await waitFor(() => !!(watcher.provider.awareness.getStates().get(adm.doc.clientID) as { user?: unknown } | undefined)?.user);
    const seen = watcher.provider.awareness.getStates().get(adm.doc.clientID) as { user: Record<string, unknown> };
    expect(seen.user.name).toBe(ADMIN.name);
    expect(seen.user.id).toBeUndefined();
    expect(seen.user.role).toBeUndefined();
  });
});
