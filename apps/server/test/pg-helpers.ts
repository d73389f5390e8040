import crypto from 'node:crypto';
import pg from 'pg';

/** Administrative connection used to create and drop test databases (any database the role may connect to). */
export const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const requireServices = (): boolean => process.env.REQUIRE_SERVICES === '1';

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>, url = PG_TEST_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL cannot be used for tests (null when it can). */
async function unavailableReason(url = PG_TEST_URL): Promise<string | null> {
  try {
    return await withAdmin(async (c) => {
      const { rows } = await c.query<{ ok: boolean }>(
        'SELECT rolcreatedb OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user',
      );
      return rows[0]?.ok ? null : 'the role may not create databases';
    }, url);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Whether a PostgreSQL that lets us create databases answers at PG_TEST_URL. When not: under REQUIRE_SERVICES=1
 * this throws (a missing service is a failure), otherwise it warns and returns false (callers skip their tests).
 */
export async function pgAvailable(url = PG_TEST_URL): Promise<boolean> {
  const reason = await unavailableReason(url);
  if (reason === null) return true;
  const where = redact(url);
  if (requireServices()) throw new Error(`PostgreSQL is required (REQUIRE_SERVICES=1) but ${where} cannot be used: ${reason}`);
  console.warn(`Skipping PostgreSQL tests: ${where} cannot be used (${reason}). Set PG_TEST_URL, or REQUIRE_SERVICES=1 to fail instead.`);
  return false;
}

export interface TestDatabase {
  /** Connection string of the new, empty database. */
  url: string;
  name: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/** A fresh database `agora_test_<random>` of this test run only, on the server at PG_TEST_URL. */
export async function createTestDatabase(url = PG_TEST_URL): Promise<TestDatabase> {
  const name = `agora_test_${crypto.randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`), url);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  let dropped = false;
  return {
    url: dbUrl.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), url);
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid PG_TEST_URL)';
  }
}
