import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addEntry,
  castBallot,
  createBallotBox,
  createVote,
  documentName,
  openVote,
  readEntries,
  type Account,
  type AuditEntry,
  type EntryChange,
  type Group,
  type Invitation,
  type Member,
  type Workshop,
} from '@agora/domain';
import { PgStore } from '../src/store/pg-store.ts';
import { PG_MIGRATIONS, migratePg } from '../src/store/pg-migrations.ts';
import { openStore } from '../src/store/open-store.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import type { Store, VoteRecord } from '../src/store/store.ts';
import type { PoolClient } from 'pg';
import type { RunningServer } from '../src/server.ts';
import { adminCookie, connectClient, createWorkshop, startTestServer, synced, tempDir, validEntry, waitFor, type TestClient } from './helpers.ts';
import { createTestDatabase, pgAvailable, type TestDatabase } from './pg-helpers.ts';

// --- PostgreSQL availability ----------------------------------------------------------------------------
// Unreachable PostgreSQL: its tests are skipped with a message, or fail (in beforeAll) under REQUIRE_SERVICES=1.

let pgRequiredError: Error | null = null;
const pgUp = await pgAvailable().catch((err: unknown) => {
  pgRequiredError = err instanceof Error ? err : new Error(String(err));
  return false;
});
const skipPg = !pgUp && pgRequiredError === null;

function assertPgUsable(): void {
  if (pgRequiredError) throw pgRequiredError;
}

// --- the two implementations ----------------------------------------------------------------------------

interface Impl {
  /** Once per suite. */
  setup(): Promise<void>;
  /** An empty store, for one test. */
  fresh(): Promise<Store>;
  teardown(): Promise<void>;
}

