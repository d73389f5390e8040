import type * as Y from 'yjs';

/** Whether a document holds structs or deletions waiting for updates it has not seen yet. */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}
