import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEntry, documentName, readEntries, updateEntry } from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import { adminCookie, cleanupAfterEach, createWorkshop, rawSocket, startTestServer, validEntry, waitFor } from './helpers.ts';
import { readSyncUpdate, syncStep1Frame, updateFrame } from './frames.ts';

// The room relays the first validated update of a tick as received, before the history and the second apply;
// these tests check that nothing is broadcast twice, lost, or sent ahead of what it depends on.

const { defer } = cleanupAfterEach();

/** A raw client that records the update frames the server sends it (sync step 2 and updates). */
async function receiver(server: RunningServer, name: string, cookie: string) {
  const { ws } = await rawSocket(server, name, { cookie });
  const updates: Uint8Array[] = [];
  const doc = new Y.Doc();
  ws.on('message', (data: Buffer) => {
    const sync = readSyncUpdate(new Uint8Array(data));
    if (!sync) return;
    if (sync.kind === 2) updates.push(sync.update);
    Y.applyUpdate(doc, sync.update);
  });
  defer(() => ws.close());
  ws.send(syncStep1Frame(Y.encodeStateVector(doc)));
  return { ws, updates, doc };
}

async function setup() {
  const s = await startTestServer();
  defer(() => s.close());
  const cookie = await adminCookie(s);
  const w = await createWorkshop(s, cookie);
  const name = documentName(w.id, 'diagnostic');
  const rx = await receiver(s, name, cookie);
  const { ws: tx } = await rawSocket(s, name, { cookie });
  defer(() => tx.close());
  // Both joined (the receiver got its sync step 2) before anything is sent.
  await waitFor(() => s.documents.connections.size === 2 && rx.doc.getMap('meta').size > 0, 5000, 'joined');
  return { s, rx, tx };
}

describe('relay of validated updates', () => {
  it('broadcasts one update once, and stores and records it', async () => {
    const { s, rx, tx } = await setup();
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    addEntry(source, validEntry({ title: 'Réseau de chaleur urbain' }), 'Alice');
    expect(updates).toHaveLength(1);
    tx.send(updateFrame(updates[0]!));
    await waitFor(() => readEntries(rx.doc).length === 1, 5000, 'relayed entry');
    await new Promise((r) => setTimeout(r, 150));
    expect(rx.updates).toHaveLength(1);
    expect(readEntries(rx.doc)[0]!.title).toBe('Réseau de chaleur urbain');
    // The document and the store have it too (the relay comes first, the rest still happens).
    const room = [...s.documents.rooms.loadedRooms()][0]!;
    expect(readEntries(room.doc).map((e) => e.title)).toEqual(['Réseau de chaleur urbain']);
    await room.flush();
    const stored = await s.store.loadDocument(room.name);
    const back = new Y.Doc();
    for (const u of stored.updates) Y.applyUpdate(back, u);
    expect(readEntries(back).map((e) => e.title)).toEqual(['Réseau de chaleur urbain']);
  });

  it('delivers a burst of updates in one tick in order, each exactly once', async () => {
    const { rx, tx } = await setup();
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const id = addEntry(source, validEntry(), 'Alice');
    for (let i = 0; i < 20; i++) updateEntry(source, id, { title: `Titre ${i}` });
    // One write: the server reads all the frames in the same tick.
    for (const u of updates) tx.send(updateFrame(u));
    await waitFor(() => readEntries(rx.doc)[0]?.title === 'Titre 19', 5000, 'last title');
    await new Promise((r) => setTimeout(r, 150));
    // Fewer frames than updates when the tick batched them, never more.
    expect(rx.updates.length).toBeGreaterThanOrEqual(1);
    expect(rx.updates.length).toBeLessThanOrEqual(updates.length);
    expect(Y.getState(rx.doc.store, source.clientID)).toBe(Y.getState(source.store, source.clientID));
    expect(readEntries(rx.doc)).toEqual(readEntries(source));
    expect(rx.doc.store.pendingStructs).toBeNull();
  });

  it('does not relay ahead of a missing dependency: what was pending reaches clients once it is resolved', async () => {
    const { s, rx, tx } = await setup();
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const id = addEntry(source, validEntry(), 'Alice');
    updateEntry(source, id, { title: 'Titre corrigé' });
    expect(updates).toHaveLength(2);
    // The second update first (it depends on the first), then the first one in a later tick.
    tx.send(updateFrame(updates[1]!));
    await new Promise((r) => setTimeout(r, 100));
    expect(readEntries(rx.doc)).toHaveLength(0);
    tx.send(updateFrame(updates[0]!));
    await waitFor(() => readEntries(rx.doc)[0]?.title === 'Titre corrigé', 5000, 'both updates at the receiver');
    expect(rx.doc.store.pendingStructs).toBeNull();
    const room = [...s.documents.rooms.loadedRooms()][0]!;
    expect(readEntries(room.doc)[0]?.title).toBe('Titre corrigé');
  });
});
