/**
 * PostgreSQL unreachable mid-session: the server never drops an edit silently. Edits it already accepted are held
 * and stored when PostgreSQL is back; new edits are refused with 1013 ("try again") and stay in the client, which
 * sends them again once it can; HTTP writes get 503 with a message; /readyz says "not ready" meanwhile. The outage
 * is made with a TCP proxy in front of the real PostgreSQL that cuts every connection.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode, addEntry, readEntries } from '@agora/domain';
import { adminCookie, api, connectClient, createWorkshop, startTestServer, synced, tempDir, validEntry, waitFor, type TestClient, cleanupAfterEach } from './helpers.ts';
import { SwitchProxy } from './cluster-helpers.ts';
import { PG_TEST_URL, createTestDatabase, pgAvailable } from './pg-helpers.ts';

const available = await pgAvailable();
const { defer, track } = cleanupAfterEach();

describe.skipIf(!available)('PostgreSQL outage', () => {
  it('holds accepted edits, refuses new ones with 1013 and 503, and stores everything once PostgreSQL is back', async () => {
    const db = await createTestDatabase();
    defer(() => db.drop());
    const pgPort = Number(new URL(PG_TEST_URL).port || 5432);
    const proxy = new SwitchProxy(pgPort);
    await proxy.start();
    defer(() => proxy.stop());
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    const s = await startTestServer(tempDir(), { DATABASE_URL: viaProxy.toString() });
    defer(() => s.close());
    const admin = await adminCookie(s);
    const w = await createWorkshop(s, admin);

    const typist = track(connectClient(s, w.id, admin));
    const watcher = track(connectClient(s, w.id, admin));
    await Promise.all([synced(typist), synced(watcher)]);
    addEntry(typist.doc, validEntry({ title: 'Avant la panne' }), 'Claire');
    await waitFor(() => readEntries(watcher.doc).length === 1, 5000, 'before the outage');
    await new Promise((r) => setTimeout(r, 100)); // stored

    proxy.cut();
    // Accepted before the server knows: held in memory, shown to the others, retried.
    addEntry(typist.doc, validEntry({ title: 'Pendant la panne 1' }), 'Claire');
    await waitFor(() => readEntries(watcher.doc).length === 2, 5000, 'held edit shown');
    // Once the store has failed, new edits are refused with "try again later"; the client keeps them.
    await waitFor(() => s.documents.rooms.loadedRoom(`${w.id}:diagnostic`)?.storeFailing === true, 5000, 'store failure noticed');
    addEntry(typist.doc, validEntry({ title: 'Pendant la panne 2' }), 'Claire');
    await waitFor(() => typist.closes.some((c) => c.code === CloseCode.STORE_UNAVAILABLE), 5000, 'refused with 1013');
    expect(readEntries(typist.doc).map((e) => e.title)).toContain('Pendant la panne 2');

    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(503);
    const write = await api(s, 'POST', `/api/workshops/${w.id}/stage`, { cookie: admin, body: { stage: 'debat' } });
    expect(write.status).toBe(503);
    expect(((await write.json()) as { error: string }).error).toMatch(/stockage momentanément indisponible/);

    proxy.restore();
    // The held edit is stored, the refused one comes back with the client's reconnection: all three, once each.
    await waitFor(() => readEntries(watcher.doc).length === 3, 20_000, 'edits after the outage');
    await waitFor(() => readEntries(typist.doc).length === 3, 20_000, 'typist converges');
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));

    // What PostgreSQL holds: a fresh instance straight on the database serves the three entries.
    const fresh = await startTestServer(tempDir(), { DATABASE_URL: db.url });
    defer(() => fresh.close());
    const reader = track(connectClient(fresh, w.id, await adminCookie(fresh)));
    await synced(reader);
    expect(readEntries(reader.doc).map((e) => e.title).sort()).toEqual(['Avant la panne', 'Pendant la panne 1', 'Pendant la panne 2']);
  }, 60_000);
});
