import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));

const int = (def: number) => z.coerce.number().int().positive().default(def);

/** Environment variables the server reads, with their defaults (documented in the README). */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default(path.resolve(here, '../.data')),
  /** Built SvelteKit app (adapter-node output) mounted on the same port. */
  WEB_BUILD_DIR: z.string().min(1).default(path.resolve(here, '../../web/build')),
  /** Largest WebSocket frame accepted, in bytes (ws closes larger ones with 1009). */
  MAX_MESSAGE_BYTES: int(1024 * 1024),
  /** Largest stored size of one document, in bytes. */
  MAX_DOCUMENT_BYTES: int(16 * 1024 * 1024),
  /** A client whose unsent data exceeds this is disconnected (it reconnects and resyncs). */
  MAX_BUFFERED_BYTES: int(8 * 1024 * 1024),
  /** A document with no connection is unloaded after this many milliseconds. */
  DOC_IDLE_MS: int(30_000),
  /** Stored updates of one document are merged into one once there are more than this. */
  COMPACT_AFTER_UPDATES: int(200),
  /** Public origin when behind a proxy (e.g. https://agora.example.fr): allowed Origin, and Secure cookies if https. */
  PUBLIC_ORIGIN: z.url().optional(),
  /** Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy. */
  TRUST_PROXY: z.stringbool().default(false),
  /** Sign-in attempts allowed per client address per 15 minutes (and per e-mail: half of it). */
  SIGNIN_RATE_LIMIT: int(20),
  /** Join attempts (and look-ups) per client address per minute. */
  JOIN_RATE_LIMIT: int(60),
  /** PostgreSQL connection string; when set, the shared store replaces the embedded SQLite. */
  DATABASE_URL: z.string().optional(),
  /** Redis connection string; when set, several instances share documents, presence and events through it. */
  REDIS_URL: z.string().optional(),
  /** Prefix of every Redis key, so that several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/).default('agora'),
  /** With several instances: how often loaded documents re-read the store (anti-entropy), in milliseconds. */
  RESYNC_MS: int(30_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.infer<typeof EnvSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  return parsed.data;
}
