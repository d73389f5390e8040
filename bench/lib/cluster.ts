/**
 * Two project instances behind no proxy, sharing a fresh PostgreSQL database and Redis (a key prefix of their own):
 * the multi-instance deployment of the README, on this machine's services.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';

export const BENCH_PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ClusterServices {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Drops the database and the Redis keys. */
  cleanup(): Promise<void>;
}

/** Why the cluster scenario cannot run here (null when PostgreSQL and Redis answer). */
export async function clusterUnavailable(): Promise<string | null> {
  const c = new pg.Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.end();
  } catch (err) {
    return `PostgreSQL at ${BENCH_PG_URL}: ${String(err)}`;
  }
  const r = createClient({ url: BENCH_REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 2000 } });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.close();
  } catch (err) {
    return `Redis at ${BENCH_REDIS_URL}: ${String(err)}`;
  }
  return null;
}

export async function createClusterServices(): Promise<ClusterServices> {
  const name = `agora_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  const redisPrefix = `agora-bench-${randomBytes(4).toString('hex')}`;
  return {
    databaseUrl: url.toString(),
    redisUrl: BENCH_REDIS_URL,
    redisPrefix,
    async cleanup() {
      const a = new pg.Client({ connectionString: BENCH_PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
      const r = createClient({ url: BENCH_REDIS_URL });
      r.on('error', () => undefined);
      await r.connect();
      const keys: string[] = [];
      for await (const batch of r.scanIterator({ MATCH: `${redisPrefix}:*`, COUNT: 500 })) keys.push(...batch);
      if (keys.length) await r.del(keys);
      await r.close();
    },
  };
}
