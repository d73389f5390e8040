import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEntry, documentName, readEntries, updateEntry } from '@agora/domain';
import { adminCookie, cleanupAfterEach, createWorkshop, rawSocket, startTestServer, validEntry, waitFor } from './helpers.ts';
import { updateFrame } from './frames.ts';

// Compaction rewrites the whole stored state: a small document compacts every COMPACT_AFTER_UPDATES rows, a large
// one only once its log has grown by half its size (or holds twenty times that many rows).

const { defer } = cleanupAfterEach();

async function setup() {
  const s = await startTestServer(undefined, { COMPACT_AFTER_UPDATES: '5' });
  defer(() => s.close());
  const cookie = await adminCookie(s);
  const w = await createWorkshop(s, cookie);
  const name = documentName(w.id, 'diagnostic');
  const { ws } = await rawSocket(s, name, { cookie });
  defer(() => ws.close());
  await waitFor(() => s.documents.rooms.loadedRoom(name) !== undefined && s.documents.connections.size === 1, 5000, 'joined');
  const source = new Y.Doc();
  const pending: Uint8Array[] = [];
  source.on('update', (u: Uint8Array) => pending.push(u));
  /** Sends what the source changed since the last call, and waits until the server stored it. */
  const send = async (): Promise<void> => {
    for (const u of pending.splice(0)) ws.send(updateFrame(u));
    await new Promise((r) => setTimeout(r, 20));
    await s.documents.rooms.loadedRoom(name)!.flush();
  };
  const rows = async (): Promise<number> => (await s.store.loadDocument(name)).updates.length;
  const stored = async () => {
    const doc = new Y.Doc();
    for (const u of (await s.store.loadDocument(name)).updates) Y.applyUpdate(doc, u);
    return readEntries(doc);
  };
  return { source, send, rows, stored };
}

describe('compaction', () => {
  it('compacts a small document every few rows', async () => {
    const { source, send, rows, stored } = await setup();
    const id = addEntry(source, validEntry(), 'Alice');
    await send();
    for (let i = 0; i < 12; i++) {
      updateEntry(source, id, { title: `Titre ${i}` });
      await send();
    }
    expect(await rows()).toBeLessThanOrEqual(6);
    expect((await stored())[0]!.title).toBe('Titre 11');
  });

  it('lets the log of a large document grow before rewriting it, and keeps every change', async () => {
    const { source, send, rows, stored } = await setup();
    const long = 'Une description détaillée de l’action. '.repeat(100); // ~4 KB
    const ids: string[] = [];
    source.transact(() => {
      for (let i = 0; i < 150; i++) ids.push(addEntry(source, validEntry({ title: `Action ${i}`, description: long }), 'Alice'));
    });
    await send(); // ~600 KB, the log's base
    for (let i = 0; i < 30; i++) {
      updateEntry(source, ids[i % ids.length]!, { title: `Modifiée ${i}` });
      await send();
    }
    // Once the ~600 KB state is the compacted base (at the first compaction, a few rows in), thirty rows of a few
    // hundred bytes each are not worth rewriting it for (a small document compacts every 5: see above).
    expect(await rows()).toBeGreaterThan(20);
    const entries = await stored();
    expect(entries).toHaveLength(150);
    expect(entries.filter((e) => e.title.startsWith('Modifiée'))).toHaveLength(30);
    for (let i = 30; i < 120; i++) {
      updateEntry(source, ids[i % ids.length]!, { title: `Modifiée ${i}` });
      await send();
    }
    // Past 100 rows it was rewritten once: the rows since then are left.
    expect(await rows()).toBeLessThan(25);
    expect((await stored()).filter((e) => e.title.startsWith('Modifiée'))).toHaveLength(120);
  });
});
