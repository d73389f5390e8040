import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as z from 'zod';
import {
  ACTOR_CATEGORIES,
  MemberSchema,
  VoteSchema,
  WorkshopSchema,
  type BallotBox,
  invitationState,
  type Account,
  type AuditEntry,
  type EntryChange,
  type Group,
  type Invitation,
  type InvitationState,
  type Member,
  type Stage,
  type Workshop,
  type WorkshopRole,
} from '@agora/domain';
import type { ImportUpload, SessionRecord, Store, StoredDocument, VoteRecord } from './store.ts';

/** Migrations, applied in order; `PRAGMA user_version` records how many ran. */
const MIGRATIONS: string[] = [
  `CREATE TABLE workshops (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     region_code TEXT NOT NULL,
     date TEXT NOT NULL,
     stage TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE document_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     doc TEXT NOT NULL,
     data BLOB NOT NULL
   );
   CREATE INDEX document_updates_doc ON document_updates (doc, seq);`,
  `CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     organisation TEXT NOT NULL,
     category TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     is_admin INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL
   );
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     secret_hash BLOB NOT NULL,
     user_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX sessions_user ON sessions (user_id);
   CREATE TABLE invitations (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     token TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL,
     label TEXT NOT NULL,
     group_id TEXT,
     expires_at TEXT NOT NULL,
     max_uses INTEGER,
     uses INTEGER NOT NULL DEFAULT 0,
     revoked_at TEXT,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX invitations_workshop ON invitations (workshop_id);
   CREATE TABLE members (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     user_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
     session_id TEXT,
     name TEXT NOT NULL,
     organisation TEXT NOT NULL,
     category TEXT NOT NULL,
     college TEXT NOT NULL,
     role TEXT NOT NULL,
     invitation_id TEXT REFERENCES invitations (id),
     group_id TEXT,
     created_at TEXT NOT NULL,
     removed_at TEXT
   );
   CREATE INDEX members_workshop ON members (workshop_id);
   CREATE UNIQUE INDEX members_account ON members (workshop_id, user_id) WHERE user_id IS NOT NULL AND removed_at IS NULL;
   CREATE INDEX members_session ON members (session_id);
   CREATE TABLE audit_log (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     actor_id TEXT,
     actor_name TEXT NOT NULL,
     action TEXT NOT NULL,
     details TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX audit_log_workshop ON audit_log (workshop_id, at);
   CREATE TABLE votes (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     status TEXT NOT NULL,
     vote TEXT NOT NULL,
     box TEXT NOT NULL,
     description TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX votes_workshop ON votes (workshop_id, created_at);
   CREATE INDEX votes_status ON votes (status);`,
  `CREATE TABLE groups (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     sectors TEXT NOT NULL,
     lever_ids TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX groups_workshop ON groups (workshop_id);
   CREATE TABLE entry_history (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     document TEXT NOT NULL,
     entry_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     fields TEXT NOT NULL,
     member_id TEXT,
     author_name TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX entry_history_entry ON entry_history (document, entry_id, seq);`,
  `CREATE TABLE import_uploads (
     id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     session_id TEXT NOT NULL,
     file_name TEXT NOT NULL,
     rows TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX import_uploads_expiry ON import_uploads (expires_at);`,
];

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