function makeSqlite(): Impl {
  const dirs: string[] = [];
  return {
    async setup() {},
    async fresh() {
      const dir = tempDir('agora-contract-');
      dirs.push(dir);
      return new SqliteStore(dir);
    },
    async teardown() {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

const TABLES = 'workshops, document_updates, accounts, sessions, invitations, members, audit_log, votes, groups, entry_history, import_uploads';

function makePg(): Impl {
  let db: TestDatabase | null = null;
  return {
    async setup() {
      assertPgUsable();
      db = await createTestDatabase();
    },
    async fresh() {
      if (!db) throw new Error('no test database');
      const store = await PgStore.open(db.url);
      await store.pool.query(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`);
      return store;
    },
    async teardown() {
      await db?.drop();
    },
  };
}

// --- fixtures -------------------------------------------------------------------------------------------

let counter = 0;
const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
function wid(): string {
  counter++;
  let s = '';
  let n = counter;
  for (let i = 0; i < 12; i++) {
    s += B32[n % 32];
    n = Math.floor(n / 32);
  }
  return s;
}
const t = (minute: number): string => new Date(Date.UTC(2026, 2, 12, 9, minute)).toISOString();

function workshop(o: Partial<Workshop> = {}): Workshop {
  return { id: wid(), name: 'COP Auvergne-Rhône-Alpes', regionCode: '84', date: '2026-12-03', stage: 'diagnostic', createdAt: t(0), ...o };
}

function account(o: Partial<Account> = {}): Account {
  const id = o.id ?? `acc-${++counter}`;
  return { id, email: `${id}@example.fr`, name: 'Claire', organisation: 'Préfecture', category: 'services-etat', isAdmin: false, createdAt: t(0), ...o };
}

function member(workshopId: string, o: Partial<Member> = {}): Member {
  return {
    id: `mem-${++counter}`,
    workshopId,
    name: 'Paul',
    organisation: 'CCI',
    category: 'organisme-consulaire',
    college: 'acteurs-economiques',
    role: 'participant',
    userId: null,
    invitationId: null,
    groupId: null,
    createdAt: t(1),
    ...o,
  };
}

function invitation(workshopId: string, o: Partial<Invitation> = {}): Invitation {
  const id = o.id ?? `inv-${++counter}`;
  return {
    id,
    workshopId,
    token: `tok${id}`,
    role: 'participant',
    label: '',
    groupId: null,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    maxUses: null,
    uses: 0,
    revokedAt: null,
    createdBy: 'acc-admin',
    createdAt: t(0),
    ...o,
  };
}

function voteRecord(workshopId: string, id: string, createdAt: string): VoteRecord {
  const made = createVote({ id, question: 'Adopter l’objectif de -40 % en 2030 ?', settings: { method: 'yes-no-abstain' } });
  if (!made.ok) throw new Error(made.message);
  return { workshopId, vote: made.vote, box: createBallotBox(made.vote), description: 'Vote test', createdBy: 'mem-1', createdAt, updatedAt: createdAt };
}

const bytes = (...xs: number[]): Uint8Array => new Uint8Array(xs);
const asArrays = (us: Uint8Array[]): number[][] => us.map((u) => [...u]);

// --- the contract ---------------------------------------------------------------------------------------

describe.each([
  ['sqlite', makeSqlite],
  ['postgres', makePg],
] as const)('Store contract: %s', (kind, make) => {
  describe.skipIf(kind === 'postgres' && skipPg)(`${kind} store`, () => {
    const impl = make();
    let store: Store;
    const extra: Store[] = [];

    beforeAll(() => impl.setup());
    afterAll(() => impl.teardown());
    beforeEach(async () => {
      store = await impl.fresh();
    });
    afterEach(async () => {
      await store.close();
      for (const s of extra.splice(0)) await s.close();
    });

    async function withWorkshop(o: Partial<Workshop> = {}): Promise<Workshop> {
      const w = workshop(o);
      await store.createWorkshop(w);
      return w;
    }

    describe('workshops', () => {
      it('round-trips, lists by date then creation (newest first) and changes stage', async () => {
        const a = workshop({ date: '2026-10-01', createdAt: t(1) });
        const b = workshop({ date: '2026-12-03', createdAt: t(2) });
        const c = workshop({ date: '2026-12-03', createdAt: t(3), name: 'COP Île-de-France', regionCode: '11' });
        for (const w of [a, b, c]) await store.createWorkshop(w);
        expect(await store.getWorkshop(c.id)).toEqual(c);
        expect(await store.getWorkshop('aaaaaaaaaaaa')).toBeNull();
        expect((await store.listWorkshops()).map((w) => w.id)).toEqual([c.id, b.id, a.id]);
        await store.setWorkshopStage(a.id, 'debat');
        expect((await store.getWorkshop(a.id))?.stage).toBe('debat');
      });

      it('refuses a duplicate id', async () => {
        const w = await withWorkshop();
        await expect(store.createWorkshop(w)).rejects.toThrow();
      });
    });

    describe('accounts', () => {
      it('round-trips accounts and password hashes', async () => {
        expect(await store.countAccounts()).toBe(0);
        const a = account({ isAdmin: true });
        await store.createAccount(a, 'hash-1');
        expect(await store.countAccounts()).toBe(1);
        expect(await store.getAccount(a.id)).toEqual(a);
        expect(await store.getAccountByEmail(a.email)).toEqual({ ...a, passwordHash: 'hash-1' });
        expect(await store.getAccountByEmail('nobody@example.fr')).toBeNull();
        expect(await store.getAccount('nobody')).toBeNull();
        expect(await store.getPasswordHash(a.id)).toBe('hash-1');
        expect(await store.getPasswordHash('nobody')).toBeNull();
        await store.setPasswordHash(a.id, 'hash-2');
        expect(await store.getPasswordHash(a.id)).toBe('hash-2');
        expect((await store.getAccount(a.id))?.isAdmin).toBe(true);
      });

      it('refuses a duplicate e-mail', async () => {
        await store.createAccount(account({ email: 'same@example.fr' }), 'h');
        await expect(store.createAccount(account({ email: 'same@example.fr' }), 'h')).rejects.toThrow();
        expect(await store.countAccounts()).toBe(1);
      });

      it('lists accounts by name in byte order', async () => {
        for (const name of ['Émilie', 'alice', 'Bob', 'Zoé']) await store.createAccount(account({ name }), 'h');
        expect((await store.listAccounts()).map((a) => a.name)).toEqual(['Bob', 'Zoé', 'alice', 'Émilie']);
      });

      it('creates the first account only once, even when asked concurrently', async () => {
        const results = await Promise.all(Array.from({ length: 5 }, () => store.createFirstAccount(account({ isAdmin: true }), 'h')));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.countAccounts()).toBe(1);
        expect(await store.createFirstAccount(account(), 'h')).toBe(false);
      });
    });

    describe('sessions', () => {
      it('round-trips, extends, deletes', async () => {
        const a = account();
        await store.createAccount(a, 'h');
        const s = { id: 'sess-1', secretHash: bytes(1, 2, 3, 250), userId: a.id, createdAt: 1_773_000_000_000, expiresAt: 1_775_000_000_000 };
        await store.createSession(s);
        await store.createSession({ id: 'sess-link', secretHash: bytes(9), userId: null, createdAt: 1, expiresAt: 2 });
        const got = await store.getSession('sess-1');
        expect(got).toEqual(s);
        expect(got?.secretHash).toBeInstanceOf(Uint8Array);
        expect((await store.getSession('sess-link'))?.userId).toBeNull();
        expect(await store.getSession('nope')).toBeNull();
        await store.setSessionExpiry('sess-1', 1_776_000_000_000);
        expect((await store.getSession('sess-1'))?.expiresAt).toBe(1_776_000_000_000);
        await store.deleteSession('sess-1');
        expect(await store.getSession('sess-1')).toBeNull();
        await store.deleteSession('sess-1'); // no error
      });

      it('refuses a session for an unknown account', async () => {
        await expect(store.createSession({ id: 's', secretHash: bytes(1), userId: 'ghost', createdAt: 1, expiresAt: 2 })).rejects.toThrow();
      });

      it('deletes every session of an account, returning their ids', async () => {
        const a = account();
        const b = account();
        await store.createAccount(a, 'h');
        await store.createAccount(b, 'h');
        for (const [id, user] of [['s1', a.id], ['s2', a.id], ['s3', b.id], ['s4', null]] as const) {
          await store.createSession({ id, secretHash: bytes(1), userId: user, createdAt: 1, expiresAt: 10 });
        }
        expect((await store.deleteAccountSessions(a.id)).sort()).toEqual(['s1', 's2']);
        expect(await store.deleteAccountSessions(a.id)).toEqual([]);
        expect(await store.getSession('s3')).not.toBeNull();
        expect(await store.getSession('s4')).not.toBeNull();
      });

      it('deletes expired sessions (expiry at or before now)', async () => {
        for (const [id, exp] of [['a', 100], ['b', 200], ['c', 300]] as const) {
          await store.createSession({ id, secretHash: bytes(1), userId: null, createdAt: 1, expiresAt: exp });
        }
        expect(await store.deleteExpiredSessions(200)).toBe(2);
        expect(await store.deleteExpiredSessions(200)).toBe(0);
        expect(await store.getSession('c')).not.toBeNull();
      });
    });

    describe('members', () => {
      it('round-trips and finds members by account and by session', async () => {
        const w = await withWorkshop();
        const a = account();
        await store.createAccount(a, 'h');
        const organiser = member(w.id, { userId: a.id, role: 'animateur', category: 'services-etat', college: 'etat', createdAt: t(2) });
        const linked = member(w.id, { createdAt: t(1) });
        await store.createMember(organiser, 'sess-org');
        await store.createMember(linked, 'sess-link');
        expect(await store.getMember(linked.id)).toEqual({ ...linked, sessionId: 'sess-link' });
        expect(await store.getMember('nobody')).toBeNull();
        expect(await store.findMemberByAccount(w.id, a.id)).toEqual(organiser);
        expect(await store.findMemberByAccount(w.id, 'other')).toBeNull();
        expect(await store.findMemberBySession(w.id, 'sess-link')).toEqual(linked);
        // An account member is found by account only, never by its session.
        expect(await store.findMemberBySession(w.id, 'sess-org')).toBeNull();
        expect((await store.listMembers(w.id)).map((m) => m.id)).toEqual([linked.id, organiser.id]);
        await store.setMemberRole(linked.id, 'observateur');
        expect((await store.getMember(linked.id))?.role).toBe('observateur');
      });

      it('hides a removed member everywhere and lets the account be seated again', async () => {
        const w = await withWorkshop();
        const a = account();
        await store.createAccount(a, 'h');
        const m = member(w.id, { userId: a.id });
        const l = member(w.id);
        await store.createMember(m, null);
        await store.createMember(l, 'sess');
        await expect(store.createMember(member(w.id, { userId: a.id }), null)).rejects.toThrow();
        await store.removeMember(m.id);
        await store.removeMember(l.id);
        expect(await store.getMember(m.id)).toBeNull();
        expect(await store.findMemberByAccount(w.id, a.id)).toBeNull();
        expect(await store.findMemberBySession(w.id, 'sess')).toBeNull();
        expect(await store.listMembers(w.id)).toEqual([]);
        const again = member(w.id, { userId: a.id });
        await store.createMember(again, null);
        expect(await store.findMemberByAccount(w.id, a.id)).toEqual(again);
      });

      it('refuses a member of an unknown workshop', async () => {
        await expect(store.createMember(member('zzzzzzzzzzzz'), null)).rejects.toThrow();
      });

      it('lists the workshops of an account or a link session', async () => {
        const a = account();
        await store.createAccount(a, 'h');
        const w1 = await withWorkshop({ date: '2026-01-01' });
        const w2 = await withWorkshop({ date: '2026-06-01' });
        const w3 = await withWorkshop({ date: '2026-09-01' });
        const w4 = await withWorkshop({ date: '2026-10-01' });
        await store.createMember(member(w1.id, { userId: a.id }), 'sess-a');
        await store.createMember(member(w2.id, { userId: a.id }), null);
        await store.createMember(member(w3.id), 'sess-a'); // a link member on the same browser session
        const gone = member(w4.id, { userId: a.id });
        await store.createMember(gone, null);
        await store.removeMember(gone.id);
        // Two link members of one session in one workshop: listed once.
        await store.createMember(member(w3.id), 'sess-a');

        expect((await store.listWorkshopsOf({ userId: a.id, sessionId: 'sess-a' })).map((w) => w.id)).toEqual([w3.id, w2.id, w1.id]);
        expect((await store.listWorkshopsOf({ userId: null, sessionId: 'sess-a' })).map((w) => w.id)).toEqual([w3.id]);
        expect(await store.listWorkshopsOf({ userId: null, sessionId: 'other' })).toEqual([]);
        expect((await store.listWorkshopsOf({ userId: a.id, sessionId: 'other' }))[0]).toEqual(w2);
      });
    });

    describe('invitations', () => {
      it('round-trips and lists newest first', async () => {
        const w = await withWorkshop();
        const i1 = invitation(w.id, { createdAt: t(1), label: 'Table 1', groupId: 'g1', maxUses: 3 });
        const i2 = invitation(w.id, { createdAt: t(2), role: 'observateur' });
        await store.createInvitation(i1);
        await store.createInvitation(i2);
        expect(await store.getInvitation(i1.id)).toEqual(i1);
        expect(await store.getInvitationByToken(i2.token)).toEqual(i2);
        expect(await store.getInvitation('nope')).toBeNull();
        expect(await store.getInvitationByToken('nope')).toBeNull();
        expect((await store.listInvitations(w.id)).map((i) => i.id)).toEqual([i2.id, i1.id]);
        expect(await store.listInvitations('other')).toEqual([]);
        await expect(store.createInvitation(invitation(w.id, { token: i1.token }))).rejects.toThrow();
      });

      it('revokes, removing only the link participants and observers still there', async () => {
        const w = await withWorkshop();
        const a = account();
        await store.createAccount(a, 'h');
        const inv = invitation(w.id);
        await store.createInvitation(inv);
        const p = member(w.id, { invitationId: inv.id });
        const o = member(w.id, { invitationId: inv.id, role: 'observateur' });
        const promoted = member(w.id, { invitationId: inv.id, role: 'animateur' });
        const organiser = member(w.id, { invitationId: inv.id, userId: a.id });
        const left = member(w.id, { invitationId: inv.id });
        const other = member(w.id);
        for (const m of [p, o, promoted, organiser, left, other]) await store.createMember(m, null);
        await store.removeMember(left.id);

        expect((await store.revokeInvitation(inv.id, t(30))).sort()).toEqual([p.id, o.id].sort());
        expect((await store.getInvitation(inv.id))?.revokedAt).toBe(t(30));
        expect((await store.listMembers(w.id)).map((m) => m.id).sort()).toEqual([promoted.id, organiser.id, other.id].sort());
        // Revoking again keeps the first date and removes nobody more.
        expect(await store.revokeInvitation(inv.id, t(40))).toEqual([]);
        expect((await store.getInvitation(inv.id))?.revokedAt).toBe(t(30));
      });

      it('joins through a valid invitation, counting the use', async () => {
        const w = await withWorkshop();
        const inv = invitation(w.id, { maxUses: 2 });
        await store.createInvitation(inv);
        const m = member(w.id, { invitationId: inv.id });
        expect(await store.joinWithInvitation(inv.id, m, 'sess-j', Date.now())).toBe('valid');
        expect((await store.getInvitation(inv.id))?.uses).toBe(1);
        expect(await store.getMember(m.id)).toEqual({ ...m, sessionId: 'sess-j' });
      });

      it('refuses expired, exhausted, revoked and unknown invitations without adding anyone', async () => {
        const w = await withWorkshop();
        const now = Date.parse('2026-03-12T12:00:00.000Z');
        const expired = invitation(w.id, { expiresAt: new Date(now).toISOString() });
        const exhausted = invitation(w.id, { maxUses: 2, uses: 2 });
        const revoked = invitation(w.id, { revokedAt: t(0) });
        for (const i of [expired, exhausted, revoked]) await store.createInvitation(i);
        expect(await store.joinWithInvitation(expired.id, member(w.id), null, now)).toBe('expired');
        expect(await store.joinWithInvitation(exhausted.id, member(w.id), null, now)).toBe('exhausted');
        expect(await store.joinWithInvitation(revoked.id, member(w.id), null, now)).toBe('revoked');
        expect(await store.joinWithInvitation('unknown', member(w.id), null, now)).toBe('revoked');
        expect(await store.listMembers(w.id)).toEqual([]);
        expect((await store.getInvitation(exhausted.id))?.uses).toBe(2);
      });

      it('rolls the use back when the member cannot be added', async () => {
        const w = await withWorkshop();
        const inv = invitation(w.id);
        await store.createInvitation(inv);
        const m = member(w.id, { invitationId: inv.id });
        await store.createMember(m, null);
        await expect(store.joinWithInvitation(inv.id, { ...m }, null, Date.now())).rejects.toThrow();
        expect((await store.getInvitation(inv.id))?.uses).toBe(0);
        // And the store keeps working afterwards.
        expect(await store.joinWithInvitation(inv.id, member(w.id, { invitationId: inv.id }), null, Date.now())).toBe('valid');
      });

      it('never exceeds the maximum uses under 20 concurrent joins', async () => {
        const w = await withWorkshop();
        const inv = invitation(w.id, { maxUses: 5 });
        await store.createInvitation(inv);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.joinWithInvitation(inv.id, member(w.id, { invitationId: inv.id }), `sess-${i}`, Date.now())),
        );
        expect(results.filter((r) => r === 'valid')).toHaveLength(5);
        expect(results.filter((r) => r === 'exhausted')).toHaveLength(15);
        expect(await store.listMembers(w.id)).toHaveLength(5);
        expect((await store.getInvitation(inv.id))?.uses).toBe(5);
      });
    });

    describe('audit log', () => {
      it('lists newest first (same instant: last written first), with a limit', async () => {
        const w = await withWorkshop();
        const e = (id: string, at: string, details: Record<string, unknown> = {}): AuditEntry => ({
          id,
          workshopId: w.id,
          actorId: id === 'a1' ? null : 'mem-1',
          actorName: 'Claire',
          action: 'member.role',
          details,
          at,
        });
        const entries = [e('a1', t(1), { role: 'animateur', nested: { list: [1, 'deux', null] } }), e('a2', t(3)), e('a3', t(2)), e('a4', t(3))];
        for (const x of entries) await store.appendAudit(x);
        const listed = await store.listAudit(w.id);
        expect(listed.map((x) => x.id)).toEqual(['a4', 'a2', 'a3', 'a1']);
        expect(listed[3]).toEqual(entries[0]);
        expect((await store.listAudit(w.id, 2)).map((x) => x.id)).toEqual(['a4', 'a2']);
        expect(await store.listAudit('other')).toEqual([]);
      });
    });

    describe('groups', () => {
      it('round-trips, updates, lists by creation and deletes (members leave the group)', async () => {
        const w = await withWorkshop();
        const g1: Group = { id: 'g1', workshopId: w.id, name: 'Mobilité', sectors: ['transports'], leverIds: ['augm_voitelec'], createdAt: t(2) };
        const g2: Group = { id: 'g2', workshopId: w.id, name: 'Bâtiment', sectors: [], leverIds: [], createdAt: t(1) };
        await store.createGroup(g1);
        await store.createGroup(g2);
        expect(await store.getGroup('g1')).toEqual(g1);
        expect(await store.getGroup('nope')).toBeNull();
        expect((await store.listGroups(w.id)).map((g) => g.id)).toEqual(['g2', 'g1']);
        const renamed = { ...g1, name: 'Mobilités', sectors: ['transports', 'industrie'], createdAt: t(59) };
        await store.updateGroup(renamed);
        expect(await store.getGroup('g1')).toEqual({ ...renamed, createdAt: g1.createdAt }); // createdAt never changes

        const m1 = member(w.id);
        const m2 = member(w.id);
        await store.createMember(m1, null);
        await store.createMember(m2, null);
        await store.setMembersGroup(w.id, [m1.id, m2.id], 'g1');
        await store.setMembersGroup('other-workshop', [m2.id], 'g2'); // not in that workshop: unchanged
        expect((await store.getMember(m2.id))?.groupId).toBe('g1');
        await store.setMembersGroup(w.id, [m2.id], null);
        expect((await store.getMember(m2.id))?.groupId).toBeNull();
        const link = invitation(w.id, { groupId: 'g1' });
        const other = invitation(w.id, { groupId: 'g2' });
        await store.createInvitation(link);
        await store.createInvitation(other);
        await store.deleteGroup('g1');
        expect(await store.getGroup('g1')).toBeNull();
        expect((await store.getInvitation(link.id))?.revokedAt).not.toBeNull(); // the group's links close with it
        expect((await store.getInvitation(other.id))?.revokedAt).toBeNull();
        expect((await store.getMember(m1.id))?.groupId).toBeNull();
        expect((await store.listGroups(w.id)).map((g) => g.id)).toEqual(['g2']);
      });
    });

    describe('import uploads', () => {
      it('round-trips an upload, deletes it, and deletes expired ones only', async () => {
        const w = await withWorkshop();
        const rows = [['Intitulé', 'Levier'], ['Covoiturage « solidaire »', 'augm_covoit'], ['', '']];
        const upload = { id: 'up1', workshopId: w.id, sessionId: 's1', fileName: 'pcaet.csv', rows, expiresAt: 2_000 };
        await store.saveImportUpload(upload);
        await store.saveImportUpload({ ...upload, id: 'up2', expiresAt: 1_000 });
        expect(await store.getImportUpload('up1')).toEqual(upload);
        expect(await store.getImportUpload('nope')).toBeNull();
        expect(await store.deleteExpiredImportUploads(1_000)).toBe(1);
        expect(await store.getImportUpload('up2')).toBeNull();
        expect(await store.getImportUpload('up1')).not.toBeNull();
        expect(await store.deleteImportUpload('up1')).toBe(true);
        expect(await store.getImportUpload('up1')).toBeNull();
        expect(await store.deleteImportUpload('up1')).toBe(false); // a second claim fails
      });
    });

    describe('entry history', () => {
      it('keeps changes in the order appended', async () => {
        const doc = 'workshop:abc:diagnostic';
        const c = (entryId: string, kind: EntryChange['kind'], after: unknown, at: string): EntryChange => ({
          entryId,
          document: doc,
          kind,
          fields: { title: { before: kind === 'create' ? undefined : 'old', after } },
          memberId: kind === 'delete' ? null : 'mem-1',
          authorName: 'Alice',
          at,
        });
        await store.appendHistory([c('e1', 'create', 'Bornes', t(5)), c('e2', 'create', 'Autre', t(5))]);
        await store.appendHistory([c('e1', 'update', { nested: ['é', 1.5, true] }, t(1))]);
        await store.appendHistory([c('e1', 'delete', null, t(9))]);
        await store.appendHistory([]);
        const h = await store.entryHistory(doc, 'e1');
        expect(h.map((x) => x.kind)).toEqual(['create', 'update', 'delete']);
        expect(h[1]).toEqual(c('e1', 'update', { nested: ['é', 1.5, true] }, t(1)));
        expect(h[0]?.fields).toEqual({ title: { after: 'Bornes' } }); // undefined is not stored (JSON)
        expect(await store.entryHistory(doc, 'none')).toEqual([]);
        expect(await store.entryHistory('other', 'e1')).toEqual([]);
      });
    });

    describe('votes', () => {
      it('round-trips vote and ballot box, lists by creation, lists open votes', async () => {
        const w = await withWorkshop();
        const v1 = voteRecord(w.id, 'vote-1', t(2));
        const v2 = voteRecord(w.id, 'vote-2', t(1));
        await store.createVote(v1);
        await store.createVote(v2);
        expect(await store.getVote('vote-1')).toEqual(v1);
        expect(await store.getVote('nope')).toBeNull();
        expect((await store.listVotes(w.id)).map((r) => r.vote.id)).toEqual(['vote-2', 'vote-1']);
        expect(await store.listOpenVotes()).toEqual([]);

        const opened = openVote(v1.vote, new Date('2026-03-12T10:00:00Z'));
        if (!opened.ok) throw new Error(opened.message);
        const cast = castBallot(
          v1.box,
          { ballotId: 'ballot-0001', voterId: 'mem-9', college: 'etat', ballot: { method: 'yes-no-abstain', choice: 'pour' } },
          opened.vote,
          new Date('2026-03-12T10:00:05Z'),
        );
        if (!cast.ok) throw new Error(cast.message);
        const saved: VoteRecord = { ...v1, vote: opened.vote, box: cast.box, description: 'Modifié', updatedAt: t(10) };
        await store.saveVote(saved);
        expect(await store.getVote('vote-1')).toEqual(saved);
        expect(await store.listOpenVotes()).toEqual([saved]);
      });
    });

    describe('ordering ties', () => {
      it('keeps insertion order between rows that sort equal', async () => {
        const ws = [workshop(), workshop(), workshop()];
        for (const w of ws) await store.createWorkshop(w);
        expect((await store.listWorkshops()).map((w) => w.id)).toEqual(ws.map((w) => w.id));
        const w = ws[0]!;
        const invs = [invitation(w.id), invitation(w.id), invitation(w.id)];
        for (const i of invs) await store.createInvitation(i);
        expect((await store.listInvitations(w.id)).map((i) => i.id)).toEqual(invs.map((i) => i.id));
        const ms = [member(ws[2]!.id), member(ws[1]!.id), member(w.id), member(w.id)];
        for (const m of ms) await store.createMember(m, 'same-session');
        expect((await store.listMembers(w.id)).map((m) => m.id)).toEqual([ms[2]!.id, ms[3]!.id]);
        expect((await store.findMemberBySession(w.id, 'same-session'))?.id).toBe(ms[2]!.id);
        // (listWorkshopsOf ties: SQLite's order there depends on its query plan; not part of the contract.)
        expect((await store.listWorkshopsOf({ userId: null, sessionId: 'same-session' })).map((x) => x.id).sort()).toEqual(ws.map((x) => x.id).sort());
        const gs = ['g-b', 'g-a', 'g-c'];
        for (const id of gs) await store.createGroup({ id, workshopId: w.id, name: id, sectors: [], leverIds: [], createdAt: t(0) });
        expect((await store.listGroups(w.id)).map((g) => g.id)).toEqual(gs);
        const accs = [account({ name: 'Même' }), account({ name: 'Même' }), account({ name: 'Même' })];
        for (const a of accs) await store.createAccount(a, 'h');
        expect((await store.listAccounts()).map((a) => a.id)).toEqual(accs.map((a) => a.id));
        const votes = ['vote-c', 'vote-a', 'vote-b'].map((id) => voteRecord(w.id, id, t(0)));
        for (const v of votes) await store.createVote(v);
        expect((await store.listVotes(w.id)).map((v) => v.vote.id)).toEqual(['vote-c', 'vote-a', 'vote-b']);
        for (const v of [votes[1]!, votes[2]!, votes[0]!]) {
          const opened = openVote(v.vote, new Date());
          if (!opened.ok) throw new Error(opened.message);
          await store.saveVote({ ...v, vote: opened.vote });
        }
        expect((await store.listOpenVotes()).map((v) => v.vote.id)).toEqual(['vote-c', 'vote-a', 'vote-b']);
      });
    });

    describe('documents', () => {
      it('loads an unknown document as empty', async () => {
        expect(await store.loadDocument('doc')).toEqual({ updates: [], lastSeq: 0, bytes: 0 });
        expect(await store.appendUpdates('doc', [])).toBe(0);
      });

      it('appends atomically and loads in order, with the last seq and the byte count', async () => {
        const s1 = await store.appendUpdates('doc', [bytes(1), bytes(2, 2)]);
        await store.appendUpdates('other', [bytes(7, 7, 7, 7)]);
        const s2 = await store.appendUpdates('doc', [bytes(3, 3, 3)]);
        expect(s2).toBeGreaterThan(s1);
        const d = await store.loadDocument('doc');
        expect(asArrays(d.updates)).toEqual([[1], [2, 2], [3, 3, 3]]);
        expect(d.lastSeq).toBe(s2);
        expect(d.bytes).toBe(6);
        expect(d.updates[0]).toBeInstanceOf(Uint8Array);
        const big = new Uint8Array(300_000).map((_, i) => i % 251);
        await store.appendUpdates('big', [big.subarray(1000, 201_000)]);
        expect((await store.loadDocument('big')).updates[0]).toEqual(big.subarray(1000, 201_000));
      });

      it('compacts up to a seq, keeping later appends and other documents', async () => {
        await store.appendUpdates('doc', [bytes(1), bytes(2)]);
        await store.appendUpdates('other', [bytes(9)]);
        const through = (await store.loadDocument('doc')).lastSeq;
        const later = await store.appendUpdates('doc', [bytes(3)]);
        await store.compactDocument('doc', bytes(1, 2), through);
        const d = await store.loadDocument('doc');
        expect(asArrays(d.updates).sort()).toEqual([[1, 2], [3]]);
        expect(d.bytes).toBe(3);
        expect(d.lastSeq).toBeGreaterThan(later);
        expect(asArrays((await store.loadDocument('other')).updates)).toEqual([[9]]);
        // Appending after a compaction still returns growing seqs.
        expect(await store.appendUpdates('doc', [bytes(4)])).toBeGreaterThan(d.lastSeq);
      });

      it('stores real Yjs updates losslessly', async () => {
        const doc = new Y.Doc();
        const name = documentName('abcdefghijkl', 'diagnostic');
        const updates: Uint8Array[] = [];
        doc.on('update', (u: Uint8Array) => updates.push(u));
        for (let i = 0; i < 5; i++) addEntry(doc, validEntry({ title: `Action ${i}` }), 'Alice');
        await store.appendUpdates(name, updates);
        const stored = await store.loadDocument(name);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.mergeUpdates(stored.updates));
        expect(readEntries(copy)).toEqual(readEntries(doc));
      });
    });
  });
});

// --- PostgreSQL only ------------------------------------------------------------------------------------

describe.skipIf(skipPg)('PostgreSQL store', () => {
  const dbs: TestDatabase[] = [];
  const stores: Store[] = [];
  const servers: RunningServer[] = [];
  const clients: TestClient[] = [];

  beforeAll(() => assertPgUsable());
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.close();
    for (const s of stores.splice(0)) await s.close();
  });
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  async function database(): Promise<TestDatabase> {
    const db = await createTestDatabase();
    dbs.push(db);
    return db;
  }

  it('migrates once when several instances start together', async () => {
    const db = await database();
    const opened = await Promise.all(Array.from({ length: 4 }, () => PgStore.open(db.url)));
    stores.push(...opened);
    const { rows } = await opened[0]!.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect(await opened[1]!.migrate()).toEqual([]);
  });

  it('rolls a failed migration back whole', async () => {
    const db = await database();
    const store = await PgStore.open(db.url);
    stores.push(store);
    const bad = [...PG_MIGRATIONS, { version: 999, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;' }];
    await expect(migratePg(store.pool, bad)).rejects.toThrow(/no_such_table/);
    const { rows } = await store.pool.query("SELECT to_regclass('half_done') AS t, (SELECT count(*) FROM schema_migrations WHERE version = 999)::int AS n");
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });

  it('openStore picks PostgreSQL when DATABASE_URL is set, SQLite otherwise', async () => {
    const db = await database();
    const pgStore = await openStore({ DATABASE_URL: db.url, DATA_DIR: tempDir() });
    stores.push(pgStore);
    expect(pgStore).toBeInstanceOf(PgStore);
    const sqlite = await openStore({ DATABASE_URL: undefined, DATA_DIR: tempDir() });
    stores.push(sqlite);
    expect(sqlite).toBeInstanceOf(SqliteStore);
  });

  it('rejects with the pg error when PostgreSQL is unreachable', async () => {
    const store = new PgStore('postgres://postgres@127.0.0.1:1/none', { pool: { connectionTimeoutMillis: 2000 } });
    stores.push(store);
    await expect(store.countAccounts()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(store.appendUpdates('doc', [bytes(1)])).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(PgStore.open('postgres://postgres@127.0.0.1:1/none')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('never leaves a transaction open after a failure', async () => {
    const db = await database();
    const store = await PgStore.open(db.url, { pool: { max: 1 } });
    stores.push(store);
    const w = workshop();
    await store.createWorkshop(w);
    const inv = invitation(w.id);
    await store.createInvitation(inv);
    // A member of an unknown workshop: the insert fails inside the join's transaction.
    await expect(store.joinWithInvitation(inv.id, member('zzzzzzzzzzzz'), null, Date.now())).rejects.toThrow();
    // Same (only) connection: outside any transaction, the statement starts its own, so now() is its start time.
    const { rows } = await store.pool.query<{ fresh: boolean }>('SELECT now() = statement_timestamp() AS fresh');
    expect(rows[0]?.fresh).toBe(true);
    expect((await store.getInvitation(inv.id))?.uses).toBe(0);
    const { rows: open } = await store.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    );
    expect(open[0]?.n).toBe(0);
  });

  it('never lets a compaction delete an update committed after the load it merged', async () => {
    const db = await database();
    const a = await PgStore.open(db.url);
    const b = await PgStore.open(db.url);
    stores.push(a, b);
    const name = 'workshop:slow:diagnostic';
    // Instance a is slow to commit: its update has a seq but is not visible yet.
    let reached!: () => void;
    const atCommit = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const connect = a.pool.connect.bind(a.pool) as () => Promise<PoolClient>;
    (a.pool as unknown as { connect: () => Promise<PoolClient> }).connect = async () => {
      const client = await connect();
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
        if (args[0] === 'COMMIT') {
          reached();
          await gate;
        }
        return query(...args);
      };
      return client;
    };
    const slow = a.appendUpdates(name, [bytes(1)]);
    await atCommit;
    const fast = b.appendUpdates(name, [bytes(2)]);
    await Promise.race([fast, new Promise((r) => setTimeout(r, 300))]);
    const loaded = await b.loadDocument(name); // what a compaction would merge now
    release();
    await Promise.all([slow, fast]);
    const merged = new Uint8Array(loaded.bytes);
    loaded.updates.reduce((at, u) => (merged.set(u, at), at + u.byteLength), 0);
    await b.compactDocument(name, merged, loaded.lastSeq);
    const all = (await b.loadDocument(name)).updates.flatMap((u) => [...u]);
    expect(all).toContain(1);
    expect(all).toContain(2);
  });

  it('loses no update when two instances append and compact one document concurrently', async () => {
    const db = await database();
    const a = await PgStore.open(db.url);
    const b = await PgStore.open(db.url);
    stores.push(a, b);
    const name = 'workshop:concurrent:diagnostic';
    const written = new Set<number>();
    const writer = async (s: PgStore, base: number): Promise<void> => {
      for (let i = 0; i < 60; i++) {
        await s.appendUpdates(name, [bytes(base, i)]);
        written.add(base * 1000 + i);
      }
    };
    // Compaction "merges" by concatenating the pairs it loaded, as a Yjs merge keeps every update.
    const compactor = async (s: PgStore): Promise<void> => {
      for (let i = 0; i < 15; i++) {
        const stored = await s.loadDocument(name);
        if (stored.updates.length < 2) continue;
        const merged = new Uint8Array(stored.bytes);
        let at = 0;
        for (const u of stored.updates) {
          merged.set(u, at);
          at += u.byteLength;
        }
        await s.compactDocument(name, merged, stored.lastSeq);
      }
    };
    await Promise.all([writer(a, 1), writer(b, 2), writer(a, 3), compactor(a), compactor(b)]);
    const all = await a.loadDocument(name);
    const seen = new Set<number>();
    for (const u of all.updates) for (let k = 0; k < u.length; k += 2) seen.add(u[k]! * 1000 + u[k + 1]!);
    expect(seen).toEqual(written); // (concurrent compactions may keep an update twice: Yjs ignores duplicates)
  });

  it('runs the whole server on PostgreSQL and keeps a document across a restart', async () => {
    const db = await database();
    const s1 = await startTestServer(tempDir(), { DATABASE_URL: db.url });
    servers.push(s1);
    expect(s1.store).toBeInstanceOf(PgStore);
    const cookie = await adminCookie(s1); // first-run setup
    const w = await createWorkshop(s1, cookie);
    const a = connectClient(s1, w.id, cookie);
    clients.push(a);
    await synced(a);
    addEntry(a.doc, validEntry({ title: 'Plan vélo départemental' }), 'Alice');
    const name = documentName(w.id, 'diagnostic');
    await waitFor(() => readEntries(a.doc).length === 1);
    // Wait until the entry is stored, then stop the server.
    for (let i = 0; i < 100; i++) {
      const stored = await s1.store.loadDocument(name);
      const d = new Y.Doc();
      for (const u of stored.updates) Y.applyUpdate(d, u);
      if (readEntries(d).length === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    clients.splice(0).forEach((c) => c.destroy());
    await servers.pop()!.close();

    const s2 = await startTestServer(tempDir(), { DATABASE_URL: db.url });
    servers.push(s2);
    const cookie2 = await adminCookie(s2); // the account is in PostgreSQL: signs in, no setup
    expect(((await (await fetch(`${s2.url}/api/auth/setup`)).json()) as { needed: boolean }).needed).toBe(false);
    const b = connectClient(s2, w.id, cookie2);
    clients.push(b);
    await synced(b);
    await waitFor(() => readEntries(b.doc).length === 1, 5000, 'entry after restart');
    expect(readEntries(b.doc)[0]?.title).toBe('Plan vélo départemental');
  });
});
