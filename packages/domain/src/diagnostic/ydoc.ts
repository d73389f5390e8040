import * as Y from 'yjs';
import type { DiagnosticEntry, EntryFields, EntryInput, EntryPatch } from './entry.ts';
import { ENTRY_FIELD_NAMES } from './entry.ts';

/**
 * Layout of a workshop's diagnostic document:
 *
 *   doc.getMap('entries'): entryId -> Y.Map of the entry's fields (flat primitives, see EntryFieldsSchema)
 *   doc.getMap('meta'):    written by the server only (schema version, workshop id, region)
 *
 * UI code goes through the accessors and mutators below and never touches the Y types directly.
 */
export const DIAGNOSTIC_ROOTS = ['entries', 'meta'] as const;
export const DIAGNOSTIC_SCHEMA_VERSION = 1;

export type EntryYMap = Y.Map<EntryFields[keyof EntryFields]>;

export function entriesMap(doc: Y.Doc): Y.Map<EntryYMap> {
  return doc.getMap('entries');
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('meta');
}

export interface DiagnosticMeta {
  schemaVersion: number;
  workshopId: string;
  regionCode: string;
}

/** Server-side: stamps the meta map of a new document. */
export function initDiagnosticMeta(doc: Y.Doc, meta: DiagnosticMeta): void {
  doc.transact(() => {
    const m = metaMap(doc);
    m.set('schemaVersion', meta.schemaVersion);
    m.set('workshopId', meta.workshopId);
    m.set('regionCode', meta.regionCode);
  }, 'server');
}

export function readMeta(doc: Y.Doc): Partial<DiagnosticMeta> {
  return metaMap(doc).toJSON() as Partial<DiagnosticMeta>;
}

/** Reads one entry's raw fields (not validated: use DiagnosticEntrySchema for that). */
export function readEntryRaw(doc: Y.Doc, id: string): Record<string, unknown> | null {
  const m = entriesMap(doc).get(id);
  if (!(m instanceof Y.Map)) return null;
  return m.toJSON() as Record<string, unknown>;
}

export function readEntry(doc: Y.Doc, id: string): DiagnosticEntry | null {
  const raw = readEntryRaw(doc, id);
  return raw ? ({ ...(raw as EntryFields), id } satisfies DiagnosticEntry) : null;
}

/** All entries, oldest first. */
export function readEntries(doc: Y.Doc): DiagnosticEntry[] {
  const out: DiagnosticEntry[] = [];
  entriesMap(doc).forEach((m, id) => {
    if (m instanceof Y.Map) out.push({ ...(m.toJSON() as EntryFields), id });
  });
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random 16-character entry id (crypto.getRandomValues exists in browsers and Node ≥ 20). */
export function newEntryId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

/** Adds an entry in one transaction, so it reaches the server whole. Returns its id. */
export function addEntry(doc: Y.Doc, input: EntryInput, author: string, now = Date.now(), id = newEntryId()): string {
  doc.transact(() => {
    const m: EntryYMap = new Y.Map();
    const fields: EntryFields = { ...input, author, createdAt: now, updatedAt: now };
    for (const k of ENTRY_FIELD_NAMES) {
      const v = fields[k];
      if (v !== undefined) m.set(k, v); // optional fields (provenance) are left out rather than stored undefined
    }
    entriesMap(doc).set(id, m);
  });
  return id;
}

/** Changes only the fields that differ, so concurrent edits of other fields survive. */
export function updateEntry(doc: Y.Doc, id: string, patch: EntryPatch, now = Date.now()): boolean {
  const m = entriesMap(doc).get(id);
  if (!(m instanceof Y.Map)) return false;
  let changed = false;
  doc.transact(() => {
    for (const [k, v] of Object.entries(patch) as [keyof EntryPatch, EntryFields[keyof EntryFields]][]) {
      if (v === undefined || m.get(k) === v) continue;
      m.set(k, v);
      changed = true;
    }
    if (changed) m.set('updatedAt', now);
  });
  return changed;
}

export function deleteEntry(doc: Y.Doc, id: string): boolean {
  const entries = entriesMap(doc);
  if (!entries.has(id)) return false;
  doc.transact(() => entries.delete(id));
  return true;
}

/** Calls `fn` after every change of any entry (local or remote). Returns the unsubscribe function. */
export function observeEntries(doc: Y.Doc, fn: () => void): () => void {
  const entries = entriesMap(doc);
  const handler = (): void => fn();
  entries.observeDeep(handler);
  return () => entries.unobserveDeep(handler);
}

/**
 * The entry ids a transaction touched (added, deleted, or any field changed), and whether it
 * touched anything outside the entries (meta or an unknown root type).
 */
export function changedEntryIds(tr: Y.Transaction): { entryIds: Set<string>; outside: boolean } {
  // Look the root up without doc.getMap(): on a document that so far only received updates, the root is a
  // generic AbstractType, and getMap() would swap in a new Y.Map object that tr.changed does not know.
  const entries = tr.doc.share.get('entries');
  const entryIds = new Set<string>();
  let outside = false;
  for (const [type, keys] of tr.changed) {
    if (entries !== undefined && type === entries) {
      for (const k of keys) if (k !== null) entryIds.add(k);
      continue;
    }
    const item = type._item;
    if (item && entries !== undefined && item.parent === entries && typeof item.parentSub === 'string') {
      entryIds.add(item.parentSub);
      continue;
    }
    outside = true;
  }
  return { entryIds, outside };
}
