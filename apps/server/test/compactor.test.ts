import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEntry, deleteEntry, readEntries, updateEntry } from '@agora/domain';
import { Compactor } from '../src/realtime/compactor.ts';
import { validEntry } from './helpers.ts';

// The worker thread rebuilds a document's state from its stored rows: same entries, deleted content collected,
// and a bad row fails that compaction only.

const compactor = new Compactor();
afterAll(() => compactor.close());

function rowsOf(build: (doc: Y.Doc) => void): { rows: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc();
  const rows: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => rows.push(u));
  build(doc);
  return { rows, doc };
}

describe('Compactor', () => {
  it('rebuilds the state from the rows on its thread, deleted content collected', async () => {
    const long = 'Texte long. '.repeat(200);
    const { rows, doc } = rowsOf((d) => {
      const ids = [1, 2, 3, 4].map((i) => addEntry(d, validEntry({ title: `Action ${i}`, description: long }), 'Alice'));
      updateEntry(d, ids[0]!, { title: 'Action 1 modifiée' });
      deleteEntry(d, ids[3]!);
    });
    const state = await compactor.compact(rows);
    const back = new Y.Doc();
    Y.applyUpdate(back, state);
    expect(readEntries(back)).toEqual(readEntries(doc));
    expect(Y.encodeStateVector(back)).toEqual(Y.encodeStateVector(doc));
    // The deleted entry's 2.4 KB description is gone from the state, not only hidden.
    expect(state.byteLength).toBeLessThan(Y.mergeUpdates(rows).byteLength - 2000);
  });

  it('fails a compaction whose rows cannot be read, and serves the next one', async () => {
    await expect(compactor.compact([new Uint8Array([1, 2, 3])])).rejects.toThrow(/compaction failed/);
    const { rows, doc } = rowsOf((d) => void addEntry(d, validEntry({ title: 'Après l’erreur' }), 'Alice'));
    const back = new Y.Doc();
    Y.applyUpdate(back, await compactor.compact(rows));
    expect(readEntries(back)).toEqual(readEntries(doc));
  });

  it('serves concurrent requests, each with its own state', async () => {
    const docs = [1, 2, 3].map((i) => rowsOf((d) => void addEntry(d, validEntry({ title: `Document ${i}` }), 'Alice')));
    const states = await Promise.all(docs.map((d) => compactor.compact(d.rows)));
    states.forEach((state, i) => {
      const back = new Y.Doc();
      Y.applyUpdate(back, state);
      expect(readEntries(back).map((e) => e.title)).toEqual([`Document ${i + 1}`]);
    });
  });
});
