import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CloseCode, addEntry, documentName, entriesMap, readEntries, updateEntry } from '@agora/domain';
import type { RunningServer } from '../src/server.ts';
import { adminCookie, connectClient, createWorkshop, rawSocket, startTestServer, synced, tempDir, validEntry, waitFor, type TestClient } from './helpers.ts';

const servers: RunningServer[] = [];
const clients: TestClient[] = [];

const cookieOf = new Map<RunningServer, string>();

async function server(dataDir?: string): Promise<RunningServer> {
  const s = await startTestServer(dataDir);
  servers.push(s);
  cookieOf.set(s, await adminCookie(s));
  return s;
}
function client(s: RunningServer, workshopId: string): TestClient {
  const c = connectClient(s, workshopId, cookieOf.get(s)!);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.close();
});

/** The document as the store holds it, read back through a fresh Y.Doc. */
async function storedEntries(s: RunningServer, workshopId: string) {
  const stored = await s.store.loadDocument(documentName(workshopId, 'diagnostic'));
  const doc = new Y.Doc();
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return readEntries(doc);
}

describe('document server with y-websocket clients', () => {
  it('makes two clients converge', async () => {
    const s = await server();
    const w = await createWorkshop(s, await adminCookie(s));
    const a = client(s, w.id);
    const b = client(s, w.id);
    await Promise.all([synced(a), synced(b)]);
    const id = addEntry(a.doc, validEntry(), 'Alice');
    await waitFor(() => readEntries(b.doc).length === 1, 5000, 'entry at b');
    updateEntry(b.doc, id, { status: 'realise' });
    updateEntry(a.doc, id, { title: 'Bornes de recharge rapides' });
    await waitFor(() => readEntries(a.doc)[0]?.status === 'realise' && readEntries(b.doc)[0]?.title === 'Bornes de recharge rapides');
    expect(readEntries(a.doc)).toEqual(readEntries(b.doc));
  });

  it('gives a late joiner the full state', async () => {
    const s = await server();
    const w = await createWorkshop(s, await adminCookie(s));
    const a = client(s, w.id);
    await synced(a);
    for (let i = 0; i < 20; i++) addEntry(a.doc, validEntry({ title: `Action ${i}` }), 'Alice');
    await waitFor(() => s.documents.connections.size === 1);
    const late = client(s, w.id);
    await synced(late);
    await waitFor(() => readEntries(late.doc).length === 20, 5000, 'late joiner state');
    expect(readEntries(late.doc).map((e) => e.title).sort()).toEqual(readEntries(a.doc).map((e) => e.title).sort());
  });

  it('keeps the state across a server restart', async () => {
    const dir = tempDir();
    const s1 = await startTestServer(dir);
    const w = await createWorkshop(s1, await adminCookie(s1));
    const a = connectClient(s1, w.id, await adminCookie(s1));
    await synced(a);
    addEntry(a.doc, validEntry({ title: 'Plan vélo départemental' }), 'Alice');
    await waitFor(() => (s1.documents.connections.size === 1));
    // Let the room flush, then stop the server: the store must hold the entry.
    await new Promise((r) => setTimeout(r, 100));
    a.destroy();
    await s1.close();

    const s2 = await server(dir);
    const b = client(s2, w.id);
    await synced(b);
    await waitFor(() => readEntries(b.doc).length === 1, 5000, 'entry after restart');
    expect(readEntries(b.doc)[0]?.title).toBe('Plan vélo départemental');
  });

  it('refuses an invalid edit whole with 4422, leaving document and store unchanged', async () => {
    const s = await server();
    const w = await createWorkshop(s, await adminCookie(s));
    const good = client(s, w.id);
    const bad = client(s, w.id);
    await Promise.all([synced(good), synced(bad)]);
    addEntry(good.doc, validEntry({ title: 'Entrée valide' }), 'Alice');
    await waitFor(() => readEntries(bad.doc).length === 1);
    const before = await storedEntries(s, w.id);
    expect(before).toHaveLength(1);

    // An entry whose lever is not in the region's catalogue, plus a valid one in the same transaction:
    // the whole update must be refused.
    bad.doc.transact(() => {
      addEntry(bad.doc, validEntry({ title: 'Valide mais dans une mise à jour refusée' }), 'Mallory');
      addEntry(bad.doc, validEntry({ lever: 'levier_inexistant' }), 'Mallory');
    });
    await waitFor(() => bad.closes.some((c) => c.code === CloseCode.EDIT_REFUSED), 5000, 'refusal close');
    const refusal = bad.closes.find((c) => c.code === CloseCode.EDIT_REFUSED);
    expect(refusal?.reason).toMatch(/levier inconnu/);
    bad.provider.disconnect();

    // The honest client keeps working and never saw the refused entries.
    addEntry(good.doc, validEntry({ title: 'Deuxième entrée valide' }), 'Alice');
    await new Promise((r) => setTimeout(r, 150));
    const after = await storedEntries(s, w.id);
    expect(after.map((e) => e.title).sort()).toEqual(['Deuxième entrée valide', 'Entrée valide']);
    const room = await s.documents.rooms.peek(documentName(w.id, 'diagnostic'));
    expect(readEntries(room!.doc).map((e) => e.title).sort()).toEqual(['Deuxième entrée valide', 'Entrée valide']);
    expect(readEntries(good.doc)).toHaveLength(2);

    // A client that reloads the document from the server gets the server's state only.
    const reloaded = client(s, w.id);
    await synced(reloaded);
    await waitFor(() => readEntries(reloaded.doc).length === 2);
    expect(readEntries(reloaded.doc).some((e) => e.author === 'Mallory')).toBe(false);
  });

  it('refuses an entry holding a control character (NUL would break a PostgreSQL store) with 4422', async () => {
    const s = await server();
    const w = await createWorkshop(s, await adminCookie(s));
    const c = client(s, w.id);
    await synced(c);
    addEntry(c.doc, validEntry({ title: 'Copié\u0000collé' }), 'Alice');
    await waitFor(() => c.closes.some((x) => x.code === CloseCode.EDIT_REFUSED), 5000, 'refusal close');
    expect(c.closes.find((x) => x.code === CloseCode.EDIT_REFUSED)?.reason).toMatch(/caractère de contrôle/);
    expect(await storedEntries(s, w.id)).toHaveLength(0);
  });

  it('refuses writes to the server-owned meta map', async () => {
    const s = await server();
    const w = await createWorkshop(s, await adminCookie(s));
    const c = client(s, w.id);
    await synced(c);
    c.doc.getMap('meta').set('regionCode', '11');
    await waitFor(() => c.closes.some((x) => x.code === CloseCode.EDIT_REFUSED), 5000, 'refusal');
    c.provider.disconnect();
    const room = await s.documents.rooms.peek(documentName(w.id, 'diagnostic'));
    expect(room!.doc.getMap('meta').get('regionCode')).toBe('84');
  });

  it('closes oversized frames with 1009 and keeps serving other clients', async () => {
    const s = await startTestServer(tempDir(), { MAX_MESSAGE_BYTES: '4096' });
    servers.push(s);
    cookieOf.set(s, await adminCookie(s));
    const w = await createWorkshop(s, await adminCookie(s));
    const a = client(s, w.id);
    const b = client(s, w.id);
    await Promise.all([synced(a), synced(b)]);
    const { ws, closed } = await rawSocket(s, documentName(w.id, 'diagnostic'), { cookie: await adminCookie(s) });
    ws.send(new Uint8Array(10_000));
    expect((await closed).code).toBe(CloseCode.MESSAGE_TOO_BIG);
    addEntry(a.doc, validEntry(), 'Alice');
    await waitFor(() => readEntries(b.doc).length === 1, 5000, 'others keep working');
  });

  it('closes malformed frames, unknown message types and text frames with 4400, without a crash', async () => {
    const s = await server();
    const w = await createWorkshop(s, await adminCookie(s));
    const a = client(s, w.id);
    const b = client(s, w.id);
    await Promise.all([synced(a), synced(b)]);
    const name = documentName(w.id, 'diagnostic');

    const unknownType = encoding.createEncoder();
    encoding.writeVarUint(unknownType, 42);
    const truncatedUpdate = encoding.createEncoder();
    encoding.writeVarUint(truncatedUpdate, 0);
    encoding.writeVarUint(truncatedUpdate, 2);
    encoding.writeVarUint(truncatedUpdate, 1000); // announces 1000 bytes, sends none
    const garbageUpdate = encoding.createEncoder();
    encoding.writeVarUint(garbageUpdate, 0);
    encoding.writeVarUint(garbageUpdate, 2);
    encoding.writeVarUint8Array(garbageUpdate, new Uint8Array([255, 255, 255, 255, 1, 2, 3]));
    const badAwareness = encoding.createEncoder();
    encoding.writeVarUint(badAwareness, 1);
    encoding.writeVarUint8Array(badAwareness, new Uint8Array([5, 1]));

    for (const frame of [unknownType, truncatedUpdate, garbageUpdate, badAwareness].map((e) => encoding.toUint8Array(e))) {
      const { ws, closed } = await rawSocket(s, name, { cookie: await adminCookie(s) });
      ws.send(frame);
      const close = await closed;
      expect(close.code).toBe(CloseCode.MALFORMED_MESSAGE);
      expect(close.reason.length).toBeGreaterThan(0);
    }
    const { ws, closed } = await rawSocket(s, name, { cookie: await adminCookie(s) });
    ws.send('hello');
    expect((await closed).code).toBe(CloseCode.MALFORMED_MESSAGE);

    addEntry(a.doc, validEntry(), 'Alice');
    await waitFor(() => readEntries(b.doc).length === 1, 5000, 'others keep working');
    expect(entriesMap(b.doc).size).toBe(1);
  });

  it('closes invalid document names and unknown workshops with 4404', async () => {
    const s = await server();
    for (const name of ['nope', 'abcdefghijkl:secret', '../etc/passwd', 'abcdefghijkl:diagnostic']) {
      const { closed } = await rawSocket(s, name, { cookie: await adminCookie(s) });
      const close = await closed;
      expect(close.code, name).toBe(CloseCode.UNKNOWN_DOCUMENT);
    }
    // Without a session, nothing is said about the workshop (existing or not): 4401 either way.
    const w = await createWorkshop(s, await adminCookie(s));
    for (const name of [`${w.id}:diagnostic`, 'abcdefghijkl:diagnostic']) {
      const { closed } = await rawSocket(s, name);
      expect((await closed).code, name).toBe(CloseCode.UNAUTHENTICATED);
    }
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
