import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEntry, documentName, readEntries, updateEntry } from '@agora/domain';
import { FullState, isEmptyStateVector } from '../src/realtime/full-state.ts';
import type { RunningServer } from '../src/server.ts';
import { adminCookie, cleanupAfterEach, createWorkshop, rawSocket, startTestServer, tempDir, validEntry, waitFor } from './helpers.ts';
import { readSyncUpdate, syncStep1Frame } from './frames.ts';

// Joiners with an empty document get the state encoded once, plus what changed since: check that they get the
// whole document, in every case, and that the state is not encoded again for each of them.

/** Applies sync messages (step 2 or update) to a document, as a y-websocket client does. */
function applyMessages(doc: Y.Doc, messages: Uint8Array[]): void {
  for (const m of messages) {
    const sync = readSyncUpdate(m);
    expect(sync).not.toBeNull();
    Y.applyUpdate(doc, sync!.update);
  }
}

function sameState(a: Y.Doc, b: Y.Doc): void {
  expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
  expect(readEntries(a)).toEqual(readEntries(b));
}

describe('FullState', () => {
  it('serves the whole document, then the state plus the changes since, without encoding again', () => {
    const doc = new Y.Doc();
    const full = new FullState(doc);
    doc.on('update', (u: Uint8Array) => full.updated(u));
    const ids = [1, 2, 3].map((i) => addEntry(doc, validEntry({ title: `Action ${i}` }), 'Alice'));

    const first = new Y.Doc();
    applyMessages(first, full.joinMessages()!);
    sameState(first, doc);
    expect(full.encodings).toBe(1);

    updateEntry(doc, ids[0]!, { title: 'Action 1 modifiée' });
    addEntry(doc, validEntry({ title: 'Action 4' }), 'Bob');
    doc.getMap('entries').delete(ids[2]!);
    const messages = full.joinMessages()!;
    expect(messages).toHaveLength(2); // the cached state, then the tail merged
    const second = new Y.Doc();
    applyMessages(second, messages);
    sameState(second, doc);
    expect(readEntries(second).map((e) => e.title).sort()).toEqual(['Action 1 modifiée', 'Action 2', 'Action 4']);
    expect(full.encodings).toBe(1);

    // update() (twin, compaction) wants the state itself: encoded again, tail folded in.
    const state = full.update();
    const third = new Y.Doc();
    Y.applyUpdate(third, state);
    sameState(third, doc);
    expect(full.encodings).toBe(2);
    expect(full.joinMessages()).toHaveLength(1);
  });

  it('encodes again once the tail outgrows the state', () => {
    const doc = new Y.Doc();
    const full = new FullState(doc);
    doc.on('update', (u: Uint8Array) => full.updated(u));
    const id = addEntry(doc, validEntry({ title: 'Départ' }), 'Alice');
    full.joinMessages();
    for (let i = 0; i < 300; i++) updateEntry(doc, id, { title: `Titre ${i}` });
    const messages = full.joinMessages()!;
    expect(messages).toHaveLength(1);
    expect(full.encodings).toBe(2);
    const joiner = new Y.Doc();
    applyMessages(joiner, messages);
    sameState(joiner, doc);
  });

  it('steps aside while the document holds structs it could not integrate', () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    addEntry(source, validEntry({ title: 'Un' }), 'Alice');
    addEntry(source, validEntry({ title: 'Deux' }), 'Alice');
    const doc = new Y.Doc();
    const full = new FullState(doc);
    Y.applyUpdate(doc, updates[1]!); // depends on updates[0]: left pending
    expect(full.joinMessages()).toBeNull();
    Y.applyUpdate(doc, updates[0]!);
    expect(full.joinMessages()).toHaveLength(1);
  });

  it('recognises the state vector of an empty document only', () => {
    expect(isEmptyStateVector(Y.encodeStateVector(new Y.Doc()))).toBe(true);
    const doc = new Y.Doc();
    addEntry(doc, validEntry(), 'Alice');
    expect(isEmptyStateVector(Y.encodeStateVector(doc))).toBe(false);
  });
});