/** The embedded store: one SQLite file (WAL) in DATA_DIR. */
export class SqliteStore implements Store {
  readonly db: Database.Database;
  /** Prepared statements by SQL text: preparing is a compile step, and some run on every flush. */
  private readonly statements = new Map<string, Database.Statement>();

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'agora.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v] ?? '');
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  async createWorkshop(w: Workshop): Promise<void> {
    this.db
      .prepare('INSERT INTO workshops (id, name, region_code, date, stage, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(w.id, w.name, w.regionCode, w.date, w.stage, w.createdAt);
  }

  async listWorkshops(): Promise<Workshop[]> {
    const rows = this.stmt('SELECT * FROM workshops ORDER BY date DESC, created_at DESC').all() as WorkshopRow[];
    return rows.map(toWorkshop);
  }

  async getWorkshop(id: string): Promise<Workshop | null> {
    const row = this.stmt('SELECT * FROM workshops WHERE id = ?').get(id) as WorkshopRow | undefined;
    return row ? toWorkshop(row) : null;
  }

  async loadDocument(name: string): Promise<StoredDocument> {
    const rows = this.stmt('SELECT seq, data FROM document_updates WHERE doc = ? ORDER BY seq').all(name) as {
      seq: number;
      data: Buffer;
    }[];
    let bytes = 0;
    const updates = rows.map((r) => {
      bytes += r.data.byteLength;
      return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    });
    return { updates, lastSeq: rows.at(-1)?.seq ?? 0, bytes };
  }

  async appendUpdates(name: string, updates: Uint8Array[]): Promise<number> {
    const insert = this.stmt('INSERT INTO document_updates (doc, data) VALUES (?, ?)');
    return this.db.transaction(() => {
      let seq = 0;
      for (const u of updates) seq = Number(insert.run(name, Buffer.from(u.buffer, u.byteOffset, u.byteLength)).lastInsertRowid);
      return seq;
    })();
  }

  async compactDocument(name: string, merged: Uint8Array, throughSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.stmt('DELETE FROM document_updates WHERE doc = ? AND seq <= ?').run(name, throughSeq);
      // The merged update must sort before anything appended after throughSeq; seq order only matters for
      // readability, Yjs applies updates in any order, so a fresh seq is fine.
      this.stmt('INSERT INTO document_updates (doc, data) VALUES (?, ?)').run(name, Buffer.from(merged));
    })();
  }

  async setWorkshopStage(id: string, stage: Stage): Promise<void> {
    this.stmt('UPDATE workshops SET stage = ? WHERE id = ?').run(stage, id);
  }

  async appendAudit(e: AuditEntry): Promise<void> {
    this.db
      .prepare('INSERT INTO audit_log (id, workshop_id, actor_id, actor_name, action, details, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.id, e.workshopId, e.actorId, e.actorName, e.action, JSON.stringify(e.details), e.at);
  }

  async listAudit(workshopId: string, limit = 500): Promise<AuditEntry[]> {
    const rows = this.db
      .prepare('SELECT * FROM audit_log WHERE workshop_id = ? ORDER BY at DESC, rowid DESC LIMIT ?')
      .all(workshopId, limit) as { id: string; workshop_id: string; actor_id: string | null; actor_name: string; action: string; details: string; at: string }[];
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
    return (this.stmt('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  }

  async createAccount(a: Account, passwordHash: string): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO accounts (id, email, name, organisation, category, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(a.id, a.email, a.name, a.organisation, a.category, passwordHash, a.isAdmin ? 1 : 0, a.createdAt);
  }

  async createFirstAccount(a: Account, passwordHash: string): Promise<boolean> {
    return this.db.transaction(() => {
      if ((this.stmt('SELECT count(*) AS n FROM accounts').get() as { n: number }).n > 0) return false;
      this.db
        .prepare(
          'INSERT INTO accounts (id, email, name, organisation, category, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(a.id, a.email, a.name, a.organisation, a.category, passwordHash, a.isAdmin ? 1 : 0, a.createdAt);
      return true;
    }).immediate();
  }

  async getAccount(id: string): Promise<Account | null> {
    const row = this.stmt('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
    return row ? toAccount(row) : null;
  }

  async getAccountByEmail(email: string): Promise<(Account & { passwordHash: string }) | null> {
    const row = this.stmt('SELECT * FROM accounts WHERE email = ?').get(email) as AccountRow | undefined;
    return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
  }

  async getPasswordHash(id: string): Promise<string | null> {
    const row = this.stmt('SELECT password_hash FROM accounts WHERE id = ?').get(id) as { password_hash: string } | undefined;
    return row?.password_hash ?? null;
  }

  async setPasswordHash(id: string, hash: string): Promise<void> {
    this.stmt('UPDATE accounts SET password_hash = ? WHERE id = ?').run(hash, id);
  }

  async listAccounts(): Promise<Account[]> {
    return (this.stmt('SELECT * FROM accounts ORDER BY name').all() as AccountRow[]).map(toAccount);
  }

  // Sessions

  async createSession(s: SessionRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO sessions (id, secret_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.id, Buffer.from(s.secretHash), s.userId, s.createdAt, s.expiresAt);
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.stmt('SELECT * FROM sessions WHERE id = ?').get(id) as
      | { id: string; secret_hash: Buffer; user_id: string | null; created_at: number; expires_at: number }
      | undefined;
    if (!row) return null;
    return {
      id: row.id,
      secretHash: new Uint8Array(row.secret_hash),
      userId: row.user_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  async setSessionExpiry(id: string, expiresAt: number): Promise<void> {
    this.stmt('UPDATE sessions SET expires_at = ? WHERE id = ?').run(expiresAt, id);
  }

  async deleteSession(id: string): Promise<void> {
    this.stmt('DELETE FROM sessions WHERE id = ?').run(id);
  }

  async deleteAccountSessions(userId: string): Promise<string[]> {
    return this.db.transaction(() => {
      const ids = (this.stmt('SELECT id FROM sessions WHERE user_id = ?').all(userId) as { id: string }[]).map((r) => r.id);
      this.stmt('DELETE FROM sessions WHERE user_id = ?').run(userId);
      return ids;
    })();
  }

  async saveImportUpload(u: ImportUpload): Promise<void> {
    this.db
      .prepare('INSERT INTO import_uploads (id, workshop_id, session_id, file_name, rows, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(u.id, u.workshopId, u.sessionId, u.fileName, JSON.stringify(u.rows), u.expiresAt);
  }

  async getImportUpload(id: string): Promise<ImportUpload | null> {
    const r = this.stmt('SELECT * FROM import_uploads WHERE id = ?').get(id) as
      | { id: string; workshop_id: string; session_id: string; file_name: string; rows: string; expires_at: number }
      | undefined;
    if (!r) return null;
    return { id: r.id, workshopId: r.workshop_id, sessionId: r.session_id, fileName: r.file_name, rows: JSON.parse(r.rows) as string[][], expiresAt: r.expires_at };
  }

  async deleteImportUpload(id: string): Promise<boolean> {
    return this.stmt('DELETE FROM import_uploads WHERE id = ?').run(id).changes > 0;
  }

  async deleteExpiredImportUploads(now: number): Promise<number> {
    return this.stmt('DELETE FROM import_uploads WHERE expires_at <= ?').run(now).changes;
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.stmt('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
  }

  // Members

  async createMember(m: Member, sessionId: string | null): Promise<void> {
    this.insertMember(m, sessionId);
  }

  private insertMember(m: Member, sessionId: string | null): void {
    this.db
      .prepare(
        `INSERT INTO members (id, workshop_id, user_id, session_id, name, organisation, category, college, role,
                              invitation_id, group_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(m.id, m.workshopId, m.userId, sessionId, m.name, m.organisation, m.category, m.college, m.role, m.invitationId, m.groupId, m.createdAt);
  }

  async getMember(id: string): Promise<(Member & { sessionId: string | null }) | null> {
    const row = this.stmt('SELECT * FROM members WHERE id = ? AND removed_at IS NULL').get(id) as MemberRow | undefined;
    return row ? { ...toMember(row), sessionId: row.session_id } : null;
  }

  async findMemberByAccount(workshopId: string, userId: string): Promise<Member | null> {
    const row = this.db
      .prepare('SELECT * FROM members WHERE workshop_id = ? AND user_id = ? AND removed_at IS NULL')
      .get(workshopId, userId) as MemberRow | undefined;
    return row ? toMember(row) : null;
  }

  async findMemberBySession(workshopId: string, sessionId: string): Promise<Member | null> {
    const row = this.db
      .prepare('SELECT * FROM members WHERE workshop_id = ? AND session_id = ? AND user_id IS NULL AND removed_at IS NULL')
      .get(workshopId, sessionId) as MemberRow | undefined;
    return row ? toMember(row) : null;
  }

  async listMembers(workshopId: string): Promise<Member[]> {
    const rows = this.db
      .prepare('SELECT * FROM members WHERE workshop_id = ? AND removed_at IS NULL ORDER BY created_at')
      .all(workshopId) as MemberRow[];
    return rows.map(toMember);
  }

  async setMemberRole(id: string, role: WorkshopRole): Promise<void> {
    this.stmt('UPDATE members SET role = ? WHERE id = ?').run(role, id);
  }

  async removeMember(id: string): Promise<void> {
    this.stmt('UPDATE members SET removed_at = ? WHERE id = ?').run(new Date().toISOString(), id);
  }

  async listWorkshopsOf(who: { userId: string | null; sessionId: string }): Promise<Workshop[]> {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT w.* FROM workshops w JOIN members m ON m.workshop_id = w.id
         WHERE m.removed_at IS NULL AND ((m.user_id IS NOT NULL AND m.user_id = ?) OR (m.user_id IS NULL AND m.session_id = ?))
         ORDER BY w.date DESC, w.created_at DESC`,
      )
      .all(who.userId, who.sessionId) as WorkshopRow[];
    return rows.map(toWorkshop);
  }

  // Invitations

  async createInvitation(i: Invitation): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO invitations (id, workshop_id, token, role, label, group_id, expires_at, max_uses, uses, revoked_at,
                                  created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(i.id, i.workshopId, i.token, i.role, i.label, i.groupId, i.expiresAt, i.maxUses, i.uses, i.revokedAt, i.createdBy, i.createdAt);
  }

  async getInvitation(id: string): Promise<Invitation | null> {
    const row = this.stmt('SELECT * FROM invitations WHERE id = ?').get(id) as InvitationRow | undefined;
    return row ? toInvitation(row) : null;
  }

  async getInvitationByToken(token: string): Promise<Invitation | null> {
    const row = this.stmt('SELECT * FROM invitations WHERE token = ?').get(token) as InvitationRow | undefined;
    return row ? toInvitation(row) : null;
  }

  async listInvitations(workshopId: string): Promise<Invitation[]> {
    const rows = this.stmt('SELECT * FROM invitations WHERE workshop_id = ? ORDER BY created_at DESC').all(workshopId) as InvitationRow[];
    return rows.map(toInvitation);
  }

  async revokeInvitation(id: string, at: string): Promise<string[]> {
    return this.db.transaction(() => {
      this.stmt('UPDATE invitations SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(at, id);
      // Only the people the link let in as participants or observers, and still there as such: someone promoted
      // since, or an organiser account that used the link, keeps their place.
      const where = "invitation_id = ? AND removed_at IS NULL AND user_id IS NULL AND role IN ('participant', 'observateur')";
      const ids = (this.stmt(`SELECT id FROM members WHERE ${where}`).all(id) as { id: string }[]).map((r) => r.id);
      this.stmt(`UPDATE members SET removed_at = ? WHERE ${where}`).run(at, id);
      return ids;
    })();
  }

  async joinWithInvitation(invitationId: string, member: Member, sessionId: string | null, now: number): Promise<InvitationState> {
    return this.db.transaction((): InvitationState => {
      const row = this.stmt('SELECT * FROM invitations WHERE id = ?').get(invitationId) as InvitationRow | undefined;
      if (!row) return 'revoked';
      const state = invitationState(toInvitation(row), now);
      if (state !== 'valid') return state;
      this.stmt('UPDATE invitations SET uses = uses + 1 WHERE id = ?').run(invitationId);
      this.insertMember(member, sessionId);
      return 'valid';
    })();
  }

  // Breakout groups

  async createGroup(g: Group): Promise<void> {
    this.db
      .prepare('INSERT INTO groups (id, workshop_id, name, sectors, lever_ids, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(g.id, g.workshopId, g.name, JSON.stringify(g.sectors), JSON.stringify(g.leverIds), g.createdAt);
  }

  async getGroup(id: string): Promise<Group | null> {
    const row = this.stmt('SELECT * FROM groups WHERE id = ?').get(id) as GroupRow | undefined;
    return row ? toGroup(row) : null;
  }

  async listGroups(workshopId: string): Promise<Group[]> {
    return (this.stmt('SELECT * FROM groups WHERE workshop_id = ? ORDER BY created_at').all(workshopId) as GroupRow[]).map(toGroup);
  }

  async updateGroup(g: Group): Promise<void> {
    this.db
      .prepare('UPDATE groups SET name = ?, sectors = ?, lever_ids = ? WHERE id = ?')
      .run(g.name, JSON.stringify(g.sectors), JSON.stringify(g.leverIds), g.id);
  }

  async deleteGroup(id: string): Promise<void> {
    this.db.transaction(() => {
      this.stmt('UPDATE members SET group_id = NULL WHERE group_id = ?').run(id);
      // The group's links close with it (the people who joined through them stay, in the plenary).
      this.stmt('UPDATE invitations SET revoked_at = ? WHERE group_id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id);
      this.stmt('DELETE FROM groups WHERE id = ?').run(id);
    })();
  }

  async setMembersGroup(workshopId: string, memberIds: string[], groupId: string | null): Promise<void> {
    const stmt = this.stmt('UPDATE members SET group_id = ? WHERE id = ? AND workshop_id = ?');
    this.db.transaction(() => {
      for (const id of memberIds) stmt.run(groupId, id, workshopId);
    })();
  }

  // History

  async appendHistory(changes: EntryChange[]): Promise<void> {
    const stmt = this.stmt(
      'INSERT INTO entry_history (document, entry_id, kind, fields, member_id, author_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const c of changes) stmt.run(c.document, c.entryId, c.kind, JSON.stringify(c.fields), c.memberId, c.authorName, c.at);
    })();
  }

  async entryHistory(document: string, entryId: string): Promise<EntryChange[]> {
    const rows = this.db
      .prepare('SELECT * FROM entry_history WHERE document = ? AND entry_id = ? ORDER BY seq')
      .all(document, entryId) as { document: string; entry_id: string; kind: string; fields: string; member_id: string | null; author_name: string; at: string }[];
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
    this.db
      .prepare(
        'INSERT INTO votes (id, workshop_id, status, vote, box, description, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(r.vote.id, r.workshopId, r.vote.status, JSON.stringify(r.vote), JSON.stringify(r.box), r.description, r.createdBy, r.createdAt, r.updatedAt);
  }

  async getVote(id: string): Promise<VoteRecord | null> {
    const row = this.stmt('SELECT * FROM votes WHERE id = ?').get(id) as VoteRow | undefined;
    return row ? toVoteRecord(row) : null;
  }

  async listVotes(workshopId: string): Promise<VoteRecord[]> {
    return (this.stmt('SELECT * FROM votes WHERE workshop_id = ? ORDER BY created_at').all(workshopId) as VoteRow[]).map(toVoteRecord);
  }

  async listOpenVotes(): Promise<VoteRecord[]> {
    return (this.stmt("SELECT * FROM votes WHERE status = 'open'").all() as VoteRow[]).map(toVoteRecord);
  }

  async saveVote(r: VoteRecord): Promise<void> {
    this.db
      .prepare('UPDATE votes SET status = ?, vote = ?, box = ?, description = ?, updated_at = ? WHERE id = ?')
      .run(r.vote.status, JSON.stringify(r.vote), JSON.stringify(r.box), r.description, r.updatedAt, r.vote.id);
  }

  async close(): Promise<void> {
    this.db.close();
  }
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
  is_admin: number;
  created_at: string;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    organisation: r.organisation,
    category: ActorCategorySchema.parse(r.category),
    isAdmin: r.is_admin === 1,
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
