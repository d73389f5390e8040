import type { Account, AuditEntry, BallotBox, EntryChange, Group, Vote, Invitation, InvitationState, Member, Stage, Workshop, WorkshopRole } from '@agora/domain';

/**
 * Everything the server keeps. The embedded default is SQLite; PostgreSQL will implement the same interface.
 * Documents are kept as an append-only log of Yjs updates, compacted into one merged update from time to time.
 */
export interface Store {
  createWorkshop(workshop: Workshop): Promise<void>;
  listWorkshops(): Promise<Workshop[]>;
  getWorkshop(id: string): Promise<Workshop | null>;

  /** The stored updates of a document, oldest first (empty for a new document). */
  loadDocument(name: string): Promise<StoredDocument>;
  /** Appends accepted updates to a document's log, atomically; returns the sequence number of the last one. */
  appendUpdates(name: string, updates: Uint8Array[]): Promise<number>;
  /**
   * Replaces every stored update up to and including `throughSeq` with one merged update, atomically
   * (updates appended meanwhile are kept).
   */
  compactDocument(name: string, merged: Uint8Array, throughSeq: number): Promise<void>;

  setWorkshopStage(id: string, stage: Stage): Promise<void>;

  // Audit log of moderation actions
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(workshopId: string, limit?: number): Promise<AuditEntry[]>;

  // Accounts (organisers)
  countAccounts(): Promise<number>;
  createAccount(account: Account, passwordHash: string): Promise<void>;
  /** Creates the account only if no account exists yet (first-run setup), atomically; false when one exists. */
  createFirstAccount(account: Account, passwordHash: string): Promise<boolean>;
  getAccount(id: string): Promise<Account | null>;
  getAccountByEmail(email: string): Promise<(Account & { passwordHash: string }) | null>;
  getPasswordHash(id: string): Promise<string | null>;
  setPasswordHash(id: string, hash: string): Promise<void>;
  listAccounts(): Promise<Account[]>;

  // Sessions (after Lucia: only a SHA-256 of the secret is stored)
  createSession(session: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | null>;
  setSessionExpiry(id: string, expiresAt: number): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Deletes every session of an account; returns their ids. */
  deleteAccountSessions(userId: string): Promise<string[]>;
  deleteExpiredSessions(now: number): Promise<number>;

  // Workshop members
  createMember(member: Member, sessionId: string | null): Promise<void>;
  getMember(id: string): Promise<(Member & { sessionId: string | null }) | null>;
  findMemberByAccount(workshopId: string, userId: string): Promise<Member | null>;
  findMemberBySession(workshopId: string, sessionId: string): Promise<Member | null>;
  listMembers(workshopId: string): Promise<Member[]>;
  setMemberRole(id: string, role: WorkshopRole): Promise<void>;
  removeMember(id: string): Promise<void>;
  /** Workshops where an account or a link session is a member. */
  listWorkshopsOf(who: { userId: string | null; sessionId: string }): Promise<Workshop[]>;

  // Invitations
  createInvitation(invitation: Invitation): Promise<void>;
  getInvitation(id: string): Promise<Invitation | null>;
  getInvitationByToken(token: string): Promise<Invitation | null>;
  listInvitations(workshopId: string): Promise<Invitation[]>;
  /**
   * Revokes an invitation and removes the people who joined through it and are still participants or observers
   * (not organiser accounts, not people promoted since); returns their ids.
   */
  revokeInvitation(id: string, at: string): Promise<string[]>;
  /**
   * Atomically: checks the invitation is still usable at `now`, counts one use and adds the member.
   * Returns the invitation's state ('valid' when the member was added).
   */
  joinWithInvitation(invitationId: string, member: Member, sessionId: string | null, now: number): Promise<InvitationState>;

  // Votes: the vote record and its ballot box, saved together
  createVote(record: VoteRecord): Promise<void>;
  getVote(id: string): Promise<VoteRecord | null>;
  listVotes(workshopId: string): Promise<VoteRecord[]>;
  listOpenVotes(): Promise<VoteRecord[]>;
  saveVote(record: VoteRecord): Promise<void>;

  // Uploaded import files, read into rows, waiting for the person to confirm (any instance may answer next)
  saveImportUpload(upload: ImportUpload): Promise<void>;
  getImportUpload(id: string): Promise<ImportUpload | null>;
  /** Deletes an upload; false when it was already gone (another request claimed it first). */
  deleteImportUpload(id: string): Promise<boolean>;
  deleteExpiredImportUploads(now: number): Promise<number>;

  // Breakout groups
  createGroup(group: Group): Promise<void>;
  getGroup(id: string): Promise<Group | null>;
  listGroups(workshopId: string): Promise<Group[]>;
  updateGroup(group: Group): Promise<void>;
  /** Deletes a group: its members go back to the plenary and its invitation links are revoked. */
  deleteGroup(id: string): Promise<void>;
  /** Moves members into a group (null: out of any group). */
  setMembersGroup(workshopId: string, memberIds: string[], groupId: string | null): Promise<void>;

  // Per-entry history of accepted changes
  appendHistory(changes: EntryChange[]): Promise<void>;
  entryHistory(document: string, entryId: string): Promise<EntryChange[]>;

  close(): Promise<void>;
}

/** A vote as stored: the domain's vote and ballot box, with what the workshop shows around it. */
export interface VoteRecord {
  workshopId: string;
  vote: Vote;
  box: BallotBox;
  description: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** A file uploaded for an import, read into rows (the first row is the header). Nothing is written from it yet. */
export interface ImportUpload {
  id: string;
  workshopId: string;
  /** Only the session that uploaded it may use it. */
  sessionId: string;
  fileName: string;
  rows: string[][];
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface SessionRecord {
  id: string;
  secretHash: Uint8Array;
  userId: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface StoredDocument {
  updates: Uint8Array[];
  /** Sequence number of the last stored update (0 when none). */
  lastSeq: number;
  /** Total stored bytes. */
  bytes: number;
}