const { defer } = cleanupAfterEach();

/** A raw client joining with an empty document: resolves with its document once the server's answer is in. */
async function join(server: RunningServer, name: string, cookie: string): Promise<Y.Doc> {
  const { ws } = await rawSocket(server, name, { cookie });
  defer(() => ws.close());
  const doc = new Y.Doc();
  let synced = false;
  ws.on('message', (data: Buffer) => {
    const sync = readSyncUpdate(new Uint8Array(data));
    if (!sync) return;
    Y.applyUpdate(doc, sync.update);
    if (sync.kind === 1) synced = true;
  });
  ws.send(syncStep1Frame(Y.encodeStateVector(doc)));
  await waitFor(() => synced, 5000, 'sync step 2');
  return doc;
}

describe('joins served from the encoded state', () => {
  it('gives every joiner the whole document, edits made between joins included', async () => {
    const s = await startTestServer();
    defer(() => s.close());
    const cookie = await adminCookie(s);
    const w = await createWorkshop(s, cookie);
    const name = documentName(w.id, 'diagnostic');
    const first = await join(s, name, cookie);
    const room = [...s.documents.rooms.loadedRooms()][0]!;
    const edit = (fn: (doc: Y.Doc) => void): void => {
      const r = room.serverWrite(fn, { memberId: null, name: 'Animateur' });
      expect(r.ok).toBe(true);
    };
    edit((doc) => void addEntry(doc, validEntry({ title: 'Méthanisation' }), 'Animateur'));
    const before = room.fullState.encodings;
    const joiners = [await join(s, name, cookie), await join(s, name, cookie)];
    edit((doc) => void addEntry(doc, validEntry({ title: 'Covoiturage' }), 'Animateur'));
    joiners.push(await join(s, name, cookie), await join(s, name, cookie));
    // One encoding (the first of these joins) served the four of them; the edit between went as a tail.
    expect(room.fullState.encodings - before).toBeLessThanOrEqual(1);
    await waitFor(() => readEntries(first).length === 2, 5000, 'first client has both entries');
    for (const j of joiners) {
      await waitFor(() => readEntries(j).length === readEntries(room.doc).length, 5000, 'joiner up to date');
      expect(readEntries(j).map((e) => e.title).sort()).toEqual(['Covoiturage', 'Méthanisation']);
      expect(Y.encodeStateVector(j)).toEqual(Y.encodeStateVector(room.doc));
    }
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(Number(/agora_document_joins_total\{state="cached"\} (\d+)/.exec(metrics)?.[1] ?? 0)).toBeGreaterThanOrEqual(3);
  });

  it('serves the first joiner after a restart from the stored state, without encoding it', async () => {
    const dir = tempDir();
    const s1 = await startTestServer(dir);
    const cookie = await adminCookie(s1);
    const w = await createWorkshop(s1, cookie);
    const name = documentName(w.id, 'diagnostic');
    await join(s1, name, cookie);
    const room1 = [...s1.documents.rooms.loadedRooms()][0]!;
    for (const title of ['Méthanisation', 'Covoiturage', 'Haies bocagères']) {
      expect(room1.serverWrite((doc) => void addEntry(doc, validEntry({ title }), 'Animateur'), { memberId: null, name: 'Animateur' }).ok).toBe(true);
    }
    await s1.close(); // unloading compacts the document into one row

    const s2 = await startTestServer(dir);
    defer(() => s2.close());
    const joined = await join(s2, name, await adminCookie(s2));
    const room2 = [...s2.documents.rooms.loadedRooms()][0]!;
    expect(room2.fullState.encodings).toBe(0);
    expect(readEntries(joined).map((e) => e.title).sort()).toEqual(['Covoiturage', 'Haies bocagères', 'Méthanisation']);
    expect(Y.encodeStateVector(joined)).toEqual(Y.encodeStateVector(room2.doc));
  });
});
