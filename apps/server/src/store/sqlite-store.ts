import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WorkshopSchema, type Workshop } from '@agora/domain';
import type { Store, StoredDocument } from './store.ts';

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
    const rows = this.db.prepare('SELECT * FROM workshops ORDER BY date DESC, created_at DESC').all() as WorkshopRow[];
    return rows.map(toWorkshop);
  }

  async getWorkshop(id: string): Promise<Workshop | null> {
    const row = this.db.prepare('SELECT * FROM workshops WHERE id = ?').get(id) as WorkshopRow | undefined;
    return row ? toWorkshop(row) : null;
  }

  async loadDocument(name: string): Promise<StoredDocument> {
    const rows = this.db.prepare('SELECT seq, data FROM document_updates WHERE doc = ? ORDER BY seq').all(name) as {
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
    const insert = this.db.prepare('INSERT INTO document_updates (doc, data) VALUES (?, ?)');
    return this.db.transaction(() => {
      let seq = 0;
      for (const u of updates) seq = Number(insert.run(name, Buffer.from(u.buffer, u.byteOffset, u.byteLength)).lastInsertRowid);
      return seq;
    })();
  }

  async compactDocument(name: string, merged: Uint8Array, throughSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM document_updates WHERE doc = ? AND seq <= ?').run(name, throughSeq);
      // The merged update must sort before anything appended after throughSeq; seq order only matters for
      // readability, Yjs applies updates in any order, so a fresh seq is fine.
      this.db.prepare('INSERT INTO document_updates (doc, data) VALUES (?, ?)').run(name, Buffer.from(merged));
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
