// Builds a document's compacted state off the main thread: the stored rows applied to a fresh document, encoded
// once (deleted content collected, as the live document would encode it). Plain JavaScript: a worker thread
// does not get the TypeScript loader under the test runner.
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';

parentPort.on('message', ({ id, rows }) => {
  try {
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => {
      for (const row of rows) Y.applyUpdate(doc, row);
    });
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      // Rows that depend on missing ones: a merge keeps them as they are (what the caller did before).
      const state = Y.mergeUpdates(rows);
      parentPort.postMessage({ id, state }, [state.buffer]);
      return;
    }
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    parentPort.postMessage({ id, state }, [state.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
