import type { Workshop } from '@agora/domain';

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

  close(): Promise<void>;
}

export interface StoredDocument {
  updates: Uint8Array[];
  /** Sequence number of the last stored update (0 when none). */
  lastSeq: number;
  /** Total stored bytes. */
  bytes: number;
}
