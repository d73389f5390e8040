import { Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import * as z from 'zod';
import {
  ACTOR_CATEGORIES,
  MemberSchema,
  VoteSchema,
  WorkshopSchema,
  invitationState,
  type Account,
  type AuditEntry,
  type BallotBox,
  type EntryChange,
  type Group,
  type Invitation,
  type InvitationState,
  type Member,
  type Stage,
  type Workshop,
  type WorkshopRole,
} from '@agora/domain';
import { migratePg, transaction } from './pg-migrations.ts';
import type { ImportUpload, SessionRecord, Store, StoredDocument, VoteRecord } from './store.ts';

export interface PgStoreOptions {
  /** Errors of idle pooled connections (PostgreSQL restarted…); the pool drops them and the next query reconnects. */
  onIdleError?: (err: Error) => void;
  /** Extra pool settings (size, timeouts). */
  pool?: Omit<PoolConfig, 'connectionString'>;
}

/** Rows per multi-row INSERT (PostgreSQL takes at most 65 535 parameters per statement). */
const INSERT_CHUNK = 500;

/**
 * The shared store: PostgreSQL, through a `pg` pool. Same behaviour as the embedded SQLite store (same ordering,
 * nulls, `removed_at` semantics, errors on constraint violations); see pg-migrations.ts for the schema.
 *
 * When PostgreSQL is unreachable the methods reject with the `pg` error; the caller decides. A transaction never
 * stays open after a failure (ROLLBACK, and a connection that cannot roll back is discarded).
 */
export class PgStore implements Store {
  readonly pool: Pool;
  private closed = false;

  constructor(connectionString: string, options: PgStoreOptions = {}) {
    this.pool = new Pool({ connectionTimeoutMillis: 10_000, ...options.pool, connectionString });
    // Without a listener, an idle connection's error (server restart) would crash the process.
    this.pool.on('error', (err) => options.onIdleError?.(err));
  }

  /** A store whose schema is up to date (migrations applied). */
  static async open(connectionString: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const store = new PgStore(connectionString, options);
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  /** Applies pending migrations; returns the versions applied now. */
  migrate(): Promise<number[]> {
    return migratePg(this.pool);
  }

  private async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  private async one<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R | null> {
    return (await this.pool.query<R>(sql, params)).rows[0] ?? null;
  }

  /** Runs `fn` in a transaction on one pooled connection (see `transaction`). */
  private tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.pool, fn);
  }

  /**
   * Serialises writers of one document until the end of the transaction. With it, the sequence numbers of a
   * document's committed updates always form a prefix of those assigned (no commit of seq 9 after seq 10 was
   * visible), so `compactDocument(…, lastSeq)` never deletes an update it did not merge: the guarantee SQLite's
   * single writer gives.
   */
  private async lockDocument(c: PoolClient, name: string): Promise<void> {
    await c.query("SELECT pg_advisory_xact_lock(hashtextextended('agora-doc:' || $1, 0))", [name]);
  }

  // Workshops

  async createWorkshop(w: Workshop): Promise<void> {
    await this.query('INSERT INTO workshops (id, name, region_code, date, stage, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      w.id,
      w.name,
      w.regionCode,
      w.date,
      w.stage,
      w.createdAt,
    ]);
  }

  async listWorkshops(): Promise<Workshop[]> {
    return (await this.query<WorkshopRow>('SELECT * FROM workshops ORDER BY date DESC, created_at DESC, ord')).map(toWorkshop);
  }

  async getWorkshop(id: string): Promise<Workshop | null> {
    const row = await this.one<WorkshopRow>('SELECT * FROM workshops WHERE id = $1', [id]);
    return row ? toWorkshop(row) : null;
  }

  async setWorkshopStage(id: string, stage: Stage): Promise<void> {
    await this.query('UPDATE workshops SET stage = $1 WHERE id = $2', [stage, id]);
  }

  // Documents

  async loadDocument(name: string): Promise<StoredDocument> {
    const rows = await this.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM document_updates WHERE doc = $1 ORDER BY seq', [name]);
    let bytes = 0;
    const updates = rows.map((r) => {
      bytes += r.data.byteLength;
      return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    });
    const last = rows.at(-1);
    return { updates, lastSeq: last ? Number(last.seq) : 0, bytes };
  }

  async appendUpdates(name: string, updates: Uint8Array[]): Promise<number> {
    if (updates.length === 0) return 0;
    return this.tx(async (c) => {
      await this.lockDocument(c, name);
      let seq = 0;
      for (let i = 0; i < updates.length; i += INSERT_CHUNK) {
        const chunk = updates.slice(i, i + INSERT_CHUNK);
        const params: unknown[] = [name];
        const values = chunk.map((u) => {
          params.push(toBuffer(u));
          return `($1, $${params.length})`;
        });
        const { rows } = await c.query<{ seq: string }>(`INSERT INTO document_updates (doc, data) VALUES ${values.join(', ')} RETURNING seq`, params);
        for (const r of rows) seq = Math.max(seq, Number(r.seq));
      }
      return seq;
    });
  }

  async compactDocument(name: string, merged: Uint8Array, throughSeq: number): Promise<void> {
    await this.tx(async (c) => {
      await this.lockDocument(c, name);
      await c.query('DELETE FROM document_updates WHERE doc = $1 AND seq <= $2', [name, throughSeq]);
      // A fresh seq, after anything appended since throughSeq: Yjs applies updates in any order.
      await c.query('INSERT INTO document_updates (doc, data) VALUES ($1, $2)', [name, toBuffer(merged)]);
    });
  }

  // Audit log

  async appendAudit(e: AuditEntry): Promise<void> {
    await this.query('INSERT INTO audit_log (id, workshop_id, actor_id, actor_name, action, details, at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      e.id,
      e.workshopId,
      e.actorId,
      e.actorName,
      e.action,
      JSON.stringify(e.details),
      e.at,
    ]);
  }

  async listAudit(workshopId: string, limit = 500): Promise<AuditEntry[]> {
    const rows = await this.query<{ id: string; workshop_id: string; actor_id: string | null; actor_name: string; action: string; details: string; at: string }>(
      'SELECT * FROM audit_log WHERE workshop_id = $1 ORDER BY at DESC, ord DESC LIMIT $2',
      [workshopId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      workshopId: r.workshop_id,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      details: JSON.parse(r.details) as Record<string, unknown>,
      at: r.at,
    }));
  }

  // Accounts

  async countAccounts(): Promise<number> {
    const row = await this.one<{ n: string }>('SELECT count(*) AS n FROM accounts');
    return Number(row?.n ?? 0);
  }

  async createAccount(a: Account, passwordHash: string): Promise<void> {
    await insertAccount(this.pool, a, passwordHash);
  }

  async createFirstAccount(a: Account, passwordHash: string): Promise<boolean> {
    return this.tx(async (c) => {
      // Conflicts with itself and with every INSERT: concurrent setups (or account creations) wait for this one.
      await c.query('LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE');
      const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM accounts');
      if (Number(rows[0]?.n ?? 0) > 0) return false;
      await insertAccount(c, a, passwordHash);
      return true;
    });
  }

  async getAccount(id: string): Promise<Account | null> {
    const row = await this.one<AccountRow>('SELECT * FROM accounts WHERE id = $1', [id]);
    return row ? toAccount(row) : null;
  }

  async getAccountByEmail(email: string): Promise<(Account & { passwordHash: string }) | null> {
    const row = await this.one<AccountRow>('SELECT * FROM accounts WHERE email = $1', [email]);
    return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
  }

  async getPasswordHash(id: string): Promise<string | null> {
    const row = await this.one<{ password_hash: string }>('SELECT password_hash FROM accounts WHERE id = $1', [id]);
    return row?.password_hash ?? null;
  }

  async setPasswordHash(id: string, hash: string): Promise<void> {
    await this.query('UPDATE accounts SET password_hash = $1 WHERE id = $2', [hash, id]);
  }

  async listAccounts(): Promise<Account[]> {
    return (await this.query<AccountRow>('SELECT * FROM accounts ORDER BY name, ord')).map(toAccount);
  }

  // Sessions

  async createSession(s: SessionRecord): Promise<void> {
    await this.query('INSERT INTO sessions (id, secret_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      s.id,
      toBuffer(s.secretHash),
      s.userId,
      s.createdAt,
      s.expiresAt,
    ]);
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = await this.one<{ id: string; secret_hash: Buffer; user_id: string | null; created_at: string; expires_at: string }>(
      'SELECT * FROM sessions WHERE id = $1',
      [id],
    );
    if (!row) return null;
    return {
      id: row.id,
      secretHash: new Uint8Array(row.secret_hash),
      userId: row.user_id,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }

  async setSessionExpiry(id: string, expiresAt: number): Promise<void> {
    await this.query('UPDATE sessions SET expires_at = $1 WHERE id = $2', [expiresAt, id]);
  }

  async deleteSession(id: string): Promise<void> {
    await this.query('DELETE FROM sessions WHERE id = $1', [id]);
  }

  async deleteAccountSessions(userId: string): Promise<string[]> {
    return (await this.query<{ id: string }>('DELETE FROM sessions WHERE user_id = $1 RETURNING id', [userId])).map((r) => r.id);
  }

  async saveImportUpload(u: ImportUpload): Promise<void> {
    await this.query('INSERT INTO import_uploads (id, workshop_id, session_id, file_name, rows, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      u.id,
      u.workshopId,
      u.sessionId,
      u.fileName,
      JSON.stringify(u.rows),
      u.expiresAt,
    ]);
  }

  async getImportUpload(id: string): Promise<ImportUpload | null> {
    const r = await this.one<{ id: string; workshop_id: string; session_id: string; file_name: string; rows: string; expires_at: string }>(
      'SELECT * FROM import_uploads WHERE id = $1',
      [id],
    );
    if (!r) return null;
    return { id: r.id, workshopId: r.workshop_id, sessionId: r.session_id, fileName: r.file_name, rows: JSON.parse(r.rows) as string[][], expiresAt: Number(r.expires_at) };
  }

  async deleteImportUpload(id: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM import_uploads WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async deleteExpiredImportUploads(now: number): Promise<number> {
    const res = await this.pool.query('DELETE FROM import_uploads WHERE expires_at <= $1', [now]);
    return res.rowCount ?? 0;
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  // Members

  async createMember(m: Member, sessionId: string | null): Promise<void> {
    await insertMember(this.pool, m, sessionId);
  }

  async getMember(id: string): Promise<(Member & { sessionId: string | null }) | null> {
    const row = await this.one<MemberRow>('SELECT * FROM members WHERE id = $1 AND removed_at IS NULL', [id]);
    return row ? { ...toMember(row), sessionId: row.session_id } : null;
  }

  async findMemberByAccount(workshopId: string, userId: string): Promise<Member | null> {
    const row = await this.one<MemberRow>('SELECT * FROM members WHERE workshop_id = $1 AND user_id = $2 AND removed_at IS NULL ORDER BY ord LIMIT 1', [
      workshopId,
      userId,
    ]);
    return row ? toMember(row) : null;
  }

  async findMemberBySession(workshopId: string, sessionId: string): Promise<Member | null> {
    const row = await this.one<MemberRow>(
      'SELECT * FROM members WHERE workshop_id = $1 AND session_id = $2 AND user_id IS NULL AND removed_at IS NULL ORDER BY ord LIMIT 1',
      [workshopId, sessionId],
    );
    return row ? toMember(row) : null;
  }

  async listMembers(workshopId: string): Promise<Member[]> {
    return (await this.query<MemberRow>('SELECT * FROM members WHERE workshop_id = $1 AND removed_at IS NULL ORDER BY created_at, ord', [workshopId])).map(
      toMember,
    );
  }

  async setMemberRole(id: string, role: WorkshopRole): Promise<void> {
    await this.query('UPDATE members SET role = $1 WHERE id = $2', [role, id]);
  }

  async removeMember(id: string): Promise<void> {
    await this.query('UPDATE members SET removed_at = $1 WHERE id = $2', [new Date().toISOString(), id]);
  }

  async listWorkshopsOf(who: { userId: string | null; sessionId: string }): Promise<Workshop[]> {
    const rows = await this.query<WorkshopRow>(
      `SELECT w.* FROM workshops w
       WHERE EXISTS (SELECT 1 FROM members m
                     WHERE m.workshop_id = w.id AND m.removed_at IS NULL
                       AND ((m.user_id IS NOT NULL AND m.user_id = $1) OR (m.user_id IS NULL AND m.session_id = $2)))
       ORDER BY w.date DESC, w.created_at DESC, w.ord`,
      [who.userId, who.sessionId],
    );
    return rows.map(toWorkshop);
  }

  // Invitations

  async createInvitation(i: Invitation): Promise<void> {
    await this.query(
      `INSERT INTO invitations (id, workshop_id, token, role, label, group_id, expires_at, max_uses, uses, revoked_at, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [i.id, i.workshopId, i.token, i.role, i.label, i.groupId, i.expiresAt, i.maxUses, i.uses, i.revokedAt, i.createdBy, i.createdAt],
    );
  }

  async getInvitation(id: string): Promise<Invitation | null> {
    const row = await this.one<InvitationRow>('SELECT * FROM invitations WHERE id = $1', [id]);
    return row ? toInvitation(row) : null;
  }

  async getInvitationByToken(token: string): Promise<Invitation | null> {
    const row = await this.one<InvitationRow>('SELECT * FROM invitations WHERE token = $1', [token]);
    return row ? toInvitation(row) : null;
  }

  async listInvitations(workshopId: string): Promise<Invitation[]> {
    return (await this.query<InvitationRow>('SELECT * FROM invitations WHERE workshop_id = $1 ORDER BY created_at DESC, ord', [workshopId])).map(
      toInvitation,
    );
  }

  async revokeInvitation(id: string, at: string): Promise<string[]> {
    return this.tx(async (c) => {
      await c.query('UPDATE invitations SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2', [at, id]);
      // Only the people the link let in as participants or observers, and still there as such: someone promoted
      // since, or an organiser account that used the link, keeps their place.
      const { rows } = await c.query<{ id: string }>(
        `UPDATE members SET removed_at = $1
         WHERE invitation_id = $2 AND removed_at IS NULL AND user_id IS NULL AND role IN ('participant', 'observateur')
         RETURNING id`,
        [at, id],
      );
      return rows.map((r) => r.id);
    });
  }

  async joinWithInvitation(invitationId: string, member: Member, sessionId: string | null, now: number): Promise<InvitationState> {
    return this.tx(async (c): Promise<InvitationState> => {
      // The row lock makes concurrent joins through one link queue here: each sees the uses counted before it.
      const { rows } = await c.query<InvitationRow>('SELECT * FROM invitations WHERE id = $1 FOR UPDATE', [invitationId]);
      const row = rows[0];
      if (!row) return 'revoked';
      const state = invitationState(toInvitation(row), now);
      if (state !== 'valid') return state;
      await c.query('UPDATE invitations SET uses = uses + 1 WHERE id = $1', [invitationId]);
      await insertMember(c, member, sessionId);
      return 'valid';
    });
  }

  // Breakout groups

  async createGroup(g: Group): Promise<void> {
    await this.query('INSERT INTO groups (id, workshop_id, name, sectors, lever_ids, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      g.id,
      g.workshopId,
      g.name,
      JSON.stringify(g.sectors),
      JSON.stringify(g.leverIds),
      g.createdAt,
    ]);
  }

  async getGroup(id: string): Promise<Group | null> {
    const row = await this.one<GroupRow>('SELECT * FROM groups WHERE id = $1', [id]);
    return row ? toGroup(row) : null;
  }

  async listGroups(workshopId: string): Promise<Group[]> {
    return (await this.query<GroupRow>('SELECT * FROM groups WHERE workshop_id = $1 ORDER BY created_at, ord', [workshopId])).map(toGroup);
  }

  async updateGroup(g: Group): Promise<void> {
    await this.query('UPDATE groups SET name = $1, sectors = $2, lever_ids = $3 WHERE id = $4', [
      g.name,
      JSON.stringify(g.sectors),
      JSON.stringify(g.leverIds),
      g.id,
    ]);
  }

  async deleteGroup(id: string): Promise<void> {
    await this.tx(async (c) => {
      await c.query('UPDATE members SET group_id = NULL WHERE group_id = $1', [id]);
      // The group's links close with it (the people who joined through them stay, in the plenary).
      await c.query('UPDATE invitations SET revoked_at = $2 WHERE group_id = $1 AND revoked_at IS NULL', [id, new Date().toISOString()]);
      await c.query('DELETE FROM groups WHERE id = $1', [id]);
    });
  }

  async setMembersGroup(workshopId: string, memberIds: string[], groupId: string | null): Promise<void> {
    if (memberIds.length === 0) return;
    await this.query('UPDATE members SET group_id = $1 WHERE id = ANY($2::text[]) AND workshop_id = $3', [groupId, memberIds, workshopId]);
  }

  // History

  async appendHistory(changes: EntryChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.tx(async (c) => {
      for (let i = 0; i < changes.length; i += INSERT_CHUNK) {
        const params: unknown[] = [];
        // One multi-row VALUES: rows get their seq in list order.
        const values = changes.slice(i, i + INSERT_CHUNK).map((ch) => {
          const n = params.push(ch.document, ch.entryId, ch.kind, JSON.stringify(ch.fields), ch.memberId, ch.authorName, ch.at);
          return `(${[6, 5, 4, 3, 2, 1, 0].map((k) => `$${n - k}`).join(', ')})`;
        });
        await c.query(`INSERT INTO entry_history (document, entry_id, kind, fields, member_id, author_name, at) VALUES ${values.join(', ')}`, params);
      }
    });
  }

  async entryHistory(document: string, entryId: string): Promise<EntryChange[]> {
    const rows = await this.query<{ document: string; entry_id: string; kind: string; fields: string; member_id: string | null; author_name: string; at: string }>(
      'SELECT * FROM entry_history WHERE document = $1 AND entry_id = $2 ORDER BY seq',
      [document, entryId],
    );
    return rows.map((r) => ({
      document: r.document,
      entryId: r.entry_id,
      kind: r.kind === 'create' ? 'create' : r.kind === 'delete' ? 'delete' : 'update',
      fields: JSON.parse(r.fields) as EntryChange['fields'],
      memberId: r.member_id,
      authorName: r.author_name,
      at: r.at,
    }));
  }

  // Votes

  async createVote(r: VoteRecord): Promise<void> {
    await this.query(
      'INSERT INTO votes (id, workshop_id, status, vote, box, description, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [r.vote.id, r.workshopId, r.vote.status, JSON.stringify(r.vote), JSON.stringify(r.box), r.description, r.createdBy, r.createdAt, r.updatedAt],
    );
  }

  async getVote(id: string): Promise<VoteRecord | null> {
    const row = await this.one<VoteRow>('SELECT * FROM votes WHERE id = $1', [id]);
    return row ? toVoteRecord(row) : null;
  }

  async listVotes(workshopId: string): Promise<VoteRecord[]> {
    return (await this.query<VoteRow>('SELECT * FROM votes WHERE workshop_id = $1 ORDER BY created_at, ord', [workshopId])).map(toVoteRecord);
  }

  async listOpenVotes(): Promise<VoteRecord[]> {
    return (await this.query<VoteRow>("SELECT * FROM votes WHERE status = 'open' ORDER BY ord")).map(toVoteRecord);
  }

  async saveVote(r: VoteRecord): Promise<void> {
    await this.query('UPDATE votes SET status = $1, vote = $2, box = $3, description = $4, updated_at = $5 WHERE id = $6', [
      r.vote.status,
      JSON.stringify(r.vote),
      JSON.stringify(r.box),
      r.description,
      r.updatedAt,
      r.vote.id,
    ]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** Something that runs a query: the pool, or a client inside a transaction. */
type Queryable = Pick<Pool, 'query'> | PoolClient;

async function insertAccount(q: Queryable, a: Account, passwordHash: string): Promise<void> {
  await q.query(
    'INSERT INTO accounts (id, email, name, organisation, category, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [a.id, a.email, a.name, a.organisation, a.category, passwordHash, a.isAdmin, a.createdAt],
  );
}

async function insertMember(q: Queryable, m: Member, sessionId: string | null): Promise<void> {
  await q.query(
    `INSERT INTO members (id, workshop_id, user_id, session_id, name, organisation, category, college, role, invitation_id, group_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [m.id, m.workshopId, m.userId, sessionId, m.name, m.organisation, m.category, m.college, m.role, m.invitationId, m.groupId, m.createdAt],
  );
}

function toBuffer(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

interface WorkshopRow {
  id: string;
  name: string;
  region_code: string;
  date: string;
  stage: string;
  created_at: string;
}

function toWorkshop(row: WorkshopRow): Workshop {
  return WorkshopSchema.parse({
    id: row.id,
    name: row.name,
    regionCode: row.region_code,
    date: row.date,
    stage: row.stage,
    createdAt: row.created_at,
  });
}

interface GroupRow {
  id: string;
  workshop_id: string;
  name: string;
  sectors: string;
  lever_ids: string;
  created_at: string;
}

function toGroup(r: GroupRow): Group {
  return {
    id: r.id,
    workshopId: r.workshop_id,
    name: r.name,
    sectors: JSON.parse(r.sectors) as string[],
    leverIds: JSON.parse(r.lever_ids) as string[],
    createdAt: r.created_at,
  };
}

interface VoteRow {
  id: string;
  workshop_id: string;
  vote: string;
  box: string;
  description: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

function toVoteRecord(r: VoteRow): VoteRecord {
  return {
    workshopId: r.workshop_id,
    vote: VoteSchema.parse(JSON.parse(r.vote)),
    box: JSON.parse(r.box) as BallotBox, // written by saveVote from a box the domain built
    description: r.description,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const ActorCategorySchema = z.enum(ACTOR_CATEGORIES);

interface AccountRow {
  id: string;
  email: string;
  name: string;
  organisation: string;
  category: string;
  password_hash: string;
  is_admin: boolean;
  created_at: string;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    organisation: r.organisation,
    category: ActorCategorySchema.parse(r.category),
    isAdmin: r.is_admin,
    createdAt: r.created_at,
  };
}

interface MemberRow {
  id: string;
  workshop_id: string;
  user_id: string | null;
  session_id: string | null;
  name: string;
  organisation: string;
  category: string;
  college: string;
  role: string;
  invitation_id: string | null;
  group_id: string | null;
  created_at: string;
}

function toMember(r: MemberRow): Member {
  return MemberSchema.parse({
    id: r.id,
    workshopId: r.workshop_id,
    name: r.name,
    organisation: r.organisation,
    category: r.category,
    college: r.college,
    role: r.role,
    userId: r.user_id,
    invitationId: r.invitation_id,
    groupId: r.group_id,
    createdAt: r.created_at,
  });
}

interface InvitationRow {
  id: string;
  workshop_id: string;
  token: string;
  role: string;
  label: string;
  group_id: string | null;
  expires_at: string;
  max_uses: number | null;
  uses: number;
  revoked_at: string | null;
  created_by: string;
  created_at: string;
}

function toInvitation(r: InvitationRow): Invitation {
  return {
    id: r.id,
    workshopId: r.workshop_id,
    token: r.token,
    role: r.role === 'observateur' ? 'observateur' : 'participant',
    label: r.label,
    groupId: r.group_id,
    expiresAt: r.expires_at,
    maxUses: r.max_uses,
    uses: r.uses,
    revokedAt: r.revoked_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}
