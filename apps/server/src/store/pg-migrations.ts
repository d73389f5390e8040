import type { Pool, PoolClient } from 'pg';

/**
 * PostgreSQL schema of the shared store, the same tables as the embedded SQLite store (sqlite-store.ts).
 *
 * Choices that keep both stores behaving the same:
 * - text columns that are sorted on use `COLLATE "C"` (byte order, as SQLite's BINARY collation);
 * - dates and times stay ISO-8601 text, as the domain writes them (never re-formatted);
 * - JSON stays `text`, written with JSON.stringify: it round-trips exactly (key order, lone surrogates,
 *   `\u0000`), which `jsonb` would not;
 * - tables listed in insertion order by SQLite (implicit rowid) get an `ord` identity column for the same tie-break.
 *
 * Append new migrations at the end; never edit one that has shipped. `schema_migrations` records the versions applied.
 */
export const PG_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE workshops (
        id text PRIMARY KEY,
        name text NOT NULL,
        region_code text NOT NULL,
        date text COLLATE "C" NOT NULL,
        stage text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        ord bigint GENERATED ALWAYS AS IDENTITY
      );

      CREATE TABLE document_updates (
        seq bigserial PRIMARY KEY,
        doc text NOT NULL,
        data bytea NOT NULL
      );
      CREATE INDEX document_updates_doc ON document_updates (doc, seq);

      CREATE TABLE accounts (
        id text PRIMARY KEY,
        email text NOT NULL UNIQUE,
        name text COLLATE "C" NOT NULL,
        organisation text NOT NULL,
        category text NOT NULL,
        password_hash text NOT NULL,
        is_admin boolean NOT NULL DEFAULT false,
        created_at text NOT NULL,
        ord bigint GENERATED ALWAYS AS IDENTITY
      );

      CREATE TABLE sessions (
        id text PRIMARY KEY,
        secret_hash bytea NOT NULL,
        user_id text REFERENCES accounts (id) ON DELETE CASCADE,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE INDEX sessions_expiry ON sessions (expires_at);

      CREATE TABLE invitations (
        id text PRIMARY KEY,
        workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        token text NOT NULL UNIQUE,
        role text NOT NULL,
        label text NOT NULL,
        group_id text,
        expires_at text NOT NULL,
        max_uses integer,
        uses integer NOT NULL DEFAULT 0,
        revoked_at text,
        created_by text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        ord bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX invitations_workshop ON invitations (workshop_id);

      CREATE TABLE members (
        id text PRIMARY KEY,
        workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        user_id text REFERENCES accounts (id) ON DELETE CASCADE,
        session_id text,
        name text NOT NULL,
        organisation text NOT NULL,
        category text NOT NULL,
        college text NOT NULL,
        role text NOT NULL,
        invitation_id text REFERENCES invitations (id),
        group_id text,
        created_at text COLLATE "C" NOT NULL,
        removed_at text,
        ord bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX members_workshop ON members (workshop_id);
      CREATE UNIQUE INDEX members_account ON members (workshop_id, user_id) WHERE user_id IS NOT NULL AND removed_at IS NULL;
      CREATE INDEX members_session ON members (session_id);
      CREATE INDEX members_user ON members (user_id);
      CREATE INDEX members_invitation ON members (invitation_id);

      CREATE TABLE audit_log (
        id text PRIMARY KEY,
        workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        actor_id text,
        actor_name text NOT NULL,
        action text NOT NULL,
        details text NOT NULL,
        at text COLLATE "C" NOT NULL,
        ord bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX audit_log_workshop ON audit_log (workshop_id, at, ord);

      CREATE TABLE votes (
        id text PRIMARY KEY,
        workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        status text NOT NULL,
        vote text NOT NULL,
        box text NOT NULL,
        description text NOT NULL,
        created_by text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        updated_at text NOT NULL,
        ord bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX votes_workshop ON votes (workshop_id, created_at);
      CREATE INDEX votes_status ON votes (status);

      CREATE TABLE groups (
        id text PRIMARY KEY,
        workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        name text NOT NULL,
        sectors text NOT NULL,
        lever_ids text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        ord bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX groups_workshop ON groups (workshop_id);

      CREATE TABLE entry_history (
        seq bigserial PRIMARY KEY,
        document text NOT NULL,
        entry_id text NOT NULL,
        kind text NOT NULL,
        fields text NOT NULL,
        member_id text,
        author_name text NOT NULL,
        at text NOT NULL
      );
      CREATE INDEX entry_history_entry ON entry_history (document, entry_id, seq);
    `,
  },
  {
    version: 2,
    name: 'import uploads',
    sql: `
      CREATE TABLE import_uploads (
        id text PRIMARY KEY,
        workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        session_id text NOT NULL,
        file_name text NOT NULL,
        rows text NOT NULL,
        expires_at bigint NOT NULL
      );
      CREATE INDEX import_uploads_expiry ON import_uploads (expires_at);
    `,
  },
];

/** Advisory lock key held while migrating ('agora' in ASCII), so that instances starting together migrate one at a time. */
const MIGRATION_LOCK = 0x61676f7261;

/**
 * Applies the migrations not applied yet, each in its own transaction, under a transaction-level advisory lock:
 * safe when several instances start at once (the others wait, then find the version applied). Returns the
 * versions applied by this call.
 */
export async function migratePg(pool: Pool, migrations: readonly { version: number; name: string; sql: string }[] = PG_MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  for (const m of migrations) {
    await transaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await ensureMigrationsTable(client);
      const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.rowCount === 0) {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        applied.push(m.version);
      }
    });
  }
  return applied;
}

/**
 * Runs `fn` in a transaction on one pooled connection: COMMIT, or ROLLBACK and rethrow. While the connection is
 * checked out, its errors (PostgreSQL restarting, connection cut) are caught here: without a listener they would
 * crash the process; the broken connection is then thrown away instead of going back to the pool.
 */
export async function transaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error): void => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    broken ??= await rollback(client);
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

async function ensureMigrationsTable(client: PoolClient): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
}

/** Rolls back; returns the error when the connection is unusable (the pool must then discard it). */
export async function rollback(client: PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
