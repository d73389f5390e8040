import type { Config } from '../config.ts';
import type { PgStoreOptions } from './pg-store.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

/**
 * The store the configuration asks for: PostgreSQL (schema migrated first) when `DATABASE_URL` is set, shared by
 * every instance; otherwise the embedded SQLite file in `DATA_DIR`.
 */
export async function openStore(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>, options: PgStoreOptions = {}): Promise<Store> {
  if (config.DATABASE_URL) {
    const { PgStore } = await import('./pg-store.ts'); // pg is loaded only when configured
    return PgStore.open(config.DATABASE_URL, options);
  }
  return new SqliteStore(config.DATA_DIR);
}
